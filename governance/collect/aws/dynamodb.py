"""DynamoDB tables: server-side encryption and point-in-time recovery.

DynamoDB always encrypts at rest: without an ``SSEDescription`` the table uses an AWS owned key,
recorded as ``AES256`` like SSE-S3; a KMS key (AWS managed or customer) is ``aws:kms``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from governance.collect.aws.common import Output, Scope, Task, jsonable, paginate, tag_dict
from governance.model.evidence import BackupCoverage, Encryption, Resource

SERVICE = "dynamodb"
TYPE = "aws_dynamodb_table"


def discover(scope: Scope) -> list[Task]:
    return [Task(SERVICE, scope.account, scope.region, partial(_list_tables, scope))]


def _list_tables(scope: Scope) -> Output:
    client = scope.client(SERVICE)
    tasks = [
        Task(
            SERVICE,
            scope.account,
            scope.region,
            partial(_describe_table, scope, name),
            subject=name,
        )
        for name in paginate(client, "list_tables", "TableNames")
    ]
    return Output(tasks=tasks)


def _describe_table(scope: Scope, name: str) -> Output:
    client = scope.client(SERVICE)
    table = client.describe_table(TableName=name)["Table"]
    backups = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    tags = list(paginate(client, "list_tags_of_resource", "Tags", ResourceArn=table["TableArn"]))
    resource = table_resource(scope, table, backups, tags)
    output = Output(resources=[resource])
    latest = backups.get("PointInTimeRecoveryDescription", {}).get("LatestRestorableDateTime")
    if resource.point_in_time_recovery and isinstance(latest, datetime):
        output.restorable[str(resource.arn)] = latest
    return output


def table_encryption(sse: Mapping[str, Any] | None) -> Encryption:
    if not sse or sse.get("Status") not in ("ENABLED", "UPDATING"):
        return Encryption(enabled=True, algorithm="AES256")
    return Encryption(enabled=True, algorithm="aws:kms", kms_key=sse.get("KMSMasterKeyArn"))


def table_resource(
    scope: Scope,
    table: Mapping[str, Any],
    backups: Mapping[str, Any],
    tags: list[Mapping[str, str]],
) -> Resource:
    arn = str(table["TableArn"])
    pitr = backups.get("PointInTimeRecoveryDescription", {})
    enabled = pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
    return Resource(
        address=arn,
        type=TYPE,
        source="live",
        name=str(table["TableName"]),
        arn=arn,
        account=scope.account,
        region=scope.region,
        data_bearing=True,
        tags=tag_dict(tags),
        encryption=table_encryption(table.get("SSEDescription")),
        backup=BackupCoverage(continuous=enabled),
        point_in_time_recovery=enabled,
        backup_retention_days=pitr.get("RecoveryPeriodInDays", 35) if enabled else None,
        location=scope.location(arn),
        raw=jsonable({"table": dict(table), "continuous_backups": dict(backups)}),
    )
