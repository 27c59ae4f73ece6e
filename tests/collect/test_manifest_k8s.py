"""The Kubernetes-style ``kind: DataProduct`` manifest of the seed articles, extended."""

from __future__ import annotations

from pathlib import Path

from governance.collect.files import display_path
from tests.collect.test_manifest import INVALID, MANIFESTS, line_of, load, load_error, write

SEED_LIKE = """\
apiVersion: data-mesh.internal/v1alpha1
kind: DataProduct
metadata:
  name: vehicle-location-realtime
  namespace: vehicle-telemetry
spec:
  owner: fleet-team
"""


def test_k8s_fixture_is_normalised() -> None:
    path = MANIFESTS / "k8s-vehicle-location.yaml"
    product = load(path)
    assert (product.id, product.domain, product.format) == (
        "vehicle-location-realtime",
        "VehicleTelemetry",
        "k8s",
    )
    assert (product.owner, product.classification, product.environment) == (
        "logistics-data-team@company.com",
        "Internal",
        "prod",
    )
    assert product.retention_days == 90
    assert product.backup is not None
    assert product.backup.rpo_hours == 0.25
    assert product.access is not None
    assert product.access.default_policy == "DENY"
    assert product.access.allowed_consumers == [
        "domain:CustomerService",
        "domain:SupplyChainAnalytics",
    ]
    assert [c.name for c in product.columns if c.pii] == ["driver_id"]
    assert product.pii is True
    assert product.storage == ["vehicle_telemetry"]
    assert [p.type for p in product.output_ports] == ["kafka", "sql", "materialized_view"]
    assert product.output_ports[0].format == "AVRO"
    assert product.sla == {"availability": "99.9%", "freshness": "PT5S"}
    assert product.quality is not None and product.quality.suites == ["fleet_telemetry_quality_v2"]


def test_k8s_positions() -> None:
    path = MANIFESTS / "k8s-vehicle-location.yaml"
    product = load(path)
    assert product.locations["retention_days"].line == line_of(path, "retentionDays:")
    assert product.locations["classification"].line == line_of(path, "dataClassification:")
    assert product.locations["access.default_policy"].line == line_of(path, "defaultPolicy:")
    assert product.locations["columns.driver_id"].line == line_of(path, "- name: driver_id")


def test_domain_falls_back_to_namespace_and_owner_may_be_a_string(tmp_path: Path) -> None:
    product = load(write(tmp_path, "m.yaml", SEED_LIKE))
    assert (product.domain, product.owner) == ("vehicle-telemetry", "fleet-team")
    assert product.locations["domain"].line == 5


def test_missing_name_names_the_metadata_line() -> None:
    path = INVALID / "k8s-missing-name.yaml"
    message = load_error(path)
    assert message.startswith(
        f"{display_path(path)}:{line_of(path, 'metadata:')}:1: metadata.name: required"
    )


def test_governance_block_is_strict(tmp_path: Path) -> None:
    text = SEED_LIKE + "  governance:\n    retentionDay: 30\n"
    assert "m.yaml:9:5: spec.governance.retentionDay: unknown field" in load_error(
        write(tmp_path, "m.yaml", text)
    )


def test_bad_backup_duration(tmp_path: Path) -> None:
    text = SEED_LIKE + "  governance:\n    backup:\n      rpo: 1\n"
    message = load_error(write(tmp_path, "m.yaml", text))
    assert "m.yaml:10:7: spec.governance.backup.rpo: expected an ISO 8601 duration" in message
    assert "add a unit" in message


def test_unversioned_data_product_is_odps_and_unsupported(tmp_path: Path) -> None:
    message = load_error(
        write(tmp_path, "p.yaml", "apiVersion: v0.9.0\nkind: DataProduct\nname: x\nid: y\n")
    )
    assert "Open Data Product Standard (ODPS) descriptors are not supported" in message
