"""Bundles x Rego policies -> findings, over any OPA backend (embedded library or REST server).

Each bundle is one query: its input document crosses into OPA once and the generated entry module
(``entry``) answers every policy on it. Backends only move documents; everything that decides what
a finding is lives here, so the embedded engine and an OPA server give identical findings.

Fail closed: when the bundle's query fails at runtime (a type error, conflicting rule values, a
Go panic), each applicable policy is asked alone, so the error is pinned on the policy that raised
it and the other policies still count. A policy that applies but whose ``deny``/``warn`` is
undefined, a malformed result, a time-out or an unreachable server is an ``error`` finding for
that policy and bundle plus a RunError (exit 2), never a pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from governance.errors import EngineError, Where
from governance.evaluate.base import Evaluation
from governance.evaluate.rego.entry import RESULTS_PATH
from governance.evaluate.rego.results import (
    Locator,
    ResultError,
    Violation,
    finding,
    parse_result,
    violation_finding,
)
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.policy import PolicyDefinition
from governance.model.result import Finding, RunError, Status


class QueryError(EngineError):
    """OPA evaluated the query and failed (runtime error): worth asking each policy alone."""


class BackendDown(EngineError):
    """The backend itself is gone (unreachable server): later queries are not attempted."""


class Backend(Protocol):
    """Where the pack is loaded: answers ``data.governance_entry.results`` for one input."""

    concurrency: int
    """How many queries may run at once (threads): > 1 only where measured to help."""

    def stage(self, documents: list[dict[str, Any]]) -> None:
        """The inputs of the next queries, all at once (a backend may preload them)."""
        ...

    def close(self) -> None: ...

    def results(self, document: dict[str, Any]) -> Any:
        """The whole ``results`` document (every policy). Raises QueryError, EngineError."""
        ...

    def result(self, policy_id: str, document: dict[str, Any]) -> tuple[bool, Any]:
        """(defined, value) of ``results[policy_id]`` alone. Raises QueryError, EngineError."""
        ...


def applies(policy: PolicyDefinition, bundle: Bundle, config: GovernanceConfig) -> bool:
    """Whether ``policy`` can apply to ``bundle`` at all (``applies_to`` and ``requires``).

    A pre-filter, never a decision: the Rego ``applicable`` must also be false wherever a
    requirement is unmet (tests/rules/test_requires.py checks the built-in pack)."""
    return _admits(policy, bundle, config) and not unscanned(policy, bundle)


def _admits(policy: PolicyDefinition, bundle: Bundle, config: GovernanceConfig) -> bool:
    """``applies`` but for ``live:<service>``, which is reported when unmet (``unscanned``)."""
    if policy.applies_to != "all" and (policy.applies_to == "unowned") != bundle.is_unowned:
        return False
    return all(
        _present(need, bundle, config) for need in policy.requires if not need.startswith("live:")
    )


def unscanned(policy: PolicyDefinition, bundle: Bundle) -> list[str]:
    """The services ``policy`` reads (``live:<service>``) that the live scan behind ``bundle``
    did not read; empty outside live scans (a plan carries its backup plans itself)."""
    if bundle.live_services is None:
        return []
    wanted = [need.removeprefix("live:") for need in policy.requires if need.startswith("live:")]
    return [service for service in wanted if service not in bundle.live_services]


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
    """What one policy produced on one bundle."""

    fails: list[Violation] = field(default_factory=list)
    warns: list[Violation] = field(default_factory=list)
    error: str | None = None
    applied: bool = False


def _cell(answer: tuple[bool, Any], label: str) -> _Cell:
    defined, value = answer
    if not defined:
        return _Cell(error=f"deny or warn is undefined although the policy applies ({label})")
    try:
        result = parse_result(value)
    except ResultError as exc:
        return _Cell(error=f"{exc} ({label})")
    return _Cell(list(result.deny), list(result.warn), applied=result.applicable)


def _ask(
    backend: Backend, bundle: Bundle, wanted: Sequence[PolicyDefinition], document: dict[str, Any]
) -> dict[str, _Cell]:
    """Every wanted policy's cell for one bundle: one query, or one per policy after a failure."""
    label = f"evaluating bundle '{bundle.id}'"
    try:
        value = backend.results(document)
    except QueryError:
        cells = {}
        for policy in wanted:
            try:
                cells[policy.id] = _cell(backend.result(policy.id, document), label)
            except QueryError as exc:
                cells[policy.id] = _Cell(error=f"{exc.message} ({label})")
        return cells
    if not isinstance(value, dict):
        # A partial object with no keys is {}: undefined means the entry module is not loaded.
        raise BackendDown(
            f"data.{RESULTS_PATH.replace('/', '.')} is "
            f"{'undefined' if value is None else 'not an object'}: the governance entry module "
            "is not loaded (with --opa-preloaded, load the bundle from `governance bundle build`)",
            Where(source="rego"),
        )
    return {p.id: _cell((p.id in value, value.get(p.id)), label) for p in wanted}


def evaluate(
    backend: Backend,
    bundles: Sequence[Bundle],
    policies: Sequence[PolicyDefinition],
    config: GovernanceConfig,
) -> Evaluation:
    """Findings (pass records included) and errors of the Rego ``policies`` on ``bundles``."""
    rego = [p for p in policies if p.engine == "rego"]
    include_raw = any(p.needs_raw for p in rego)
    evaluation = Evaluation()
    work = []
    for bundle in bundles:
        wanted = []
        for policy in rego:
            if not _admits(policy, bundle, config):
                continue
            missing = unscanned(policy, bundle)
            if missing:
                # Its facts would be guessed (no backup plan, no recovery point): say so instead.
                why = f"{', '.join(missing)} not scanned"
                evaluation.skipped.setdefault(bundle.id, {})[policy.id] = why
            else:
                wanted.append(policy)
        if wanted:
            work.append((bundle, wanted))
    for bundle, wanted, cells in _run(backend, work, include_raw):
        locator = Locator(bundle)
        for policy in wanted:
            cell = cells[policy.id]
            evaluation.findings.extend(_findings(policy, bundle, cell, locator))
            if cell.error is not None:
                evaluation.errors.append(_run_error(policy, bundle, cell.error))
    return evaluation


BATCH_RESOURCES = 20_000
"""Resources whose inputs are built and staged together: bounds the documents held at once
(~1.2 KB of JSON per plan-shaped resource, several times that in Python and in OPA's store)."""


def _batches(
    work: list[tuple[Bundle, list[PolicyDefinition]]],
) -> Iterator[list[tuple[Bundle, list[PolicyDefinition]]]]:
    batch: list[tuple[Bundle, list[PolicyDefinition]]] = []
    size = 0
    for item in work:
        batch.append(item)
        size += len(item[0].resources) + 1
        if size >= BATCH_RESOURCES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _run(
    backend: Backend,
    work: list[tuple[Bundle, list[PolicyDefinition]]],
    include_raw: bool,
) -> Iterator[tuple[Bundle, list[PolicyDefinition], dict[str, _Cell]]]:
    """Cells per bundle, in bundle order; an EngineError fails that bundle's policies only,
    a BackendDown every bundle after it (each would wait for the same dead server)."""
    down: str | None = None

    def one(item: tuple[Bundle, list[PolicyDefinition], dict[str, Any]]) -> dict[str, _Cell]:
        nonlocal down
        bundle, wanted, document = item
        if down is not None:
            return {p.id: _Cell(error=f"not evaluated: {down}") for p in wanted}
        try:
            return _ask(backend, bundle, wanted, document)
        except EngineError as exc:
            if isinstance(exc, BackendDown):
                down = exc.message
            return {p.id: _Cell(error=f"{exc.message} (bundle '{bundle.id}')") for p in wanted}

    try:
        for batch in _batches(work):
            items = [(b, wanted, b.to_input(include_raw=include_raw)) for b, wanted in batch]
            backend.stage([document for _, _, document in items])
            if backend.concurrency > 1 and len(items) > 1:
                with ThreadPoolExecutor(backend.concurrency, thread_name_prefix="rego") as pool:
                    answers = list(pool.map(one, items))
            else:
                answers = [one(item) for item in items]
            for (bundle, wanted, _), cells in zip(items, answers, strict=True):
                yield bundle, wanted, cells
    finally:
        backend.close()


def policy_where(policy: PolicyDefinition) -> Where:
    if policy.source_file:
        return Where(policy.source_file, policy.source_line, source=policy.id)
    return Where(source=policy.id)


def _run_error(policy: PolicyDefinition, bundle: Bundle, message: str) -> RunError:
    return RunError(
        kind="policy",
        message=f"{policy.id}: {message}",
        where=str(policy_where(policy)),
        product=bundle.id,
        policy_id=policy.id,
    )


def _findings(
    policy: PolicyDefinition, bundle: Bundle, cell: _Cell, locator: Locator
) -> list[Finding]:
    # Sorted so that reports are identical from run to run (OPA orders sets, but by value).
    findings = [
        violation_finding(policy, bundle, status, v, locator)
        for status, items in ((Status.FAIL, cell.fails), (Status.WARN, cell.warns))
        for v in sorted(items, key=lambda v: (v.subject or "", v.msg))
    ]
    if cell.error is not None:
        message = f"policy could not be evaluated: {cell.error}"
        findings.append(finding(policy, bundle, Status.ERROR, message))
    if cell.applied and not findings:
        product = bundle.product
        evidence = {
            "resources": len(bundle.resources),
            "columns": len(product.columns) if product else 0,
            "catalog_datasets": len(bundle.catalog),
        }
        location = product.source if product else None
        message = "no violations"
        findings.append(
            finding(policy, bundle, Status.PASS, message, evidence=evidence, location=location)
        )
    return findings
