"""Structure of the built-in pack: definitions, modules, and tests beside them.

The unit tests themselves run in tests/evaluate/test_builtin_pack.py (the engine's runner).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance.evaluate.pack import PolicyPack
from tests.conftest import REPO
from tests.rules.test_scenarios import CORE

RULES = REPO / "rules_rego"
PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
TEST = re.compile(r"^(test_\w+)\s+if\b", re.MULTILINE)
ASSERTS_A_FINDING = re.compile(r"\.msg\s*==|count\([^)]*deny[^)]*\)\s*==\s*[1-9]|_only\(")


def core_module(pack: PolicyPack, policy_id: str) -> Path:
    package = pack.policy(policy_id).package
    for path in RULES.rglob("*.rego"):
        found = PACKAGE.search(path.read_text())
        if not path.name.endswith("_test.rego") and found and found.group(1) == package:
            return path
    raise AssertionError(f"{policy_id}: no module for package {package}")


def test_every_core_policy_is_defined_as_rego_with_frameworks(pack: PolicyPack) -> None:
    defined = {p.id: p for p in pack.policies}
    assert set(defined) >= CORE
    for policy_id in CORE:
        policy = defined[policy_id]
        assert policy.engine == "rego"
        assert policy.frameworks, policy_id
        assert policy.package and policy.package.startswith("governance."), policy_id


@pytest.mark.parametrize("policy_id", sorted(CORE))
def test_core_module_has_tests_that_expect_findings(pack: PolicyPack, policy_id: str) -> None:
    """A test file beside the module, with passing and failing cases (a policy that cannot fire is
    a defect: a rule whose condition can never hold is silently empty)."""
    module = core_module(pack, policy_id)
    test_file = module.with_name(module.stem + "_test.rego")
    text = test_file.read_text()
    tests = TEST.findall(text)
    assert len(tests) >= 3, test_file
    assert len(tests) == len(set(tests)), f"{test_file}: duplicate test names are OR-ed by Rego"
    assert ASSERTS_A_FINDING.search(text), f"{test_file}: no test asserts a finding"
    assert re.search(r"==\s*set\(\)", text), f"{test_file}: no test asserts a pass"
