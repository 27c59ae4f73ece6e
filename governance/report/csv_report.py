"""CSV evidence export: one row per evaluation record (passes included), for auditors' spreadsheets.

A product in ``error`` or ``not_evaluated`` has no records of its own to show that: it gets one
row with that status, no policy, and the reason as its message, so a filter on status finds it.

Cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or CR) are prefixed
with ``'`` (OWASP CSV-injection guidance): manifests are authored by many teams and an auditor
opening the export must not execute what a field says.
"""

from __future__ import annotations

import csv
import json
from io import StringIO

from governance.model.result import Finding, ProductSummary, RunResult
from governance.report._common import finding_order, safe_result

COLUMNS = [
    "run_id",
    "product",
    "domain",
    "policy_id",
    "title",
    "severity",
    "status",
    "baseline",
    "subject",
    "message",
    "file",
    "line",
    "column",
    "account",
    "region",
    "arn",
    "frameworks",
    "engine",
    "remediation",
    "evidence",
    "waiver_id",
    "waiver_approved_by",
    "waiver_expires",
    "waiver_reason",
    "fingerprint",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(run_id: str, f: Finding) -> list[str]:
    loc = f.location
    w = f.waiver
    values: list[object] = [
        run_id,
        f.product,
        f.domain,
        f.policy_id,
        f.title,
        f.severity.value,
        f.status.value,
        "true" if f.baseline else "false",
        f.subject,
        f.message,
        loc.file if loc else None,
        loc.line if loc else None,
        loc.column if loc else None,
        loc.account if loc else None,
        loc.region if loc else None,
        loc.arn if loc else None,
        ";".join(f.frameworks),
        f.engine,
        f.remediation,
        json.dumps(f.evidence, sort_keys=True, ensure_ascii=False, default=str)
        if f.evidence
        else None,
        w.id if w else None,
        w.approved_by if w else None,
        w.expires.isoformat() if w else None,
        w.reason if w else None,
        f.fingerprint,
    ]
    return [_cell(v) for v in values]


def render(result: RunResult) -> str:
    result = safe_result(result)
    out = StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for finding in sorted(
        result.findings,
        key=lambda f: (f.product, *finding_order(f)[:2], f.policy_id, f.subject or ""),
    ):
        writer.writerow(_row(result.run.id, finding))
    for product in result.products:
        if product.status in ("error", "not_evaluated"):
            writer.writerow(_product_row(result.run.id, product))
    return out.getvalue()


def _product_row(run_id: str, p: ProductSummary) -> list[str]:
    cells: dict[str, object] = {
        "run_id": run_id,
        "product": p.id,
        "domain": p.domain,
        "status": p.status,
        "baseline": "false",
        "message": p.reason,
    }
    return [_cell(cells.get(column)) for column in COLUMNS]
