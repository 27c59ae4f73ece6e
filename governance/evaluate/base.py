"""The engine interface: bundles in, findings (including pass records) and errors out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.policy import PolicyDefinition
from governance.model.result import Finding, RunError


@dataclass
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    skipped: dict[str, dict[str, str]] = field(default_factory=dict)
    """Policies not evaluated because the evidence they need was not read: bundle id ->
    policy id -> why ("backup not scanned"). Neither a pass nor a finding."""

    def extend(self, other: Evaluation) -> None:
        self.findings.extend(other.findings)
        self.errors.extend(other.errors)
        for bundle, policies in other.skipped.items():
            self.skipped.setdefault(bundle, {}).update(policies)


class Engine(Protocol):
    """One evaluation engine. Implementations must fail closed: a policy that could not be
    evaluated on a bundle yields a finding with status ``error`` (or a RunError), never nothing."""

    name: str

    def evaluate(
        self,
        bundles: Sequence[Bundle],
        policies: Sequence[PolicyDefinition],
        config: GovernanceConfig,
    ) -> Evaluation: ...
