"""AWS resource facts other than S3 (see ``s3.py``) and AWS Backup (see ``backup.py``).

Each fact keeps the provider's default when the plan does not state it: an RDS instance without
``storage_encrypted`` is unencrypted, a KMS key without ``enable_key_rotation`` does not rotate.
A value unknown until apply stays None (not provable at plan time).
"""

from __future__ import annotations

from collections.abc import Callable

from governance.collect.tfplan.build import Build
from governance.collect.tfplan.document import Entry
from governance.collect.tfplan.values import as_bool, as_int, block, unknown_at, unknown_in
from governance.model.evidence import Encryption, Resource

# type -> (attribute saying "encrypted", attribute naming the KMS key). These services encrypt with
# KMS whenever encryption is on (the AWS-managed key when no key is named).
_STORAGE_ENCRYPTION = {
    "aws_db_instance": ("storage_encrypted", "kms_key_id"),
    "aws_rds_cluster": ("storage_encrypted", "kms_key_id"),
    "aws_docdb_cluster": ("storage_encrypted", "kms_key_id"),
    "aws_neptune_cluster": ("storage_encrypted", "kms_key_arn"),
    "aws_redshift_cluster": ("encrypted", "kms_key_id"),
    "aws_efs_file_system": ("encrypted", "kms_key_id"),
    "aws_ebs_volume": ("encrypted", "kms_key_id"),
}

# type -> attribute with automated-backup retention in days (0 disables automated backups).
_RETENTION = {
    "aws_db_instance": "backup_retention_period",
    "aws_rds_cluster": "backup_retention_period",
    "aws_docdb_cluster": "backup_retention_period",
    "aws_neptune_cluster": "backup_retention_period",
    "aws_redshift_cluster": "automated_snapshot_retention_period",
}
# Automated backups of these engines are continuous (restore to any second in the window).
_RETENTION_IS_PITR = frozenset(
    {"aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster"}
)


def _storage_encryption(resource: Resource, entry: Entry, build: Build) -> None:
    flag, key = _STORAGE_ENCRYPTION[entry.type]
    enabled = as_bool(entry.values.get(flag)) is True
    kms_key = build.key_reference(entry, entry.values, entry.unknown, key) if enabled else None
    resource.encryption = Encryption(
        enabled=enabled, algorithm="aws:kms" if enabled else None, kms_key=kms_key
    )


def _retention(resource: Resource, entry: Entry) -> None:
    days = as_int(entry.values.get(_RETENTION[entry.type]))
    resource.backup_retention_days = days
    if entry.type in _RETENTION_IS_PITR and days is not None:
        resource.point_in_time_recovery = days > 0


def _kms_key(resource: Resource, entry: Entry, build: Build) -> None:
    if unknown_at(entry.unknown, "enable_key_rotation"):
        return
    resource.key_rotation = as_bool(entry.values.get("enable_key_rotation")) is True


def _dynamodb(resource: Resource, entry: Entry, build: Build) -> None:
    values = entry.values
    pitr = block(values, "point_in_time_recovery")
    if not unknown_at(entry.unknown, "point_in_time_recovery"):
        resource.point_in_time_recovery = as_bool((pitr or {}).get("enabled")) is True
    sse = block(values, "server_side_encryption")
    if sse is not None and as_bool(sse.get("enabled")) is True:
        unknown = unknown_in(entry.unknown, "server_side_encryption")
        kms_key = build.key_reference(
            entry, sse, unknown, "kms_key_arn", "server_side_encryption", 0
        )
        resource.encryption = Encryption(enabled=True, algorithm="aws:kms", kms_key=kms_key)
    else:
        # DynamoDB always encrypts at rest; without SSE settings it uses an AWS-owned AES-256 key,
        # which no KMS policy of the account controls.
        resource.encryption = Encryption(enabled=True, algorithm="AES256")


def _kinesis(resource: Resource, entry: Entry, build: Build) -> None:
    enabled = str(entry.values.get("encryption_type") or "").upper() == "KMS"
    kms_key = (
        build.key_reference(entry, entry.values, entry.unknown, "kms_key_id") if enabled else None
    )
    resource.encryption = Encryption(
        enabled=enabled, algorithm="aws:kms" if enabled else None, kms_key=kms_key
    )


def _search_domain(resource: Resource, entry: Entry, build: Build) -> None:
    at_rest = block(entry.values, "encrypt_at_rest") or {}
    enabled = as_bool(at_rest.get("enabled")) is True
    unknown = unknown_in(entry.unknown, "encrypt_at_rest")
    kms_key = (
        build.key_reference(entry, at_rest, unknown, "kms_key_id", "encrypt_at_rest", 0)
        if enabled
        else None
    )
    resource.encryption = Encryption(
        enabled=enabled, algorithm="aws:kms" if enabled else None, kms_key=kms_key
    )


def apply_aws(resource: Resource, entry: Entry, build: Build) -> None:
    """Fill the type-specific facts of a non-S3 AWS resource in place."""
    if entry.type in _STORAGE_ENCRYPTION:
        _storage_encryption(resource, entry, build)
    if entry.type in _RETENTION:
        _retention(resource, entry)
    handler = _HANDLERS.get(entry.type)
    if handler is not None:
        handler(resource, entry, build)


_HANDLERS: dict[str, Callable[[Resource, Entry, Build], None]] = {
    "aws_kms_key": _kms_key,
    "aws_dynamodb_table": _dynamodb,
    "aws_kinesis_stream": _kinesis,
    "aws_elasticsearch_domain": _search_domain,
    "aws_opensearch_domain": _search_domain,
}
