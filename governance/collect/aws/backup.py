"""AWS Backup: plans and rules, selections, protected resources and their latest recovery point.

Backup facts are not resources: they are gathered per (account, region) and joined onto the data
resources of that region afterwards (``coverage``), the way AWS Backup applies a regional plan
(``selected_by`` follows the selection logic the Terraform plan collector uses too).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from governance.collect.aws.common import Output, Scope, Task, paginate, where
from governance.collect.cron import CronError, interval_hours
from governance.model.evidence import BackupPlanRef
from governance.model.result import RunError

SERVICE = "backup"
# AWS Backup resource types of the resources this scan collects (ListProtectedResources names).
BACKUP_TYPES = {
    "aws_s3_bucket": "S3",
    "aws_dynamodb_table": "DynamoDB",
    "aws_db_instance": "RDS",
    "aws_rds_cluster": "Aurora",
}
# AWS Backup's own continuous backup exists for these types; for DynamoDB a continuous rule still
# takes scheduled snapshots (DynamoDB's point-in-time recovery is a table setting instead).
_CONTINUOUS_TYPES = {"S3", "RDS", "Aurora"}
# COMPLETED is the older name of AVAILABLE; both mean the recovery point can be restored.
USABLE_STATUSES = {"COMPLETED", "AVAILABLE"}


@dataclass(frozen=True)
class RuleFacts:
    plan_id: str
    plan_name: str
    rule_name: str
    schedule: str | None
    interval_hours: float | None
    retention_days: int | None
    continuous: bool


@dataclass(frozen=True)
class SelectionFacts:
    plan_id: str
    name: str
    resources: tuple[str, ...] = ()
    not_resources: tuple[str, ...] = ()
    tags: tuple[tuple[str, str], ...] = ()
    """``ListOfTags`` as (key, value): a resource carrying any of them is selected."""
    conditions: tuple[tuple[str, str, str], ...] = ()
    """``Conditions`` as (operator, key, value): all must hold."""


@dataclass
class BackupFacts:
    """What AWS Backup knows in one account and region (merged from several tasks)."""

    account: str
    region: str
    rules: list[RuleFacts] = field(default_factory=list)
    selections: list[SelectionFacts] = field(default_factory=list)
    recovery_points: dict[str, datetime] = field(default_factory=dict)
    """Resource ARN -> creation time of its newest usable recovery point."""
    opt_in: dict[str, bool] = field(default_factory=dict)
    """Resource type -> whether AWS Backup may protect it in this region (service opt-in)."""

    def merge(self, other: BackupFacts) -> None:
        self.rules.extend(other.rules)
        self.selections.extend(other.selections)
        for arn, moment in other.recovery_points.items():
            current = self.recovery_points.get(arn)
            if current is None or moment > current:
                self.recovery_points[arn] = moment
        self.opt_in.update(other.opt_in)

    def coverage(
        self, arn: str, tags: Mapping[str, str], resource_type: str
    ) -> list[BackupPlanRef]:
        """The plan rules whose selections pick this resource."""
        backup_type = BACKUP_TYPES.get(resource_type)
        if backup_type is None:
            return []
        opted_in = self.opt_in.get(backup_type, True)
        rules_by_plan: dict[str, list[RuleFacts]] = {}
        for rule in self.rules:
            rules_by_plan.setdefault(rule.plan_id, []).append(rule)
        refs: dict[tuple[str, str], BackupPlanRef] = {}
        for selection in self.selections:
            how = selected_by(selection, arn, tags, opted_in, backup_type)
            if how is None:
                continue
            for rule in rules_by_plan.get(selection.plan_id, []):
                refs.setdefault(
                    (rule.plan_id, rule.rule_name),
                    BackupPlanRef(
                        name=f"{rule.plan_name}/{rule.rule_name}",
                        schedule=rule.schedule,
                        interval_hours=rule.interval_hours,
                        retention_days=rule.retention_days,
                        continuous=rule.continuous and backup_type in _CONTINUOUS_TYPES,
                        selected_by=how,
                    ),
                )
        return sorted(refs.values(), key=lambda r: r.name)


# ------------------------------------------------------------------------------------ selections


@lru_cache(maxsize=4096)
def _pattern(glob: str) -> re.Pattern[str]:
    # AWS Backup patterns only know '*' (any characters, '/' and ':' included).
    return re.compile("^" + ".*".join(re.escape(part) for part in glob.split("*")) + "$", re.DOTALL)


def _glob(glob: str, text: str) -> bool:
    return _pattern(glob).match(text) is not None


def _tag_key(key: str) -> str:
    return key.removeprefix("aws:ResourceTag/")


def _holds(operator: str, key: str, value: str, tags: Mapping[str, str]) -> bool:
    actual = tags.get(_tag_key(key))
    if operator == "StringEquals":
        return actual == value
    if operator == "StringNotEquals":
        return actual != value
    if operator == "StringLike":
        return actual is not None and _glob(value, actual)
    if operator == "StringNotLike":
        return actual is None or not _glob(value, actual)
    return False  # an operator this code does not know selects nothing (never over-credits)


def selected_by(
    selection: SelectionFacts,
    arn: str,
    tags: Mapping[str, str],
    opted_in: bool = True,
    backup_type: str | None = None,
) -> str | None:
    """How the selection picks this resource ("resource", "tag", "condition"), or None.

    AWS semantics: the ``Resources`` patterns are ORed (none given: every supported resource);
    ``ListOfTags`` then narrows to resources with any of the tags, ``Conditions`` to those meeting
    all conditions; ``NotResources`` removes. Service opt-in applies unless the resource or its type
    is named explicitly (Aurora always needs it)."""
    if any(_glob(p, arn) for p in selection.not_resources):
        return None
    matched = [p for p in selection.resources if _glob(p, arn)]
    if selection.resources and not matched:
        return None
    if selection.tags and not any(tags.get(_tag_key(k)) == v for k, v in selection.tags):
        return None
    if not all(_holds(op, key, value, tags) for op, key, value in selection.conditions):
        return None
    # A pattern naming a type (arn:aws:s3:::*) or a resource overrides the opt-in; bare "*" not.
    if not opted_in and (backup_type == "Aurora" or all(p == "*" for p in matched)):
        return None
    if any("*" not in p for p in matched):
        return "resource"  # named by its ARN
    return "tag" if selection.tags else "condition" if selection.conditions else "resource"


def selection_facts(plan_id: str, selection: Mapping[str, Any]) -> SelectionFacts:
    """A ``GetBackupSelection`` ``BackupSelection`` document -> ``SelectionFacts``."""
    conditions = tuple(
        (operator, c["ConditionKey"], c["ConditionValue"])
        for operator, items in (selection.get("Conditions") or {}).items()
        for c in items or []
    )
    return SelectionFacts(
        plan_id=plan_id,
        name=selection.get("SelectionName", ""),
        resources=tuple(selection.get("Resources") or ()),
        not_resources=tuple(selection.get("NotResources") or ()),
        tags=tuple(
            (t["ConditionKey"], t["ConditionValue"])
            for t in selection.get("ListOfTags") or ()
            if t.get("ConditionType", "STRINGEQUALS") == "STRINGEQUALS"
        ),
        conditions=conditions,
    )


def rule_facts(plan_id: str, plan_name: str, rule: Mapping[str, Any]) -> RuleFacts:
    """One plan rule; raises ``CronError`` when its schedule cannot be read."""
    schedule = rule.get("ScheduleExpression")
    interval = (
        interval_hours(schedule, rule.get("ScheduleExpressionTimezone")) if schedule else None
    )
    return RuleFacts(
        plan_id=plan_id,
        plan_name=plan_name,
        rule_name=rule.get("RuleName", ""),
        schedule=schedule,
        interval_hours=interval,
        retention_days=(rule.get("Lifecycle") or {}).get("DeleteAfterDays"),
        continuous=bool(rule.get("EnableContinuousBackup", False)),
    )


# ----------------------------------------------------------------------------------------- tasks


def discover(scope: Scope) -> list[Task]:
    return [Task(SERVICE, scope.account, scope.region, partial(_inventory, scope))]


def _inventory(scope: Scope) -> Output:
    client = scope.client(SERVICE)
    settings = client.describe_region_settings()
    facts = BackupFacts(
        scope.account, scope.region, opt_in=dict(settings.get("ResourceTypeOptInPreference", {}))
    )
    tasks = [
        Task(
            SERVICE,
            scope.account,
            scope.region,
            partial(_plan, scope, plan["BackupPlanId"]),
            subject=plan.get("BackupPlanArn", plan["BackupPlanId"]),
        )
        for plan in paginate(client, "list_backup_plans", "BackupPlansList")
    ]
    wanted = set(BACKUP_TYPES.values())
    tasks += [
        Task(
            SERVICE,
            scope.account,
            scope.region,
            partial(_recovery_points, scope, item["ResourceArn"]),
            subject=item["ResourceArn"],
        )
        for item in paginate(client, "list_protected_resources", "Results")
        if item.get("ResourceType") in wanted
    ]
    return Output(backup=[facts], tasks=tasks)


def _plan(scope: Scope, plan_id: str) -> Output:
    client = scope.client(SERVICE)
    answer = client.get_backup_plan(BackupPlanId=plan_id)
    plan = answer["BackupPlan"]
    name = plan.get("BackupPlanName", plan_id)
    plan_arn = answer.get("BackupPlanArn", plan_id)
    facts = BackupFacts(scope.account, scope.region)
    errors: list[RunError] = []
    for rule in plan.get("Rules", []):
        try:
            facts.rules.append(rule_facts(plan_id, name, rule))
        except CronError as exc:
            # Unreadable schedule: coverage cannot be credited, and the run must say so.
            errors.append(
                RunError(
                    kind="collector",
                    message=f"{plan_arn} rule '{rule.get('RuleName')}': {exc}",
                    where=where(scope.account, scope.region, SERVICE),
                )
            )
    for item in paginate(
        client, "list_backup_selections", "BackupSelectionsList", BackupPlanId=plan_id
    ):
        selection = client.get_backup_selection(
            BackupPlanId=plan_id, SelectionId=item["SelectionId"]
        )
        facts.selections.append(selection_facts(plan_id, selection["BackupSelection"]))
    return Output(backup=[facts], errors=errors)


def _recovery_points(scope: Scope, arn: str) -> Output:
    client = scope.client(SERVICE)
    newest: datetime | None = None
    for point in paginate(
        client, "list_recovery_points_by_resource", "RecoveryPoints", ResourceArn=arn
    ):
        created = point.get("CreationDate")
        if (
            point.get("Status") in USABLE_STATUSES
            and created
            and (newest is None or created > newest)
        ):
            newest = created
    facts = BackupFacts(scope.account, scope.region)
    if newest is not None:
        facts.recovery_points[arn] = newest
    return Output(backup=[facts])
