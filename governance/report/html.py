"""The auditor report: one self-contained HTML file (inline CSS and SVG, no scripts, no fetches).

Everything an auditor asks for is in the file: overall and per-domain compliance, every policy
evaluated on every product (passes included) with its evidence, framework control coverage,
waivers with approver and expiry, and run provenance (inputs with sha256). Jinja autoescaping is
on for the whole template; charts are computed here and drawn by template macros.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from governance.evaluate.coverage import describe as describe_uncovered
from governance.model.result import RunResult, Status, TrendPoint
from governance.report._common import (
    SEVERITIES,
    Evaluation,
    applied_waivers,
    domain_rows,
    evaluations,
    framework_coverage,
    location_text,
    percent,
    product_status_label,
    safe_result,
    score_text,
    severity_counts,
    status_counts_line,
    status_label,
    verdict_line,
)

CHART_WIDTH = 320
"""Width in px of the bar area in the inline SVG charts (labels sit to its left)."""
SEVERITY_COLORS = {
    "critical": "#8b0000",
    "high": "#d9480f",
    "medium": "#e0a100",
    "low": "#1c7ed6",
    "info": "#868e96",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    width: float
    color: str
    y: int


@dataclass(frozen=True)
class ProductView:
    id: str
    domain: str | None
    status: str
    score: str
    counts: dict[str, int]
    evaluations: list[Evaluation]
    reason: str | None = None


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("governance", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["evidence"] = _evidence
    env.filters["where"] = location_text
    env.filters["status_label"] = status_label
    env.filters["score"] = score_text
    env.filters["product_status"] = product_status_label
    env.filters["percent"] = percent
    return env


def render(result: RunResult) -> str:
    result = safe_result(result)
    return _environment().get_template("report.html.j2").render(**_context(result))


def _evidence(evidence: dict[str, Any]) -> str:
    return json.dumps(evidence, sort_keys=True, ensure_ascii=False, default=str) if evidence else ""


def _anchor(product_id: str) -> str:
    """A fragment id for a product: stable, readable, and unique per product."""
    return "p-" + "".join(c if c.isalnum() or c in "-_." else f"_{ord(c):x}" for c in product_id)


def _bars(rows: list[tuple[str, float, str, str]], maximum: float) -> list[Bar]:
    scale = CHART_WIDTH / maximum if maximum > 0 else 0.0
    return [
        Bar(label, text, round(value * scale, 1), color, 8 + i * 26)
        for i, (label, value, text, color) in enumerate(rows)
    ]


def _charts(result: RunResult) -> dict[str, list[Bar]]:
    domains = [
        (
            d.domain,
            d.compliance,
            f"{d.compliant}/{d.products} ({percent(d.compliance)})",
            "#2b8a3e" if d.compliance >= 0.8 else "#e8590c" if d.compliance >= 0.5 else "#c92a2a",
        )
        for d in domain_rows(result)
        if d.products
    ]
    sev = severity_counts(result)
    severities = [(s, float(n), str(n), SEVERITY_COLORS[s]) for s, n in sev.items()]
    return {
        "domain_chart": _bars(domains, 1.0),
        "severity_chart": _bars(severities, float(max(sev.values(), default=0))),
    }


@dataclass(frozen=True)
class TrendView:
    """The mesh-wide compliance line over stored runs, in SVG coordinates (0..1 -> 120..0)."""

    points: str
    """``x,y x,y ...`` for the polyline."""
    dots: list[tuple[float, float, str]]
    """(x, y, tooltip) per run."""
    first: str
    last: str
    domains: list[tuple[str, str, str, int]]
    """(domain, first score, last score, runs) per domain, for the table under the line."""


TREND_WIDTH, TREND_HEIGHT = 420, 120


def _trend(result: RunResult) -> TrendView | None:
    """Only with history: at least two stored runs to draw a line between."""
    mesh = sorted((p for p in result.trend if p.domain is None), key=lambda p: p.started_at)
    if len(mesh) < 2:
        return None
    step = TREND_WIDTH / (len(mesh) - 1)
    coords = [
        (round(i * step, 1), round(TREND_HEIGHT * (1 - p.score), 1)) for i, p in enumerate(mesh)
    ]
    tips = [f"{p.started_at:%Y-%m-%d %H:%M}: {p.compliant}/{p.products} compliant" for p in mesh]
    by_domain: dict[str, list[TrendPoint]] = defaultdict(list)
    for point in sorted(result.trend, key=lambda p: p.started_at):
        if point.domain is not None:
            by_domain[point.domain].append(point)
    domains = [
        (name, f"{pts[0].score:.0%}", f"{pts[-1].score:.0%}", len(pts))
        for name, pts in sorted(by_domain.items())
    ]
    return TrendView(
        points=" ".join(f"{x},{y}" for x, y in coords),
        dots=[(x, y, tip) for (x, y), tip in zip(coords, tips, strict=True)],
        first=f"{mesh[0].started_at:%Y-%m-%d}",
        last=f"{mesh[-1].started_at:%Y-%m-%d}",
        domains=domains,
    )


def _products(result: RunResult) -> list[ProductView]:
    by_product: dict[str, list[Evaluation]] = defaultdict(list)
    for ev in evaluations(result.findings):
        by_product[ev.product].append(ev)
    order = {"error": 0, "fail": 1, "not_evaluated": 2, "warn": 3, "pass": 4}
    return [
        ProductView(
            p.id,
            p.domain,
            p.status,
            score_text(p.score),
            p.counts,
            by_product.get(p.id, []),
            p.reason,
        )
        for p in sorted(result.products, key=lambda p: (p.domain or "", order[p.status], p.id))
    ]


def _context(result: RunResult) -> dict[str, Any]:
    counts = Counter(f.status.value for f in result.findings)
    evaluated = Counter(ev.status.value for ev in evaluations(result.findings))
    s = result.summary
    frameworks: dict[str, list[Any]] = defaultdict(list)
    for row in framework_coverage(result):
        frameworks[row.framework].append(row)
    return {
        "result": result,
        "verdict_line": verdict_line(result),
        "counts": {k: counts.get(k, 0) for k in ("fail", "warn", "error", "waived", "pass")},
        "evaluated": sum(evaluated.values()),
        "baselined": sum(1 for f in result.findings if f.status is Status.FAIL and f.baseline),
        "compliance": percent(s.compliant_products / s.products) if s.products else "n/a",
        "status_counts": status_counts_line(result),
        "uncovered": describe_uncovered(result.uncovered),
        "domains": domain_rows(result),
        "frameworks": dict(sorted(frameworks.items())),
        "products": _products(result),
        "waivers": applied_waivers(result),
        "waiver_reports": result.waivers,
        "severities": [x.value for x in SEVERITIES],
        "severity_colors": SEVERITY_COLORS,
        "chart_width": CHART_WIDTH,
        "anchor": _anchor,
        "trend": _trend(result),
        "trend_size": (TREND_WIDTH, TREND_HEIGHT),
        **_charts(result),
    }
