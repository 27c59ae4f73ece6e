"""AWS Backup: which resources each backup plan covers, and how often it runs.

Every ``aws_backup_plan`` rule becomes a ``BackupPlanRef`` with its worst-case interval between
runs; every ``aws_backup_selection`` assigns its plan's rules to resources, following AWS's
selection logic: the ``resources`` ARNs (or configuration references such as
``aws_s3_bucket.b.arn``; ``*`` wildcards allowed) are ORed, then narrowed by ``selection_tag``
(any listed tag) and by ``condition`` (all conditions), minus ``not_resources``; a selection that
names nothing selects every supported resource. The result lands on each resource as
``BackupCoverage``.

At plan time a new resource's ARN is unknown, so a literal ARN pattern can only match resources
whose ARN is known (existing ones, and S3 buckets, whose ARN follows from the name). Unknown
selection inputs never widen coverage: what cannot be proven covered is not reported covered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from governance.collect.cron import CronError, interval_hours
from governance.collect.tfplan.build import Build
from governance.collect.tfplan.document import Entry
from governance.collect.tfplan.values import (
    as_bool,
    as_int,
    block,
    blocks,
    text,
    unknown_at,
    unknown_path,
)
from governance.errors import InputError, Where
from governance.model.evidence import BackupCoverage, BackupPlanRef, Resource

PLAN = "aws_backup_plan"
SELECTION = "aws_backup_selection"
# When a rule has no schedule, AWS Backup runs it daily at 05:00 UTC.
DEFAULT_SCHEDULE = "cron(0 5 ? * * *)"

# Resource types AWS Backup can protect (what tag- and wildcard-based selections can pick up).
SUPPORTED = frozenset(
    {
        "aws_s3_bucket",
        "aws_dynamodb_table",
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
        "aws_redshift_cluster",
        "aws_efs_file_system",
        "aws_ebs_volume",
        "aws_instance",
        "aws_fsx_lustre_file_system",
        "aws_fsx_windows_file_system",
        "aws_fsx_ontap_file_system",
        "aws_fsx_openzfs_file_system",
        "aws_timestreamwrite_table",
        "aws_timestream_table",
    }
)
# Continuous backup (point-in-time restore) exists for S3 and RDS/Aurora only; a continuous rule
# covering anything else falls back to its scheduled snapshots.
CONTINUOUS = frozenset({"aws_s3_bucket", "aws_db_instance", "aws_rds_cluster"})
_CONDITION_TAG = "aws:resourcetag/"


def _plan_rules(entry: Entry, build: Build) -> list[BackupPlanRef]:
    values = entry.values
    plan_name = text(values.get("name")) or entry.address
    rules = blocks(values, "rule")
    if not rules:
        return [BackupPlanRef(name=plan_name)]
    refs = []
    for i, rule in enumerate(rules):
        rule_name = text(rule.get("rule_name")) or str(i)
        schedule = rule.get("schedule")
        interval = None
        if not isinstance(schedule, str) or not schedule:
            unknown = unknown_at(unknown_path(entry.unknown, "rule", i), "schedule")
            schedule = None if unknown else DEFAULT_SCHEDULE
        if schedule is not None:
            try:
                interval = interval_hours(schedule, text(rule.get("schedule_expression_timezone")))
            except CronError as exc:
                line = build.lines.get(entry.address, (None, None))[0]
                raise InputError(
                    f"{entry.address}: rule '{rule_name}': {exc}", Where(build.file, line)
                ) from exc
        refs.append(
            BackupPlanRef(
                name=f"{plan_name}/{rule_name}",
                schedule=schedule,
                interval_hours=interval,
                retention_days=as_int((block(rule, "lifecycle") or {}).get("delete_after")),
                continuous=as_bool(rule.get("enable_continuous_backup")) is True,
            )
        )
    return refs


@dataclass
class _Index:
    resources: dict[str, Resource]
    by_arn: dict[str, str] = field(default_factory=dict)
    by_tag: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    supported: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for address, resource in self.resources.items():
            if resource.arn:
                self.by_arn[resource.arn] = address
            if resource.type in SUPPORTED:
                self.supported.append(address)
                for item in resource.tags.items():
                    self.by_tag[item].append(address)

    def arns(self, patterns: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for pattern in patterns:
            if pattern == "*":
                found.update(self.supported)
            elif "*" in pattern:
                found.update(a for arn, a in self.by_arn.items() if fnmatchcase(arn, pattern))
            elif pattern in self.by_arn:
                found.add(self.by_arn[pattern])
        return found


def _literals(values: dict[str, Any], key: str) -> list[str]:
    items = values.get(key)
    return [i for i in items if isinstance(i, str) and i] if isinstance(items, list) else []


def _matches(tags: dict[str, str], conditions: list[tuple[str, str, str]]) -> bool:
    for operator, key, value in conditions:
        actual = tags.get(key)
        if operator == "string_equals" and actual != value:
            return False
        if operator == "string_not_equals" and actual == value:
            return False
        if operator == "string_like" and (actual is None or not fnmatchcase(actual, value)):
            return False
        if operator == "string_not_like" and actual is not None and fnmatchcase(actual, value):
            return False
    return True


def _conditions(values: dict[str, Any]) -> list[tuple[str, str, str]]:
    found = []
    for condition in blocks(values, "condition"):
        for operator in ("string_equals", "string_not_equals", "string_like", "string_not_like"):
            for item in blocks(condition, operator):
                key, value = text(item.get("key")), item.get("value")
                if key is None or not isinstance(value, str):
                    continue
                if key.lower().startswith(_CONDITION_TAG):
                    key = key[len(_CONDITION_TAG) :]
                found.append((operator, key, value))
    return found


def _select(entry: Entry, build: Build, index: _Index) -> dict[str, str]:
    """Resources a selection assigns, each with how it was selected (resource|tag|condition)."""
    values = entry.values
    explicit = {a for a in build.refs(entry, "resources") if a in index.resources}
    literal = _literals(values, "resources")
    explicit |= index.arns(p for p in literal if p != "*")
    named = bool(explicit) or bool(literal) or unknown_at(entry.unknown, "resources")
    tag_blocks = blocks(values, "selection_tag")
    tags = {
        (str(t.get("key")), str(t.get("value")))
        for t in tag_blocks
        if str(t.get("type") or "STRINGEQUALS").upper() == "STRINGEQUALS"
        and t.get("key") is not None
    }
    tagged = {a for item in tags for a in index.by_tag.get(item, ())}
    conditions = _conditions(values)
    # Never materialise "every supported resource" unless the selection really says so: a
    # thousand tag-based selections over 50k resources must stay cheap.
    if named:
        chosen = explicit | (set(index.supported) if "*" in literal else set())
        if tag_blocks:
            chosen &= tagged
    elif tag_blocks:
        chosen = tagged
    else:
        equals = [(k, v) for op, k, v in conditions if op == "string_equals"]
        chosen = set(index.by_tag.get(equals[0], ())) if equals else set(index.supported)
    if conditions:
        chosen = {a for a in chosen if _matches(index.resources[a].tags, conditions)}
    excluded = {a for a in build.refs(entry, "not_resources") if a in index.resources}
    excluded |= index.arns(_literals(values, "not_resources"))
    chosen -= excluded
    how = "tag" if tag_blocks else "condition" if conditions else "resource"
    return {a: ("resource" if a in explicit else how) for a in chosen}


def join_backups(resources: dict[str, Resource], entries: dict[str, Entry], build: Build) -> None:
    """Attach ``BackupCoverage`` to every resource a backup selection in the plan covers."""
    plans = {a: _plan_rules(e, build) for a, e in entries.items() if e.type == PLAN}
    selections = [e for e in entries.values() if e.type == SELECTION]
    if not selections:
        return
    plan_by_id = {
        text(entries[a].values.get("id")): a for a in plans if text(entries[a].values.get("id"))
    }
    index = _Index(resources)
    covered: dict[str, dict[str, BackupPlanRef]] = defaultdict(dict)
    for entry in selections:
        targets = [a for a in build.refs(entry, "plan_id") if a in plans]
        plan_id = text(entry.values.get("plan_id"))
        if not targets and plan_id in plan_by_id:
            targets = [plan_by_id[plan_id]]
        # A plan defined outside this configuration: covered, but the schedule is not provable.
        rules = [r for t in targets for r in plans[t]] or [
            BackupPlanRef(name=plan_id or f"{entry.address}:plan")
        ]
        for address, how in _select(entry, build, index).items():
            continuous_ok = resources[address].type in CONTINUOUS
            for rule in rules:
                if rule.name in covered[address]:
                    continue
                # A fresh model per resource (pydantic's model_copy is ~20x slower than this).
                fields = {**rule.__dict__, "selected_by": how}
                fields["continuous"] = rule.continuous and continuous_ok
                covered[address][rule.name] = BackupPlanRef(**fields)
    for address, refs in covered.items():
        plan_refs = list(refs.values())
        resources[address].backup = BackupCoverage(
            plans=plan_refs, continuous=any(r.continuous for r in plan_refs)
        )
