"""S3 buckets collected from a moto server: compliant and non-compliant configurations."""

from __future__ import annotations

from governance.collect.aws import scan_aws
from governance.model.evidence import Resource
from tests.collect.aws.conftest import ACCOUNT, REGION, Moto

ALL_BLOCKED = {
    "BlockPublicAcls": True,
    "IgnorePublicAcls": True,
    "BlockPublicPolicy": True,
    "RestrictPublicBuckets": True,
}


def _bucket(aws: Moto, name: str, region: str = REGION) -> None:
    client = aws.client("s3", region)
    if region == "us-east-1":
        client.create_bucket(Bucket=name)
    else:
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def _buckets(aws: Moto, **options: object) -> dict[str, Resource]:
    evidence = scan_aws(aws.options(services=["s3"], **options))
    assert evidence.errors == []
    return {r.name or "": r for r in evidence.resources}


def test_compliant_bucket_is_normalised(aws: Moto) -> None:
    _bucket(aws, "sales-orders")
    s3 = aws.client("s3")
    key_arn = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    s3.put_bucket_encryption(
        Bucket="sales-orders",
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {
                        "SSEAlgorithm": "aws:kms",
                        "KMSMasterKeyID": key_arn,
                    },
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )
    s3.put_bucket_versioning(Bucket="sales-orders", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(
        Bucket="sales-orders",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "expire",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 365},
                    "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}],
                }
            ]
        },
    )
    s3.put_bucket_tagging(
        Bucket="sales-orders",
        Tagging={
            "TagSet": [
                {"Key": "DataProduct", "Value": "orders"},
                {"Key": "Domain", "Value": "sales"},
            ]
        },
    )
    s3.put_public_access_block(Bucket="sales-orders", PublicAccessBlockConfiguration=ALL_BLOCKED)

    bucket = _buckets(aws)["sales-orders"]

    assert bucket.type == "aws_s3_bucket"
    assert bucket.source == "live"
    assert bucket.address == bucket.arn == "arn:aws:s3:::sales-orders"
    assert (bucket.account, bucket.region) == (ACCOUNT, REGION)
    assert bucket.location is not None
    assert (bucket.location.account, bucket.location.region, bucket.location.arn) == (
        ACCOUNT,
        REGION,
        "arn:aws:s3:::sales-orders",
    )
    assert bucket.data_bearing is True
    assert bucket.tags == {"DataProduct": "orders", "Domain": "sales"}
    assert bucket.encryption is not None
    assert bucket.encryption.model_dump() == {
        "enabled": True,
        "algorithm": "aws:kms",
        "kms_key": key_arn,
        "bucket_key": True,
    }
    assert bucket.versioning is True
    assert bucket.lifecycle is not None
    assert bucket.lifecycle.expiration_days == 365
    assert [(t.days, t.storage_class) for t in bucket.lifecycle.transitions] == [(30, "GLACIER")]
    assert bucket.public_access_blocked is True
    assert bucket.raw["public_access_block"] == ALL_BLOCKED


def test_unconfigured_bucket_reports_every_gap(aws: Moto) -> None:
    _bucket(aws, "scratch-data")

    bucket = _buckets(aws)["scratch-data"]

    assert bucket.encryption is not None and bucket.encryption.enabled is False
    assert bucket.versioning is False
    assert bucket.lifecycle is None
    assert bucket.tags == {}
    assert bucket.public_access_blocked is False
    assert bucket.backup is not None and bucket.backup.plans == []


def test_suspended_versioning_and_partial_public_block(aws: Moto) -> None:
    _bucket(aws, "half-done")
    s3 = aws.client("s3")
    s3.put_bucket_versioning(Bucket="half-done", VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_versioning(Bucket="half-done", VersioningConfiguration={"Status": "Suspended"})
    s3.put_public_access_block(
        Bucket="half-done",
        PublicAccessBlockConfiguration={**ALL_BLOCKED, "RestrictPublicBuckets": False},
    )

    bucket = _buckets(aws)["half-done"]

    assert bucket.versioning is False
    assert bucket.public_access_blocked is False


def test_account_level_public_access_block_covers_buckets(aws: Moto) -> None:
    _bucket(aws, "covered-by-account")
    aws.client("s3control").put_public_access_block(
        AccountId=ACCOUNT, PublicAccessBlockConfiguration=ALL_BLOCKED
    )

    bucket = _buckets(aws)["covered-by-account"]

    assert bucket.public_access_blocked is True
    assert bucket.raw["public_access_block"] is None
    assert bucket.raw["account_public_access_block"] == ALL_BLOCKED


def test_prefixed_lifecycle_rule_does_not_expire_the_whole_bucket(aws: Moto) -> None:
    _bucket(aws, "logs-bucket")
    aws.client("s3").put_bucket_lifecycle_configuration(
        Bucket="logs-bucket",
        LifecycleConfiguration={
            "Rules": [
                {
                    "ID": "tmp",
                    "Status": "Enabled",
                    "Filter": {"Prefix": "tmp/"},
                    "Expiration": {"Days": 7},
                },
                {"ID": "off", "Status": "Disabled", "Filter": {}, "Expiration": {"Days": 1}},
            ]
        },
    )

    bucket = _buckets(aws)["logs-bucket"]

    assert bucket.lifecycle is not None
    assert bucket.lifecycle.expiration_days is None
    assert len(bucket.raw["lifecycle_rules"]) == 2


def test_earliest_whole_bucket_expiration_wins(aws: Moto) -> None:
    _bucket(aws, "two-rules")
    aws.client("s3").put_bucket_lifecycle_configuration(
        Bucket="two-rules",
        LifecycleConfiguration={
            "Rules": [
                {"ID": "a", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 400}},
                {
                    "ID": "b",
                    "Status": "Enabled",
                    "Filter": {"Prefix": ""},
                    "Expiration": {"Days": 90},
                },
            ]
        },
    )

    assert _buckets(aws)["two-rules"].lifecycle.expiration_days == 90  # type: ignore[union-attr]


def test_buckets_outside_the_scanned_regions_are_out_of_scope(aws: Moto) -> None:
    _bucket(aws, "in-ireland")
    _bucket(aws, "in-oregon", "us-west-2")

    only_ireland = _buckets(aws)
    both = _buckets(aws, regions=[REGION, "us-west-2"])

    assert set(only_ireland) == {"in-ireland"}
    assert {name: r.region for name, r in both.items()} == {
        "in-ireland": REGION,
        "in-oregon": "us-west-2",
    }
