"""Normalising one policy's result into violations, and violations into findings.

Conventions (conftest): ``deny`` and ``warn`` are sets of strings or of objects with at least
``msg`` (OPA returns sets as JSON arrays); optional ``subject``, ``field`` and ``evidence``; any
other keys are kept as evidence. Anything else is a policy bug and becomes an error, never a
silent pass.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any

from governance.model.evidence import Bundle, Location
from governance.model.policy import PolicyDefinition
from governance.model.result import Finding, Status


class ResultError(ValueError):
    """The result does not follow the deny/warn conventions."""


@dataclass(frozen=True)
class Violation:
    msg: str
    subject: str | None = None
    field: str | None = None
    evidence: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class PolicyResult:
    applicable: bool
    deny: list[Violation] = dataclasses.field(default_factory=list)
    warn: list[Violation] = dataclasses.field(default_factory=list)


def _short(value: Any, limit: int = 200) -> str:
    return json.dumps(value, default=str)[:limit]


def _members(kind: str, value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ResultError(
            f"'{kind}' must be a set of strings or objects with 'msg', got {type(value).__name__}"
        )
    return value


def _violation(kind: str, item: Any) -> Violation:
    if isinstance(item, str):
        return Violation(item)
    if not isinstance(item, dict) or not isinstance(item.get("msg"), str):
        raise ResultError(
            f"each '{kind}' member must be a string or an object with a string "
            f"'msg', got {_short(item)}"
        )
    rest = {k: v for k, v in item.items() if k not in ("msg", "subject", "field", "evidence")}
    evidence = item.get("evidence", {})
    if not isinstance(evidence, dict):
        raise ResultError(f"'{kind}' evidence must be an object, got {_short(evidence)}")
    for key in ("subject", "field"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise ResultError(f"'{kind}' {key} must be a string, got {_short(item[key])}")
    return Violation(item["msg"], item.get("subject"), item.get("field"), {**rest, **evidence})


def parse_result(value: Any) -> PolicyResult:
    """One policy's ``{"applicable", "deny", "warn"}`` (from the entry module) -> violations."""
    if not isinstance(value, dict):
        raise ResultError(f"the policy result must be an object, got {_short(value)}")
    applicable = value.get("applicable")
    if not isinstance(applicable, bool):
        raise ResultError(f"'applicable' must be a boolean, got {_short(applicable, 100)}")
    if not applicable:
        return PolicyResult(False)
    deny = [_violation("deny", m) for m in _members("deny", value.get("deny", []))]
    warn = [_violation("warn", m) for m in _members("warn", value.get("warn", []))]
    return PolicyResult(True, deny, warn)


class Locator:
    """Where a violation points: a declared field, a resource, a column, else the product file."""

    def __init__(self, bundle: Bundle) -> None:
        self.bundle = bundle
        self._subjects: dict[str, Location] | None = None

    def _index(self) -> dict[str, Location]:
        if self._subjects is None:
            index: dict[str, Location] = {}
            product = self.bundle.product
            if product is not None:
                for column in product.columns:
                    if column.location is not None:
                        index.setdefault(column.name, column.location)
            for dataset in self.bundle.catalog:
                if dataset.location is not None:
                    index.setdefault(dataset.urn, dataset.location)
            # Resources win over columns of the same name: resource addresses are unambiguous.
            for resource in self.bundle.resources:
                if resource.location is not None:
                    index[resource.address] = resource.location
                    if resource.arn:
                        index[resource.arn] = resource.location
            self._subjects = index
        return self._subjects

    def locate(self, violation: Violation) -> Location | None:
        product = self.bundle.product
        if violation.field and product is not None:
            path = violation.field
            while path:
                if path in product.locations:
                    return product.locations[path]
                path = path.rpartition(".")[0]
        if violation.subject:
            found = self._index().get(violation.subject)
            if found is not None:
                return found
        return product.source if product is not None else None


def finding(
    policy: PolicyDefinition,
    bundle: Bundle,
    status: Status,
    message: str,
    *,
    subject: str | None = None,
    evidence: dict[str, Any] | None = None,
    location: Location | None = None,
) -> Finding:
    return Finding(
        policy_id=policy.id,
        title=policy.title,
        severity=policy.severity,
        status=status,
        product=bundle.id,
        domain=bundle.product.domain if bundle.product else None,
        subject=subject,
        message=message,
        evidence=evidence or {},
        location=location,
        frameworks=list(policy.frameworks),
        remediation=policy.remediation,
        engine="rego",
    )


def violation_finding(
    policy: PolicyDefinition, bundle: Bundle, status: Status, violation: Violation, locator: Locator
) -> Finding:
    return finding(
        policy,
        bundle,
        status,
        violation.msg,
        subject=violation.subject,
        evidence=violation.evidence,
        location=locator.locate(violation),
    )
