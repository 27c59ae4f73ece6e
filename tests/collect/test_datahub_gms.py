"""A live DataHub GMS through the SDK's graph client.

The failure paths run everywhere (a closed port is a real unreachable server). The round trip
needs a real GMS: set GOVERNANCE_TEST_DATAHUB_GMS to its URL (and DATAHUB_GMS_TOKEN if it requires
a token); without it those tests are skipped, since there is no DataHub server in CI and a stand-in
would only test the stand-in. They write a dataset named governance-test-<random> and leave it.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.collect import collect_paths
from governance.collect.datahub.endpoints import Endpoint
from governance.collect.datahub.gms import GMS_URL_ENV, connect, read_gms
from governance.collect.datahub.sources import collect_catalog
from governance.collect.datahub.sync import dataset_urns, sync_products
from governance.errors import CollectorError, UsageError
from governance.model.result import Finding, ProductSummary, RunInfo, RunResult, Status, ToolInfo
from governance.report.publish.datahub import publish_datahub

LIVE = os.environ.get("GOVERNANCE_TEST_DATAHUB_GMS")
live = pytest.mark.skipif(not LIVE, reason="set GOVERNANCE_TEST_DATAHUB_GMS to a DataHub GMS URL")


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_unreachable_server_is_a_collector_error_naming_it() -> None:
    url = closed_port_url()
    with pytest.raises(CollectorError, match="cannot connect") as caught:
        connect(url, timeout=5)
    assert str(caught.value.where) == f"DataHub GMS {url}"


def test_unreachable_server_in_a_run_is_a_run_error() -> None:
    url = closed_port_url()
    evidence = collect_catalog([Endpoint("gms", url)])
    (error,) = evidence.errors
    assert error.kind == "collector" and url in str(error.where)


def test_no_url_anywhere_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(GMS_URL_ENV, raising=False)
    with pytest.raises(UsageError, match="DATAHUB_GMS_URL"):
        connect(None)


@live
def test_sync_read_publish_round_trip(fixtures: Path) -> None:
    assert LIVE is not None
    (product,) = [
        p for p in collect_paths([fixtures / "datahub" / "mesh"]).products if p.id == "orders"
    ]
    name = f"governance-test-{uuid.uuid4().hex[:8]}"
    product = product.model_copy(update={"id": name, "name": name, "output_ports": []})
    (urn,), _ = dataset_urns(product)
    sync_products([product], Endpoint("gms", LIVE))
    graph = connect(LIVE)
    (dataset,) = read_gms(graph, LIVE, urns=[urn], scan=False)
    assert dataset.owners == ["sales-data@example.com"]
    assert dataset.properties["data_product"] == name

    result = RunResult(
        tool=ToolInfo(version="test"),
        run=RunInfo(id=uuid.uuid4().hex, started_at=datetime.now(UTC)),
        products=[ProductSummary(id=name, status="fail", score=0.5)],
        findings=[
            Finding(
                policy_id="GOV-CAT-001",
                title="t",
                severity="medium",
                status=Status.FAIL,
                product=name,
                message="m",
            )
        ],
    )
    publish_datahub(result, {name: [urn]}, Endpoint("gms", LIVE))
    (dataset,) = read_gms(graph, LIVE, urns=[urn], scan=False)
    assert "governance:non-compliant" in dataset.tags
    assert dataset.properties["governance.failingPolicies"] == "GOV-CAT-001"


@live
def test_bad_token_is_a_collector_error(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LIVE is not None
    monkeypatch.setenv("DATAHUB_GMS_TOKEN", "not-a-token")
    graph_or_error: object
    try:
        graph_or_error = connect(LIVE)
    except CollectorError as exc:
        graph_or_error = exc
    if not isinstance(graph_or_error, CollectorError):
        pytest.skip("this GMS does not require a token (metadata service authentication off)")
    assert "not-a-token" not in str(graph_or_error)
