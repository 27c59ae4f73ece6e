"""With a history database, the HTML report gains a compliance-over-time chart; without, none."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from governance.cli import main
from governance.model.result import RunResult, TrendPoint
from governance.report.html import render as render_html
from tests.conftest import EXAMPLES


def check(out: Path, *extra: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "check",
                str(EXAMPLES),
                "--samples",
                str(EXAMPLES / "samples"),
                "--format",
                "html",
                "--format",
                "json",
                "--output-dir",
                str(out),
                *extra,
            ]
        )
    assert exc.value.code == 1
    return (out / "report.html").read_text()


def test_trend_chart_appears_from_the_second_stored_run(tmp_path: Path) -> None:
    history = ["--history", str(tmp_path / "history.db")]
    first = check(tmp_path / "one", *history)
    assert 'id="trend"' not in first  # one stored run: nothing to draw a line between
    second = check(tmp_path / "two", *history)
    assert 'id="trend"' in second
    assert second.count('class="trend-point"') == 2
    report = json.loads((tmp_path / "two" / "report.json").read_text())
    mesh = [p for p in report["trend"] if p["domain"] is None]
    assert [p["compliant"] for p in mesh] == [1, 1]
    assert {p["domain"] for p in report["trend"] if p["domain"]} >= {"finance", "sales"}


def test_no_history_no_trend(tmp_path: Path) -> None:
    html = check(tmp_path)
    assert 'id="trend"' not in html


def _point(day: int, score: float, domain: str | None = None) -> TrendPoint:
    return TrendPoint(
        run_id=f"run-{day}",
        started_at=datetime(2026, 3, day, 10, 0, tzinfo=UTC),
        domain=domain,
        products=4,
        compliant=round(4 * score),
        score=score,
    )


def test_renderer_draws_one_point_per_stored_run_and_a_domain_table(
    sample_result: RunResult,
) -> None:
    sample_result.trend = [
        _point(3, 0.75),
        _point(1, 0.25),  # out of order on purpose: the line runs oldest first
        _point(2, 0.5),
        _point(1, 0.4, "<sales>"),
        _point(3, 0.9, "<sales>"),
    ]
    html = render_html(sample_result)
    assert html.count('class="trend-point"') == 3
    # 0.25 -> y 90, 0.5 -> y 60, 0.75 -> y 30 on a 120-high chart, left to right.
    assert 'points="0.0,90.0 210.0,60.0 420.0,30.0"' in html
    assert "stored runs 2026-03-01 to 2026-03-03" in html
    assert "<td>&lt;sales&gt;</td><td>40%</td><td>90%</td><td>2</td>" in html
    assert "<sales>" not in html


def test_renderer_draws_nothing_from_a_single_run(sample_result: RunResult) -> None:
    sample_result.trend = [_point(1, 0.5), _point(1, 0.5, "sales")]
    assert 'id="trend"' not in render_html(sample_result)
