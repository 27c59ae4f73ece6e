"""Live AWS evidence: S3, AWS Backup, KMS, Glue, RDS and DynamoDB, read-only.

``scan_aws(AwsScanOptions(...)) -> Evidence`` is the entry point. boto3 is imported only when a
scan runs, so building options (the CLI) stays cheap. Layout: ``options`` (what to scan),
``session`` (credentials, accounts, regions, clients), one module per service, ``runner`` (the
bounded task pool), ``scan`` (orchestration and the backup join), ``drift`` (plan vs live).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.collect.aws.options import AwsScanOptions, collected_types, parse_shard, shard

if TYPE_CHECKING:
    from governance.collect.base import Evidence

__all__ = ["AwsScanOptions", "collected_types", "parse_shard", "scan_aws", "shard"]


def scan_aws(options: AwsScanOptions) -> Evidence:
    """See ``governance.collect.aws.scan.scan_aws``."""
    from governance.collect.aws.scan import scan_aws as run

    return run(options)
