"""AWS Backup coverage and recovery-point age: plans on a moto server, selections and recovery
points through StandInBackupApi (moto lacks those calls)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from governance.collect.aws import scan_aws
from governance.model.evidence import Resource
from tests.collect.aws.conftest import REGION, Moto

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
ROLE = "arn:aws:iam::123456789012:role/backup"


def _plan(aws: Moto, name: str, schedule: str, **rule: Any) -> str:
    answer = aws.client("backup").create_backup_plan(
        BackupPlan={
            "BackupPlanName": name,
            "Rules": [
                {
                    "RuleName": "main",
                    "TargetBackupVaultName": "Default",
                    "ScheduleExpression": schedule,
                    "Lifecycle": {"DeleteAfterDays": 35},
                    **rule,
                }
            ],
        }
    )
    return str(answer["BackupPlanId"])


def _bucket(aws: Moto, name: str, tags: dict[str, str] | None = None) -> str:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    if tags:
        s3.put_bucket_tagging(
            Bucket=name, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
        )
    return f"arn:aws:s3:::{name}"


def _scan(aws: Moto, **options: Any) -> dict[str, Resource]:
    evidence = scan_aws(aws.options(services=["s3", "backup"], now=NOW, **options))
    assert evidence.errors == []
    return {r.name or "": r for r in evidence.resources}


def test_tag_selection_covers_tagged_bucket_with_recovery_point_age(aws: Moto) -> None:
    plan_id = _plan(aws, "daily", "cron(0 5 ? * * *)")
    aws.standin.add_selection(
        REGION,
        plan_id,
        {
            "SelectionName": "by-tag",
            "IamRoleArn": ROLE,
            "ListOfTags": [
                {
                    "ConditionType": "STRINGEQUALS",
                    "ConditionKey": "backup",
                    "ConditionValue": "daily",
                }
            ],
        },
    )
    tagged = _bucket(aws, "orders-data", {"backup": "daily"})
    _bucket(aws, "untagged-data")
    aws.standin.add_recovery_point(REGION, tagged, "S3", NOW - timedelta(hours=30))
    aws.standin.add_recovery_point(REGION, tagged, "S3", NOW - timedelta(hours=6), status="PARTIAL")
    aws.standin.add_recovery_point(REGION, tagged, "S3", NOW - timedelta(hours=54))

    buckets = _scan(aws)

    covered = buckets["orders-data"].backup
    assert covered is not None
    assert [
        (p.name, p.schedule, p.interval_hours, p.retention_days, p.selected_by, p.continuous)
        for p in covered.plans
    ] == [("daily/main", "cron(0 5 ? * * *)", 24.0, 35, "tag", False)]
    # The PARTIAL recovery point cannot be restored: the newest usable one is 30 h old.
    assert covered.last_recovery_point_age_hours == 30.0
    uncovered = buckets["untagged-data"].backup
    assert uncovered is not None
    assert uncovered.plans == [] and uncovered.last_recovery_point_age_hours is None
    assert "ListRecoveryPointsByResource" in aws.standin.calls


def test_weekday_schedule_has_weekend_worst_case(aws: Moto) -> None:
    plan_id = _plan(aws, "weekdays", "cron(0 5 ? * MON-FRI *)")
    arn = _bucket(aws, "ledger-data")
    aws.standin.add_selection(
        REGION, plan_id, {"SelectionName": "by-arn", "IamRoleArn": ROLE, "Resources": [arn]}
    )

    (plan,) = _scan(aws)["ledger-data"].backup.plans  # type: ignore[union-attr]

    assert (plan.interval_hours, plan.selected_by) == (72.0, "resource")


def test_continuous_rule_and_condition_selection(aws: Moto) -> None:
    plan_id = _plan(aws, "pitr", "cron(0 */6 ? * * *)", EnableContinuousBackup=True)
    aws.standin.add_selection(
        REGION,
        plan_id,
        {
            "SelectionName": "prod-only",
            "IamRoleArn": ROLE,
            "Resources": ["arn:aws:s3:::*"],
            "Conditions": {
                "StringLike": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "prod*"}]
            },
        },
    )
    _bucket(aws, "prod-bucket", {"env": "production"})
    _bucket(aws, "dev-bucket", {"env": "dev"})

    buckets = _scan(aws)

    prod = buckets["prod-bucket"].backup
    assert prod is not None and prod.continuous is True
    assert [(p.selected_by, p.continuous, p.interval_hours) for p in prod.plans] == [
        ("condition", True, 6.0)
    ]
    assert buckets["dev-bucket"].backup.plans == []  # type: ignore[union-attr]


def test_not_resources_excludes_a_bucket(aws: Moto) -> None:
    plan_id = _plan(aws, "all", "rate(12 hours)")
    aws.standin.add_selection(
        REGION,
        plan_id,
        {
            "SelectionName": "all-but-tmp",
            "IamRoleArn": ROLE,
            "Resources": ["*"],
            "NotResources": ["arn:aws:s3:::tmp-*"],
        },
    )
    _bucket(aws, "keep-me")
    _bucket(aws, "tmp-scratch")

    buckets = _scan(aws)

    assert [p.interval_hours for p in buckets["keep-me"].backup.plans] == [12.0]  # type: ignore[union-attr]
    assert buckets["tmp-scratch"].backup.plans == []  # type: ignore[union-attr]


def test_opted_out_service_is_not_covered_by_tag_selection(aws: Moto) -> None:
    plan_id = _plan(aws, "daily", "cron(0 5 ? * * *)")
    aws.standin.add_selection(
        REGION,
        plan_id,
        {
            "SelectionName": "by-tag",
            "IamRoleArn": ROLE,
            "ListOfTags": [
                {"ConditionType": "STRINGEQUALS", "ConditionKey": "backup", "ConditionValue": "yes"}
            ],
        },
    )
    aws.standin.opt_in[REGION]["S3"] = False
    _bucket(aws, "opted-out", {"backup": "yes"})

    assert _scan(aws)["opted-out"].backup.plans == []  # type: ignore[union-attr]


def test_unreadable_schedule_is_a_collector_error(aws: Moto) -> None:
    plan_id = _plan(aws, "broken", "cron(0 5 * * * *)")  # both day fields set: not valid AWS cron
    aws.standin.add_selection(
        REGION, plan_id, {"SelectionName": "all", "IamRoleArn": ROLE, "Resources": ["*"]}
    )
    _bucket(aws, "some-bucket")

    evidence = scan_aws(aws.options(services=["s3", "backup"], now=NOW))

    (error,) = evidence.errors
    assert error.kind == "collector"
    assert error.where == f"aws://123456789012/{REGION}/backup"
    assert "rule 'main'" in error.message and "cron(0 5 * * * *)" in error.message


def test_dynamodb_pitr_and_backup_recovery_points_take_the_newest(aws: Moto) -> None:
    ddb = aws.client("dynamodb")
    table = ddb.create_table(
        TableName="events",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]
    aws.standin.add_recovery_point(REGION, table["TableArn"], "DynamoDB", NOW - timedelta(hours=80))

    evidence = scan_aws(aws.options(services=["dynamodb", "backup"], now=NOW))
    (events,) = evidence.resources
    assert events.backup is not None and events.backup.last_recovery_point_age_hours == 80.0

    ddb.update_continuous_backups(
        TableName="events", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    # moto reports the latest restorable time as "now": a real clock, so use the real time.
    (events,) = scan_aws(aws.options(services=["dynamodb", "backup"])).resources
    assert events.backup is not None
    assert events.backup.last_recovery_point_age_hours is not None
    assert events.backup.last_recovery_point_age_hours < 1


def test_malformed_endpoint_answer_is_a_collector_error(aws: Moto) -> None:
    """An S3-compatible or emulated endpoint that omits a field AWS always sends."""
    from botocore.awsrequest import AWSResponse

    def answer(**_: Any) -> Any:
        return AWSResponse("https://stand-in.invalid", 200, {}, None), {
            "BackupPlansList": [{"BackupPlanName": "no-id"}]
        }

    def hook(session: Any) -> None:
        aws.standin.install(session)
        session.events.register("before-call.backup.ListBackupPlans", answer)

    evidence = scan_aws(aws.options(services=["backup"], session_hook=hook))

    (error,) = evidence.errors
    assert error.where == f"aws://123456789012/{REGION}/backup"
    assert "the response has no field 'BackupPlanId'" in error.message
