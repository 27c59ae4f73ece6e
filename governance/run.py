"""The pipeline, end to end: collect -> link -> evaluate -> decide. No I/O beyond reading inputs.

The CLI builds ``CheckOptions`` and renders the returned ``RunResult``; tests call these functions
directly. A stage that reports errors stops the pipeline before evaluation: evaluating a mesh with
a product missing would misattribute its resources, and the verdict is ``error`` anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from governance import __version__
from governance.collect import CollectContext, Evidence, collect_paths
from governance.decide import finalise
from governance.evaluate import get_engine
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.link import Linked, link_bundles
from governance.model.config import GovernanceConfig
from governance.model.result import RunError, RunInfo, RunResult, ToolInfo


@dataclass
class CheckOptions:
    paths: Sequence[Path]
    config: GovernanceConfig = field(default_factory=GovernanceConfig)
    policy_dirs: Sequence[Path] = ()
    engine: str = "embedded"
    opa_url: str | None = None
    fail_on: str = "high"
    waivers: Path | None = None
    baseline: Path | None = None
    today: date | None = None


def gather(paths: Sequence[Path], config: GovernanceConfig) -> tuple[Evidence, Linked]:
    """Collect and link: the bundles exactly as policies will see them (``governance inspect``)."""
    evidence = collect_paths(paths, CollectContext(config=config))
    linked = link_bundles(evidence, config) if not evidence.errors else Linked()
    return evidence, linked


def _new_result(options: CheckOptions, started: datetime) -> RunResult:
    return RunResult(
        tool=ToolInfo(version=__version__),
        run=RunInfo(
            id=uuid.uuid4().hex,
            started_at=started,
            fail_on=options.fail_on,
            engine=options.engine,
        ),
    )


def check(options: CheckOptions) -> RunResult:
    started = datetime.now(UTC)
    result = _new_result(options, started)
    evidence, linked = gather(options.paths, options.config)
    result.run.inputs = evidence.inputs
    result.errors.extend(evidence.errors)
    result.errors.extend(linked.errors)
    domains = {b.id: (b.product.domain if b.product else None) for b in linked.bundles}

    if not result.errors:
        pack = load_pack([*builtin_pack_dirs(), *options.policy_dirs], options.config)
        engine = get_engine(options.engine, pack=pack, opa_url=options.opa_url)
        evaluation = engine.evaluate(linked.bundles, pack.policies, options.config)
        result.findings.extend(evaluation.findings)
        result.errors.extend(evaluation.errors)

    _apply_exceptions(result, options)
    result.run.finished_at = datetime.now(UTC)
    return finalise(result, domains)


def _apply_exceptions(result: RunResult, options: CheckOptions) -> None:
    """Waivers and baseline, when given (their loaders raise ConfigError on bad files)."""
    if options.waivers is not None:
        from governance.decide.waivers import apply_waivers, load_waivers

        today = options.today or datetime.now(UTC).date()
        result.waivers = apply_waivers(result.findings, load_waivers(options.waivers), today)
    if options.baseline is not None:
        from governance.decide.baseline import apply_baseline, load_baseline

        result.fixed = apply_baseline(result.findings, load_baseline(options.baseline))


def error_result(options: CheckOptions, error: RunError) -> RunResult:
    """A result for a run that could not start (bad config, broken policy pack)."""
    result = _new_result(options, datetime.now(UTC))
    result.errors.append(error)
    result.run.finished_at = result.run.started_at
    return finalise(result, {})
