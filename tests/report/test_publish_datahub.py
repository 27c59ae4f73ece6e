"""``--publish datahub``: compliance written to DataHub Lite and to a metadata file, twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.collect import collect_paths, datahub
from governance.collect.base import CollectContext
from governance.collect.datahub.endpoints import Endpoint
from governance.collect.datahub.lite import read_lite
from governance.collect.datahub.sync import sync_products
from governance.link.catalog import match_catalog
from governance.model.evidence import CatalogDataset, Product
from governance.model.result import (
    Finding,
    ProductSummary,
    RunError,
    RunInfo,
    RunResult,
    Status,
    ToolInfo,
)
from governance.report.publish.datahub import (
    FAILING_PROPERTY,
    STATUS_PROPERTY,
    assertion_urn,
    compliance,
    publish_datahub,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:datahub")

ORDERS_URN = "urn:li:dataset:(urn:li:dataPlatform:s3,mesh-sales-orders-prod/trusted/orders,PROD)"
GOVERNANCE_TAGS = {
    "governance:compliant",
    "governance:non-compliant",
    "governance:evaluation-error",
}


def finding(policy: str, product: str, status: Status, **extra: object) -> Finding:
    return Finding(
        policy_id=policy,
        title=f"{policy} title",
        severity="high",
        status=status,
        product=product,
        message=str(extra.pop("message", "m")),
        **extra,
    )


def run(
    run_id: str, orders: str, findings: list[Finding], errors: list[RunError] | None = None
) -> RunResult:
    return RunResult(
        tool=ToolInfo(version="test"),
        run=RunInfo(
            id=run_id,
            started_at=datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
            finished_at=datetime(2025, 3, 1, 12, 0, 5, tzinfo=UTC),
        ),
        products=[
            ProductSummary(id="orders", status=orders, score=0.5),
            ProductSummary(id="ledger", status="pass", score=1.0),
        ],
        findings=findings,
        errors=errors or [],
    )


FAILING = run(
    "run-1",
    "fail",
    [
        finding(
            "GOV-PII-004",
            "orders",
            Status.FAIL,
            message="column customer_email: jane@example.com",
            evidence={"sample": "jane@example.com"},
        ),
        finding("GOV-PII-004", "orders", Status.PASS),
        finding("GOV-OWN-002", "orders", Status.FAIL),
        finding("GOV-CAT-001", "orders", Status.PASS),
        finding("GOV-CAT-001", "ledger", Status.PASS),
    ],
)
PASSING = run(
    "run-2",
    "pass",
    [
        finding("GOV-PII-004", "orders", Status.PASS),
        finding("GOV-OWN-002", "orders", Status.WAIVED),
        finding("GOV-CAT-001", "orders", Status.PASS),
    ],
)


@pytest.fixture
def mesh(fixtures: Path) -> list[Product]:
    return collect_paths([fixtures / "datahub" / "mesh"]).products


@pytest.fixture
def lite(mesh: list[Product], tmp_path: Path) -> Path:
    db = tmp_path / "lite.db"
    sync_products(mesh, Endpoint("lite", str(db)))
    return db


def linked(mesh: list[Product], datasets: list[CatalogDataset]) -> dict[str, list[str]]:
    matched, _ = match_catalog(mesh, datasets)
    return {pid: [d.urn for d in found] for pid, found in matched.items()}


def orders_in(datasets: list[CatalogDataset]) -> CatalogDataset:
    (orders,) = [d for d in datasets if d.urn == ORDERS_URN]
    return orders


def test_compliance_of_each_product() -> None:
    states = compliance(FAILING)
    orders = states["orders"]
    assert orders.status == "non-compliant"
    assert orders.failing == ("GOV-OWN-002", "GOV-PII-004")
    outcomes = {o.policy_id: (o.status, o.findings) for o in orders.policies}
    assert outcomes == {
        "GOV-CAT-001": (Status.PASS, 1),
        "GOV-OWN-002": (Status.FAIL, 1),
        "GOV-PII-004": (Status.FAIL, 2),  # the worst finding decides
    }
    assert states["ledger"].status == "compliant" and states["ledger"].failing == ()


def test_a_run_level_error_publishes_no_product_as_compliant() -> None:
    broken = run(
        "run-3", "pass", [], errors=[RunError(kind="collector", message="GMS unreachable")]
    )
    assert {s.status for s in compliance(broken).values()} == {"error"}


def test_publish_to_lite_twice_replaces_never_duplicates(mesh: list[Product], lite: Path) -> None:
    datasets = linked(mesh, read_lite(lite))
    report = publish_datahub(FAILING, datasets, Endpoint("lite", str(lite)))
    assert (report.products, report.datasets, report.without_datasets) == (2, 2, [])

    orders = orders_in(read_lite(lite))
    assert set(orders.tags) & GOVERNANCE_TAGS == {"governance:non-compliant"}
    assert "pii" in orders.tags  # the dataset's own tags are kept
    assert orders.properties[STATUS_PROPERTY] == "non-compliant"
    assert orders.properties[FAILING_PROPERTY] == ["GOV-OWN-002", "GOV-PII-004"]
    assert orders.properties["governance.lastRunId"] == "run-1"

    publish_datahub(PASSING, datasets, Endpoint("lite", str(lite)))
    orders = orders_in(read_lite(lite))
    assert set(orders.tags) & GOVERNANCE_TAGS == {"governance:compliant"}
    assert orders.tags.count("governance:compliant") == 1
    assert orders.properties[STATUS_PROPERTY] == "compliant"
    assert FAILING_PROPERTY not in orders.properties
    assert orders.properties["governance.lastRunId"] == "run-2"


def test_assertions_in_lite_hold_the_latest_run(mesh: list[Product], lite: Path) -> None:
    datasets = linked(mesh, read_lite(lite))
    publish_datahub(FAILING, datasets, Endpoint("lite", str(lite)))
    publish_datahub(PASSING, datasets, Endpoint("lite", str(lite)))
    from governance.collect.datahub.lite import open_lite

    with open_lite(lite, read_only=True) as db:
        aspects = db.get(assertion_urn(ORDERS_URN, "GOV-OWN-002"), None)
    assert aspects["assertionInfo"]["customAssertion"]["entity"] == ORDERS_URN
    event = aspects["assertionRunEvent"]
    assert (event["runId"], event["result"]["type"]) == ("run-2", "SUCCESS")
    assert event["result"]["nativeResults"] == {"status": "waived", "findings": "1"}


def test_publish_to_a_file_twice_rewrites_it(
    mesh: list[Product], lite: Path, tmp_path: Path
) -> None:
    datasets = linked(mesh, read_lite(lite))
    out = tmp_path / "out" / "compliance.json"
    publish_datahub(FAILING, datasets, Endpoint("file", str(out)))
    assert "run-1" in out.read_text()
    publish_datahub(PASSING, datasets, Endpoint("file", str(out)))
    fresh = tmp_path / "fresh.json"
    publish_datahub(PASSING, datasets, Endpoint("file", str(fresh)))
    assert out.read_text() == fresh.read_text()  # nothing of the first run is left
    second = json.loads(out.read_text())

    # The file is DataHub metadata this tool (and `datahub ingest`) reads back.
    assert datahub.sniff(second, out)
    published = datahub.collect(out, second, CollectContext()).catalog
    orders = orders_in(published)
    assert orders.tags == ["governance:compliant"]
    assert orders.properties[STATUS_PROPERTY] == "compliant"
    assert {d.urn for d in published} == {u for urns in datasets.values() for u in urns}


def test_nothing_from_messages_or_evidence_is_published(
    mesh: list[Product], lite: Path, tmp_path: Path
) -> None:
    out = tmp_path / "compliance.json"
    publish_datahub(FAILING, linked(mesh, read_lite(lite)), Endpoint("file", str(out)))
    assert "jane@example.com" not in out.read_text()


def test_products_without_catalog_datasets_are_reported(tmp_path: Path) -> None:
    out = tmp_path / "compliance.json"
    report = publish_datahub(FAILING, {"orders": [ORDERS_URN]}, Endpoint("file", str(out)))
    assert report.without_datasets == ["ledger"]
    assert (report.products, report.datasets) == (1, 1)
