"""Stage 4, decide: per-product status and score, domain roll-up, and the verdict.

Waivers and the baseline change finding statuses first (``waivers.py``, ``baseline.py``); then
everything here is computed from the findings alone, on the result model, so every renderer and
the exit code agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from governance.model.evidence import UNOWNED
from governance.model.result import (
    Finding,
    ProductSummary,
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


def summarise_products(
    findings: list[Finding], domains: dict[str, str | None]
) -> list[ProductSummary]:
    """One evaluation per (product, policy): its worst record. Score = share not failing."""
    worst: dict[str, dict[str, Status]] = defaultdict(dict)
    for finding in findings:
        per_policy = worst[finding.product]
        status = _effective(finding)
        current = per_policy.get(finding.policy_id)
        if current is None or _ORDER[status] > _ORDER[current]:
            per_policy[finding.policy_id] = status
    summaries = []
    for product in sorted(set(domains) | set(worst)):
        evaluations = Counter(s.value for s in worst.get(product, {}).values())
        total = sum(evaluations.values())
        bad = evaluations["fail"] + evaluations["error"]
        verdict: Literal["pass", "fail", "warn", "error"] = "pass"
        for worst_first in ("error", "fail", "warn"):
            if evaluations[worst_first]:
                verdict = worst_first
                break
        summaries.append(
            ProductSummary(
                id=product,
                domain=domains.get(product),
                status=verdict,
                score=round(1 - bad / total, 4) if total else 0.0,
                counts=dict(evaluations),
            )
        )
    return summaries


def finalise(result: RunResult, domains: dict[str, str | None]) -> RunResult:
    """Fill products, summary and verdict from the findings and errors already on ``result``."""
    result.products = summarise_products(result.findings, domains)
    by_status = Counter(f.status.value for f in result.findings)
    by_severity = Counter(
        f.severity.value for f in result.findings if f.status is Status.FAIL and not f.baseline
    )
    result.summary = Summary(
        by_status=dict(by_status),
        by_severity=dict(by_severity),
        products=len([p for p in result.products if p.id != UNOWNED]),
        domains=len({p.domain for p in result.products if p.domain}),
        compliant_products=len(
            [p for p in result.products if p.id != UNOWNED and p.status in ("pass", "warn")]
        ),
    )
    result.verdict = result.compute_verdict()
    return result
