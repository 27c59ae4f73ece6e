"""Decide: per-product status and score, summary counts and the verdict on the result model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from governance.decide import finalise
from governance.model.policy import Severity
from governance.model.result import Finding, RunError, RunInfo, RunResult, Status, ToolInfo, Verdict


def finding(
    policy: str,
    status: Status,
    severity: Severity = Severity.HIGH,
    product: str = "p",
    *,
    baseline: bool = False,
) -> Finding:
    return Finding(
        policy_id=policy,
        title=policy,
        severity=severity,
        status=status,
        product=product,
        domain="d",
        message="m",
        baseline=baseline,
    )


def result(
    findings: list[Finding], fail_on: str = "high", errors: list[RunError] | None = None
) -> RunResult:
    run = RunInfo(id="r", started_at=datetime(2026, 1, 1, tzinfo=UTC), fail_on=fail_on)
    res = RunResult(tool=ToolInfo(version="t"), run=run, findings=findings, errors=errors or [])
    return finalise(res, {"p": "d"})


def test_all_passing_is_pass_with_full_score() -> None:
    res = result([finding("A", Status.PASS), finding("B", Status.PASS)])
    assert res.verdict is Verdict.PASS
    assert res.products[0].status == "pass"
    assert res.products[0].score == 1.0
    assert res.summary.compliant_products == 1


def test_failure_at_threshold_fails_and_scores_per_policy_not_per_record() -> None:
    # Two deny records of one policy are one failed evaluation out of two.
    res = result([finding("A", Status.FAIL), finding("A", Status.FAIL), finding("B", Status.PASS)])
    assert res.verdict is Verdict.FAIL
    assert res.verdict.exit_code == 1
    assert res.products[0].score == 0.5
    assert res.summary.by_severity == {"high": 2}


@pytest.mark.parametrize(
    ("fail_on", "verdict"),
    [("critical", Verdict.PASS), ("medium", Verdict.FAIL), ("never", Verdict.PASS)],
)
def test_threshold(fail_on: str, verdict: Verdict) -> None:
    res = result([finding("A", Status.FAIL, Severity.MEDIUM)], fail_on=fail_on)
    assert res.verdict is verdict
    assert res.products[0].status == "fail"  # the product is non-compliant whatever the gate


def test_error_outranks_failure_and_never_passes() -> None:
    res = result([finding("A", Status.FAIL), finding("B", Status.ERROR)])
    assert res.verdict is Verdict.ERROR
    assert res.products[0].status == "error"
    res = result([], errors=[RunError(kind="input", message="bad")])
    assert res.verdict is Verdict.ERROR
    assert res.verdict.exit_code == 2


def test_waived_and_baselined_failures_do_not_block() -> None:
    res = result([finding("A", Status.WAIVED), finding("B", Status.FAIL, baseline=True)])
    assert res.verdict is Verdict.PASS
    assert res.products[0].score == 1.0
    assert res.summary.by_severity == {}


def test_a_product_with_no_evaluation_is_not_evaluated_never_pass() -> None:
    run = RunInfo(id="r", started_at=datetime(2026, 1, 1, tzinfo=UTC))
    res = RunResult(tool=ToolInfo(version="t"), run=run, findings=[finding("A", Status.PASS)])
    finalise(res, {"p": "d", "q": "d"}, {"q": "no evidence linked"})
    q = next(p for p in res.products if p.id == "q")
    assert (q.status, q.score, q.reason) == ("not_evaluated", None, "no evidence linked")
    assert res.summary.compliant_products == 1
    assert res.summary.product_status == {"pass": 1, "not_evaluated": 1}


def test_a_products_own_error_beats_its_passing_findings_and_counts_as_error() -> None:
    own = RunError(kind="input", message="suite 'x' not found", where="m.yaml:3:1", product="p")
    res = result([finding("A", Status.PASS)], errors=[own])
    [p] = res.products
    assert (p.status, p.reason) == ("error", "m.yaml:3:1: suite 'x' not found")
    assert res.summary.compliant_products == 0
    assert res.summary.product_status == {"error": 1}
    assert res.verdict is Verdict.ERROR


def test_a_run_level_error_leaves_product_statuses_to_their_findings() -> None:
    run_error = RunError(kind="collector", message="AccessDenied", where="aws 1/eu-west-1")
    res = result([finding("A", Status.PASS)], errors=[run_error])
    assert res.products[0].status == "pass"
    assert res.verdict is Verdict.ERROR
