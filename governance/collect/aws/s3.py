"""S3 buckets: default encryption and KMS key, bucket key, versioning, lifecycle, tags, public
access block (bucket and account level). Buckets are listed once per account (the listing is
global) and described in their own region; buckets outside the scanned regions are out of scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from governance.collect.aws.common import (
    Output,
    Scope,
    Task,
    call_or_none,
    jsonable,
    paginate,
    tag_dict,
)
from governance.collect.aws.session import AccountTarget
from governance.model.evidence import (
    BackupCoverage,
    Encryption,
    Lifecycle,
    LifecycleTransition,
    Resource,
)

SERVICE = "s3"
TYPE = "aws_s3_bucket"
_PAB_FLAGS = ("BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets")


def discover(target: AccountTarget, regions: list[str]) -> list[Task]:
    return [Task(SERVICE, target.account, None, partial(_list_buckets, target, regions))]


def _list_buckets(target: AccountTarget, regions: list[str]) -> Output:
    home = Scope(target, regions[0])
    control = home.client("s3control")
    account_block = call_or_none(
        control.get_public_access_block,
        ["NoSuchPublicAccessBlockConfiguration"],
        AccountId=target.account,
    )
    account_flags = (account_block or {}).get("PublicAccessBlockConfiguration", {})
    client = home.client(SERVICE)
    tasks = [
        Task(
            SERVICE,
            target.account,
            None,
            partial(
                _describe_bucket,
                target,
                bucket["Name"],
                bucket.get("BucketRegion"),
                regions,
                account_flags,
            ),
            subject=bucket["Name"],
        )
        for bucket in paginate(client, "list_buckets", "Buckets")
    ]
    return Output(tasks=tasks)


def bucket_region(location_constraint: str | None) -> str:
    # GetBucketLocation answers None for us-east-1 and the legacy "EU" for eu-west-1.
    if not location_constraint:
        return "us-east-1"
    return "eu-west-1" if location_constraint == "EU" else location_constraint


def _describe_bucket(
    target: AccountTarget,
    name: str,
    region: str | None,
    regions: list[str],
    account_flags: Mapping[str, bool],
) -> Output:
    if region is None:  # older endpoints and emulators do not return BucketRegion in the listing
        location = Scope(target, regions[0]).client(SERVICE).get_bucket_location(Bucket=name)
        region = bucket_region(location.get("LocationConstraint"))
    if region not in regions:
        return Output()
    scope = Scope(target, region)
    client = scope.client(SERVICE)
    encryption = call_or_none(
        client.get_bucket_encryption,
        ["ServerSideEncryptionConfigurationNotFoundError"],
        Bucket=name,
    )
    versioning = client.get_bucket_versioning(Bucket=name)
    lifecycle = call_or_none(
        client.get_bucket_lifecycle_configuration, ["NoSuchLifecycleConfiguration"], Bucket=name
    )
    tagging = call_or_none(client.get_bucket_tagging, ["NoSuchTagSet"], Bucket=name)
    block = call_or_none(
        client.get_public_access_block, ["NoSuchPublicAccessBlockConfiguration"], Bucket=name
    )
    resource = bucket_resource(
        scope,
        name,
        encryption=(encryption or {}).get("ServerSideEncryptionConfiguration"),
        versioning=versioning,
        lifecycle_rules=None if lifecycle is None else lifecycle.get("Rules", []),
        tags=(tagging or {}).get("TagSet", []),
        bucket_flags=(block or {}).get("PublicAccessBlockConfiguration", {}),
        account_flags=account_flags,
    )
    return Output(resources=[resource])


def _encryption(config: Mapping[str, Any] | None) -> Encryption:
    for rule in (config or {}).get("Rules", []):
        default = rule.get("ApplyServerSideEncryptionByDefault")
        if default:
            return Encryption(
                enabled=True,
                algorithm=default.get("SSEAlgorithm"),
                kms_key=default.get("KMSMasterKeyID"),
                bucket_key=bool(rule.get("BucketKeyEnabled", False)),
            )
    return Encryption(enabled=False)


def _whole_bucket(rule: Mapping[str, Any]) -> bool:
    """A rule without a prefix, tag or size filter applies to every object."""
    if rule.get("Prefix"):  # legacy top-level prefix
        return False
    rule_filter = rule.get("Filter")
    if not rule_filter:
        return True
    return set(rule_filter) <= {"Prefix"} and not rule_filter.get("Prefix")


def lifecycle(rules: list[Mapping[str, Any]] | None) -> Lifecycle | None:
    """The lifecycle every object is subject to: enabled whole-bucket rules only (a prefixed rule
    leaves the other objects unexpired). The earliest expiration wins, as in S3 itself; every rule
    stays in ``raw``."""
    if rules is None:
        return None
    whole = [r for r in rules if r.get("Status") == "Enabled" and _whole_bucket(r)]
    days = [
        r["Expiration"]["Days"] for r in whole if r.get("Expiration", {}).get("Days") is not None
    ]
    transitions = sorted(
        (
            LifecycleTransition(days=t.get("Days"), storage_class=t.get("StorageClass"))
            for r in whole
            for t in r.get("Transitions", [])
        ),
        key=lambda t: (t.days is None, t.days or 0),
    )
    return Lifecycle(expiration_days=min(days) if days else None, transitions=transitions)


def bucket_resource(
    scope: Scope,
    name: str,
    *,
    encryption: Mapping[str, Any] | None,
    versioning: Mapping[str, Any],
    lifecycle_rules: list[Mapping[str, Any]] | None,
    tags: list[Mapping[str, str]],
    bucket_flags: Mapping[str, bool],
    account_flags: Mapping[str, bool],
) -> Resource:
    arn = f"arn:{scope.partition}:s3:::{name}"
    # Each flag is in force when set on the bucket or on the account; blocked = all four in force.
    blocked = all(bucket_flags.get(f) or account_flags.get(f) for f in _PAB_FLAGS)
    return Resource(
        address=arn,
        type=TYPE,
        source="live",
        name=name,
        arn=arn,
        account=scope.account,
        region=scope.region,
        data_bearing=True,
        tags=tag_dict(tags),
        encryption=_encryption(encryption),
        versioning=versioning.get("Status") == "Enabled",
        lifecycle=lifecycle(lifecycle_rules),
        backup=BackupCoverage(),
        public_access_blocked=blocked,
        location=scope.location(arn),
        raw=jsonable(
            {
                "server_side_encryption": encryption,
                "versioning": versioning,
                "lifecycle_rules": lifecycle_rules,
                "public_access_block": dict(bucket_flags) or None,
                "account_public_access_block": dict(account_flags) or None,
            }
        ),
    )
