"""Rego unit tests run like `opa test`: pass, fail, error, and isolation from crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.evaluate.pack import load_pack
from governance.evaluate.rego.regotest import RegoTestResult, render_text, run_rego_tests
from governance.model import GovernanceConfig


@pytest.fixture(scope="module")
def results(fixtures: Path) -> dict[str, RegoTestResult]:
    config = GovernanceConfig()
    pack = load_pack([fixtures / "policies" / "regotests"], config)
    found = run_rego_tests(pack.modules, pack.test_modules, config, pack.rego_policies)
    return {r.name.rpartition(".")[2]: r for r in found}


def test_every_test_rule_is_discovered_from_source(results: dict[str, RegoTestResult]) -> None:
    assert sorted(results) == sorted(
        [
            "test_bad_product_denied",
            "test_good_product_allowed",
            "test_fails_on_purpose",
            "test_errors_on_purpose",
            "test_crashes_the_engine",
            "test_runs_after_the_crash",
            "test_whole_input_mocked",
        ]
    )


def test_passing_and_failing_tests(results: dict[str, RegoTestResult]) -> None:
    assert results["test_bad_product_denied"].status == "pass"
    assert results["test_good_product_allowed"].status == "pass"
    failed = results["test_fails_on_purpose"]
    assert (failed.status, failed.line) == ("fail", 15)
    assert failed.file.endswith("regotests/tested_test.rego")
    assert failed.name == "data.fixtures.tested_test.test_fails_on_purpose"


def test_runtime_error_is_an_error(results: dict[str, RegoTestResult]) -> None:
    errored = results["test_errors_on_purpose"]
    assert errored.status == "error" and errored.message is not None
    assert "eval_builtin_error" in errored.message


def test_a_crashing_test_is_an_error_and_the_others_still_run(
    results: dict[str, RegoTestResult],
) -> None:
    crashed = results["test_crashes_the_engine"]
    assert crashed.status == "error" and "SIGSEGV" in str(crashed.message)
    assert results["test_runs_after_the_crash"].status == "pass"


def test_whole_input_mock_is_refused_with_the_rewrite(results: dict[str, RegoTestResult]) -> None:
    refused = results["test_whole_input_mocked"]
    assert refused.status == "error"
    assert "crashing_test.rego:9:" in str(refused.message)
    assert "with input.product as" in str(refused.message)


def test_unloadable_test_module_errors_only_its_own_tests(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "id: ORG-A-001\ntitle: t\nseverity: low\nrationale: r\nremediation: r\npackage: org.a\n"
    )
    (tmp_path / "a.rego").write_text(
        'package org.a\n\nimport rego.v1\n\ndeny contains "x" if input.bad\n'
    )
    (tmp_path / "good_test.rego").write_text(
        "package org.a_test\n\nimport rego.v1\n\nimport data.org.a\n\n"
        'test_denied if {\n\ta.deny == {"x"} with input.bad as true\n}\n'
    )
    (tmp_path / "broken_test.rego").write_text(
        "package org.b_test\n\nimport rego.v1\n\ntest_broken if {\n\tx := 1 +\n}\n"
    )
    config = GovernanceConfig()
    pack = load_pack([tmp_path], config)
    found = {r.name: r for r in run_rego_tests(pack.modules, pack.test_modules, config)}
    assert found["data.org.a_test.test_denied"].status == "pass"
    broken = found["data.org.b_test.test_broken"]
    assert broken.status == "error"
    assert "broken_test.rego:6:9" in str(broken.message)


def test_render_text_lists_problems_and_totals(results: dict[str, RegoTestResult]) -> None:
    text = render_text(list(results.values()))
    assert "tested_test.rego:15: data.fixtures.tested_test.test_fails_on_purpose: FAIL" in text
    assert text.rstrip().endswith("PASS: 3/7, FAIL: 1, ERROR: 3")
