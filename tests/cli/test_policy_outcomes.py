"""Policies the example mesh does not fail, failing end to end through the CLI: a manifest whose
owner is malformed and disagrees with the resource tags, against a plan with a key that does not
rotate (GOV-OWN-001, GOV-TAG-002, GOV-ENC-002)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from governance.cli import main

MANIFEST = """\
name: payments
domain: finance
owner: "Payments Team!"
classification: internal
environment: prod
retention_days: 90
backup: {rpo: PT24H}
access: {default_policy: DENY}
output: {location: "s3://mesh-payments/"}
"""

TAGS = {
    "Domain": "finance",
    "DataProduct": "payments",
    "Owner": "treasury@example.com",
    "Classification": "internal",
    "Environment": "prod",
}


def plan() -> dict[str, Any]:
    def res(rtype: str, name: str, values: dict[str, Any]) -> dict[str, Any]:
        return {
            "address": f"{rtype}.{name}",
            "mode": "managed",
            "type": rtype,
            "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws",
            "change": {"actions": ["create"], "before": None, "after": values, "after_unknown": {}},
        }

    return {
        "format_version": "1.2",
        "resource_changes": [
            res("aws_s3_bucket", "payments", {"bucket": "mesh-payments", "tags_all": TAGS}),
            res("aws_kms_key", "payments", {"enable_key_rotation": False, "tags_all": TAGS}),
        ],
    }


@pytest.fixture(scope="module")
def findings(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str | None]]:
    root = tmp_path_factory.mktemp("mesh")
    (root / "payments.yaml").write_text(MANIFEST)
    (root / "plan.json").write_text(json.dumps(plan()))
    out = root / "out"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "check",
                str(root / "payments.yaml"),
                str(root / "plan.json"),
                "--format",
                "json",
                "--output-dir",
                str(out),
            ]
        )
    assert exc.value.code == 1
    report = json.loads((out / "report.json").read_text())
    assert report["errors"] == []
    return {(f["policy_id"], f["status"], f["subject"]) for f in report["findings"]}


def test_malformed_owner_fails_own_001(findings: set[tuple[str, str, str | None]]) -> None:
    assert ("GOV-OWN-001", "fail", None) in findings


def test_owner_tag_disagreeing_with_manifest_fails_tag_002(
    findings: set[tuple[str, str, str | None]],
) -> None:
    assert ("GOV-TAG-002", "fail", "aws_s3_bucket.payments") in findings
    assert ("GOV-TAG-001", "pass", None) in findings  # all required tags are present


def test_key_without_rotation_fails_enc_002(findings: set[tuple[str, str, str | None]]) -> None:
    assert ("GOV-ENC-002", "fail", "aws_kms_key.payments") in findings
