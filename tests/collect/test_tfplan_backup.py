"""AWS Backup in plans: selections by ARN reference, literal ARN, tag and condition; schedules."""

from __future__ import annotations

import pytest

from governance.collect import collect_paths
from governance.collect.base import CollectContext
from governance.collect.files import display_path, load_json
from governance.collect.tfplan import collect
from governance.errors import InputError
from governance.model.evidence import Resource
from tests.conftest import FIXTURES

PLANS = FIXTURES / "tfplan"


def _collect(name: str) -> dict[str, Resource]:
    evidence = collect_paths([PLANS / name])
    assert evidence.errors == []
    return {r.address: r for r in evidence.resources}


def _plans(resource: Resource) -> list[tuple[str, float | None, str | None, bool]]:
    assert resource.backup is not None, f"{resource.address} has no backup coverage"
    return [(p.name, p.interval_hours, p.selected_by, p.continuous) for p in resource.backup.plans]


def test_selection_by_arn_reference() -> None:
    resources = _collect("backup-selected-by-arn-reference.json")
    bucket = resources["aws_s3_bucket.orders"]
    assert _plans(bucket) == [
        ("orders-hourly/hourly", 1.0, "resource", False),
        ("orders-hourly/pitr", 1.0, "resource", True),
    ]
    assert bucket.backup is not None and bucket.backup.continuous is True
    assert [p.retention_days for p in bucket.backup.plans] == [7, 35]
    # Continuous backup exists for S3 and RDS only: DynamoDB keeps the snapshots, not PITR.
    table = resources["aws_dynamodb_table.orders"]
    assert [continuous for *_, continuous in _plans(table)] == [False, False]
    assert table.backup is not None and table.backup.continuous is False


def test_selection_by_literal_arn_of_an_existing_resource() -> None:
    legacy = _collect("backup-selected-by-arn-reference.json")["aws_db_instance.legacy"]
    assert _plans(legacy) == [("legacy-weekly/weekly", 168.0, "resource", False)]


def test_wildcard_arn_with_a_plan_outside_the_configuration() -> None:
    archive = _collect("backup-selected-by-arn-reference.json")["aws_s3_bucket.archive"]
    # Covered (the S3 ARN follows from the name), but the schedule is not provable here.
    assert _plans(archive) == [("central-plan-0001", None, "resource", False)]


def test_bucket_no_selection_names_is_not_covered() -> None:
    assert _collect("backup-selected-by-arn-reference.json")["aws_s3_bucket.scratch"].backup is None


def test_selection_by_tag_and_condition() -> None:
    resources = _collect("backup-selected-by-tag-and-condition.json")
    assert _plans(resources["aws_s3_bucket.a"]) == [
        ("daily/daily", 24.0, "tag", False),
        ("continuous/pitr", 24.0, "condition", True),  # no schedule: AWS's daily 05:00 default
        ("six-hourly/every-6h", 6.0, "condition", False),
    ]
    # string_like "*ly" matches weekly too; string_not_equals Environment=dev excludes c.
    assert _plans(resources["aws_s3_bucket.b"]) == [
        ("six-hourly/every-6h", 6.0, "condition", False)
    ]
    # c is tagged daily but is dev (condition) and excluded by not_resources (six-hourly).
    assert _plans(resources["aws_s3_bucket.c"]) == [("daily/daily", 24.0, "tag", False)]
    assert resources["aws_s3_bucket.d"].backup is None
    # A KMS key is not a resource AWS Backup protects, whatever its tags.
    assert resources["aws_kms_key.e"].backup is None


def test_unparseable_cron_names_the_plan_resource() -> None:
    path = PLANS / "backup-plan-invalid-cron.json"
    with pytest.raises(InputError) as info:
        collect(path, load_json(path), CollectContext())
    assert "aws_backup_plan.broken" in info.value.message
    assert "rule 'nightly'" in info.value.message
    assert "cron(0 5 * * * *)" in info.value.message
    assert info.value.where is not None
    assert info.value.where.file == display_path(path)
    assert info.value.where.line is not None


def test_unparseable_cron_is_a_run_error_not_a_skip() -> None:
    evidence = collect_paths([PLANS / "backup-plan-invalid-cron.json"])
    assert evidence.resources == []
    assert [e.kind for e in evidence.errors] == ["input"]
    assert "aws_backup_plan.broken" in evidence.errors[0].message
