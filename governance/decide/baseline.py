"""Baseline: accept today's failures so that only new ones fail the build.

The file is JSON, deterministic (sorted, no timestamps, no line numbers) so it diffs cleanly in
review::

    {"baseline_version": 1, "tool": "governance",
     "findings": [{"fingerprint": "…", "policy_id": "…", "product": "…", "subject": "…"}]}

Only ``fingerprint`` is used for matching (``Finding.fingerprint``: policy, product, subject); the
other fields are there for humans reading the file. Waived failures are not baselined: when the
waiver expires they must fail again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from governance.collect.files import display_path, read_text
from governance.errors import ConfigError, InputError, Where
from governance.model.result import Finding, RunResult, Status

BASELINE_VERSION = 1
_FINGERPRINT = re.compile(r"^[0-9a-f]{32}$")
_STILL_PRESENT = (Status.FAIL, Status.WAIVED, Status.ERROR)


def create_baseline(result: RunResult) -> str:
    """Every current failure (baselined ones included, waived ones not), once per fingerprint."""
    entries: dict[str, dict[str, Any]] = {}
    for f in result.findings:
        if f.status is Status.FAIL:
            entries.setdefault(
                f.fingerprint,
                {
                    "fingerprint": f.fingerprint,
                    "policy_id": f.policy_id,
                    "product": f.product,
                    "subject": f.subject,
                },
            )
    doc = {
        "baseline_version": BASELINE_VERSION,
        "tool": result.tool.name,
        "findings": [
            entries[k]
            for k in sorted(
                entries,
                key=lambda k: (
                    entries[k]["product"],
                    entries[k]["policy_id"],
                    entries[k]["subject"] or "",
                    k,
                ),
            )
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path) -> set[str]:
    """The fingerprints in a baseline file; ``ConfigError`` naming file (and line) if malformed."""
    shown = display_path(path)
    if not path.is_file():
        raise ConfigError("baseline file not found", Where(shown))
    try:
        text = read_text(path)
    except InputError as exc:
        raise ConfigError(exc.message, exc.where) from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        where = Where(shown, exc.lineno, exc.colno)
        raise ConfigError(f"malformed JSON: {exc.msg}", where) from exc
    if not isinstance(doc, dict) or doc.get("baseline_version") != BASELINE_VERSION:
        raise ConfigError(
            f'not a baseline file (expected "baseline_version": {BASELINE_VERSION}; create one '
            "with 'governance check --create-baseline FILE')",
            Where(shown),
        )
    findings = doc.get("findings")
    if not isinstance(findings, list):
        raise ConfigError("'findings' must be a list", Where(shown))
    fingerprints: set[str] = set()
    for index, entry in enumerate(findings):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not _FINGERPRINT.match(fingerprint):
            raise ConfigError(
                f"findings[{index}]: 'fingerprint' must be 32 lowercase hex digits",
                Where(shown, _line_of(text, index)),
            )
        fingerprints.add(fingerprint)
    return fingerprints


def _line_of(text: str, index: int) -> int | None:
    """Best-effort line of the index-th entry (entries start with '{' after "findings")."""
    start = text.find('"findings"')
    if start < 0:
        return None
    pos = start
    for _ in range(index + 1):
        pos = text.find("{", pos + 1)
        if pos < 0:
            return None
    return text.count("\n", 0, pos) + 1


def apply_baseline(findings: Sequence[Finding], fingerprints: set[str]) -> list[str]:
    """Mark baselined failures in place; return baseline fingerprints no longer failing (fixed)."""
    present: set[str] = set()
    for f in findings:
        if f.status in _STILL_PRESENT:
            present.add(f.fingerprint)
        if f.status is Status.FAIL and f.fingerprint in fingerprints:
            f.baseline = True
    return sorted(fingerprints - present)
