"""Console report: plain by default, colour on request, CI-log safe, capped lists."""

from __future__ import annotations

from governance.model.result import RunResult, Status
from governance.report import console
from tests.report.conftest import build_large_result, make_finding, make_result


def test_plain_text_has_products_failures_waivers_and_verdict(sample_result: RunResult) -> None:
    text = console.render(sample_result)
    assert "\x1b[" not in text
    assert "customer.profile   customer   fail       67%" in text
    assert "BLOCKING [critical] GOV-PII-001 sales.orders aws_s3_bucket.orders_raw" in text
    assert "at examples/terraform/plan.json:42:7" in text
    assert "expired: WVR-OLD" in text and "stale: WVR-STALE" in text
    assert text.rstrip().endswith("Verdict: FAIL - 3 blocking finding(s) at or above 'high'")


def test_color_adds_ansi_styles_only_when_asked(sample_result: RunResult) -> None:
    coloured = console.render(sample_result, color=True)
    assert "\x1b[" in coloured
    assert "GOV-PII-001" in coloured


def test_errors_are_listed_and_decide_the_verdict(error_result: RunResult) -> None:
    text = console.render(error_result)
    assert "Errors (2): the run is incomplete" in text
    assert "[input] examples/finance/dataproduct.yaml:12:3: malformed YAML" in text
    assert "Verdict: ERROR" in text


def test_wrapped_text_cannot_start_a_workflow_command() -> None:
    # A long message that rich wraps so that '::error' would begin a line.
    message = "x" * 70 + " ::error file=a::injected " + "y" * 10 + "\n::warning::two"
    result = make_result(
        [make_finding("GOV-TAG-001", Status.FAIL, "p", message=message)], domains={"p": "d"}
    )
    for width in (60, 80, 100, 120):
        text = console.render(result, width=width)
        assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]
        assert "injected" in text


def test_long_lists_are_capped_with_a_pointer_to_the_full_reports() -> None:
    text = console.render(
        build_large_result(products=30, per_product=5), max_findings=10, max_products=5
    )
    assert "... and 140 more (see the JSON or HTML report)" in text
    assert "... and 25 more products" in text


def test_a_run_with_only_accepted_findings_says_how_many() -> None:
    findings = [
        make_finding("GOV-TAG-001", Status.WAIVED, "p"),
        make_finding("GOV-RET-001", Status.FAIL, "p", baseline=True),
        make_finding("GOV-PII-001", Status.PASS, "p"),
    ]
    text = console.render(make_result(findings, domains={"p": "d"}))
    assert "No failing findings." in text
    assert "2 finding(s) accepted by waivers or the baseline" in text
    assert "Verdict: PASS" in text
