"""``run_checkov``: checkov's Terraform checks and the guild's custom checks as governance findings.

Plans are checked one by one (a crash or parse failure names its file), each only after it reads
as plan JSON here, so a malformed plan fails with file:line:column instead of checkov's silence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import governance
from governance.collect.files import display_path
from governance.errors import ConfigError, GovernanceError, InputError
from governance.evaluate.base import Evaluation
from governance.evaluate.checkov import scanner
from governance.evaluate.checkov.config import CheckovConfig
from governance.evaluate.checkov.custom import load_custom_checks
from governance.evaluate.checkov.findings import (
    Owner,
    Ownership,
    TagOwner,
    not_run_finding,
    to_finding,
)
from governance.evaluate.checkov.plans import PlanFile, address_lines, read_plan
from governance.evaluate.checkov.severity import SeverityTable, load_table
from governance.extras import install_command, missing
from governance.model.evidence import UNOWNED
from governance.model.result import RunError


def pack_root() -> Path:
    """The built-in pack: copied into the wheel as governance/_pack, the repo root when editable."""
    package = Path(governance.__file__).resolve().parent
    installed = package / "_pack"
    return installed if installed.is_dir() else package.parent


def builtin_checks_dir() -> Path:
    return pack_root() / "checks" / "checkov"


def builtin_severity_file() -> Path:
    return pack_root() / "policies" / "checkov" / "severity.yaml"


def _run_error(exc: GovernanceError) -> RunError:
    return RunError(kind=exc.kind, message=exc.message, where=str(exc.where) if exc.where else None)


class _Context:
    def __init__(self, config: CheckovConfig, table: SeverityTable, ownership: Ownership) -> None:
        self.config = config
        self.table = table
        self.ownership = ownership
        self.selection = scanner.Selection(tuple(config.checks), tuple(config.skip_checks))
        self.active: frozenset[str] = frozenset()


def _with_lines(records: list[scanner.CheckRecord], plan: PlanFile) -> list[scanner.CheckRecord]:
    """Start plan findings at the line of the resource's ``"address"``.

    Checkov's range starts a line or two into the resource (at its values) and is [0, 0] for a
    single-line (minified) plan; the address line is what a reader searches for.
    """
    index = address_lines(plan.text)
    out = []
    for record in records:
        line = index.get(record.resource)
        if line is not None:
            end = record.lines[1] if record.lines and record.lines[1] >= line else line
            record = replace(record, lines=(line, end))
        out.append(record)
    return out


def _check_plan(
    plan: PlanFile, ctx: _Context, hcl: Mapping[str, scanner.HclPosition] | None
) -> Evaluation:
    out = Evaluation()
    limit, count = ctx.config.max_plan_resources, len(plan.addresses)
    if count > limit and not ctx.config.force:
        owners = {ctx.ownership.of(plan.shown, a) for a in plan.addresses} or {(UNOWNED, None)}
        for owner in sorted(owners, key=str):
            out.findings.append(not_run_finding(plan.shown, count, limit, owner))
        return out
    scan = scanner.scan_plan(plan.path, ctx.selection, ctx.active)
    out.errors.extend(scan.errors)
    out.findings.extend(
        to_finding(r, source="plan", table=ctx.table, ownership=ctx.ownership, hcl=hcl)
        for r in _with_lines(scan.records, plan)
    )
    return out


def run_checkov(
    plans: Sequence[Path],
    terraform_dirs: Sequence[Path],
    owners: Mapping[str, Owner],
    config: CheckovConfig,
    repo_root: Path | None = None,
    *,
    tag_owner: TagOwner | None = None,
) -> Evaluation:
    """Checkov on plan JSON files and HCL directories, as findings (pass records included).

    ``owners`` maps a resource address (or ``"<plan path as displayed>::<address>"`` when two
    plans share addresses) to (product id, domain); anything else is ``unowned`` unless
    ``tag_owner`` claims it from the resource's tags (HCL resources carry them). ``repo_root`` is
    the Terraform root module the plans were made from: plan findings then point at its .tf lines.
    """
    out = Evaluation()
    if not config.enabled or not (plans or terraform_dirs or config.terraform_dirs):
        return out
    if missing("checkov"):
        # ``check`` already refused to start (``governance.extras``); direct callers get this.
        out.errors.append(
            RunError(
                kind="engine",
                message="checkov is enabled (checkov.enabled) but not installed: "
                + install_command("checkov"),
                where="governance.yaml: checkov",
            )
        )
        return out
    try:
        table = load_table([builtin_severity_file(), *config.severity_files])
    except ConfigError as exc:
        out.errors.append(_run_error(exc))
        return out

    ctx = _Context(config, table, Ownership(owners, tag_owner))
    dirs = [builtin_checks_dir()] if config.builtin_checks else []
    ctx.active, load_errors = load_custom_checks([*dirs, *config.external_checks_dirs])
    out.errors.extend(load_errors)

    hcl = None
    if repo_root is not None and plans:
        if not repo_root.is_dir():
            out.errors.append(
                RunError(kind="usage", message="repo root not found", where=display_path(repo_root))
            )
            return out
        hcl = scanner.hcl_positions(repo_root)
    for path in plans:
        try:
            plan = read_plan(path)
        except InputError as exc:
            out.errors.append(_run_error(exc))
            continue
        out.extend(_check_plan(plan, ctx, hcl))

    for directory in [*terraform_dirs, *config.terraform_dirs]:
        scan = scanner.scan_directory(directory, ctx.selection, ctx.active)
        out.errors.extend(scan.errors)
        out.findings.extend(
            to_finding(r, source="hcl", table=table, ownership=ctx.ownership) for r in scan.records
        )
    return out
