"""``scan_aws``: live AWS evidence for every account and region in scope, normalised to
``Resource`` (source "live", address = ARN), with one run error per scope that could not be read.
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from datetime import UTC, datetime
from functools import partial
from types import ModuleType

from governance.collect.aws import backup, dynamodb, glue, kms, rds, s3
from governance.collect.aws.backup import BackupFacts
from governance.collect.aws.common import Output, Scope, Task, age_hours, where
from governance.collect.aws.options import AwsScanOptions, in_shard, role_account
from governance.collect.aws.runner import RichProgress, progress_enabled, run_tasks
from governance.collect.aws.session import AccountSpec, SessionPool, account_specs, resolve_account
from governance.collect.base import Evidence
from governance.model.evidence import BackupCoverage, Resource
from governance.model.result import InputFile, RunError

_REGIONAL: dict[str, ModuleType] = {
    "backup": backup,
    "kms": kms,
    "glue": glue,
    "rds": rds,
    "dynamodb": dynamodb,
}


def _account_task(spec: AccountSpec, options: AwsScanOptions, pool: SessionPool) -> Output:
    target, regions = resolve_account(spec, options, pool)
    if options.shard is not None and not in_shard(target.account, *options.shard):
        return Output()  # another shard's account (profiles are only known after STS answers)
    tasks: list[Task] = []
    for service in options.services:
        if service == "s3":
            tasks += s3.discover(target, regions)
        else:
            for region in regions:
                tasks += _REGIONAL[service].discover(Scope(target, region))
    return Output(
        tasks=tasks, account=target.account, scopes=[(target.account, r) for r in regions]
    )


class _Scan:
    """Everything the tasks produced, gathered on the main thread."""

    def __init__(self) -> None:
        self.resources: list[Resource] = []
        self.errors: list[RunError] = []
        self.backup: dict[tuple[str, str], BackupFacts] = {}
        self.restorable: dict[str, datetime] = {}
        self.accounts: dict[str, str] = {}
        self.scopes: list[tuple[str, str]] = []

    def accept(self, task: Task, output: Output) -> list[Task]:
        self.errors.extend(output.errors)
        if output.account is not None:
            first = self.accounts.get(output.account)
            if first is not None:
                self.errors.append(
                    RunError(
                        kind="usage",
                        message=f"account {output.account} is named twice "
                        f"({first} and {task.account}); scanned once",
                        where=where(output.account),
                    )
                )
                return []
            self.accounts[output.account] = task.account
        self.scopes.extend(output.scopes)
        self.resources.extend(output.resources)
        self.restorable.update(output.restorable)
        for facts in output.backup:
            known = self.backup.get((facts.account, facts.region))
            if known is None:
                self.backup[(facts.account, facts.region)] = facts
            else:
                known.merge(facts)
        return output.tasks

    def detail(self) -> str:
        return (
            f"{len(self.accounts)} accounts, {len(self.resources)} resources, "
            f"{len(self.errors)} errors"
        )


def _join_backup(scan: _Scan, now: datetime) -> None:
    """Attach plan coverage and the newest recovery point (AWS Backup or native PITR)."""
    for resource in scan.resources:
        if not resource.data_bearing or resource.backup is None or resource.arn is None:
            continue
        facts = scan.backup.get((resource.account or "", resource.region or ""))
        plans = facts.coverage(resource.arn, resource.tags, resource.type) if facts else []
        moments = [
            m
            for m in (
                facts.recovery_points.get(resource.arn) if facts else None,
                scan.restorable.get(resource.arn),
            )
            if m is not None
        ]
        resource.backup = BackupCoverage(
            plans=plans,
            continuous=resource.backup.continuous or any(p.continuous for p in plans),
            last_recovery_point_age_hours=age_hours(max(moments), now) if moments else None,
        )


def _inputs(scan: _Scan) -> list[InputFile]:
    """One input per (account, region): a hash of exactly what was collected there (history)."""
    by_scope: dict[tuple[str, str], list[Resource]] = {s: [] for s in scan.scopes}
    for resource in scan.resources:
        by_scope.setdefault((resource.account or "", resource.region or ""), []).append(resource)
    inputs = []
    for (account, region), resources in sorted(by_scope.items()):
        digest = hashlib.sha256()
        for resource in resources:
            digest.update(resource.model_dump_json().encode())
        inputs.append(
            InputFile(path=f"aws://{account}/{region}", sha256=digest.hexdigest(), kind="aws")
        )
    return inputs


def scan_aws(options: AwsScanOptions) -> Evidence:
    """Collect live evidence. Never raises for an unreadable account, region or resource: each
    becomes a ``RunError`` of kind "collector" (verdict "error"); raises ``UsageError`` for options
    that cannot work."""
    options.validate()
    now = options.now or datetime.now(UTC)
    pool = SessionPool(options.session_hook)
    specs = [
        s
        for s in account_specs(options)
        # Roles name their account: skip other shards' accounts before any API call.
        if options.shard is None
        or s.kind != "role"
        or in_shard(role_account(str(s.name)), *options.shard)
    ]
    initial = [
        Task("sts", spec.label, None, partial(_account_task, spec, options, pool)) for spec in specs
    ]
    scan = _Scan()
    display = RichProgress() if progress_enabled(options.progress) else None
    with display or nullcontext():
        run_tasks(initial, options.max_workers, scan.accept, display, scan.detail)
    _join_backup(scan, now)
    scan.resources.sort(key=lambda r: (r.account or "", r.region or "", r.type, r.address))
    scan.errors.sort(key=lambda e: (e.where or "", e.message))
    return Evidence(resources=scan.resources, errors=scan.errors, inputs=_inputs(scan))
