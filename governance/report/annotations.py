"""GitHub Actions workflow commands (``::error file=..,line=..::msg``): inline PR annotations.

Escaping follows the runner's rules: in the message ``%``, ``\\r``, ``\\n`` become ``%25``,
``%0D``, ``%0A``; in property values ``:`` and ``,`` are escaped too (``%3A``, ``%2C``). After
escaping every command is a single line, so input text such as ``\\n::error::`` cannot start a
command of its own.

GitHub shows at most 10 error and 10 warning annotations per step (50 per job), so output is capped
at ``MAX_ANNOTATIONS`` (blocking findings first) followed by one notice with what was left out.
Waived, baselined and passing records are not annotated.
"""

from __future__ import annotations

import re

from governance.model.result import Finding, RunResult, Status
from governance.report._common import failures, is_blocking, verdict_line

MAX_ANNOTATIONS = 50
_WHERE = re.compile(r"^(?P<file>.+?):(?P<line>\d+)(?::(?P<col>\d+))?$")


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: str | int | None) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return f"::{level}{' ' + props if props else ''}::{escape_data(message)}"


def _level(finding: Finding, fail_on: str) -> str:
    if finding.status is Status.ERROR or is_blocking(finding, fail_on):
        return "error"
    return "warning"


def _annotation(finding: Finding, fail_on: str) -> str:
    loc = finding.location
    subject = f" [{finding.subject}]" if finding.subject else ""
    message = f"{finding.message} (product {finding.product}{subject})"
    if finding.remediation:
        message += f"\nRemediation: {finding.remediation}"
    return command(
        _level(finding, fail_on),
        message,
        file=loc.file if loc else None,
        line=loc.line if loc else None,
        col=loc.column if loc else None,
        title=f"{finding.policy_id} ({finding.severity.value}): {finding.title}",
    )


def render(result: RunResult) -> str:
    lines: list[str] = []
    for error in result.errors:
        match = _WHERE.match(error.where or "")
        if match:
            lines.append(
                command(
                    "error",
                    error.message,
                    file=match["file"],
                    line=match["line"],
                    col=match["col"],
                    title=f"governance: {error.kind} error",
                )
            )
        else:
            where = f"{error.where}: " if error.where else ""
            lines.append(
                command("error", f"{where}{error.message}", title=f"governance: {error.kind} error")
            )
    warnings = [f for f in result.findings if f.status is Status.WARN]
    candidates = [*failures(result), *warnings]
    room = max(MAX_ANNOTATIONS - len(lines), 0)
    lines.extend(_annotation(f, result.run.fail_on) for f in candidates[:room])
    left = len(candidates) - min(room, len(candidates))
    summary = verdict_line(result)
    if left:
        summary += f" ({left} more finding(s) not annotated; see the uploaded reports)"
    lines.append(command("notice", summary, title="governance"))
    return "\n".join(lines) + "\n"
