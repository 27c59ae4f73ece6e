"""Shared report views: percentages, evaluation grouping, roll-ups and control coverage."""

from __future__ import annotations

import pytest

from governance.model.result import RunResult, Status
from governance.report._common import (
    domain_rows,
    evaluations,
    framework_coverage,
    framework_name,
    percent,
    severity_counts,
)
from tests.report.conftest import make_finding, make_result


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0%"),
        (1.0, "100%"),
        (0.5, "50%"),
        (0.005, "0.5%"),
        (0.9995, "99.95%"),
        (0.99999, "99.999%"),
        (1e-9, "<0.01%"),
    ],
)
def test_percent_never_rounds_to_a_misleading_0_or_100(value: float, text: str) -> None:
    assert percent(value) == text


def test_evaluation_status_is_the_worst_record_with_baseline_counted_as_accepted() -> None:
    findings = [
        make_finding("GOV-TAG-001", Status.PASS, "p"),
        make_finding("GOV-TAG-001", Status.FAIL, "p", subject="b"),
        make_finding("GOV-RET-001", Status.FAIL, "p", baseline=True),
        make_finding("GOV-RET-001", Status.PASS, "p"),
    ]
    by_policy = {e.policy_id: e for e in evaluations(findings)}
    assert by_policy["GOV-TAG-001"].status is Status.FAIL
    assert by_policy["GOV-TAG-001"].findings[0].subject == "b"  # worst record first
    assert by_policy["GOV-RET-001"].status is Status.WAIVED


def test_domain_rows_count_products_and_open_failures(sample_result: RunResult) -> None:
    rows = {r.domain: r for r in domain_rows(sample_result)}
    assert (rows["sales"].products, rows["sales"].compliant, rows["sales"].failing) == (1, 0, 1)
    assert dict(rows["sales"].failures) == {"critical": 1, "medium": 1}
    # The baselined retention failure of customer.profile is not an open failure.
    assert dict(rows["customer"].failures) == {"high": 1}
    assert rows["finance"].compliance == 1.0


def test_framework_coverage_separates_compliant_accepted_and_noncompliant(
    sample_result: RunResult,
) -> None:
    rows = {r.control: r for r in framework_coverage(sample_result)}
    art32 = rows["GDPR Art. 32"]
    assert (art32.framework, len(art32.products), art32.compliant) == ("GDPR", 2, 1)
    assert art32.noncompliant == {"sales.orders"}
    backup = rows["SOC 2 A1.2"]  # GOV-BAK-001: waived on sales.orders, a warning on finance
    assert backup.accepted == {"sales.orders"} and backup.noncompliant == set()
    assert backup.compliant == 2


def test_severity_counts_list_every_severity_worst_first() -> None:
    result = make_result(
        [
            make_finding("GOV-TAG-001", Status.FAIL, "p"),
            make_finding("GOV-PII-001", Status.WAIVED, "p"),
        ],
        domains={"p": "d"},
    )
    assert severity_counts(result) == {"critical": 0, "high": 0, "medium": 1, "low": 0, "info": 0}


@pytest.mark.parametrize(
    ("control", "framework"),
    [
        ("GDPR Art. 32", "GDPR"),
        ("GDPR Art. 5(1)(e)", "GDPR"),
        ("SOC 2 CC6.1", "SOC 2"),
        ("ISO 27001 A.8.13", "ISO 27001"),
        ("ISO/IEC 27001 A.8", "ISO/IEC 27001"),
        ("NIST 800-53 AC-2", "NIST 800-53"),
        ("SOC2:CC6.1", "SOC2"),
        ("HIPAA §164.312", "HIPAA"),
    ],
)
def test_framework_name_is_the_standard_without_the_clause(control: str, framework: str) -> None:
    assert framework_name(control) == framework
