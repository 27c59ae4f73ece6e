"""CSV evidence export: one row per evaluation record, spreadsheet-safe."""

from __future__ import annotations

import csv
import io
import json

from governance.model.result import RunResult, Status
from governance.report import csv_report
from tests.report.conftest import make_finding, make_result


def _rows(result: RunResult) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_report.render(result), newline="")))


def test_one_row_per_record_with_passes_and_evidence(sample_result: RunResult) -> None:
    rows = _rows(sample_result)
    assert len(rows) == len(sample_result.findings)
    assert {r["status"] for r in rows} == {"fail", "pass", "waived", "warn"}
    pii = next(r for r in rows if r["policy_id"] == "GOV-PII-001" and r["status"] == "fail")
    assert (pii["file"], pii["line"], pii["column"]) == ("examples/terraform/plan.json", "42", "7")
    assert json.loads(pii["evidence"])["encryption"] == {"enabled": False}
    assert pii["frameworks"] == "GDPR Art. 32;SOC 2 CC6.1"
    waived = next(r for r in rows if r["status"] == "waived")
    assert (waived["waiver_id"], waived["waiver_expires"]) == ("WVR-001", "2026-06-30")
    multiline = next(r for r in rows if r["policy_id"] == "GOV-PII-002")
    assert "\n::error" in multiline["message"]  # kept intact inside the quoted cell


def test_formula_like_cells_are_neutralised() -> None:
    result = make_result(
        [
            make_finding(
                "GOV-TAG-001",
                Status.FAIL,
                "p",
                subject='=HYPERLINK("http://x")',
                message="+1 owner",
            )
        ],
        domains={"p": "d"},
    )
    row = _rows(result)[0]
    assert row["subject"] == '\'=HYPERLINK("http://x")'
    assert row["message"] == "'+1 owner"
    assert row["product"] == "p"
