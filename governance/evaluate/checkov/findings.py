"""Checkov results as governance findings: who owns the resource, how bad it is, where it is.

``policy_id`` is the checkov id and ``subject`` the Terraform address exactly as checkov prints it
(``module.archive.aws_s3_bucket.this``), so waivers and baselines (which key on policy, product
and subject) keep matching across runs and line edits, and a plan finding and the same resource's
HCL finding share a fingerprint.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from governance.collect.files import display_path
from governance.evaluate.checkov.scanner import CheckRecord, HclPosition
from governance.evaluate.checkov.severity import SeverityTable
from governance.model.evidence import UNOWNED, Location
from governance.model.policy import Severity
from governance.model.result import Finding, Status

Owner = tuple[str, str | None]
"""(product id, domain)"""
Owners = Mapping[str, Owner]
TagOwner = Callable[[Mapping[str, str]], Owner | None]

NOT_RUN_POLICY = "GOV-CKV-NOT-RUN"
_INDEX = re.compile(r"\[[^\]]*\]$")


def _shown(path: Path) -> str:
    """display_path resolves the path (system calls); thousands of findings share a few files."""
    return _shown_from(path, Path.cwd())


@lru_cache(maxsize=256)
def _shown_from(path: Path, cwd: Path) -> str:  # cwd: part of the key, display_path depends on it
    return display_path(path)


def owner_key(file: str, address: str) -> str:
    """The file-qualified key run_checkov looks up first (two plans may share an address)."""
    return f"{file}::{address}"


@dataclass(frozen=True)
class Ownership:
    owners: Owners
    tag_owner: TagOwner | None = None

    def of(self, file: str, address: str, tags: Mapping[str, str] | None = None) -> Owner:
        found = self.owners.get(owner_key(file, address)) or self.owners.get(address)
        if found is None and tags and self.tag_owner is not None:
            found = self.tag_owner(tags)
        return found or (UNOWNED, None)


def root_raw_id(address: str) -> str | None:
    """``type.name`` of a root-module managed resource (index stripped); None for modules/data."""
    if address.startswith(("module.", "data.")):
        return None
    return _INDEX.sub("", address)


def _remediation(record: CheckRecord, text: str | None) -> str:
    if text:
        return text
    if record.guideline:
        return f"See {record.guideline}"
    return (
        f"Change the Terraform so that checkov {record.check_id} passes ({record.name}); "
        "to accept the risk, record a governance waiver."
    )


def to_finding(
    record: CheckRecord,
    *,
    source: Literal["plan", "hcl"],
    table: SeverityTable,
    ownership: Ownership,
    hcl: Mapping[str, HclPosition] | None = None,
) -> Finding:
    shown = _shown(record.file)
    product, domain = ownership.of(shown, record.resource, record.tags)
    rating = table.rate(record.check_id)
    start = record.lines[0] if record.lines else None
    location = Location(file=shown, line=start)
    evidence: dict[str, object] = {
        "checkov_check": record.check_id,
        "source": source,
        "file": shown,
    }
    if record.lines:
        evidence["lines"] = list(record.lines)
    if source == "plan" and hcl:
        raw_id = root_raw_id(record.resource)
        position = hcl.get(raw_id) if raw_id else None
        if position is not None:
            location = Location(file=_shown(position.file), line=position.lines[0])
            evidence["hcl"] = {"file": location.file, "lines": list(position.lines)}
    if record.details:
        evidence["details"] = list(record.details)
    if rating.matched:
        evidence["severity_rule"] = rating.matched
    status = Status.PASS if record.passed else Status.FAIL
    verb = "passed" if record.passed else "failed"
    message = f"{record.name}: {verb} on {record.resource}"
    if record.details and not record.passed:
        message += f" ({'; '.join(record.details)})"
    return Finding(
        policy_id=record.check_id,
        title=record.name,
        severity=rating.severity,
        status=status,
        product=product,
        domain=domain,
        subject=record.resource,
        message=message,
        evidence=evidence,
        location=location,
        frameworks=list(rating.frameworks),
        remediation=_remediation(record, rating.remediation),
        engine="checkov",
    )


def not_run_finding(plan: str, resources: int, limit: int, owner: Owner) -> Finding:
    """Said once per product with resources in a plan too large for checkov: never a silent skip."""
    return Finding(
        policy_id=NOT_RUN_POLICY,
        title="Checkov IaC checks not run on a large plan",
        severity=Severity.INFO,
        status=Status.WARN,
        product=owner[0],
        domain=owner[1],
        subject=plan,
        message=(
            f"checkov was not run on {plan}: {resources} resources exceed "
            f"checkov.max_plan_resources ({limit}); the Rego policies still ran"
        ),
        evidence={"file": plan, "resources": resources, "max_plan_resources": limit},
        location=Location(file=plan),
        remediation="Raise checkov.max_plan_resources or set checkov.force: true to run it anyway.",
        engine="checkov",
    )
