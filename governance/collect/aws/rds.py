"""RDS: DB instances and Aurora clusters (storage encryption, automated backup retention).

Instances that belong to a cluster are represented by their cluster: storage, encryption and
backups are cluster properties there. Automated backups give point-in-time recovery up to the
``LatestRestorableTime``, which counts as the newest recovery point.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import partial
from typing import Any

from governance.collect.aws.common import Output, Scope, Task, jsonable, paginate, tag_dict
from governance.model.evidence import BackupCoverage, Encryption, Resource

SERVICE = "rds"
INSTANCE = "aws_db_instance"
CLUSTER = "aws_rds_cluster"


def discover(scope: Scope) -> list[Task]:
    return [Task(SERVICE, scope.account, scope.region, partial(_list, scope))]


def _list(scope: Scope) -> Output:
    client = scope.client(SERVICE)
    output = Output()
    items = [
        (INSTANCE, item)
        for item in paginate(client, "describe_db_instances", "DBInstances")
        if not item.get("DBClusterIdentifier")
    ]
    items += [(CLUSTER, item) for item in paginate(client, "describe_db_clusters", "DBClusters")]
    for kind, item in items:
        resource = database_resource(scope, kind, item)
        output.resources.append(resource)
        latest = item.get("LatestRestorableTime")
        if resource.point_in_time_recovery and isinstance(latest, datetime):
            output.restorable[str(resource.arn)] = latest
    return output


def database_resource(scope: Scope, kind: str, item: Mapping[str, Any]) -> Resource:
    cluster = kind == CLUSTER
    arn = str(item["DBClusterArn" if cluster else "DBInstanceArn"])
    encrypted = bool(item.get("StorageEncrypted", False))
    retention = int(item.get("BackupRetentionPeriod", 0) or 0)
    return Resource(
        address=arn,
        type=kind,
        source="live",
        name=str(item["DBClusterIdentifier" if cluster else "DBInstanceIdentifier"]),
        arn=arn,
        account=scope.account,
        region=scope.region,
        data_bearing=True,
        tags=tag_dict(item.get("TagList")),
        # RDS encrypts storage only with KMS keys.
        encryption=Encryption(
            enabled=encrypted,
            algorithm="aws:kms" if encrypted else None,
            kms_key=item.get("KmsKeyId") if encrypted else None,
        ),
        backup=BackupCoverage(continuous=retention > 0),
        point_in_time_recovery=retention > 0,
        backup_retention_days=retention,
        location=scope.location(arn),
        raw=jsonable(dict(item)),
    )
