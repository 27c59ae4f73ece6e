"""With a history database, the HTML report gains a compliance-over-time chart; without, none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.cli import main
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
