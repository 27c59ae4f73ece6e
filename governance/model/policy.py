"""Policy definitions: the data half of a policy (the Rego half lives in rules_rego/)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse; used for thresholds and sorting."""
        return _RANK[self]


_RANK = {
    Severity.INFO: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}


# live:<service> for each of governance.collect.aws.options.SERVICES (tests/evaluate check it).
Requirement = Literal[
    "catalog",
    "quality",
    "drift",
    "live",
    "live:s3",
    "live:backup",
    "live:kms",
    "live:glue",
    "live:rds",
    "live:dynamodb",
]


class PolicyDefinition(BaseModel):
    """One policy, as declared in ``policies/*.yaml``."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
    title: str
    severity: Severity
    rationale: str
    remediation: str
    frameworks: list[str] = Field(default_factory=list)
    parameters: dict[str, Any] = Field(default_factory=dict)
    """Documented defaults; the organisation overrides them in governance.yaml."""
    package: str | None = None
    """The Rego package implementing it (``rego`` engine), e.g. ``governance.pii.encrypted``."""
    engine: Literal["rego", "gx", "checkov"] = "rego"
    applies_to: Literal["product", "unowned", "all"] = "product"
    """Which bundles it is evaluated on: product bundles, the unowned bundle, or both."""
    requires: list[Requirement] = Field(default_factory=list)
    """Evidence without which the policy cannot apply: the engines skip the query on a bundle
    that lacks it (no finding, as when ``applicable`` is false). ``catalog``: catalog evidence is
    part of the run (``catalog.enabled``); ``quality``, ``drift``: the bundle carries that
    evidence; ``live``: the bundle holds a resource read from a live account. A pre-filter only:
    the Rego ``applicable`` must be false wherever it is unmet (tests/rules check the pack).

    ``live:<service>``: in a live scan, that AWS service must have been read. Unlike the others
    this is a decision Rego cannot make (it never sees what was not scanned): a scan without the
    service reports the policy as not evaluated on the product ("backup not scanned"), since its
    facts would be guessed. Runs on plans are unaffected."""
    needs_raw: bool = False
    """The Rego reads ``input.resources[_].raw``; otherwise raw is left out of the input (speed)."""
    source_file: str | None = Field(default=None, exclude=True)
    source_line: int | None = Field(default=None, exclude=True)
