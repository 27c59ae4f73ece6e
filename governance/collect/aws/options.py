"""What a live AWS scan covers and how hard it may push: the options, and account sharding.

Nothing here imports boto3: the CLI builds ``AwsScanOptions`` without paying for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from governance.errors import UsageError, Where

ALL_REGIONS = "all"
SERVICES = ("s3", "backup", "kms", "glue", "rds", "dynamodb")
SERVICE_TYPES: dict[str, tuple[str, ...]] = {
    "s3": ("aws_s3_bucket",),
    "backup": (),  # coverage facts joined onto the other services' resources
    "kms": ("aws_kms_key",),
    "glue": ("aws_glue_catalog_database", "aws_glue_catalog_table"),
    "rds": ("aws_db_instance", "aws_rds_cluster"),
    "dynamodb": ("aws_dynamodb_table",),
}
"""Resource types each service yields (Terraform type names, so plan and live evidence align)."""


def collected_types(services: Sequence[str] = SERVICES) -> set[str]:
    """The resource types a scan of ``services`` can find (drift: what "missing" may mean)."""
    return {t for s in services for t in SERVICE_TYPES.get(s, ())}


@dataclass
class AwsScanOptions:
    profiles: Sequence[str] = ()
    """Named profiles, one account each. Without profiles or roles: the default credential chain."""
    role_arns: Sequence[str] = ()
    """Roles assumed through STS, one per account. With roles, at most one profile may be given:
    it supplies the credentials that assume them (a hub account), and is not scanned itself."""
    external_id: str | None = None
    regions: Sequence[str] = ()
    """Regions to scan; ``all``: every region enabled in each account; empty: the profile's."""
    endpoint_url: str | None = None
    """An S3-compatible or emulated endpoint (moto, LocalStack) used for every service."""
    services: Sequence[str] = SERVICES
    max_workers: int = 16
    """Concurrent API calls across accounts, regions and resources (1 = sequential)."""
    max_attempts: int = 8
    """Per call, with botocore's adaptive retry mode (client-side rate limiting on throttling)."""
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    shard: tuple[int, int] | None = None
    """``(i, n)``: scan only the accounts that ``shard`` assigns to shard i of n."""
    progress: bool | None = None
    """Show a progress display; None = only on an interactive terminal outside CI."""
    now: datetime | None = None
    """Reference time for recovery-point ages (tests); None = the current time, UTC."""
    session_hook: Callable[[Any], None] | None = field(default=None, repr=False)
    """Called with each boto3 Session the scan creates (instrumentation: call counts, stand-ins)."""

    def validate(self) -> None:
        if self.role_arns and len(self.profiles) > 1:
            raise UsageError(
                "with --role-arn give at most one --profile: the credentials that assume the roles"
            )
        unknown = sorted(set(self.services) - set(SERVICES))
        if unknown:
            raise UsageError(
                f"unknown AWS service(s) {', '.join(unknown)} (choose from {', '.join(SERVICES)})"
            )
        if self.max_workers < 1:
            raise UsageError("--max-workers must be at least 1")
        if self.max_attempts < 1:
            raise UsageError("--max-attempts must be at least 1")
        if ALL_REGIONS in self.regions and len(self.regions) > 1:
            raise UsageError(f"--region {ALL_REGIONS} cannot be combined with named regions")
        for arn in self.role_arns:
            role_account(arn)
        if self.shard is not None:
            index, count = self.shard
            if count < 1 or not 0 <= index < count:
                raise UsageError(f"--shard {index}/{count}: expected i/N with 0 <= i < N")


def role_account(role_arn: str) -> str:
    """The account id inside ``arn:<partition>:iam::<account>:role/<name>``."""
    parts = role_arn.split(":")
    if (
        len(parts) != 6
        or parts[0] != "arn"
        or parts[2] != "iam"
        or not parts[5].startswith("role/")
    ):
        raise UsageError(
            "not an IAM role ARN (arn:aws:iam::<account>:role/<name>)", Where(source=role_arn)
        )
    if not (parts[4].isdigit() and len(parts[4]) == 12):
        raise UsageError("the account id in a role ARN has 12 digits", Where(source=role_arn))
    return parts[4]


# ----------------------------------------------------------------------------------------- shards


def _shard_of(account: str, count: int) -> int:
    # A hash, not round-robin over a sorted list: each account's shard depends on its id alone, so
    # adding an account never moves the others (per-shard history stays comparable) and a shard
    # can be decided before the full account list is known (profiles resolve lazily).
    digest = hashlib.sha256(account.encode()).digest()
    return int.from_bytes(digest[:8], "big") % count


def in_shard(account: str, index: int, count: int) -> bool:
    return _shard_of(account, count) == index


def shard(accounts: Iterable[str], index: int, count: int) -> list[str]:
    """The accounts shard ``index`` of ``count`` scans, in their given order. Every account lands in
    exactly one shard; shards are balanced in expectation (hashing), not exactly."""
    if count < 1 or not 0 <= index < count:
        raise UsageError(f"shard {index}/{count}: expected 0 <= i < N")
    return [a for a in accounts if in_shard(a, index, count)]


def parse_shard(text: str) -> tuple[int, int]:
    """``"i/N"`` (0-based i) -> ``(i, N)``."""
    index, sep, count = text.partition("/")
    if not sep or not index.strip().isdigit() or not count.strip().isdigit():
        raise UsageError(f"--shard '{text}': expected i/N, e.g. 0/4")
    result = (int(index), int(count))
    if result[1] < 1 or result[0] >= result[1]:
        raise UsageError(f"--shard '{text}': expected 0 <= i < N")
    return result
