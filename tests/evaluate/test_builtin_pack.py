"""The built-in policy pack compiles on OPA and its Rego unit tests pass on OPA."""

from __future__ import annotations

import pytest

from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.evaluate.rego.testing import RegoTestResult, run_rego_tests
from governance.model import GovernanceConfig


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_pack(builtin_pack_dirs(), GovernanceConfig())


@pytest.fixture(scope="module")
def results(pack: PolicyPack) -> list[RegoTestResult]:
    config = GovernanceConfig()
    return run_rego_tests(pack.modules, pack.test_modules, config, pack.rego_policies).results


def test_builtin_pack_loads(pack: PolicyPack) -> None:
    assert pack.rego_policies, "the built-in pack has no Rego policies"
    assert pack.test_modules, "the built-in Rego has no unit tests"


def test_every_rego_policy_has_unit_tests(pack: PolicyPack, results: list[RegoTestResult]) -> None:
    tested = {r.name.rpartition(".")[0].removesuffix("_test") for r in results}
    untested = [p.id for p in pack.rego_policies if f"data.{p.package}" not in tested]
    assert untested == []


def test_builtin_rego_unit_tests_pass(results: list[RegoTestResult]) -> None:
    problems = [
        f"{r.where}: {r.name}: {r.status} ({r.message})" for r in results if r.status != "pass"
    ]
    assert problems == []
