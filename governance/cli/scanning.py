"""``scan aws``: live evidence, the same policies, the same reports and exit codes."""

from __future__ import annotations

from pathlib import Path

import click

from governance.cli.common import Evaluation, evaluation_options

_SERVICES = ("s3", "backup", "kms", "glue", "rds", "dynamodb")


@click.group()
def scan() -> None:
    """Collect live cloud evidence and evaluate it."""


@scan.command("aws")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@evaluation_options
@click.option(
    "--profile", "profiles", multiple=True, help="AWS profile, one account each (repeatable)."
)
@click.option(
    "--role-arn", "role_arns", multiple=True, help="Role to assume per account (repeatable)."
)
@click.option("--external-id", default=None, help="External id for the assumed roles.")
@click.option(
    "--region", "regions", multiple=True, help="Region (repeatable) or 'all' enabled ones."
)
@click.option(
    "--endpoint-url", default=None, help="S3-compatible or emulated endpoint for every service."
)
@click.option(
    "--service",
    "services",
    multiple=True,
    type=click.Choice(_SERVICES),
    help="Limit the scan to these services (repeatable). Default: all.",
)
@click.option("--max-workers", type=click.IntRange(1, 256), default=16, show_default=True)
@click.option("--max-attempts", type=click.IntRange(1, 20), default=8, show_default=True)
@click.option("--shard", default=None, help="i/N: scan only shard i of N of the accounts.")
@click.option(
    "--plan",
    "plans",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Terraform plan JSON to compare with what exists (drift; repeatable).",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress display (default: on a TTY)."
)
def scan_aws(
    paths: tuple[Path, ...],
    ev: Evaluation,
    profiles: tuple[str, ...],
    role_arns: tuple[str, ...],
    external_id: str | None,
    regions: tuple[str, ...],
    endpoint_url: str | None,
    services: tuple[str, ...],
    max_workers: int,
    max_attempts: int,
    shard: str | None,
    plans: tuple[Path, ...],
    progress: bool | None,
) -> None:
    """Scan live AWS accounts; PATHS are the data-product manifests resources link to."""
    from governance.collect.aws import AwsScanOptions, parse_shard
    from governance.run import scan as run_scan

    aws = AwsScanOptions(
        profiles=profiles,
        role_arns=role_arns,
        external_id=external_id,
        regions=regions,
        endpoint_url=endpoint_url,
        services=services or _SERVICES,
        max_workers=max_workers,
        max_attempts=max_attempts,
        shard=parse_shard(shard) if shard else None,
        progress=progress,
    )
    ev.finish(run_scan(ev.check_options(paths), aws, plans))
