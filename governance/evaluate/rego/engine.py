"""The embedded Rego engine: bundles x policies -> findings, evaluated in worker processes.

One task per data-product bundle (all its applicable policies), and one per chunk of
``engine.chunk_size`` unowned resources: regopy's costs grow faster than linearly with the size of
sets built inside Rego, so small inputs are faster in total (docs/notes: embedded-rego). Findings
for chunks keep ``product = "unowned"``; a policy gets one pass record for the unowned resources
only when every chunk it applied to passed.

Fail closed: a runtime error, a malformed result, a crash or a timeout is an ``error`` finding
naming the policy and the bundle (plus a RunError), never a pass. The time limit
(``engine.timeout_seconds``) applies to each policy on each bundle, and to loading each input:
the worker is killed at the limit and the bundle's remaining policies go to a fresh worker.
Isolation is not optional, even for one bundle: it costs ~0.1 s per run (measured), a native
crash in the CLI process would cost the whole run.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from governance.errors import EngineError, PolicyError, Where
from governance.evaluate.base import Evaluation
from governance.evaluate.rego.inputs import bundle_input
from governance.evaluate.rego.pool import Outcome, Scheduler, Task
from governance.evaluate.rego.process import LoadFailure
from governance.evaluate.rego.program import build_program
from governance.evaluate.rego.results import (
    Locator,
    ResultError,
    Violation,
    finding,
    parse_output,
    violation_finding,
)
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.policy import PolicyDefinition
from governance.model.result import Finding, RunError, Status

if TYPE_CHECKING:
    from governance.evaluate.pack import PolicyPack


def applies(policy: PolicyDefinition, bundle: Bundle, config: GovernanceConfig) -> bool:
    """Whether to query ``policy`` on ``bundle`` at all (``applies_to`` and ``requires``).

    ``requires`` saves a query per policy and bundle that cannot apply (~0.5 ms each on regopy:
    six of the built-in policies on a run without catalog, quality or drift evidence)."""
    if policy.applies_to != "all" and (policy.applies_to == "unowned") != bundle.is_unowned:
        return False
    return all(_present(need, bundle, config) for need in policy.requires)


def _present(need: str, bundle: Bundle, config: GovernanceConfig) -> bool:
    if need == "catalog":
        return config.catalog.enabled
    if need == "quality":
        return bundle.quality is not None
    if need == "drift":
        return bundle.drift is not None
    return any(r.source == "live" for r in bundle.resources)


@dataclass
class _Cell:
    """Everything one policy produced on one bundle (over all its chunks)."""

    fails: list[Violation] = field(default_factory=list)
    warns: list[Violation] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    applied: int = 0
    checked: int = 0
    """Resources in the chunks where the policy applied."""

    def record(self, output: str | None, part: _Part) -> None:
        """Fold one query's raw output into the cell; unreadable output is an error, never a pass.
        Shared by the embedded and the OPA engines so both assemble findings the same way."""
        try:
            result = parse_output(output)
        except ResultError as exc:
            self.errors.append(f"{exc} (evaluating {part.label})")
            return
        if result.applicable:
            self.applied += 1
            self.checked += len(part.chunk.resources)
            self.fails.extend(result.deny)
            self.warns.extend(result.warn)


@dataclass(frozen=True)
class _Part:
    bundle: int
    chunk: Bundle
    label: str
    """How error messages name the input: the bundle id, or the chunk range for unowned."""


def _split(index: int, bundle: Bundle, chunk_size: int) -> list[_Part]:
    if not bundle.is_unowned or len(bundle.resources) <= chunk_size:
        return [_Part(index, bundle, f"bundle '{bundle.id}'")]
    parts = []
    total = len(bundle.resources)
    for start in range(0, total, chunk_size):
        chunk = bundle.model_copy(
            update={"resources": bundle.resources[start : start + chunk_size]}
        )
        end = min(start + chunk_size, total)
        parts.append(
            _Part(index, chunk, f"bundle '{bundle.id}' (resources {start + 1}-{end} of {total})")
        )
    return parts


@dataclass(frozen=True)
class _InputMaker:
    """Serialises a bundle only when a worker is ready for it (bounded memory on big runs)."""

    bundle: Bundle
    include_raw: bool

    def __call__(self) -> bytes:
        document = bundle_input(self.bundle, include_raw=self.include_raw)
        return json.dumps(document).encode("utf-8")


class EmbeddedEngine:
    """``Engine`` over regopy. Needs the loaded pack for its Rego modules."""

    name = "embedded"

    def __init__(self, pack: PolicyPack, *, workers: int | None = None) -> None:
        self.pack = pack
        self.workers = workers
        self.restarts = 0

    def evaluate(
        self,
        bundles: Sequence[Bundle],
        policies: Sequence[PolicyDefinition],
        config: GovernanceConfig,
    ) -> Evaluation:
        rego = [p for p in policies if p.engine == "rego"]
        for policy in rego:
            if policy.package is None:
                raise PolicyError("a rego policy needs a 'package'", _policy_where(policy))
        if not rego or not bundles:
            return Evaluation()
        include_raw = any(p.needs_raw for p in rego)
        parts: list[_Part] = []
        tasks: list[Task] = []
        for index, bundle in enumerate(bundles):
            entries = [i for i, p in enumerate(rego) if applies(p, bundle, config)]
            if not entries:
                continue
            for part in _split(index, bundle, max(1, config.engine.chunk_size)):
                tasks.append(Task(len(parts), entries, _InputMaker(part.chunk, include_raw)))
                parts.append(part)
        cells: dict[tuple[int, int], _Cell] = {}
        workers = self.workers or config.engine.workers or os.cpu_count() or 1
        scheduler = Scheduler(
            build_program(self.pack.modules, rego, config),
            workers=workers,
            timeout=config.engine.timeout_seconds,
        )
        answered: set[tuple[int, int]] = set()
        try:
            for outcome in scheduler.run(tasks):
                self._record(outcome, parts, cells)
                done = outcome.entries if outcome.entry is None else (outcome.entry,)
                answered.update((outcome.task, entry) for entry in done)
        except LoadFailure as exc:
            raise EngineError(
                f"the embedded Rego engine could not load the policies: {exc.message}",
                Where(source="rego"),
            ) from exc
        # Belt and braces: an evaluation nobody reported on is an error, never a silent gap.
        for task in tasks:
            for entry in task.entries:
                if (task.key, entry) not in answered:
                    part = parts[task.key]
                    cell = cells.setdefault((part.bundle, entry), _Cell())
                    cell.errors.append(f"no result was returned (evaluating {part.label})")
        self.restarts = scheduler.restarts
        return _assemble(bundles, rego, cells)

    @staticmethod
    def _record(
        outcome: Outcome,
        parts: list[_Part],
        cells: dict[tuple[int, int], _Cell],
    ) -> None:
        part = parts[outcome.task]
        entries = list(outcome.entries) if outcome.entry is None else [outcome.entry]
        for entry in entries:
            cell = cells.setdefault((part.bundle, entry), _Cell())
            if outcome.error is not None:
                cell.errors.append(f"{outcome.error} (evaluating {part.label})")
                continue
            cell.record(outcome.output, part)


def _policy_where(policy: PolicyDefinition) -> Where:
    return (
        Where(policy.source_file, policy.source_line, source=policy.id)
        if policy.source_file
        else Where(source=policy.id)
    )


def _assemble(
    bundles: Sequence[Bundle], rego: Sequence[PolicyDefinition], cells: dict[tuple[int, int], _Cell]
) -> Evaluation:
    evaluation = Evaluation()
    for b_index, bundle in enumerate(bundles):
        locator = Locator(bundle)
        for p_index, policy in enumerate(rego):
            cell = cells.get((b_index, p_index))
            if cell is None:
                continue
            evaluation.findings.extend(_cell_findings(policy, bundle, cell, locator))
            for message in cell.errors:
                where = _policy_where(policy)
                evaluation.errors.append(
                    RunError(
                        kind="policy",
                        message=f"{policy.id}: {message}",
                        where=str(where),
                        product=bundle.id,
                        policy_id=policy.id,
                    )
                )
    return evaluation


def _cell_findings(
    policy: PolicyDefinition, bundle: Bundle, cell: _Cell, locator: Locator
) -> list[Finding]:
    # Chunks finish in any order: sort so that reports are identical from run to run.
    findings = [
        violation_finding(policy, bundle, status, v, locator)
        for status, items in ((Status.FAIL, cell.fails), (Status.WARN, cell.warns))
        for v in sorted(items, key=lambda v: (v.subject or "", v.msg))
    ]
    for message in cell.errors:
        findings.append(
            finding(policy, bundle, Status.ERROR, f"policy could not be evaluated: {message}")
        )
    if cell.applied and not findings:
        product = bundle.product
        evidence = {
            "resources": cell.checked,
            "columns": len(product.columns) if product else 0,
            "catalog_datasets": len(bundle.catalog),
        }
        findings.append(
            finding(
                policy,
                bundle,
                Status.PASS,
                "no violations",
                evidence=evidence,
                location=product.source if product else None,
            )
        )
    return findings
