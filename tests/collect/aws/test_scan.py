"""Scan scope and failure handling: accounts through roles, shards, regions, concurrency, and
accounts or regions that cannot be read (each a collector error, never silently missing)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from governance.collect.aws import AwsScanOptions, parse_shard, scan_aws, shard
from governance.collect.aws.runner import progress_enabled
from governance.errors import UsageError
from tests.collect.aws.conftest import ACCOUNT, REGION, Moto, post

OTHER_ACCOUNTS = ("111111111111", "222222222222", "333333333333")


def _role(account: str) -> str:
    return f"arn:aws:iam::{account}:role/governance-scanner"


def _seed_account(aws: Moto, account: str, bucket: str) -> None:
    """Create a bucket inside ``account``: moto maps assumed-role credentials to its account."""
    creds = aws.client("sts").assume_role(RoleArn=_role(account), RoleSessionName="seed")[
        "Credentials"
    ]
    s3 = aws.client(
        "s3",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})


def test_roles_scan_one_account_each(aws: Moto) -> None:
    for account in OTHER_ACCOUNTS[:2]:
        _seed_account(aws, account, f"data-{account}")

    evidence = scan_aws(
        aws.options(role_arns=[_role(a) for a in OTHER_ACCOUNTS[:2]], services=["s3"])
    )

    assert evidence.errors == []
    assert {(r.account, r.name) for r in evidence.resources} == {
        ("111111111111", "data-111111111111"),
        ("222222222222", "data-222222222222"),
    }
    assert [i.path for i in evidence.inputs] == [
        f"aws://111111111111/{REGION}",
        f"aws://222222222222/{REGION}",
    ]


def test_shards_partition_the_accounts(aws: Moto) -> None:
    for account in OTHER_ACCOUNTS:
        _seed_account(aws, account, f"data-{account}")
    roles = [_role(a) for a in OTHER_ACCOUNTS]

    seen = []
    for index in range(2):
        evidence = scan_aws(aws.options(role_arns=roles, services=["s3"], shard=(index, 2)))
        assert evidence.errors == []
        accounts = {r.account for r in evidence.resources}
        assert accounts == set(shard(OTHER_ACCOUNTS, index, 2))
        seen.append(accounts)

    assert seen[0] | seen[1] == set(OTHER_ACCOUNTS) and not seen[0] & seen[1]


def test_shard_assignment_is_stable_and_complete() -> None:
    accounts = [f"{n:012d}" for n in range(1, 200)]
    shards = [shard(accounts, i, 4) for i in range(4)]
    assert sorted(a for s in shards for a in s) == sorted(accounts)
    assert all(20 < len(s) < 80 for s in shards)  # balanced in expectation, not exactly
    # Adding accounts never moves an existing one to another shard.
    grown = [shard([*accounts, "999999999999", "888888888888"], i, 4) for i in range(4)]
    assert all(set(old) <= set(new) for old, new in zip(shards, grown, strict=True))
    assert parse_shard("1/4") == (1, 4)
    for bad in ("4/4", "x/2", "1", "1/0"):
        with pytest.raises(UsageError):
            parse_shard(bad)


def test_sequential_and_concurrent_scans_agree(aws: Moto) -> None:
    s3 = aws.client("s3")
    for n in range(12):
        s3.create_bucket(
            Bucket=f"bucket-{n:02d}", CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    aws.client("kms").create_key()

    def dump(workers: int) -> str:
        evidence = scan_aws(aws.options(max_workers=workers, services=["s3", "kms"]))
        assert evidence.errors == []
        return json.dumps([r.model_dump(mode="json") for r in evidence.resources])

    sequential = dump(1)
    assert sequential == dump(8)
    assert sequential.count('"aws_s3_bucket"') == 12


def test_all_regions_means_every_enabled_region(aws: Moto) -> None:
    aws.client("kms", "ap-southeast-2").create_key()

    evidence = scan_aws(aws.options(regions=["all"], services=["kms"], max_workers=8))

    assert evidence.errors == []
    assert [r.region for r in evidence.resources] == ["ap-southeast-2"]
    assert len(evidence.inputs) > 10  # one per enabled region scanned


def test_unreachable_endpoint_is_a_collector_error(aws: Moto) -> None:
    options = aws.options(endpoint_url="http://127.0.0.1:9", max_attempts=1, connect_timeout=1)

    evidence = scan_aws(options)

    assert evidence.resources == []
    (error,) = evidence.errors
    assert error.kind == "collector"
    assert error.where == "aws://profile:dev/sts"
    assert "127.0.0.1:9" in error.message


def test_unreachable_endpoint_names_the_role_account(aws: Moto) -> None:
    options = aws.options(
        endpoint_url="http://127.0.0.1:9",
        max_attempts=1,
        connect_timeout=1,
        role_arns=[_role("111111111111")],
    )

    (error,) = scan_aws(options).errors

    assert error.where == "aws://111111111111/sts"


def test_missing_profile_is_a_collector_error(aws: Moto) -> None:
    (error,) = scan_aws(aws.options(profiles=["no-such-profile"])).errors
    assert error.kind == "collector"
    assert "no-such-profile" in error.message


@pytest.fixture
def enforced_iam(aws: Moto) -> Any:
    """Turn on moto's IAM enforcement for the test (a real AccessDenied), then turn it off."""
    yield aws
    post(f"{aws.url}/moto-api/reset-auth", b"inf")


def _limited_user(aws: Moto, statements: list[dict[str, Any]]) -> dict[str, str]:
    iam = aws.client("iam", "us-east-1")
    iam.create_user(UserName="scanner")
    iam.put_user_policy(
        UserName="scanner",
        PolicyName="scan",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )
    key = iam.create_access_key(UserName="scanner")["AccessKey"]
    return {
        "aws_access_key_id": key["AccessKeyId"],
        "aws_secret_access_key": key["SecretAccessKey"],
    }


def test_access_denied_names_account_region_and_service(
    enforced_iam: Moto, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws = enforced_iam
    aws.client("s3").create_bucket(
        Bucket="visible", CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    aws.client("kms").create_key()
    keys = _limited_user(
        aws, [{"Effect": "Allow", "Action": ["s3:*", "sts:GetCallerIdentity"], "Resource": "*"}]
    )
    config = tmp_path / "limited-config"
    config.write_text(
        f"[profile limited]\nregion = {REGION}\naws_access_key_id = "
        f"{keys['aws_access_key_id']}\naws_secret_access_key = {keys['aws_secret_access_key']}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    post(f"{aws.url}/moto-api/reset-auth", b"0")

    evidence = scan_aws(aws.options(profiles=["limited"], services=["s3", "kms"]))

    assert [r.name for r in evidence.resources] == ["visible"]
    (error,) = evidence.errors
    assert (error.kind, error.where) == ("collector", f"aws://{ACCOUNT}/{REGION}/kms")
    assert "AccessDenied" in error.message


def test_same_account_twice_is_reported(
    aws: Moto, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "two-profiles"
    config.write_text(
        "".join(
            f"[profile {name}]\nregion = {REGION}\n"
            "aws_access_key_id = testing\naws_secret_access_key = testing\n"
            for name in ("one", "two")
        )
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))

    evidence = scan_aws(aws.options(profiles=["one", "two"], services=["kms"]))

    (error,) = evidence.errors
    assert error.kind == "usage" and "named twice" in error.message
    assert len(evidence.inputs) == 1


@pytest.mark.parametrize(
    "options",
    [
        AwsScanOptions(profiles=["a", "b"], role_arns=["arn:aws:iam::111111111111:role/r"]),
        AwsScanOptions(role_arns=["arn:aws:iam::1111:role/r"]),
        AwsScanOptions(role_arns=["arn:aws:s3:::bucket"]),
        AwsScanOptions(regions=["all", "eu-west-1"]),
        AwsScanOptions(services=["ec2"]),
        AwsScanOptions(max_workers=0),
        AwsScanOptions(shard=(2, 2)),
    ],
)
def test_unusable_options_are_usage_errors(options: AwsScanOptions) -> None:
    with pytest.raises(UsageError):
        scan_aws(options)


def test_progress_display_only_on_interactive_terminals(monkeypatch: pytest.MonkeyPatch) -> None:
    assert progress_enabled(True) is True
    assert progress_enabled(False) is False
    monkeypatch.setenv("CI", "true")
    assert progress_enabled(None) is False


def test_one_unreadable_bucket_is_an_error_naming_it(
    enforced_iam: Moto, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws = enforced_iam
    for name in ("readable", "locked"):
        aws.client("s3").create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
    keys = _limited_user(
        aws,
        [
            {"Effect": "Allow", "Action": ["s3:*", "sts:GetCallerIdentity"], "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:GetBucketTagging", "Resource": "arn:aws:s3:::locked"},
        ],
    )
    config = tmp_path / "limited-config"
    config.write_text(
        f"[profile limited]\nregion = {REGION}\naws_access_key_id = "
        f"{keys['aws_access_key_id']}\naws_secret_access_key = {keys['aws_secret_access_key']}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    post(f"{aws.url}/moto-api/reset-auth", b"0")

    evidence = scan_aws(aws.options(profiles=["limited"], services=["s3"]))

    # The locked bucket is not reported with guessed settings: it is an error naming it.
    assert [r.name for r in evidence.resources] == ["readable"]
    (error,) = evidence.errors
    assert error.where == f"aws://{ACCOUNT}/s3"
    assert error.message.startswith("locked: s3: GetBucketTagging: AccessDenied")
