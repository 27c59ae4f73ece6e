"""The quality policies: their Rego unit tests (rules_rego/quality/*_test.rego) and pack entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from opa_bindings import OpaEngine, OpaUndefinedError

from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.model.config import GovernanceConfig

REPO = Path(__file__).resolve().parents[2]
QUALITY = REPO / "rules_rego" / "quality"
_PACKAGE = re.compile(r"^package\s+([\w.]+)", re.MULTILINE)
_TEST = re.compile(r"^(test_\w+)\b", re.MULTILINE)


def rego_tests() -> list[tuple[Path, str]]:
    return [
        (path, name)
        for path in sorted(QUALITY.glob("*_test.rego"))
        for name in _TEST.findall(path.read_text())
    ]


@pytest.mark.parametrize(
    ("test_file", "name"), rego_tests(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_rego_unit_test(test_file: Path, name: str) -> None:
    policy = test_file.with_name(test_file.name.replace("_test.rego", ".rego"))
    match = _PACKAGE.search(test_file.read_text())
    assert match is not None
    with OpaEngine() as engine:  # the policy and its tests alone, on real OPA
        for module in (policy, test_file):
            engine.add_policy(str(module.relative_to(REPO)), module.read_text())
        try:
            value = engine.eval_document(f"{match.group(1)}.{name}")
        except OpaUndefinedError:
            pytest.fail(f"{name} is undefined (a failing condition)")
    assert value is True


def test_every_policy_file_has_tests() -> None:
    tested = {path.name.replace("_test.rego", ".rego") for path in QUALITY.glob("*_test.rego")}
    policies = {
        path.name for path in QUALITY.glob("*.rego") if not path.name.endswith("_test.rego")
    }
    assert policies == tested
    assert len(rego_tests()) >= 20


def test_quality_policies_load_with_the_builtin_pack() -> None:
    pack = load_pack(builtin_pack_dirs(), GovernanceConfig())
    by_id = {p.id: p for p in pack.policies}
    assert by_id["GOV-PII-003"].package == "governance.quality.pii_undeclared"
    assert by_id["GOV-DQ-001"].package == "governance.quality.suites"
    assert by_id["GOV-DQ-001"].parameters == {"min_score": 1.0, "require_sample": False}
