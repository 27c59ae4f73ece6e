"""Structure of the built-in pack: definitions, modules, tests beside them, regopy-safe Rego.

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
FUNCTION = re.compile(r"^(?:default\s+)?([a-z_]\w*)\(([^)]*)\)\s*(?::=|if\b|=|\{)", re.MULTILINE)
ASSERTS_A_FINDING = re.compile(r"\.msg\s*==|count\([^)]*deny[^)]*\)\s*==\s*[1-9]|_only\(")


def functions(path: Path) -> dict[str, int]:
    return {
        m.group(1): len([a for a in m.group(2).split(",") if a.strip()])
        for m in FUNCTION.finditer(path.read_text())
    }


def arity_clashes(paths: list[Path]) -> list[str]:
    seen: dict[str, dict[int, str]] = {}
    for path in paths:
        for name, arity in functions(path).items():
            seen.setdefault(name, {}).setdefault(arity, path.name)
    return [f"{name}: {uses}" for name, uses in sorted(seen.items()) if len(uses) > 1]


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
    a defect: on regopy a typo silently empties a rule)."""
    module = core_module(pack, policy_id)
    test_file = module.with_name(module.stem + "_test.rego")
    text = test_file.read_text()
    tests = TEST.findall(text)
    assert len(tests) >= 3, test_file
    assert len(tests) == len(set(tests)), f"{test_file}: duplicate test names are OR-ed by Rego"
    assert ASSERTS_A_FINDING.search(text), f"{test_file}: no test asserts a finding"
    assert re.search(r"==\s*set\(\)", text), f"{test_file}: no test asserts a pass"


def test_rule_modules_agree_on_function_arity() -> None:
    """regopy 1.5.2 segfaults compiling two packages that define f(x) and f(x, y)."""
    modules = sorted(p for p in RULES.rglob("*.rego") if not p.name.endswith("_test.rego"))
    assert arity_clashes(modules) == []


@pytest.mark.parametrize("policy_id", sorted(CORE))
def test_core_test_file_agrees_with_the_pack_on_function_arity(
    pack: PolicyPack, policy_id: str
) -> None:
    """Each test file is compiled with every rule module (the engine's test runner does so)."""
    modules = sorted(p for p in RULES.rglob("*.rego") if not p.name.endswith("_test.rego"))
    module = core_module(pack, policy_id)
    assert arity_clashes([*modules, module.with_name(module.stem + "_test.rego")]) == []


def test_arity_lint_finds_a_clash(tmp_path: Path) -> None:
    one = tmp_path / "a.rego"
    one.write_text("package a\n\nf(x) := x\n")
    two = tmp_path / "b.rego"
    two.write_text("package b\n\nf(x, y) := x if {\n\ty\n}\n")
    assert arity_clashes([one, two]) == ["f: {1: 'a.rego', 2: 'b.rego'}"]
