"""Drift between planned resources and what a live scan finds."""

from __future__ import annotations

from governance.collect.aws import collected_types, scan_aws
from governance.collect.aws.drift import drift_findings
from governance.model.evidence import Encryption, Lifecycle, Resource
from tests.collect.aws.conftest import REGION, Moto


def planned(name: str, action: str = "no-op", **fields: object) -> Resource:
    return Resource(
        address=f"aws_s3_bucket.{name.replace('-', '_')}",
        type="aws_s3_bucket",
        source="plan",
        action=action,
        name=name,
        data_bearing=True,
        **fields,
    )  # type: ignore[arg-type]


def live(name: str, **fields: object) -> Resource:
    arn = f"arn:aws:s3:::{name}"
    return Resource(
        address=arn,
        arn=arn,
        type="aws_s3_bucket",
        source="live",
        name=name,
        data_bearing=True,
        **fields,
    )  # type: ignore[arg-type]


def test_changed_fields_against_a_live_scan(aws: Moto) -> None:
    s3 = aws.client("s3")
    s3.create_bucket(Bucket="orders-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_bucket_tagging(
        Bucket="orders-data",
        Tagging={
            "TagSet": [
                {"Key": "Owner", "Value": "someone-else"},
                {"Key": "Domain", "Value": "sales"},
                {"Key": "added-by-hand", "Value": "x"},
            ]
        },
    )
    plan = planned(
        "orders-data",
        versioning=True,
        public_access_blocked=True,
        tags={"Owner": "sales-team", "Domain": "sales"},
        encryption=Encryption(enabled=True, algorithm="aws:kms"),
    )

    scanned = scan_aws(aws.options(services=["s3"]))
    items = drift_findings([plan], scanned.resources, live_types=collected_types(["s3"]))

    assert {(i.field, i.planned, i.live) for i in items} == {
        ("versioning", True, False),
        ("public_access_blocked", True, False),
        ("tags.Owner", "sales-team", "someone-else"),
        ("encryption.enabled", True, False),
        ("encryption.algorithm", "aws:kms", None),
    }
    assert {i.subject for i in items} == {"arn:aws:s3:::orders-data"}
    assert all(i.kind == "changed" and i.plan_address == "aws_s3_bucket.orders_data" for i in items)


def test_matching_resource_has_no_drift() -> None:
    plan = planned("same", versioning=True, lifecycle=Lifecycle(expiration_days=30))
    twin = live(
        "same", versioning=True, lifecycle=Lifecycle(expiration_days=30), tags={"extra": "1"}
    )
    assert drift_findings([plan], [twin]) == []


def test_unknown_planned_values_are_not_drift() -> None:
    plan = planned("computed")  # every field None: unknown until apply
    twin = live("computed", versioning=False, encryption=Encryption(enabled=False))
    assert drift_findings([plan], [twin]) == []


def test_missing_only_for_resources_that_should_exist() -> None:
    kept = planned("kept-bucket", action="no-op")
    new = planned("new-bucket", action="create")
    other = live("unrelated")

    (item,) = drift_findings([kept, new], [other])

    assert (item.kind, item.plan_address, item.field) == (
        "missing",
        "aws_s3_bucket.kept_bucket",
        "exists",
    )
    assert item.message == "aws_s3_bucket.kept_bucket is in the plan but was not found live"


def test_pending_update_is_not_drift() -> None:
    plan = planned("changing", action="update", versioning=True)
    assert drift_findings([plan], [live("changing", versioning=False)]) == []


def test_types_the_scan_did_not_collect_are_not_missing() -> None:
    queue = Resource(
        address="aws_sqs_queue.q", type="aws_sqs_queue", source="plan", action="no-op", name="q"
    )
    assert drift_findings([queue], [live("bucket")]) == []


def test_kms_keys_compare_by_key_id_and_skip_aliases() -> None:
    key = "arn:aws:kms:eu-west-1:123456789012:key/1111-2222"
    by_id = planned("by-id", encryption=Encryption(enabled=True, kms_key="1111-2222"))
    by_alias = planned("by-alias", encryption=Encryption(enabled=True, kms_key="alias/orders"))
    other = planned("other-key", encryption=Encryption(enabled=True, kms_key="9999"))
    found = [
        live(n, encryption=Encryption(enabled=True, kms_key=key))
        for n in ("by-id", "by-alias", "other-key")
    ]

    items = drift_findings([by_id, by_alias, other], found)

    assert [(i.subject, i.field) for i in items] == [
        ("arn:aws:s3:::other-key", "encryption.kms_key")
    ]
