"""Google Cloud resource facts: Cloud Storage, BigQuery and Cloud SQL.

Google encrypts all data at rest; what a policy asks is whether the key is customer-managed
(CMEK). Google-managed encryption is reported as ``AES256``, a CMEK as ``gcp:kms`` with the key.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from governance.collect.tfplan.build import Build
from governance.collect.tfplan.document import Entry
from governance.collect.tfplan.values import as_bool, as_int, block, blocks, text, unknown_in
from governance.model.evidence import Encryption, Lifecycle, LifecycleTransition, Resource

_MS_PER_DAY = 86_400_000
CMEK = "gcp:kms"
GOOGLE_MANAGED = "AES256"


def _cmek(entry: Entry, build: Build, block_name: str, key: str) -> Encryption:
    settings = block(entry.values, block_name) or {}
    kms_key = build.key_reference(
        entry, settings, unknown_in(entry.unknown, block_name), key, block_name, 0
    )
    return Encryption(enabled=True, algorithm=CMEK if kms_key else GOOGLE_MANAGED, kms_key=kms_key)


def _whole_bucket_age(condition: dict[str, Any]) -> int | None:
    """The age of a condition that applies to every live object, else None.

    Rules limited to a prefix, to noncurrent versions or to archived objects do not bound how
    long the product's data is kept, so they do not count as its expiration.
    """
    if condition.get("matches_prefix") or condition.get("matches_suffix"):
        return None
    if str(condition.get("with_state") or "").upper() == "ARCHIVED":
        return None
    for key in ("num_newer_versions", "days_since_noncurrent_time", "days_since_custom_time"):
        if as_int(condition.get(key)):
            return None
    if condition.get("noncurrent_time_before") or condition.get("created_before"):
        return None
    return as_int(condition.get("age"))


def _storage_bucket(resource: Resource, entry: Entry, build: Build) -> None:
    values = entry.values
    versioning = block(values, "versioning")
    resource.versioning = as_bool((versioning or {}).get("enabled")) is True
    rules = blocks(values, "lifecycle_rule")
    if rules:
        expirations: list[int] = []
        transitions: list[LifecycleTransition] = []
        for rule in rules:
            action = block(rule, "action") or {}
            condition = block(rule, "condition") or {}
            kind = str(action.get("type") or "")
            if kind == "Delete":
                age = _whole_bucket_age(condition)
                if age is not None:
                    expirations.append(age)
            elif kind == "SetStorageClass":
                transitions.append(
                    LifecycleTransition(
                        days=as_int(condition.get("age")),
                        storage_class=text(action.get("storage_class")),
                    )
                )
        resource.lifecycle = Lifecycle(
            expiration_days=min(expirations, default=None), transitions=transitions
        )
    resource.encryption = _cmek(entry, build, "encryption", "default_kms_key_name")
    prevention = str(values.get("public_access_prevention") or "").lower()
    # "inherited" defers to the organisation policy, which the plan does not show.
    resource.public_access_blocked = True if prevention == "enforced" else None


def _days(milliseconds: Any) -> int | None:
    ms = as_int(milliseconds)
    return math.ceil(ms / _MS_PER_DAY) if ms else None


def _bigquery_dataset(resource: Resource, entry: Entry, build: Build) -> None:
    values = entry.values
    days = [
        d
        for d in (
            _days(values.get("default_table_expiration_ms")),
            _days(values.get("default_partition_expiration_ms")),
        )
        if d is not None
    ]
    if days:
        resource.lifecycle = Lifecycle(expiration_days=min(days))
    resource.encryption = _cmek(entry, build, "default_encryption_configuration", "kms_key_name")


def _bigquery_table(resource: Resource, entry: Entry, build: Build) -> None:
    partitioning = block(entry.values, "time_partitioning") or {}
    days = _days(partitioning.get("expiration_ms"))
    if days is not None:
        resource.lifecycle = Lifecycle(expiration_days=days)
    resource.encryption = _cmek(entry, build, "encryption_configuration", "kms_key_name")


def _sql_instance(resource: Resource, entry: Entry, build: Build) -> None:
    settings = block(entry.values, "settings") or {}
    backup = block(settings, "backup_configuration") or {}
    resource.point_in_time_recovery = (
        as_bool(backup.get("point_in_time_recovery_enabled")) is True
        or as_bool(backup.get("binary_log_enabled")) is True
    )
    kms_key = build.key_reference(entry, entry.values, entry.unknown, "encryption_key_name")
    resource.encryption = Encryption(
        enabled=True, algorithm=CMEK if kms_key else GOOGLE_MANAGED, kms_key=kms_key
    )


def apply_gcp(resource: Resource, entry: Entry, build: Build) -> None:
    handler = _HANDLERS.get(entry.type)
    if handler is not None:
        handler(resource, entry, build)


_HANDLERS: dict[str, Callable[[Resource, Entry, Build], None]] = {
    "google_storage_bucket": _storage_bucket,
    "google_bigquery_dataset": _bigquery_dataset,
    "google_bigquery_table": _bigquery_table,
    "google_sql_database_instance": _sql_instance,
}
