"""Data-quality evidence: run a product's expectation suites and PII detection on its sample.

Two entry points:

``collect_quality(products, ...)``
    for every product: find its sample, resolve its suites, run them, and return an ``Evidence``
    holding ``quality`` per product id, the sample and suite files as inputs (with sha256), and one
    ``RunError`` per product that could not be evaluated. Merge it into the collected evidence
    before linking.
``quality_evidence(product, sample, suites, samples, quality, rules=...)``
    the same for one product with everything already located.

Importing this package is cheap; Great Expectations, pandas and pyarrow load on the first run
that has a sample or a suite.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from governance.collect.base import Evidence
from governance.collect.files import display_path
from governance.errors import GovernanceError, InputError
from governance.evaluate.gx.config import QualityConfig, SamplesConfig
from governance.evaluate.gx.odcs import (
    QualityRule,
    RuleLike,
    Unsupported,
    extract_rules,
    rules_suite,
)
from governance.evaluate.gx.suites import SuiteSpec, load_suite
from governance.model.evidence import Product, QualityEvidence
from governance.model.result import InputFile, RunError

__all__ = [
    "QualityConfig",
    "QualityRule",
    "SamplesConfig",
    "collect_quality",
    "extract_rules",
    "quality_evidence",
]


def quality_evidence(
    product: Product,
    sample_path: Path | None,
    suites: Sequence[Path],
    samples: SamplesConfig,
    quality: QualityConfig,
    *,
    rules: Sequence[RuleLike] = (),
) -> QualityEvidence | None:
    """Evidence for ``input.quality``; None when the product has no sample (nothing to run on).

    Suites are parsed and checked against GX even without a sample, so a broken suite fails the
    run instead of waiting for data. Raises ``InputError`` for any file or rule that cannot be
    evaluated faithfully.
    """
    specs = [load_suite(path) for path in suites]
    contract, unsupported = rules_suite(product.id, product.source.file, rules)
    if contract is not None:
        specs.append(contract)
    if sample_path is None:
        if specs:
            from governance.evaluate.gx.runner import build_expectations

            for spec in specs:
                build_expectations(spec)
        return None
    _unsupported(unsupported, quality)
    return _evaluate(sample_path, specs, samples)


def _unsupported(found: list[Unsupported], quality: QualityConfig) -> None:
    if found and quality.unsupported_rules == "error":
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(
            f"quality rule '{first.rule}' cannot be evaluated on a sample: {first.reason}{more}; "
            "set quality.unsupported_rules: skip in governance.yaml to ignore such rules",
            first.where,
        )


def _evaluate(sample_path: Path, specs: list[SuiteSpec], samples: SamplesConfig) -> QualityEvidence:
    from governance.collect.samples import read_sample
    from governance.evaluate.pii import detect_pii

    sample = read_sample(sample_path, samples.max_rows)
    results = []
    if specs:
        from governance.evaluate.gx.runner import run_suite

        results = [run_suite(sample, spec) for spec in specs]
    return QualityEvidence(
        sample=sample.display,
        rows_sampled=sample.rows,
        suites=results,
        pii_detected=detect_pii(sample.frame, samples.pii),
    )


def _rules(product: Product, given: dict[str, Sequence[RuleLike]] | None) -> Sequence[RuleLike]:
    if given is not None and product.id in given:
        return given[product.id]
    # Once QualitySpec carries the contract's rules (``rules: list[QualityRule]``) they are read
    # from there; until then the attribute is absent and only ``given`` rules run.
    found: Sequence[RuleLike] = getattr(product.quality, "rules", None) or ()
    return found


def _input(path: Path, kind: str) -> InputFile:
    return InputFile(
        path=display_path(path), sha256=hashlib.sha256(path.read_bytes()).hexdigest(), kind=kind
    )


def collect_quality(
    products: Sequence[Product],
    *,
    samples: SamplesConfig,
    quality: QualityConfig,
    samples_dir: Path | None = None,
    rules: dict[str, Sequence[RuleLike]] | None = None,
) -> Evidence:
    """Quality evidence for every product that has a sample, suites or contract rules.

    ``samples_dir`` is ``--samples DIR`` (it wins over ``samples.directory``); ``rules`` maps a
    product id to its contract quality rules (until ``QualitySpec`` carries them).
    """
    from governance.collect.samples import find_sample
    from governance.evaluate.gx.resolve import resolve_suites

    evidence = Evidence()
    directory = samples_dir or (Path(samples.directory) if samples.directory else None)
    for product in products:
        try:
            sample = find_sample(product, samples_dir=directory, mapping=samples.mapping)
            suites = resolve_suites(
                product,
                sample,
                suite_dirs=quality.suite_dirs,
                default_suites=quality.default_suites,
            )
            found = quality_evidence(
                product, sample, suites, samples, quality, rules=_rules(product, rules)
            )
        except GovernanceError as exc:
            evidence.errors.append(
                RunError(
                    kind=exc.kind,
                    message=exc.message,
                    where=str(exc.where) if exc.where else None,
                    product=product.id,
                )
            )
            continue
        if found is not None:
            evidence.quality[product.id] = found
        evidence.inputs.extend(_input(s, "gx_suite") for s in suites)
        if sample is not None:
            evidence.inputs.append(_input(sample, "sample"))
    return evidence
