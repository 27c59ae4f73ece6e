"""Markdown for PR comments and the job summary: content, and GitHub's size limit on big runs."""

from __future__ import annotations

from governance.model.result import RunResult, Status
from governance.report import markdown
from tests.report.conftest import build_large_result, make_finding, make_result


def test_summary_shows_verdict_domains_top_failures_and_remediation(
    sample_result: RunResult,
) -> None:
    text = markdown.render(sample_result)
    assert text.startswith("## ❌ Data-mesh governance: FAIL")
    assert "| sales | 1 | 0 (0%) | 1 | 0 | 0 | 50% | 1 | 0 | 1 | 0 |" in text
    assert "| finance | 1 | 1 (100%) | 0 | 0 | 0 | 100% |" in text
    top = text.split("### Top failures", 1)[1].split("</details>", 1)[0]
    assert top.index("GOV-PII-001") < top.index("GOV-OWN-001") < top.index("GOV-TAG-001")
    assert "Enable SSE-KMS with a customer managed key." in top
    assert "<details><summary>Waivers (1 in force, 2 needing attention)</summary>" in text


def test_passing_run_says_so() -> None:
    text = markdown.render(make_result([make_finding("GOV-TAG-001", Status.PASS, "sales.orders")]))
    assert text.startswith("## ✅ Data-mesh governance: PASS")
    assert "No failing findings" in text


def test_twenty_thousand_findings_fit_in_a_pr_comment() -> None:
    result = build_large_result(products=1000, per_product=20)
    assert len(result.findings) == 20_000
    text = markdown.render(result)
    assert len(text) <= 65_536
    # Summarised, not cut: counts are complete, the document ends normally, the omission is said.
    assert "20000 failing" in text
    assert text.rstrip().endswith("</sub>")
    assert "further failing finding(s) are not listed here" in text
    assert text.count("<details>") == text.count("</details>")


def test_limit_is_honoured_when_tightened() -> None:
    result = build_large_result(products=50, per_product=10)
    loose = markdown.render(result)
    tight = markdown.render(result, max_chars=12_000)
    assert len(loose) > 12_000 >= len(tight)
    assert "Top failures" in tight
