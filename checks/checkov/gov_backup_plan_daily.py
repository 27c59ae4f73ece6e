"""CKV_GOV_2: an AWS Backup plan must take a recovery point at least every 24 hours.

Checkov only checks that backup vaults are encrypted; the guild's default RPO is one day, so a
plan's most frequent rule must never leave more than 24 hours between two recovery points
(judged on the worst gap of its schedule, see governance.collect.cron). A rule
with continuous backup (point-in-time recovery) meets it; a rule without a schedule never runs.
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck
from governance.collect.cron import CronError, interval_hours

MAX_INTERVAL_HOURS = 24.0


def _one(value: Any) -> Any:
    """Checkov wraps HCL and plan values in one-element lists; unwrap them."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def _rules(conf: dict[str, list[Any]]) -> list[dict[str, Any]]:
    rules = conf.get("rule") or []
    flat = [_one(rule) for rule in rules] if isinstance(rules, list) else [rules]
    return [rule for rule in flat if isinstance(rule, dict)]


class BackupPlanDaily(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(
            name="Ensure an AWS Backup plan takes a recovery point at least every 24 hours",
            id="CKV_GOV_2",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_backup_plan"],
        )

    def scan_resource_conf(self, conf: dict[str, list[Any]]) -> CheckResult:
        self.evaluated_keys = ["rule/[0]/schedule", "rule/[0]/enable_continuous_backup"]
        best: float | None = None
        for rule in _rules(conf):
            if _one(rule.get("enable_continuous_backup")) in (True, "true"):
                return CheckResult.PASSED
            schedule = _one(rule.get("schedule"))
            name = _one(rule.get("rule_name")) or "?"
            if not schedule or not isinstance(schedule, str):
                self.details.append(f"rule {name!r} has no schedule")
                continue
            timezone = _one(rule.get("schedule_expression_timezone"))
            try:
                hours = interval_hours(schedule, timezone if isinstance(timezone, str) else None)
            except CronError as exc:
                self.details.append(f"rule {name!r}: {exc}")
                continue
            best = hours if best is None else min(best, hours)
        if best is not None and best <= MAX_INTERVAL_HOURS:
            return CheckResult.PASSED
        if best is not None:
            self.details.append(
                f"the most frequent rule leaves up to {best:g} h between recovery points"
            )
        elif not self.details:
            self.details.append("the plan has no rule")
        return CheckResult.FAILED


check = BackupPlanDaily()
