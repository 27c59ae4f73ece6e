"""The manifest collector: the flat dataproduct.yaml, shared rules, and the registry contract."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from governance import collect
from governance.collect import CollectContext, collect_paths, manifest
from governance.collect.files import display_path, load_yaml, plain
from governance.collect.manifests.common import is_pii_tag, storage_names
from governance.errors import InputError
from governance.model.config import GovernanceConfig
from governance.model.evidence import Product

MANIFESTS = Path(__file__).resolve().parents[1] / "fixtures" / "manifests"
INVALID = MANIFESTS / "invalid"


def load(path: Path, config: GovernanceConfig | None = None) -> Product:
    """Read one manifest exactly as the registry does: parse, sniff, collect."""
    doc = load_yaml(path)
    assert manifest.sniff(doc, path), f"{path} not recognised as a manifest"
    evidence = manifest.collect(path, doc, CollectContext(config=config or GovernanceConfig()))
    assert len(evidence.products) == 1
    return evidence.products[0]


def load_error(path: Path, config: GovernanceConfig | None = None) -> str:
    with pytest.raises(InputError) as exc:
        load(path, config)
    return str(exc.value)


def line_of(path: Path, text: str) -> int:
    """1-based line of the first occurrence of ``text`` (positions are checked, not hard-coded)."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError(f"{text!r} not in {path}")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.fixture
def manifest_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real registry with only this source: its contract, independent of other sources."""
    monkeypatch.setattr(collect, "SOURCES", {"manifest": "governance.collect.manifest"})


# ------------------------------------------------------------------------------------ flat format


def test_flat_fixture_is_normalised() -> None:
    path = MANIFESTS / "flat-orders.yaml"
    product = load(path)
    assert (product.id, product.name, product.domain, product.format) == (
        "orders",
        "orders",
        "sales",
        "dataproduct",
    )
    assert (product.owner, product.classification, product.environment) == (
        "sales-data@example.com",
        "confidential",
        "prod",
    )
    assert product.retention_days == 180
    assert product.backup is not None
    assert (product.backup.rpo, product.backup.rpo_hours, product.backup.rto_hours) == (
        "PT1H",
        1.0,
        4.0,
    )
    assert product.access is not None
    assert product.access.default_policy == "deny"
    assert product.access.allowed_consumers == ["domain:finance"]
    assert {c.name for c in product.columns if c.pii} == {"customer_email", "phone"}
    email = next(c for c in product.columns if c.name == "customer_email")
    assert (email.encrypted, email.masked) == (True, True)
    assert product.pii is True
    assert product.storage == ["fixture-sales-orders"]
    assert product.output_ports[0].format == "parquet"
    assert product.quality is not None
    assert (product.quality.suites, product.quality.min_score) == (["orders_suite"], 0.95)
    assert product.catalog_urns[0].startswith("urn:li:dataset:")
    assert product.sla == {"freshness": "1h", "availability": "99.9%"}


def test_flat_positions_point_at_the_declaring_lines() -> None:
    path = MANIFESTS / "flat-orders.yaml"
    product = load(path)
    assert product.source.file is not None and product.source.file.endswith("flat-orders.yaml")
    assert product.locations["retention_days"].line == line_of(path, "retention_days:")
    assert product.locations["retention_days"].column == 1
    assert product.locations["backup.rpo"].line == line_of(path, "rpo: PT1H")
    assert product.locations["columns.phone"].line == line_of(path, "- name: phone")
    assert product.locations["columns.customer_email.encrypted"].line == line_of(
        path, "encrypted: true"
    )
    assert product.locations["access.default_policy"].line == line_of(path, "default_policy:")
    phone = next(c for c in product.columns if c.name == "phone")
    assert phone.location is not None and phone.location.line == line_of(path, "- name: phone")


def test_undeclared_fields_stay_empty_and_unlocated(tmp_path: Path) -> None:
    product = load(write(tmp_path, "dataproduct.yaml", "name: bare\n"))
    assert (product.retention_days, product.backup, product.access, product.owner) == (
        None,
        None,
        None,
        None,
    )
    assert (product.pii, product.storage, product.columns) == (False, [], [])
    assert set(product.locations) == {"name"}


def test_retention_accepts_an_iso_duration(tmp_path: Path) -> None:
    assert (
        load(write(tmp_path, "p.yaml", "name: p\ndomain: d\nretention_days: P1Y\n")).retention_days
        == 365
    )


def test_numeric_version_is_kept_as_text(tmp_path: Path) -> None:
    assert load(write(tmp_path, "p.yaml", "name: p\ndomain: d\nversion: 1.0\n")).version == "1.0"


def test_extension_keys_are_allowed(tmp_path: Path) -> None:
    product = load(write(tmp_path, "p.yaml", "name: p\ndomain: d\nx-team-budget: 12\n"))
    assert product.id == "p"


def test_relative_sample_is_resolved_against_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    path = write(
        tmp_path / "sub", "p.yaml", "name: p\ndomain: d\nquality_checks:\n  sample: data/s.csv\n"
    )
    product = load(path)
    assert product.quality is not None and product.quality.sample is not None
    assert Path(product.quality.sample).resolve() == (tmp_path / "sub" / "data" / "s.csv").resolve()


# -------------------------------------------------------------------------------------- bad input


def test_wrong_type_names_file_line_and_field() -> None:
    path = INVALID / "flat-wrong-type.yaml"
    message = load_error(path)
    line = line_of(path, "retention_days:")
    assert message.startswith(
        f"{display_path(path)}:{line}:1: retention_days: expected an integer number of days"
    )
    assert "got 'forever'" in message


def test_bad_duration_names_file_line_and_field() -> None:
    path = INVALID / "flat-bad-duration.yaml"
    message = load_error(path)
    line = line_of(path, "rpo: soon")
    assert message.startswith(
        f"{display_path(path)}:{line}:3: backup.rpo: expected an ISO 8601 duration"
    )
    assert "got 'soon'" in message


def test_unknown_field_is_an_error() -> None:
    path = INVALID / "flat-unknown-field.yaml"
    assert f":{line_of(path, 'retention_dayz')}:1: retention_dayz: unknown field" in load_error(
        path
    )


def test_all_errors_of_a_file_are_reported_together(tmp_path: Path) -> None:
    text = "name: p\ndomain: d\nretention_days: forever\n"
    text += "schema:\n  columns:\n    - name: email\n      pii: maybe\n"
    message = load_error(write(tmp_path, "p.yaml", text))
    assert "p.yaml:3:1: retention_days:" in message
    assert "schema.columns[0].pii: expected true or false, got 'maybe' (line 7)" in message


def test_missing_name_in_a_file_called_dataproduct_yaml(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, "dataproduct.yaml", "domain: sales\nowner: team\n"))
    assert "dataproduct.yaml:1:1: name: required field is missing" in message


def test_empty_dataproduct_yaml_is_an_error(tmp_path: Path) -> None:
    assert "expected a mapping of manifest fields" in load_error(
        write(tmp_path, "dataproduct.yaml", "# nothing\n")
    )


def test_duplicate_columns_are_an_error(tmp_path: Path) -> None:
    text = "name: p\ndomain: d\nschema:\n  columns:\n    - name: a\n    - name: a\n"
    assert (
        "p.yaml:6:7: schema.columns[1]: duplicate column 'a' (first declared at line 5)"
        in load_error(write(tmp_path, "p.yaml", text))
    )


# ---------------------------------------------------------------------------------- shared rules


@pytest.mark.parametrize(
    ("tag", "pii"),
    [
        ("pii", True),
        ("PII", True),
        ("Pii", True),
        ("pii:email", True),
        ("security:pii", True),
        ("classification/pii", True),
        ("pipeline", False),
        ("nopii", False),
        ("api", False),
        ("", False),
    ],
)
def test_pii_tags(tag: str, pii: bool) -> None:
    assert is_pii_tag(tag) is pii


def test_pii_classifications_come_from_the_config(tmp_path: Path) -> None:
    text = "name: p\ndomain: d\nschema:\n  columns:\n    - name: a\n      classification: secret\n"
    path = write(tmp_path, "p.yaml", text)
    assert load(path).pii is False
    assert load(path, GovernanceConfig(pii_classifications=["Secret"])).columns[0].pii is True


def test_product_classification_alone_makes_the_product_pii(tmp_path: Path) -> None:
    product = load(write(tmp_path, "p.yaml", "name: p\ndomain: d\nclassification: Restricted\n"))
    assert product.pii is True
    assert product.columns == []


@pytest.mark.parametrize(
    ("location", "names"),
    [
        ("s3://bucket-a/prefix/x.parquet", ["bucket-a"]),
        ("s3a://bucket-b", ["bucket-b"]),
        ("gs://bucket-c/x/", ["bucket-c"]),
        ("arn:aws:s3:::bucket-d/key", ["bucket-d"]),
        ("bigquery://projects/p/datasets/ds_1/tables/t", ["ds_1"]),
        ("kafka://broker:9092/topic", []),
        ("examples/orders.csv", []),
        (None, []),
    ],
)
def test_storage_names(location: str | None, names: list[str]) -> None:
    assert storage_names(location) == names


# ----------------------------------------------------------------------------- registry contract


@pytest.mark.parametrize(
    ("name", "text", "claimed"),
    [
        ("ci.yaml", "name: CI\non: [push]\njobs: {}\n", False),
        ("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", False),
        ("list.yaml", "- name: a\n", False),
        ("p.yaml", "name: p\ndomain: d\n", True),
        ("dataproduct.yml", "owner: x\n", True),
    ],
)
def test_sniff(tmp_path: Path, name: str, text: str, claimed: bool) -> None:
    path = write(tmp_path, name, text)
    assert manifest.sniff(load_yaml(path), path) is claimed


def test_registry_collects_a_manifest(manifest_only: None) -> None:
    evidence = collect_paths([MANIFESTS / "flat-orders.yaml"])
    assert evidence.errors == []
    assert [p.id for p in evidence.products] == ["orders"]
    assert [i.kind for i in evidence.inputs] == ["manifest"]


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("malformed.yaml", "malformed YAML"),
        ("unknown-kind.yaml", "not a known input"),
        ("flat-wrong-type.yaml", "retention_days"),
    ],
)
def test_registry_reports_bad_files_as_errors(
    manifest_only: None, fixture: str, expected: str
) -> None:
    evidence = collect_paths([INVALID / fixture])
    assert evidence.products == []
    assert len(evidence.errors) == 1
    error = evidence.errors[0]
    assert error.kind == "input"
    assert expected in error.message
    assert error.where is not None and fixture in error.where


def test_malformed_yaml_names_the_line(manifest_only: None) -> None:
    path = INVALID / "malformed.yaml"
    error = collect_paths([path]).errors[0]
    assert error.where is not None
    line = int(error.where.split(":")[1])
    assert line >= line_of(path, "[unclosed")


# ---------------------------------------------------------------------------------------- schema


def test_json_schema_accepts_the_fixture_and_rejects_typos() -> None:
    schema = manifest.SCHEMAS["dataproduct"]()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    fixture = plain(load_yaml(MANIFESTS / "flat-orders.yaml"))
    assert list(validator.iter_errors(fixture)) == []
    assert list(validator.iter_errors({"name": "p", "x-own": 1})) == []
    assert list(validator.iter_errors({"name": "p", "retention_dayz": 3}))
    assert list(validator.iter_errors({"domain": "d"}))  # name is required
    assert "retention_days" in schema["properties"]
    assert schema["properties"]["name"]["description"]


def test_k8s_json_schema_accepts_the_fixture() -> None:
    schema = manifest.SCHEMAS["dataproduct-k8s"]()
    validator = jsonschema.Draft202012Validator(schema)
    assert (
        list(validator.iter_errors(plain(load_yaml(MANIFESTS / "k8s-vehicle-location.yaml")))) == []
    )
    assert list(
        validator.iter_errors(
            {"apiVersion": "v1", "kind": "DataProduct", "metadata": {"name": "x"}}
        )
    )
