"""Scanning one plan or one HCL directory with checkov's Terraform runners, in-process.

Checkov's API is used the way its own RunnerRegistry does, minus everything that reaches the
Prisma Cloud platform: no ``bc_integration`` set-up, so no guideline or metadata download and no
upload; no module download. Results come back as ``CheckRecord`` (no checkov types leak out);
what checkov only logged comes back as RunErrors (see isolation.py).
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.collect.files import display_path
from governance.evaluate.checkov.custom import inactive
from governance.evaluate.checkov.isolation import Capture, contained, import_checkov
from governance.model.result import RunError

# How checkov logs a check that raised (BaseCheck.log_check_error); the result is then dropped.
_CRASH = re.compile(r"Failed to run check (\S+) on ")
_CRASH_HINT = (
    " (the check could not evaluate this resource; list it in checkov.skip_checks to accept)"
)


@dataclass(frozen=True)
class CheckRecord:
    """One checkov result, free of checkov types."""

    check_id: str
    name: str
    passed: bool
    resource: str
    file: Path
    lines: tuple[int, int] | None
    details: tuple[str, ...] = ()
    guideline: str | None = None
    tags: Mapping[str, str] | None = None


@dataclass
class Scan:
    records: list[CheckRecord] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)


@dataclass(frozen=True)
class Selection:
    checks: tuple[str, ...] = ()
    skip_checks: tuple[str, ...] = ()


def _runner_filter(framework: str, selection: Selection, inactive: frozenset[str]) -> Any:
    from checkov.runner_filter import RunnerFilter

    return RunnerFilter(
        framework=[framework],
        checks=list(selection.checks) or None,
        # Custom checks loaded for another configuration in this process must not run here.
        skip_checks=[*selection.skip_checks, *sorted(inactive)] or None,
        all_external=True,  # the guild's checks run even when `checks` selects built-in ones
        download_external_modules=False,
        show_progress_bar=False,
    )


def _records(report: Any, file_for: Path | None) -> list[CheckRecord]:
    from checkov.common.models.enums import CheckResult

    out = []
    for record in [*report.failed_checks, *report.passed_checks]:
        lines = record.file_line_range
        out.append(
            CheckRecord(
                check_id=record.check_id,
                name=record.check_name,
                passed=record.check_result["result"] == CheckResult.PASSED,
                resource=record.resource,
                file=file_for or Path(record.file_abs_path),
                # checkov says [0, 0] when it does not know (e.g. a single-line plan)
                lines=(int(lines[0]), int(lines[1])) if lines and int(lines[0]) >= 1 else None,
                details=tuple(str(d) for d in record.details or ()),
                guideline=record.guideline or None,
                tags=dict(record.entity_tags) if record.entity_tags else None,
            )
        )
    return out


def _single(report: Any) -> Any:
    # With run_image_referencer off the runners return one Report; a list means checkov changed.
    return report[0] if isinstance(report, list) else report


def _run_errors(capture: Capture, report: Any, shown: str, parsed: str | None) -> list[RunError]:
    """Parse failures name the file (``parsed``: the plan, or None for each .tf file itself)."""
    errors = [
        RunError(
            kind="input",
            message="checkov could not parse this file",
            where=parsed or display_path(Path(path)),
        )
        for path in report.parsing_errors
    ]
    for text in capture.messages(logging.ERROR):
        crashed = _CRASH.search(text)
        errors.append(
            RunError(
                kind="engine",
                message=f"checkov: {text}" + (_CRASH_HINT if crashed else ""),
                where=shown,
                policy_id=crashed.group(1) if crashed else None,
            )
        )
    return errors


def scan_plan(plan: Path, selection: Selection, active: frozenset[str]) -> Scan:
    """Run checkov's terraform_plan runner on one plan file (already known to be plan JSON)."""
    import_checkov()
    from checkov.terraform.plan_runner import Runner

    shown = display_path(plan)
    with tempfile.TemporaryDirectory(prefix="governance-checkov-") as tmp:
        target = plan
        if plan.suffix != ".json":  # checkov skips, silently, plan files not named *.json
            target = Path(tmp) / "plan.json"
            shutil.copyfile(plan, target)
        with contained(logging.ERROR) as capture:
            report = _single(
                Runner().run(
                    root_folder=None,
                    files=[str(target)],
                    runner_filter=_runner_filter("terraform_plan", selection, inactive(active)),
                )
            )
    return Scan(_records(report, plan), _run_errors(capture, report, shown, shown))


def scan_directory(directory: Path, selection: Selection, active: frozenset[str]) -> Scan:
    """Run checkov's terraform (HCL) runner on one directory; inline skip comments are ignored."""
    import_checkov()
    from checkov.terraform.runner import Runner

    shown = display_path(directory)
    if not directory.is_dir():
        return Scan(
            errors=[RunError(kind="input", message="Terraform directory not found", where=shown)]
        )
    with contained(logging.ERROR) as capture:
        report = _single(
            Runner().run(
                root_folder=str(directory),
                runner_filter=_runner_filter("terraform", selection, inactive(active)),
                # Exceptions go through governance waivers (expiry, approver), not code comments.
                collect_skip_comments=False,
            )
        )
    return Scan(_records(report, None), _run_errors(capture, report, shown, None))


@dataclass(frozen=True)
class HclPosition:
    file: Path
    lines: tuple[int, int]


def hcl_positions(root_module: Path) -> dict[str, HclPosition]:
    """Where each root-module resource is declared, for pointing plan findings at the .tf line.

    Uses checkov's plan enrichment (``--repo-root-for-plan-enrichment``), which keys resources by
    ``type.name`` only; resources declared in sub-directories (modules) are left out because the
    same ``type.name`` there would be ambiguous.
    """
    import_checkov()
    with contained(logging.ERROR):
        from checkov.common.runners.runner_registry import RunnerRegistry

        enriched = RunnerRegistry.get_enriched_resources(
            repo_roots=[str(root_module)], download_external_modules=False
        )
    positions = {}
    for raw_id, entry in enriched.items():
        scanned = Path(entry["scanned_file"])
        start, end = entry["entity_lines_range"]
        if len(scanned.parts) == 1 and start is not None:
            positions[raw_id] = HclPosition(root_module / scanned, (int(start), int(end or start)))
    return positions
