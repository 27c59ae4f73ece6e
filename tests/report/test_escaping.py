"""Hostile input text and sample values, across every format.

The sample mesh has a column named ``<script>alert(1)</script>`` and a message with ``|``, ``@``,
a newline followed by ``::error``; its evidence carries PII sample values under keys engines are
supposed to mask. No format may execute, inject or leak any of it.
"""

from __future__ import annotations

import re

import pytest

from governance.model.result import RunResult, Status
from governance.report import FORMATS, renderer
from governance.report._common import redact
from tests.report.conftest import PII_VALUES, make_finding, make_result


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_sample_values_never_appear(fmt: str, sample_result: RunResult) -> None:
    text = renderer(fmt)(sample_result)
    for value in PII_VALUES:
        assert value not in text
    if fmt in ("json", "html", "csv"):  # formats that carry evidence show the placeholder
        assert "[redacted: 2 values]" in text


def test_redaction_is_recursive_and_case_insensitive() -> None:
    evidence = {
        "columns": [{"name": "email", "Sample_Values": ["a@b.c"], "pii": True}],
        "stats": {"values": {"x": 1}, "count": 3},
        "password": "hunter2",
    }
    assert redact(evidence) == {
        "columns": [{"name": "email", "Sample_Values": "[redacted: 1 values]", "pii": True}],
        "stats": {"values": "[redacted: 1 values]", "count": 3},
        "password": "[redacted]",
    }


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_line_starts_a_workflow_command_except_annotations(
    fmt: str, sample_result: RunResult
) -> None:
    """Console, Markdown, JSON, SARIF never let input text start a ``::`` command line.

    JUnit, CSV and HTML keep the message's own line breaks (they are files, not CI logs); the
    annotations format is made of commands, each on exactly one line.
    """
    text = renderer(fmt)(sample_result)
    lines_with_command = [line for line in text.splitlines() if line.lstrip().startswith("::")]
    if fmt == "annotations":
        assert all(re.match(r"^::(error|warning|notice)[ :]", line) for line in lines_with_command)
        assert len(lines_with_command) == len(text.splitlines())
    elif fmt in ("console", "markdown", "json", "sarif"):
        assert lines_with_command == []


def test_html_escapes_script_and_has_no_active_content(sample_result: RunResult) -> None:
    text = renderer("html")(sample_result)
    assert "<script" not in text.lower()
    assert "column:&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_markdown_escapes_table_breaking_and_mention_characters(sample_result: RunResult) -> None:
    text = renderer("markdown")(sample_result)
    row = next(line for line in text.splitlines() if "GOV-PII-002" in line and "&lt;script" in line)
    # Escaped pipes do not add columns: the row has exactly the header's 8 separators.
    assert len(re.findall(r"(?<!\\)\|", row)) == 8
    assert "&#64;data-team" in row and "@data-team" not in row
    assert "<script>" not in text


def test_console_prints_rich_markup_literally() -> None:
    result = make_result(
        [make_finding("GOV-TAG-001", Status.FAIL, "p", message="[bold red]not markup[/bold red]")]
    )
    text = renderer("console")(result)
    assert "[bold red]not markup[/bold red]" in text
