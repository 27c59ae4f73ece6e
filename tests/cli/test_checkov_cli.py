"""checkov inside the same run: its findings join the products by address, and waivers apply."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from governance.cli import main
from tests.conftest import EXAMPLES


def check(tmp_path: Path, *extra: str) -> dict[str, Any]:
    out = tmp_path / "out"
    with pytest.raises(SystemExit):
        main(
            [
                "check",
                str(EXAMPLES / "terraform"),
                str(EXAMPLES / "customer"),
                str(EXAMPLES / "sales"),
                "--checkov",
                "--format",
                "json",
                "--output-dir",
                str(out),
                *extra,
            ]
        )
    doc: dict[str, Any] = json.loads((out / "report.json").read_text())
    return doc


def test_checkov_findings_are_attributed_to_products_and_waivable(tmp_path: Path) -> None:
    report = check(tmp_path)
    assert report["errors"] == []
    checkov = [f for f in report["findings"] if f["engine"] == "checkov"]
    subject = "module.customer_profile.aws_s3_bucket.this"
    guild = [f for f in checkov if f["policy_id"] == "CKV_GOV_1" and f["subject"] == subject]
    assert [f["status"] for f in guild] == ["fail"]  # the guild's custom check: SSE-S3, no KMS
    assert guild[0]["product"] == "customer-profile"
    assert guild[0]["location"]["file"].endswith("plan.json")
    assert {f["product"] for f in checkov} >= {"orders", "customer-profile"}

    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - id: W-1\n    policy: CKV_GOV_1\n    product: customer-profile\n"
        "    reason: migrating to KMS in Q1\n    approved_by: security@example.com\n"
        "    expires: 2099-01-01\n"
    )
    waived = check(tmp_path, "--waivers", str(waivers))
    statuses = {
        f["status"]
        for f in waived["findings"]
        if f["policy_id"] == "CKV_GOV_1" and f["subject"] == subject
    }
    assert statuses == {"waived"}
