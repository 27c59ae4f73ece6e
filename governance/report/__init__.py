"""Stage 5, report: pure renderers from a ``RunResult`` to text.

Each format is one module with ``render(result: RunResult) -> str``; modules are imported only
when their format is asked for. Only the CLI writes files (names in ``FILENAMES``).
"""

# No ``from __future__ import annotations`` here: it would bind the name ``annotations`` in this
# package and shadow the ``governance.report.annotations`` renderer in ``from ... import``.
import importlib
from collections.abc import Callable
from typing import cast

from governance.errors import UsageError
from governance.model.result import RunResult

Renderer = Callable[[RunResult], str]

FORMATS: dict[str, str] = {
    "console": "governance.report.console",
    "json": "governance.report.json_report",
    "sarif": "governance.report.sarif",
    "junit": "governance.report.junit",
    "markdown": "governance.report.markdown",
    "html": "governance.report.html",
    "csv": "governance.report.csv_report",
    "annotations": "governance.report.annotations",
}

FILENAMES: dict[str, str] = {
    "console": "report.txt",
    "json": "report.json",
    "sarif": "report.sarif",
    "junit": "report.junit.xml",
    "markdown": "report.md",
    "html": "report.html",
    "csv": "report.csv",
    "annotations": "annotations.txt",
}


def renderer(fmt: str) -> Renderer:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}' (choose from {', '.join(sorted(FORMATS))})")
    module = importlib.import_module(FORMATS[fmt])
    return cast(Renderer, module.render)
