"""Rego unit tests run with `opa test` semantics on real OPA: pass, fail (with the failing
expression and its values), error, compile errors, --run and coverage."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from governance.errors import PolicyError
from governance.evaluate.pack import load_pack
from governance.evaluate.rego.testing import RegoTestResult, TestRun, render_text, run_rego_tests
from governance.model import GovernanceConfig


def _run(directory: Path, **options: object) -> TestRun:
    config = GovernanceConfig()
    pack = load_pack([directory], config)
    return run_rego_tests(
        pack.modules,
        pack.test_modules,
        config,
        pack.rego_policies,
        **options,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def results(fixtures: Path) -> dict[str, RegoTestResult]:
    run = _run(fixtures / "policies" / "regotests")
    return {r.name.rpartition(".")[2]: r for r in run.results}


def test_every_test_rule_is_discovered(results: dict[str, RegoTestResult]) -> None:
    assert sorted(results) == [
        "test_bad_product_denied",
        "test_errors_on_purpose",
        "test_fails_on_purpose",
        "test_good_product_allowed",
        "test_whole_input_mocked",
    ]


def test_passing_and_failing_tests(results: dict[str, RegoTestResult]) -> None:
    assert results["test_bad_product_denied"].status == "pass"
    assert results["test_good_product_allowed"].status == "pass"
    failed = results["test_fails_on_purpose"]
    assert (failed.status, failed.line) == ("fail", 15)
    assert failed.file.endswith("regotests/tested_test.rego")
    assert failed.name == "data.fixtures.tested_test.test_fails_on_purpose"


def test_a_failure_shows_the_failing_expression_its_values_and_prints(
    results: dict[str, RegoTestResult],
) -> None:
    output = results["test_fails_on_purpose"].output
    assert any(line.endswith('denied: {"bad p"}') for line in output), output
    assert any("tested_test.rego:18: failed: count(denied) == 2" in line for line in output)
    assert '    denied = ["bad p"]' in output


def test_runtime_error_is_an_error(results: dict[str, RegoTestResult]) -> None:
    errored = results["test_errors_on_purpose"]
    assert errored.status == "error" and errored.message is not None
    assert "eval_builtin_error" in errored.message


def test_whole_input_mock_works_as_on_opa(results: dict[str, RegoTestResult]) -> None:
    assert results["test_whole_input_mocked"].status == "pass"


def test_run_selects_tests_by_regex(fixtures: Path) -> None:
    run = _run(fixtures / "policies" / "regotests", pattern=re.compile(r"good|bad_product"))
    assert sorted(r.name.rpartition(".")[2] for r in run.results) == [
        "test_bad_product_denied",
        "test_good_product_allowed",
    ]


def test_coverage_is_merged_per_file(fixtures: Path) -> None:
    run = _run(fixtures / "policies" / "regotests", coverage=True)
    assert run.coverage is not None
    by_file = {Path(c.file).name: c for c in run.coverage}
    policy = by_file["tested.rego"]
    assert (policy.covered, policy.not_covered, policy.percent) == (1, 0, 100.0)
    assert 0 < by_file["tested_test.rego"].percent <= 100.0


def test_a_test_module_that_does_not_compile_stops_the_run_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "id: ORG-A-001\ntitle: t\nseverity: low\nrationale: r\nremediation: r\npackage: org.a\n"
    )
    (tmp_path / "a.rego").write_text(
        'package org.a\n\nimport rego.v1\n\ndeny contains "x" if input.bad\n'
    )
    (tmp_path / "broken_test.rego").write_text(
        "package org.b_test\n\nimport rego.v1\n\ntest_broken if {\n\tx == 1\n}\n"
    )
    with pytest.raises(PolicyError) as caught:
        _run(tmp_path)
    assert caught.value.where is not None and str(caught.value.where).endswith("broken_test.rego:6")
    assert "rego_unsafe_var_error" in caught.value.message


def test_render_text_lists_problems_and_totals(results: dict[str, RegoTestResult]) -> None:
    text = render_text(list(results.values()))
    assert "tested_test.rego:15: data.fixtures.tested_test.test_fails_on_purpose: FAIL" in text
    assert text.rstrip().endswith("PASS: 3/5, FAIL: 1, ERROR: 1")
