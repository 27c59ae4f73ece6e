"""Glue for the built-in policy pack's scenario tests: bundles built from the evidence model,
evaluated by the real embedded engine with the default governance.yaml and the pack's parameters."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from governance.evaluate import get_engine
from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.result import Finding

Evaluate = Callable[[Sequence[Bundle]], list[Finding]]


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_pack(builtin_pack_dirs(), GovernanceConfig())


@pytest.fixture(scope="module")
def evaluate(pack: PolicyPack) -> Evaluate:
    """Evaluate bundles with every Rego policy of the pack; evaluation errors fail the test."""

    def run(bundles: Sequence[Bundle]) -> list[Finding]:
        config = GovernanceConfig()
        engine = get_engine("embedded", pack=pack, workers=1)
        result = engine.evaluate(bundles, pack.rego_policies, config)
        assert result.errors == []
        errors = [f"{f.policy_id}: {f.message}" for f in result.findings if f.status == "error"]
        assert errors == []
        return result.findings

    return run


def failed(findings: Sequence[Finding], product: str) -> dict[str, list[Finding]]:
    """Failures of one product, by policy id."""
    out: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.product == product and finding.status == "fail":
            out.setdefault(finding.policy_id, []).append(finding)
    return out
