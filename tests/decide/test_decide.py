"""Decide: per-product status and score, summary counts and the verdict on the result model."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from governance.decide import finalise
from governance.decide.baseline import apply_baseline
from governance.decide.waivers import Waiver, apply_waivers
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


# The worst record of a policy decides its evaluation on a product, whatever the record order.
@pytest.mark.parametrize(
    "statuses",
    [
        [Status.FAIL, Status.PASS],
        [Status.PASS, Status.FAIL],
        [Status.WARN, Status.FAIL, Status.PASS],
        [Status.PASS, Status.WAIVED, Status.FAIL, Status.WARN],
    ],
)
def test_worst_record_of_a_policy_decides_the_product(statuses: list[Status]) -> None:
    res = result([finding("A", s) for s in statuses])
    [p] = res.products
    assert (p.status, p.counts, p.score) == ("fail", {"fail": 1}, 0.0)
    assert res.verdict is Verdict.FAIL


def test_worst_record_wins_over_a_later_warning_and_an_earlier_pass() -> None:
    res = result([finding("A", Status.PASS), finding("A", Status.WARN), finding("A", Status.PASS)])
    [p] = res.products
    assert (p.status, p.counts) == ("warn", {"warn": 1})


def test_an_erroring_record_outranks_failures_of_the_same_policy() -> None:
    res = result([finding("A", Status.ERROR), finding("A", Status.FAIL)])
    assert res.products[0].counts == {"error": 1}


def test_records_of_one_policy_on_other_products_do_not_mix() -> None:
    run = RunInfo(id="r", started_at=datetime(2026, 1, 1, tzinfo=UTC))
    res = RunResult(
        tool=ToolInfo(version="t"),
        run=run,
        findings=[finding("A", Status.FAIL, product="p"), finding("A", Status.PASS, product="q")],
    )
    finalise(res, {"p": "d", "q": "e"})
    assert [(p.id, p.domain, p.status) for p in res.products] == [
        ("p", "d", "fail"),
        ("q", "e", "pass"),
    ]


def test_a_warn_only_product_is_compliant_and_passes_the_gate() -> None:
    res = result([finding("A", Status.WARN), finding("B", Status.PASS)])
    [p] = res.products
    assert (p.status, p.score, p.counts) == ("warn", 1.0, {"warn": 1, "pass": 1})
    assert res.summary.compliant_products == 1
    assert res.summary.product_status == {"warn": 1}
    assert res.verdict is Verdict.PASS


def test_score_counts_errors_and_failures_as_bad_and_rounds_to_four_places() -> None:
    res = result([finding("A", Status.ERROR), finding("B", Status.FAIL), finding("C", Status.PASS)])
    assert res.products[0].score == 0.3333
    res = result([finding("A", Status.FAIL), finding("B", Status.PASS), finding("C", Status.PASS)])
    assert res.products[0].score == 0.6667


def test_a_product_missing_from_the_domains_is_still_summarised() -> None:
    run = RunInfo(id="r", started_at=datetime(2026, 1, 1, tzinfo=UTC))
    res = RunResult(tool=ToolInfo(version="t"), run=run, findings=[finding("A", Status.PASS)])
    finalise(res, {})
    assert [(p.id, p.domain, p.status) for p in res.products] == [("p", None, "pass")]


def test_an_own_error_without_a_place_gives_its_message_as_reason() -> None:
    own = RunError(kind="input", message="sample not found", product="p")
    [p] = result([], errors=[own]).products
    assert (p.status, p.score, p.reason) == ("error", None, "sample not found")


def test_summary_counts_records_products_and_domains_without_the_unowned_bundle() -> None:
    run = RunInfo(id="r", started_at=datetime(2026, 1, 1, tzinfo=UTC))
    findings = [
        finding("A", Status.FAIL, Severity.LOW, product="p"),
        finding("A", Status.FAIL, Severity.LOW, product="p"),
        finding("B", Status.PASS, product="q"),
        finding("C", Status.FAIL, Severity.CRITICAL, product="unowned"),
    ]
    res = RunResult(tool=ToolInfo(version="t"), run=run, findings=findings)
    finalise(res, {"p": "sales", "q": "finance", "unowned": None})
    assert res.summary.by_status == {"fail": 3, "pass": 1}
    assert res.summary.by_severity == {"low": 2, "critical": 1}
    assert (res.summary.products, res.summary.domains) == (2, 2)
    assert res.summary.compliant_products == 1
    assert res.summary.product_status == {"fail": 1, "pass": 1}


# Waived, baselined and expired-waiver failures, through the real waiver and baseline steps.
def test_waived_and_baselined_failures_pass_but_an_expired_waiver_fails() -> None:
    today = date(2026, 3, 1)
    waived = finding("GOV-1", Status.FAIL, product="p")
    baselined = finding("GOV-2", Status.FAIL, product="p")
    expired = finding("GOV-3", Status.FAIL, product="p")
    waivers = [
        Waiver(
            id="W-ok",
            policy="GOV-1",
            product="p",
            reason="r",
            approved_by="a",
            expires=date(2026, 6, 30),
        ),
        Waiver(
            id="W-old",
            policy="GOV-3",
            product="p",
            reason="r",
            approved_by="a",
            expires=date(2026, 2, 28),
        ),
    ]
    findings = [waived, baselined, expired]
    reports = apply_waivers(findings, waivers, today)
    apply_baseline(findings, {baselined.fingerprint})
    assert [(r.id, r.state) for r in reports] == [("W-old", "expired")]
    assert [(f.status, f.baseline) for f in findings] == [
        (Status.WAIVED, False),
        (Status.FAIL, True),
        (Status.FAIL, False),
    ]
    res = result(findings)
    assert res.verdict is Verdict.FAIL
    assert res.blocking("high") == [expired]
    assert res.products[0].counts == {"waived": 2, "fail": 1}
    assert res.summary.by_severity == {"high": 1}
    # Without the expired waiver's failure, the product is compliant and the run passes.
    res = result([waived, baselined])
    assert (res.verdict, res.products[0].status, res.products[0].score) == (
        Verdict.PASS,
        "pass",
        1.0,
    )


def test_fail_on_never_blocks_nothing_but_still_reports_the_failures() -> None:
    res = result(
        [finding("A", Status.FAIL, Severity.CRITICAL), finding("B", Status.FAIL)],
        fail_on="never",
    )
    assert res.blocking("never") == []
    assert res.verdict is Verdict.PASS and res.verdict.exit_code == 0
    assert res.products[0].status == "fail"
    assert res.summary.by_severity == {"critical": 1, "high": 1}


def test_fail_on_never_does_not_hide_errors() -> None:
    res = result([finding("A", Status.ERROR)], fail_on="never")
    assert res.verdict is Verdict.ERROR and res.verdict.exit_code == 2


@pytest.mark.parametrize(
    ("findings", "errors"),
    [
        ([finding("A", Status.FAIL, Severity.CRITICAL), finding("B", Status.ERROR)], []),
        (
            [finding("A", Status.FAIL, Severity.CRITICAL)],
            [RunError(kind="collector", message="AccessDenied")],
        ),
        (
            [finding("A", Status.FAIL, Severity.CRITICAL)],
            [RunError(kind="input", message="bad sample", product="p")],
        ),
    ],
    ids=["erroring-evaluation", "run-error", "product-error"],
)
def test_errors_beat_failures_in_the_exit_code(
    findings: list[Finding], errors: list[RunError]
) -> None:
    res = result(findings, errors=errors)
    assert res.blocking("high") == [findings[0]]
    assert res.verdict is Verdict.ERROR and res.verdict.exit_code == 2
