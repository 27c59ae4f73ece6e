"""Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY``.

Escaping is by default, not by discipline: the Jinja environment's ``finalize`` escapes every
``{{ value }}`` (pipes, Markdown punctuation, HTML, ``@`` mentions, newlines); only text wrapped in
``Md`` (built here from escaped parts) is emitted as is.

GitHub rejects comments over 65,536 characters, so large runs are summarised: the detail lists
shrink until the document fits ``MAX_CHARS`` (counts and the per-domain table are always complete).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from typing import Any

import jinja2

from governance.evaluate.coverage import describe as describe_uncovered
from governance.model.result import RunResult, Status, Verdict
from governance.report._common import (
    applied_waivers,
    domain_rows,
    failures,
    is_blocking,
    location_text,
    percent,
    product_status_label,
    score_text,
    status_counts_line,
    verdict_line,
)

MAX_CHARS = 65_000
"""Below GitHub's 65,536-character comment limit, with room for a bot's own header."""

# (top failures, all failures in <details>, non-compliant products) tried in order until it fits.
_LIMITS = [(20, 500, 300), (20, 200, 100), (15, 50, 50), (10, 0, 20), (5, 0, 0)]
_ICON = {Verdict.PASS: "✅", Verdict.FAIL: "❌", Verdict.ERROR: "⛔"}
_SEVERITY_ICON = {"critical": "🟥", "high": "🟧", "medium": "🟨", "low": "🟦", "info": "⬜"}
_SPECIAL = re.compile(r"([\\`*_{}\[\]|~$])")


class Md(str):
    """Text already safe for Markdown; ``finalize`` passes it through unchanged."""


def escape(value: Any) -> str:
    """Escape text for a Markdown table cell or inline position (GitHub Flavored Markdown)."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _SPECIAL.sub(r"\\\1", text)
    text = text.replace("@", "&#64;")  # no @mentions of people or teams from manifest fields
    return re.sub(r"[\r\n]+", " ", text)


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Md | int | float):
        return value
    return escape(value)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("governance", "templates"),
        autoescape=False,  # Markdown, not HTML: escaping is done by _finalize
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(result: RunResult, *, max_chars: int = MAX_CHARS) -> str:
    template = _environment().get_template("report.md.j2")
    base = _context(result)
    text = ""
    for top, details, products in _LIMITS:
        text = template.render(**base, **_lists(result, top, details, products))
        if len(text) <= max_chars:
            return text
    # Unreachable for realistic inputs (every list is capped); never exceed the limit regardless.
    return text[: max_chars - 40] + "\n\n_(report truncated)_\n"


def _context(result: RunResult) -> dict[str, Any]:
    counts = Counter(f.status.value for f in result.findings)
    baselined = sum(1 for f in result.findings if f.status is Status.FAIL and f.baseline)
    policies: dict[str, dict[str, Any]] = {}
    for f in failures(result):
        entry = policies.setdefault(
            f.policy_id,
            {
                "id": f.policy_id,
                "title": f.title,
                "severity": f.severity.value,
                "count": 0,
                "remediation": f.remediation or "-",
            },
        )
        entry["count"] += 1
    return {
        "result": result,
        "icon": Md(_ICON[result.verdict]),
        "verdict": Md(result.verdict.value.upper()),
        "verdict_line": verdict_line(result),
        "counts": {k: counts.get(k, 0) for k in ("fail", "warn", "error", "waived", "pass")},
        "baselined": baselined,
        "domains": domain_rows(result),
        "percent": percent,
        "score": score_text,
        "product_status": product_status_label,
        "status_counts": status_counts_line(result),
        "uncovered": describe_uncovered(result.uncovered),
        "failing_policies": list(policies.values()),
        "waivers": applied_waivers(result),
        "waiver_reports": result.waivers,
        "errors": result.errors,
        "total_failures": len(failures(result)),
    }


def _lists(result: RunResult, top: int, details: int, products: int) -> dict[str, Any]:
    bad = failures(result)
    rows = [_row(f, result.run.fail_on) for f in bad]
    noncompliant = [p for p in result.products if p.status in ("fail", "error", "not_evaluated")]
    rank = {"error": 0, "fail": 1, "not_evaluated": 2}
    noncompliant.sort(key=lambda p: (rank[p.status], p.score or 0.0, p.id))
    return {
        "top": rows[:top],
        "more": rows[top:details] if details > top else [],
        "omitted": max(len(rows) - max(details, top), 0),
        "noncompliant": noncompliant[:products],
        "noncompliant_omitted": max(len(noncompliant) - products, 0),
        "noncompliant_total": len(noncompliant),
    }


def _row(f: Any, fail_on: str) -> dict[str, Any]:
    sev = f.severity.value
    marker = (
        "**blocking**"
        if is_blocking(f, fail_on)
        else ("error" if f.status.value == "error" else "")
    )
    return {
        "severity": Md(f"{_SEVERITY_ICON[sev]} {sev}"),
        "marker": Md(marker),
        "policy": f.policy_id,
        "product": f.product,
        "subject": f.subject or "-",
        "message": f.message,
        "where": location_text(f.location) or "-",
    }
