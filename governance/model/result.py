"""The result model (JSON report ``schema_version`` "1"). Renderers read it; nothing else decides.

The verdict lives here, computed from findings and errors (``RunResult.decide``), so every output
format and the exit code agree by construction.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from governance.model.evidence import Location
from governance.model.policy import Severity

SCHEMA_VERSION = "1"


class Status(StrEnum):
    FAIL = "fail"
    WARN = "warn"
    PASS = "pass"
    ERROR = "error"
    WAIVED = "waived"


class Verdict(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"

    @property
    def exit_code(self) -> int:
        return {Verdict.PASS: 0, Verdict.FAIL: 1, Verdict.ERROR: 2}[self]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WaiverRef(_Model):
    id: str
    reason: str
    approved_by: str
    expires: date


class Finding(_Model):
    """One evaluation outcome: a failure, a warning, a pass record, an error or a waived failure."""

    policy_id: str
    title: str
    severity: Severity
    status: Status
    product: str
    domain: str | None = None
    subject: str | None = None
    """Resource address/ARN or column the finding is about (None: the product as a whole)."""
    message: str
    evidence: dict[str, Any] = Field(default_factory=dict)
    location: Location | None = None
    frameworks: list[str] = Field(default_factory=list)
    remediation: str | None = None
    waiver: WaiverRef | None = None
    engine: Literal["rego", "gx", "checkov"] = "rego"
    baseline: bool = False
    """True when the failure is accepted by the baseline (kept in reports, not in the verdict)."""

    @property
    def fingerprint(self) -> str:
        """Stable across runs and edits: policy, product, subject; never line numbers."""
        key = "\x1f".join([self.policy_id, self.product, self.subject or ""])
        return hashlib.sha256(key.encode()).hexdigest()[:32]


class RunError(_Model):
    """Something that could not be evaluated faithfully. Any error makes the verdict ``error``."""

    kind: str
    message: str
    where: str | None = None
    """``file:line:column`` or a source name (policy id, account/region, URL)."""
    product: str | None = None
    policy_id: str | None = None


class InputFile(_Model):
    path: str
    sha256: str
    kind: str


class ToolInfo(_Model):
    name: str = "governance"
    version: str


class RunInfo(_Model):
    id: str
    command: str = "check"
    started_at: datetime
    finished_at: datetime | None = None
    inputs: list[InputFile] = Field(default_factory=list)
    fail_on: str = "high"
    engine: str = "embedded"


ProductStatus = Literal["pass", "fail", "warn", "error", "not_evaluated"]
"""``pass``/``warn``: compliant; ``fail``; ``error``: some of its evidence or an evaluation failed;
``not_evaluated``: no policy applied to its evidence (never compliant)."""

COMPLIANT: tuple[ProductStatus, ...] = ("pass", "warn")


class ProductSummary(_Model):
    id: str
    domain: str | None = None
    status: ProductStatus
    score: float | None = None
    """Share of applicable evaluations that passed or were waived, 0..1; None when nothing was
    evaluated (an error before evaluation, or no policy applied)."""
    counts: dict[str, int] = Field(default_factory=dict)
    reason: str | None = None
    """Why the product is ``error`` or ``not_evaluated`` (the first error, or what was missing)."""
    not_evaluated: dict[str, str] = Field(default_factory=dict)
    """Policies not evaluated on it, policy id -> why ("backup not scanned": a live scan did not
    read the evidence they need). They are no pass and count in no score; the product is judged
    on the rest, or is ``not_evaluated`` when nothing else applied."""


class UncoveredType(_Model):
    """Data-bearing resources of one provider and type that no policy of the pack reads."""

    provider: str
    type: str
    count: int
    products: list[str] = Field(default_factory=list)


class Summary(_Model):
    by_status: dict[str, int] = Field(default_factory=dict)
    by_severity: dict[str, int] = Field(default_factory=dict)
    """Failures (fail status, not waived/baselined) per severity."""
    products: int = 0
    domains: int = 0
    compliant_products: int = 0
    product_status: dict[str, int] = Field(default_factory=dict)
    """Products (the unowned bundle excluded) per status: pass, warn, fail, error, not_evaluated."""


class WaiverReport(_Model):
    """Waivers that did not apply: expired ones and stale ones that matched nothing."""

    id: str
    state: Literal["expired", "stale"]
    expires: date | None = None
    policy: str | None = None
    message: str


class TrendPoint(_Model):
    """Compliance of one stored run, mesh-wide (``domain`` None) or for one domain."""

    run_id: str
    started_at: datetime
    domain: str | None = None
    products: int
    compliant: int
    score: float
    """Share of compliant products (mesh) or mean product score (domain), 0..1."""


class RunResult(_Model):
    schema_version: str = SCHEMA_VERSION
    tool: ToolInfo
    run: RunInfo
    verdict: Verdict = Verdict.ERROR
    summary: Summary = Field(default_factory=Summary)
    products: list[ProductSummary] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    errors: list[RunError] = Field(default_factory=list)
    waivers: list[WaiverReport] = Field(default_factory=list)
    fixed: list[str] = Field(default_factory=list)
    """Baseline fingerprints no longer failing."""
    trend: list[TrendPoint] = Field(default_factory=list)
    """Compliance over the recent stored runs (oldest first), read from the history database
    when the run is stored there; empty otherwise."""
    uncovered: list[UncoveredType] = Field(default_factory=list)
    """Coverage: data-bearing resources no policy reads, by provider and type."""

    def blocking(self, fail_on: str) -> list[Finding]:
        """Unwaived, non-baselined failures at or above the threshold (``never`` blocks nothing)."""
        if fail_on == "never":
            return []
        threshold = Severity(fail_on).rank
        return [
            f
            for f in self.findings
            if f.status is Status.FAIL and not f.baseline and f.severity.rank >= threshold
        ]

    def compute_verdict(self) -> Verdict:
        """Fail closed: any error (run-level or an evaluation in error) outranks every failure."""
        if self.errors or any(f.status is Status.ERROR for f in self.findings):
            return Verdict.ERROR
        if self.blocking(self.run.fail_on):
            return Verdict.FAIL
        return Verdict.PASS
