"""Stage 4, decide: per-product status and score, domain roll-up, and the verdict.

Waivers and the baseline change finding statuses first (``waivers.py``, ``baseline.py``); then
everything here is computed from the findings alone, on the result model, so every renderer and
the exit code agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from governance.model.evidence import UNOWNED
from governance.model.result import (
    COMPLIANT,
    Finding,
    ProductStatus,
    ProductSummary,
    RunError,
    RunResult,
    Status,
    Summary,
)

# The worst status of a policy's records on a product decides that evaluation.
_ORDER = {Status.ERROR: 4, Status.FAIL: 3, Status.WARN: 2, Status.WAIVED: 1, Status.PASS: 0}


def _effective(finding: Finding) -> Status:
    """A failure accepted by the baseline does not count against the product."""
    if finding.status is Status.FAIL and finding.baseline:
        return Status.WAIVED
    return finding.status


NOTHING_APPLIED = "no policy applied to its evidence"


def summarise_products(
    findings: list[Finding],
    domains: Mapping[str, str | None],
    errors: Iterable[RunError] = (),
    reasons: Mapping[str, str] | None = None,
    skipped: Mapping[str, Mapping[str, str]] | None = None,
) -> list[ProductSummary]:
    """One evaluation per (product, policy): its worst record. Score = share not failing.

    A product with an error of its own (``RunError.product``: its suite, sample, catalog entry)
    is ``error`` whatever its findings say; a product with no evaluation is ``not_evaluated``,
    with ``reasons[product]`` (what was missing) or "no policy applied": never ``pass``.
    ``skipped[product]`` (policy id -> why) lists policies not evaluated for lack of evidence:
    shown on the product, counted nowhere, and the reason when nothing else was evaluated.
    """
    worst: dict[str, dict[str, Status]] = defaultdict(dict)
    for finding in findings:
        per_policy = worst[finding.product]
        status = _effective(finding)
        current = per_policy.get(finding.policy_id)
        if current is None or _ORDER[status] > _ORDER[current]:
            per_policy[finding.policy_id] = status
    own_errors: dict[str, RunError] = {}
    for error in errors:
        if error.product is not None:
            own_errors.setdefault(error.product, error)
    reasons = reasons or {}
    skipped = skipped or {}
    summaries = []
    for product in sorted(set(domains) | set(worst) | set(own_errors)):
        evaluations = Counter(s.value for s in worst.get(product, {}).values())
        total = sum(evaluations.values())
        bad = evaluations["fail"] + evaluations["error"]
        not_evaluated = dict(sorted(skipped.get(product, {}).items()))
        why = not_evaluated_text(not_evaluated) or reasons.get(product)
        verdict, reason = _status(evaluations, own_errors.get(product), why)
        summaries.append(
            ProductSummary(
                id=product,
                domain=domains.get(product),
                status=verdict,
                score=round(1 - bad / total, 4) if total else None,
                counts=dict(evaluations),
                reason=reason,
                not_evaluated=not_evaluated,
            )
        )
    return summaries


def not_evaluated_text(not_evaluated: Mapping[str, str]) -> str | None:
    """``backup not scanned (GOV-BAK-001, GOV-BAK-003)``: each reason with its policies."""
    by_reason: dict[str, list[str]] = defaultdict(list)
    for policy_id, why in not_evaluated.items():
        by_reason[why].append(policy_id)
    return "; ".join(f"{why} ({', '.join(ids)})" for why, ids in by_reason.items()) or None


def _status(
    evaluations: Counter[str], error: RunError | None, reason: str | None
) -> tuple[ProductStatus, str | None]:
    if error is not None:
        where = f"{error.where}: " if error.where else ""
        return "error", f"{where}{error.message}"
    worst_first: tuple[ProductStatus, ...] = ("error", "fail", "warn")
    for status in worst_first:
        if evaluations[status]:
            return status, None
    if not evaluations:
        return "not_evaluated", reason or NOTHING_APPLIED
    return "pass", None


def finalise(
    result: RunResult,
    domains: Mapping[str, str | None],
    reasons: Mapping[str, str] | None = None,
    skipped: Mapping[str, Mapping[str, str]] | None = None,
) -> RunResult:
    """Fill products, summary and verdict from the findings and errors already on ``result``.

    ``domains`` names every product of the run (the unowned bundle included); ``reasons`` says
    why a product without evaluations was not evaluated; ``skipped``: the policies each product
    was not evaluated on, and why (``Evaluation.skipped``).
    """
    result.products = summarise_products(result.findings, domains, result.errors, reasons, skipped)
    by_status = Counter(f.status.value for f in result.findings)
    by_severity = Counter(
        f.severity.value for f in result.findings if f.status is Status.FAIL and not f.baseline
    )
    owned = [p for p in result.products if p.id != UNOWNED]
    result.summary = Summary(
        by_status=dict(by_status),
        by_severity=dict(by_severity),
        products=len(owned),
        domains=len({p.domain for p in result.products if p.domain}),
        compliant_products=len([p for p in owned if p.status in COMPLIANT]),
        product_status=dict(Counter(p.status for p in owned)),
    )
    result.verdict = result.compute_verdict()
    return result
