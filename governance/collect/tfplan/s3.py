"""S3 buckets, written either way the AWS provider allows.

Provider v3 and earlier configure a bucket with inline blocks on ``aws_s3_bucket``; v4+ split
them into resources of their own (``aws_s3_bucket_server_side_encryption_configuration``,
``_versioning``, ``_lifecycle_configuration``, ``_public_access_block``, ``_acl``, ``_policy`` ...).
Both describe one bucket, so the split resources are folded into their bucket's ``Resource``:
its encryption, versioning, lifecycle and public-access facts, plus ``raw["split_resources"]``
(``[{address, type, values}]``) for the ones without a normalised field (ACL, policy, logging).
A folded split resource is not listed on its own (and is never normalised on its own: in a
v4-style plan split resources are most of the plan).

The bucket a split resource configures is found through the configuration's expression
references (the bucket's id is unknown at plan time), else by a known bucket name. A split
resource whose bucket is not in this plan stays in the list as a non-data-bearing resource of its
own, named after its bucket, so linking by name can still place it.

Facts a bucket does not declare get AWS's behaviour where that is fixed (versioning off) and
``Encryption(enabled=False)`` for encryption: S3's automatic SSE-S3 is not a configuration the
product controls, and it can never be a KMS key.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from governance.collect.tfplan.build import Build, base_resource
from governance.collect.tfplan.document import Entry
from governance.collect.tfplan.values import (
    as_bool,
    as_int,
    block,
    blocks,
    masked,
    text,
    unknown_path,
)
from governance.model.evidence import Encryption, Lifecycle, LifecycleTransition, Resource

BUCKET = "aws_s3_bucket"
SSE = "aws_s3_bucket_server_side_encryption_configuration"
VERSIONING = "aws_s3_bucket_versioning"
LIFECYCLE = "aws_s3_bucket_lifecycle_configuration"
PUBLIC_ACCESS_BLOCK = "aws_s3_bucket_public_access_block"
_PAB_FLAGS = (
    "block_public_acls",
    "block_public_policy",
    "ignore_public_acls",
    "restrict_public_buckets",
)
_SSE_DEFAULT = ("rule", 0, "apply_server_side_encryption_by_default", 0)


def is_split(resource_type: str) -> bool:
    """A bucket sub-resource (objects are content, not configuration, and are not folded)."""
    return resource_type.startswith("aws_s3_bucket_") and resource_type != "aws_s3_bucket_object"


def _partition(region: str | None) -> str:
    if region and region.startswith("cn-"):
        return "aws-cn"
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


# ------------------------------------------------------------------------------------ facts


def _encryption(
    entry: Entry, build: Build, container: dict[str, Any], prefix: tuple[str | int, ...]
) -> Encryption | None:
    """Encryption from a ``rule`` container (split resource values, or the inline block)."""
    rule = block(container, "rule")
    default = block(rule, "apply_server_side_encryption_by_default") if rule else None
    algorithm = text(default.get("sse_algorithm")) if default else None
    if algorithm is None:
        return None
    path = (*prefix, *_SSE_DEFAULT)
    kms_key = None
    if algorithm.startswith("aws:kms"):
        unknown = unknown_path(entry.unknown, *path)
        kms_key = build.key_reference(entry, default or {}, unknown, "kms_master_key_id", *path)
    bucket_key = as_bool(rule.get("bucket_key_enabled")) if rule else None
    return Encryption(enabled=True, algorithm=algorithm, kms_key=kms_key, bucket_key=bucket_key)


def _scoped(rule: dict[str, Any]) -> bool:
    """True when a lifecycle rule applies to part of the bucket only (prefix, tags, sizes)."""
    if text(rule.get("prefix")) or rule.get("tags"):
        return True
    for flt in blocks(rule, "filter"):
        if (
            text(flt.get("prefix"))
            or blocks(flt, "tag")
            or as_int(flt.get("object_size_greater_than"))
        ):
            return True
        if as_int(flt.get("object_size_less_than")):
            return True
        for conj in blocks(flt, "and"):
            if (
                text(conj.get("prefix"))
                or conj.get("tags")
                or as_int(conj.get("object_size_greater_than"))
            ):
                return True
            if as_int(conj.get("object_size_less_than")):
                return True
    return False


def _lifecycle(rules: list[dict[str, Any]], *, inline: bool) -> Lifecycle | None:
    """Expiration = the shortest expiration of an enabled rule that covers the whole bucket.

    A rule limited to a prefix or tag does not bound how long the rest of the data is kept.
    """
    if not rules:
        return None
    expirations: list[int] = []
    transitions: list[LifecycleTransition] = []
    for rule in rules:
        enabled = (
            as_bool(rule.get("enabled")) is True if inline else str(rule.get("status")) == "Enabled"
        )
        if not enabled:
            continue
        days = as_int((block(rule, "expiration") or {}).get("days"))
        if days and not _scoped(rule):
            expirations.append(days)
        for transition in blocks(rule, "transition"):
            transitions.append(
                LifecycleTransition(
                    days=as_int(transition.get("days")),
                    storage_class=text(transition.get("storage_class")),
                )
            )
    return Lifecycle(expiration_days=min(expirations, default=None), transitions=transitions)


def apply_bucket(resource: Resource, entry: Entry, build: Build) -> None:
    """Inline (provider v3 style) facts of an ``aws_s3_bucket``."""
    values = entry.values
    inline_sse = block(values, "server_side_encryption_configuration")
    if inline_sse is not None:
        resource.encryption = _encryption(
            entry, build, inline_sse, ("server_side_encryption_configuration", 0)
        )
    versioning = block(values, "versioning")
    if versioning is not None and as_bool(versioning.get("enabled")) is not None:
        resource.versioning = as_bool(versioning.get("enabled"))
    resource.lifecycle = _lifecycle(blocks(values, "lifecycle_rule"), inline=True)
    if resource.arn is None and resource.name:
        resource.arn = f"arn:{_partition(resource.region)}:s3:::{resource.name}"


def apply_split(target: Resource, entry: Entry, build: Build) -> None:
    """Fold one split resource's facts into ``target`` (its bucket, or itself when orphaned)."""
    values = entry.values
    if entry.type == SSE:
        target.encryption = _encryption(entry, build, values, ()) or Encryption(enabled=False)
    elif entry.type == VERSIONING:
        status = (block(values, "versioning_configuration") or {}).get("status")
        target.versioning = status == "Enabled"
    elif entry.type == LIFECYCLE:
        target.lifecycle = _lifecycle(blocks(values, "rule"), inline=False) or Lifecycle()
    elif entry.type == PUBLIC_ACCESS_BLOCK:
        target.public_access_blocked = all(as_bool(values.get(flag)) is True for flag in _PAB_FLAGS)


def finish_bucket(resource: Resource) -> None:
    """Defaults for what no inline block or split resource declared."""
    if resource.encryption is None:
        resource.encryption = Encryption(enabled=False)
    if resource.versioning is None:
        resource.versioning = False


# ------------------------------------------------------------------------------------- join


def join_split_resources(
    resources: dict[str, Resource], entries: dict[str, Entry], build: Build
) -> None:
    """Fold every split resource into its bucket; an orphan becomes a ``Resource`` of its own.

    ``resources`` holds everything but the split resources on entry; orphans are added. Split
    resources are most of a v4-style plan, so none is normalised unless it stays on its own.
    """
    by_name: dict[str, list[str]] = defaultdict(list)
    for address, resource in resources.items():
        if resource.type == BUCKET and resource.name:
            by_name[resource.name].append(address)

    parts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for address, entry in entries.items():
        if not is_split(entry.type):
            continue
        bucket = _bucket_of(entry, resources, by_name, build)
        if bucket is None:
            orphan = resources[address] = base_resource(entry, build)
            orphan.name = text(entry.values.get("bucket"))
            apply_split(orphan, entry, build)
            continue
        apply_split(resources[bucket], entry, build)
        values = masked(entry.values, entry.sensitive)
        parts[bucket].append({"address": address, "type": entry.type, "values": values})
    for bucket, split in parts.items():
        resource = resources[bucket]
        resource.raw = {**resource.raw, "split_resources": split}
    for resource in resources.values():
        if resource.type == BUCKET:
            finish_bucket(resource)


def _bucket_of(
    entry: Entry, resources: dict[str, Resource], by_name: dict[str, list[str]], build: Build
) -> str | None:
    targets = [
        a for a in build.refs(entry, "bucket") if a in resources and resources[a].type == BUCKET
    ]
    if len(targets) == 1:
        return targets[0]
    name = text(entry.values.get("bucket"))
    candidates = by_name.get(name, []) if name else []
    # Bucket names are global; two buckets with one name in a plan cannot both be meant.
    return candidates[0] if len(candidates) == 1 else None
