"""GitHub workflow commands: escaping, levels, run errors and the annotation cap."""

from __future__ import annotations

from governance.model.evidence import Location
from governance.model.result import RunResult, Status
from governance.report import annotations as gha
from tests.report.conftest import build_large_result, make_finding, make_result


def test_escaping_follows_the_runner_rules() -> None:
    line = gha.command("error", "50% done\r\nnext", file="a,b:c.yaml", line=3, title="T: x, y")
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,title=T%3A x%2C y::50%25 done%0D%0Anext"


def test_blocking_failures_are_errors_and_the_rest_warnings(sample_result: RunResult) -> None:
    lines = gha.render(sample_result).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert len(errors) == 3  # critical + two high failures at fail-on high
    assert {w.split("title=")[1].split(" ")[0] for w in warnings} == {"GOV-TAG-001", "GOV-BAK-001"}
    assert errors[0].startswith("::error file=examples/terraform/plan.json,line=42,col=7,")
    assert lines[-1].startswith("::notice title=governance::Verdict: FAIL")
    assert not any("WVR-001" in line or "GOV-RET-001" in line for line in lines)  # accepted


def test_hostile_message_stays_on_its_own_line(sample_result: RunResult) -> None:
    text = gha.render(sample_result)
    line = next(x for x in text.splitlines() if "GOV-PII-002" in x)
    assert "@data-team%0A::error file=x.py::pwned 100%25" in line


def test_run_errors_point_at_file_and_line(error_result: RunResult) -> None:
    lines = gha.render(error_result).splitlines()
    assert lines[0].startswith(
        "::error file=examples/finance/dataproduct.yaml,line=12,col=3,title=governance%3A input"
    )
    assert lines[1] == (
        "::error title=governance%3A collector error::aws 123456789012/eu-west-1: "
        "AccessDenied on s3:ListBuckets"
    )


def test_output_is_capped_with_a_notice_of_what_was_left_out() -> None:
    result = build_large_result(products=10, per_product=10)
    lines = gha.render(result).splitlines()
    assert len(lines) == gha.MAX_ANNOTATIONS + 1
    assert "50 more finding(s) not annotated" in lines[-1]


def test_finding_without_file_has_no_file_property() -> None:
    result = make_result(
        [
            make_finding(
                "GOV-PII-001",
                Status.FAIL,
                "p",
                subject="arn:aws:s3:::x",
                location=Location(arn="arn:aws:s3:::x"),
            )
        ],
        domains={"p": "d"},
    )
    first = gha.render(result).splitlines()[0]
    assert first.startswith("::error title=GOV-PII-001")
