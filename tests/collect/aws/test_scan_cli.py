"""`governance scan aws` end to end against the moto server: the CLI, linking to manifests, the
built-in policies, drift against a plan, the history store and `governance history`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from governance.cli import main
from tests.collect.aws.conftest import REGION, Moto

MANIFEST = """\
name: orders
domain: sales
owner: sales-data@example.com
classification: internal
environment: prod
retention_days: 90
backup: {rpo: PT24H}
access: {default_policy: DENY}
output: {location: "s3://live-orders/"}
"""


def plan(bucket: str) -> dict[str, Any]:
    """A plan that keeps (no-op) a versioned bucket: what the reviewed change promised."""
    values = {
        "bucket": bucket,
        "versioning": [{"enabled": True, "mfa_delete": False}],
        "tags": {"DataProduct": "orders"},
        "tags_all": {"DataProduct": "orders"},
    }
    change = {"actions": ["no-op"], "before": values, "after": values, "after_unknown": {}}
    resource = {
        "address": "aws_s3_bucket.orders",
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": "orders",
        "provider_name": "registry.terraform.io/hashicorp/aws",
    }
    return {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": {"root_module": {"resources": [{**resource, "values": values}]}},
        "resource_changes": [{**resource, "change": change}],
    }


def run(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exc:
        main(args)
    code = exc.value.code
    return code if isinstance(code, int) else 2


def test_scan_links_evaluates_detects_drift_and_stores(
    aws: Moto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="live-orders", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.create_bucket(Bucket="stray-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    (tmp_path / "orders.yaml").write_text(MANIFEST)
    (tmp_path / "plan.json").write_text(json.dumps(plan("live-orders")))
    history = tmp_path / "history.db"
    out = tmp_path / "out"

    code = run(
        [
            "scan",
            "aws",
            str(tmp_path / "orders.yaml"),
            "--profile",
            "dev",
            "--region",
            REGION,
            "--endpoint-url",
            aws.url,
            "--service",
            "s3",
            "--service",
            "kms",
            "--plan",
            str(tmp_path / "plan.json"),
            "--no-progress",
            "--history",
            str(history),
            "--format",
            "json",
            "--output-dir",
            str(out),
        ]
    )

    report = json.loads((out / "report.json").read_text())
    assert report["errors"] == []
    assert code == 1
    assert report["run"]["command"] == "scan"
    fails = {
        (f["policy_id"], f["product"], f["subject"])
        for f in report["findings"]
        if f["status"] == "fail"
    }
    arn = "arn:aws:s3:::live-orders"
    assert ("GOV-PII-001", "orders", arn) not in fails  # internal data: no PII policy failure
    assert ("GOV-BAK-002", "orders", arn) in fails  # versioning is off live
    assert ("GOV-DRIFT-001", "orders", arn) in fails  # ...although the plan says it is on
    assert ("GOV-TAG-001", "unowned", "arn:aws:s3:::stray-data") in fails

    capsys.readouterr()
    assert run(["history", "--history", str(history), "--format", "json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in stored["runs"]] == [report["run"]["id"]]
    assert {p["product"] for p in stored["products"]} >= {"orders"}


def test_unreachable_endpoint_is_an_error_not_a_pass(
    aws: Moto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "orders.yaml").write_text(MANIFEST)
    code = run(
        [
            "scan",
            "aws",
            str(tmp_path / "orders.yaml"),
            "--profile",
            "dev",
            "--region",
            REGION,
            "--endpoint-url",
            "http://127.0.0.1:9",
            "--service",
            "s3",
            "--max-attempts",
            "1",
            "--no-progress",
        ]
    )
    err = capsys.readouterr().out
    assert code == 2
    assert "aws://" in err


def test_scoped_scan_does_not_guess_backup_facts(
    aws: Moto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Backup was not read: GOV-BAK-001/003 are not evaluated (neither findings nor passes), the
    product is judged on the rest and says which policies it was not judged on."""
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="live-orders", CreateBucketConfiguration={"LocationConstraint": REGION})
    (tmp_path / "orders.yaml").write_text(MANIFEST)
    out = tmp_path / "out"
    args = ["scan", "aws", str(tmp_path / "orders.yaml"), "--profile", "dev", "--region", REGION]
    args += ["--endpoint-url", aws.url, "--service", "s3", "--service", "kms", "--no-progress"]
    code = run([*args, "--format", "json", "--format", "console", "--output-dir", str(out)])

    report = json.loads((out / "report.json").read_text())
    assert report["errors"] == []
    backup = {"GOV-BAK-001", "GOV-BAK-003"}
    assert not [f for f in report["findings"] if f["policy_id"] in backup]
    messages = " ".join(f["message"] for f in report["findings"])
    assert "backup plan" not in messages
    assert "recovery point" not in messages
    (orders,) = [p for p in report["products"] if p["id"] == "orders"]
    assert orders["not_evaluated"] == dict.fromkeys(sorted(backup), "backup not scanned")
    assert orders["status"] == "fail"  # judged on the rest: versioning is off (GOV-BAK-002)
    assert "GOV-BAK-001" not in orders["counts"] and sum(orders["counts"].values()) > 0
    assert code == 1
    shown = capsys.readouterr().out
    assert "orders (fail): not evaluated: backup not scanned (GOV-BAK-001, GOV-BAK-003)" in shown


def test_unsupported_api_call_is_one_clean_line(
    aws: Moto, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """moto has no DescribeRegionSettings: its 404 page must not leak into the error."""
    (tmp_path / "orders.yaml").write_text(MANIFEST)
    out = tmp_path / "out"
    args = ["scan", "aws", str(tmp_path / "orders.yaml"), "--profile", "dev", "--region", REGION]
    args += ["--endpoint-url", aws.url, "--service", "backup", "--no-progress"]
    code = run([*args, "--format", "json", "--format", "console", "--output-dir", str(out)])

    report = json.loads((out / "report.json").read_text())
    assert code == 2
    backup_errors = [e for e in report["errors"] if e["where"].endswith("/backup")]
    assert [(e["kind"], e["where"], e["message"]) for e in backup_errors] == [
        (
            "collector",
            f"aws://123456789012/{REGION}/backup",
            f"backup DescribeRegionSettings not supported by {aws.url}",
        )
    ]
    shown = capsys.readouterr()
    text = shown.out + shown.err
    line = f"backup DescribeRegionSettings not supported by {aws.url}"
    assert line in text
    assert all("<" not in e["message"] for e in report["errors"])
    assert "<!doctype" not in text.lower() and "Not Found" not in text
