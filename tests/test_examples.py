"""End to end through the CLI on the example mesh: the findings examples/README.md promises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from governance.cli import main
from tests.conftest import EXAMPLES

# (policy, product, subject) failures the example mesh is built to show; see examples/README.md.
EXPECTED_FAILURES = {
    ("GOV-PII-001", "customer-profile", "module.customer_profile.aws_s3_bucket.this"),
    ("GOV-PII-002", "customer-profile", "email"),
    ("GOV-PII-002", "customer-profile", "phone"),
    ("GOV-RET-001", "customer-profile", None),
    ("GOV-BAK-001", "customer-profile", "module.customer_profile.aws_s3_bucket.this"),
    ("GOV-ACC-001", "customer-profile", None),
    ("GOV-DQ-001", "customer-profile", "customer_profile_quality_v1"),
    ("GOV-PII-003", "orders", "notes"),
    ("GOV-BAK-002", "shipments", "google_storage_bucket.shipments"),
    ("GOV-RET-002", "shipments", "google_storage_bucket.shipments"),
    ("GOV-TAG-001", "unowned", "aws_s3_bucket.scratch"),
    ("GOV-TAG-001", "unowned", "aws_dynamodb_table.events"),
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("reports")
    args = [
        "check",
        str(EXAMPLES),
        "--samples",
        str(EXAMPLES / "samples"),
        "--format",
        "json",
        "--format",
        "sarif",
        "--format",
        "html",
        "--output-dir",
        str(out),
    ]
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 1  # findings at or above 'high': the mesh is meant to fail
    assert (out / "report.sarif").is_file() and (out / "report.html").is_file()
    doc: dict[str, Any] = json.loads((out / "report.json").read_text())
    return doc


def test_verdict_and_no_errors(report: dict[str, Any]) -> None:
    assert report["verdict"] == "fail"
    assert report["errors"] == []
    assert report["summary"]["products"] == 4
    assert report["summary"]["domains"] == 4


def test_expected_failures_are_reported(report: dict[str, Any]) -> None:
    failures = {
        (f["policy_id"], f["product"], f["subject"])
        for f in report["findings"]
        if f["status"] == "fail"
    }
    assert failures >= EXPECTED_FAILURES


def test_compliant_product_passes_every_policy_with_pass_records(report: dict[str, Any]) -> None:
    ledger = [f for f in report["findings"] if f["product"] == "ledger"]
    assert ledger, "no evaluations recorded for the compliant product"
    assert {f["status"] for f in ledger} == {"pass"}
    policies = {f["policy_id"] for f in ledger}
    assert {
        "GOV-PII-001",
        "GOV-RET-001",
        "GOV-RET-002",
        "GOV-TAG-001",
        "GOV-TAG-002",
        "GOV-BAK-001",
        "GOV-BAK-002",
        "GOV-ACC-001",
        "GOV-OWN-001",
    } <= policies
    summary = next(p for p in report["products"] if p["id"] == "ledger")
    assert summary["status"] == "pass" and summary["score"] == 1.0


def test_findings_point_at_source_lines(report: dict[str, Any]) -> None:
    retention = next(
        f
        for f in report["findings"]
        if f["policy_id"] == "GOV-RET-001" and f["product"] == "customer-profile"
    )
    assert retention["location"]["file"].endswith("customer-profile.yaml")
    line = retention["location"]["line"]
    source = (EXAMPLES / "customer" / "customer-profile.yaml").read_text().splitlines()
    assert "retentionDays" in source[line - 1]


def test_deleted_resource_is_not_evidence(report: dict[str, Any]) -> None:
    assert not [f for f in report["findings"] if f["subject"] == "aws_s3_bucket.legacy_exports"]


def test_inspect_prints_bundles(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["inspect", str(EXAMPLES)])
    assert exc.value.code == 0
    bundles = json.loads(capsys.readouterr().out)
    by_id = {b["id"]: b for b in bundles}
    assert set(by_id) == {"orders", "ledger", "customer-profile", "shipments", "unowned"}
    orders = by_id["orders"]
    bucket = next(r for r in orders["resources"] if r["type"] == "aws_s3_bucket")
    # Split-resource join through configuration references: encryption, versioning, lifecycle.
    assert bucket["encryption"]["algorithm"] == "aws:kms"
    assert bucket["encryption"]["kms_key"] == "aws_kms_key.orders"
    assert bucket["versioning"] is True
    assert bucket["lifecycle"]["expiration_days"] == 180
    assert bucket["tags"]["ManagedBy"] == "terraform"  # provider default_tags via tags_all
    assert bucket["backup"]["plans"][0]["interval_hours"] == 24


def test_fail_on_never_exits_zero(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "check",
                str(EXAMPLES),
                "--samples",
                str(EXAMPLES / "samples"),
                "--fail-on",
                "never",
                "--format",
                "json",
                "--output-dir",
                str(tmp_path),
            ]
        )
    assert exc.value.code == 0
