"""The pipeline, end to end: collect -> link -> evaluate -> decide (-> store).

The CLI builds options and renders the returned ``RunResult``; tests call these functions
directly. An error that belongs to one data product (its manifest, suite, sample or catalog
entry: ``RunError.product``) marks that product ``error`` and the others are evaluated as usual;
an error that belongs to nobody (an unreadable plan, a broken pack, an unreachable catalog) stops
the pipeline before evaluation, since evaluating without it could misattribute resources. A live
``scan`` evaluates what it could read even when some account or region failed (the verdict is
still ``error``): a nightly report on 49 of 50 accounts is worth having. Either way the verdict is
``error`` (exit 2) whenever any error occurred.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from governance import __version__
from governance.collect import CollectContext, Evidence, collect_paths
from governance.decide import finalise
from governance.errors import GovernanceError
from governance.extras import require
from governance.link import Linked, link_bundles, normalise_key
from governance.model.config import GovernanceConfig
from governance.model.evidence import UNOWNED, Bundle, Drift
from governance.model.result import RunError, RunInfo, RunResult, ToolInfo, TrendPoint, Verdict

if TYPE_CHECKING:
    from governance.collect.aws.options import AwsScanOptions
    from governance.collect.datahub.endpoints import Endpoint
    from governance.evaluate.pack import PolicyPack
    from governance.store.sql import HistoryStore


@dataclass
class CheckOptions:
    paths: Sequence[Path]
    config: GovernanceConfig = field(default_factory=GovernanceConfig)
    policy_dirs: Sequence[Path] = ()
    engine: str = "embedded"
    opa_url: str | None = None
    opa_preloaded: bool = False
    fail_on: str = "high"
    waivers: Path | None = None
    baseline: Path | None = None
    samples: Path | None = None
    catalog: Sequence[Endpoint] = ()
    """Catalog sources to read (``--catalog``), besides DataHub files among the paths."""
    publish: Endpoint | None = None
    """Publish per-dataset compliance back to this DataHub target (``--publish datahub``)."""
    checkov: bool | None = None
    """Run checkov (overrides ``checkov.enabled`` in the config when not None)."""
    terraform_dirs: Sequence[Path] = ()
    terraform_root: Path | None = None
    """The root module the plans were made from: checkov findings then point at .tf lines."""
    history: str | None = None
    today: date | None = None
    allow_empty: bool = False
    """Accept a run in which nothing was evaluated (by default it is an error: exit 2)."""


def gather(
    paths: Sequence[Path],
    config: GovernanceConfig,
    samples: Path | None = None,
    catalog: Sequence[Endpoint] = (),
) -> tuple[Evidence, Linked]:
    """Collect and link: the bundles exactly as policies will see them (``governance inspect``)."""
    evidence = collect_paths(paths, CollectContext(config=config))
    if stops_run(evidence.errors):
        return evidence, Linked()
    endpoints = _catalog_endpoints(config, catalog)
    if endpoints:
        from governance.collect.datahub.sources import CatalogQuery, collect_catalog

        query = CatalogQuery(
            platforms=config.catalog.platforms,
            env=config.catalog.env,
            query=config.catalog.query,
            glue_databases=config.catalog.glue_databases,
        )
        evidence.merge(collect_catalog(endpoints, evidence.products, query))
        if stops_run(evidence.errors):
            return evidence, Linked()
    if _wants_quality(evidence, config, samples):
        require("gx", "data samples and quality suites")
        from governance.evaluate.gx import collect_quality

        evidence.merge(
            collect_quality(
                evidence.products,
                samples=config.samples,
                quality=config.quality,
                samples_dir=samples,
            )
        )
    return evidence, link_bundles(evidence, config)


def stops_run(errors: Sequence[RunError]) -> bool:
    """An error that belongs to no product stops the run before evaluation."""
    return any(e.product is None for e in errors)


def _failed_products(errors: Sequence[RunError]) -> set[str]:
    return {e.product for e in errors if e.product is not None}


def _catalog_endpoints(config: GovernanceConfig, given: Sequence[Endpoint]) -> list[Endpoint]:
    if given or not config.catalog.sources:
        return list(given)
    from governance.collect.datahub.endpoints import parse_endpoint

    return [parse_endpoint(text, option="catalog.sources") for text in config.catalog.sources]


_CATALOG_KINDS = {"datahub", "datahub-lite", "datahub-gms", "glue"}


def with_catalog_policies(config: GovernanceConfig, evidence: Evidence) -> GovernanceConfig:
    """Catalog policies apply when catalog evidence was part of the run (sources or files)."""
    asked = any(i.kind in _CATALOG_KINDS for i in evidence.inputs)
    if config.catalog.enabled or not (asked or evidence.catalog):
        return config
    catalog = config.catalog.model_copy(update={"enabled": True})
    return config.model_copy(update={"catalog": catalog})


def _wants_quality(evidence: Evidence, config: GovernanceConfig, samples: Path | None) -> bool:
    """Only then is the data-quality stage (and GX) loaded at all."""
    if samples is not None or config.samples.directory or config.samples.mapping:
        return True
    if config.quality.default_suites:
        return bool(evidence.products)
    return any(p.quality and (p.quality.sample or p.quality.suites) for p in evidence.products)


_CATALOG_EXTRAS = {"lite": "datahub", "gms": "datahub", "glue": "aws"}


def require_extras(options: CheckOptions, *, checkov: bool = False, catalog: bool = True) -> None:
    """Every extra the options ask for, before anything is read: a nightly scan must not run for
    an hour and then fail to store its result. (The quality stage's extra is known only once the
    manifests are read: ``gather`` checks it.)"""
    if options.engine == "opa":
        require("opa", "--engine opa")
    if checkov:
        require("checkov", "--checkov (checkov.enabled)")
    for endpoint in _catalog_endpoints(options.config, options.catalog) if catalog else ():
        extra = _CATALOG_EXTRAS.get(endpoint.kind)
        if extra is not None:
            require(extra, f"the catalog source '{endpoint}'")
    if options.publish is not None:
        require("datahub", "--publish datahub")
    if options.history:
        from governance.store import require_history

        require_history(options.history)


def _new_result(command: str, options: CheckOptions) -> RunResult:
    return RunResult(
        tool=ToolInfo(version=__version__),
        run=RunInfo(
            id=uuid.uuid4().hex,
            command=command,
            started_at=datetime.now(UTC),
            fail_on=options.fail_on,
            engine=options.engine,
        ),
    )


def _load_pack(options: CheckOptions) -> PolicyPack:
    from governance.evaluate.pack import builtin_pack_dirs, load_pack

    return load_pack([*builtin_pack_dirs(), *options.policy_dirs], options.config)


def _loading_pack(options: CheckOptions) -> Future[PolicyPack]:
    """Load (and compile-check) the pack in a thread while collection runs: the compile check is
    a child process, so on two cores it costs no wall time (~0.4 s saved at 25k resources). The
    result is only read when evaluation starts, so a broken pack still fails the run as before,
    and a run whose evidence failed never reports policy errors it did not need."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack")
    try:
        return pool.submit(_load_pack, options)
    finally:
        pool.shutdown(wait=False)  # the submitted load runs on; nothing else will be submitted


def _evaluate(
    result: RunResult,
    bundles: list[Bundle],
    options: CheckOptions,
    config: GovernanceConfig,
    pack: PolicyPack,
) -> dict[str, dict[str, str]]:
    """Findings and errors onto ``result``; returns the policies skipped per bundle (decide)."""
    from governance.evaluate import get_engine

    engine = get_engine(
        options.engine, pack=pack, opa_url=options.opa_url, opa_preloaded=options.opa_preloaded
    )
    evaluation = engine.evaluate(bundles, pack.policies, config)
    result.findings.extend(evaluation.findings)
    result.errors.extend(evaluation.errors)
    return evaluation.skipped


def _evaluate_products(
    result: RunResult,
    linked: Linked,
    options: CheckOptions,
    config: GovernanceConfig,
    pack: PolicyPack,
) -> tuple[set[str], dict[str, dict[str, str]]]:
    """Evaluate every bundle but those of products in error; returns those products, and the
    policies skipped per bundle."""
    failed = _failed_products(result.errors)
    bundles = [b for b in linked.bundles if b.id not in failed]
    return failed, _evaluate(result, bundles, options, config, pack)


def _coverage(result: RunResult, linked: Linked, evidence: Evidence, options: CheckOptions) -> None:
    """What no policy read (``uncovered``); a run that evaluated nothing is an error unless
    ``--allow-empty``: a governance run that looked at nothing must not read as a pass."""
    from governance.evaluate.coverage import describe, uncovered

    result.uncovered = uncovered(linked.bundles)
    if result.findings or result.errors or options.allow_empty:
        return
    why = describe(result.uncovered) or _nothing_found(linked, evidence)
    shown = ", ".join(str(p) for p in options.paths) or None
    result.errors.append(
        RunError(
            kind="input",
            message=f"nothing was evaluated: {why} (--allow-empty accepts an empty run)",
            where=shown,
        )
    )


def _nothing_found(linked: Linked, evidence: Evidence) -> str:
    if linked.bundles:
        return "no policy applied to any of the evidence"
    if evidence.catalog:
        n = len(evidence.catalog)
        return f"{n} catalog dataset(s) but no data product manifest to judge them against"
    return "no data product, resource or catalog dataset was found"


def _conclude(
    result: RunResult,
    linked: Linked,
    options: CheckOptions,
    skipped: Mapping[str, Mapping[str, str]] | None = None,
) -> RunResult:
    """Waivers, baseline, verdict; then the history store (a failed write makes the run error)."""
    from governance.evaluate.coverage import not_evaluated_reasons

    _apply_exceptions(result, options)
    result.run.finished_at = datetime.now(UTC)
    domains = {b.id: (b.product.domain if b.product else None) for b in linked.bundles}
    reasons = not_evaluated_reasons(linked.bundles)
    finalise(result, domains, reasons, skipped)
    if options.publish is not None and not result.errors:
        _publish(result, linked, options.publish)
        if result.errors:
            finalise(result, domains, reasons, skipped)
    if options.history:
        from governance.store import open_store

        try:
            with open_store(options.history) as store:
                store.save(result)
                result.trend = history_trend(store)
        except GovernanceError as exc:
            result.errors.append(_run_error(exc))
            finalise(result, domains, reasons, skipped)
    return result


def _publish(result: RunResult, linked: Linked, target: Endpoint) -> None:
    """Compliance back to DataHub, next to each product's datasets; a failure is a run error."""
    from governance.report.publish.datahub import publish_datahub

    datasets = {b.id: [d.urn for d in b.catalog] for b in linked.bundles if b.product}
    try:
        publish_datahub(result, datasets, target)
    except GovernanceError as exc:
        result.errors.append(_run_error(exc))  # the caller decides again


def history_trend(store: HistoryStore, last: int = 30) -> list[TrendPoint]:
    """Mesh-wide and per-domain compliance of the last runs, oldest first (the HTML trend chart).

    A run that ended in error is no point (its share would be 0 or partial): a gap, as in the
    store's own trends."""
    listed = store.list_runs(limit=last)
    runs = sorted(
        (r for r in listed if r.verdict != Verdict.ERROR.value), key=lambda r: r.started_at
    )
    points = [
        TrendPoint(
            run_id=r.id,
            started_at=r.started_at,
            products=r.products,
            compliant=r.compliant_products,
            score=round(r.compliant_products / r.products, 4) if r.products else 0.0,
        )
        for r in runs
    ]
    points.extend(
        TrendPoint(
            run_id=d.run_id,
            started_at=d.started_at,
            domain=d.domain,
            products=d.products,
            compliant=d.compliant,
            score=d.score,
        )
        for d in sorted(store.domain_trend(last=last), key=lambda d: (d.domain, d.started_at))
        if d.score is not None  # no product of the domain was evaluated in that run
    )
    return points


def check(options: CheckOptions) -> RunResult:
    wants_checkov = (
        options.checkov if options.checkov is not None else options.config.checkov.enabled
    )
    require_extras(options, checkov=wants_checkov)
    result = _new_result("check", options)
    pack = _loading_pack(options)
    evidence, linked = gather(options.paths, options.config, options.samples, options.catalog)
    result.run.inputs = evidence.inputs
    result.errors.extend(evidence.errors)
    result.errors.extend(linked.errors)
    skipped: dict[str, dict[str, str]] = {}
    if not stops_run(result.errors):
        config = with_catalog_policies(options.config, evidence)
        failed, skipped = _evaluate_products(result, linked, options, config, pack.result())
        if wants_checkov:
            _run_checkov(result, evidence, linked, options, config)
            # checkov sees whole plans: keep nothing for a product reported in error
            result.findings = [f for f in result.findings if f.product not in failed]
        _coverage(result, linked, evidence, options)
    return _conclude(result, linked, options, skipped)


def _run_checkov(
    result: RunResult,
    evidence: Evidence,
    linked: Linked,
    options: CheckOptions,
    config: GovernanceConfig,
) -> None:
    """checkov's checks on the same plans, attributed to the same products by address."""
    from governance.evaluate.checkov import run_checkov
    from governance.evaluate.checkov.findings import owner_key

    owners: dict[str, tuple[str, str | None]] = {}
    for bundle in linked.bundles:
        if bundle.product is None:
            continue
        owner = (bundle.id, bundle.product.domain)
        for resource in bundle.resources:
            owners[resource.address] = owner
            if resource.location is not None and resource.location.file:
                owners[owner_key(resource.location.file, resource.address)] = owner
    plans = [Path(i.path) for i in evidence.inputs if i.kind == "tfplan"]
    evaluation = run_checkov(
        plans,
        [*options.terraform_dirs, *config.checkov.terraform_dirs],
        owners,
        config.checkov.model_copy(update={"enabled": True}),  # --checkov overrides the config
        options.terraform_root,
        tag_owner=product_for_tags(linked, config),
    )
    result.findings.extend(evaluation.findings)
    result.errors.extend(evaluation.errors)


def product_for_tags(
    linked: Linked, config: GovernanceConfig
) -> Callable[[Mapping[str, str]], tuple[str, str | None] | None]:
    """Ownership by tags, for resources only checkov sees (HCL directories)."""
    keys = {normalise_key(k) for k in config.tag_keys.product}
    products = {
        normalise_key(name): (b.id, b.product.domain)
        for b in linked.bundles
        if b.product is not None
        for name in (b.product.id, b.product.name)
    }

    def owner(tags: Mapping[str, str]) -> tuple[str, str | None] | None:
        for key, value in tags.items():
            if normalise_key(key) in keys and isinstance(value, str):
                return products.get(normalise_key(value))
        return None

    return owner


def scan(options: CheckOptions, aws: AwsScanOptions, plans: Sequence[Path] = ()) -> RunResult:
    """Live AWS evidence against the same policies; products come from the manifests in paths."""
    require("aws", "scan aws")
    require_extras(options, catalog=False)  # a scan reads no catalog
    from governance.collect.aws import collected_types, scan_aws

    result = _new_result("scan", options)
    declared = collect_paths(options.paths, CollectContext(config=options.config))
    # Only declarations count from the paths: plan resources describe the future, not what exists.
    evidence = Evidence(products=declared.products, inputs=declared.inputs, errors=declared.errors)
    stopped = stops_run(declared.errors)
    if not stopped:
        evidence.merge(scan_aws(aws))
    linked = link_bundles(evidence, options.config) if not stopped else Linked()
    result.run.inputs = evidence.inputs
    result.errors.extend([*evidence.errors, *linked.errors])
    if plans and not stopped:
        planned = collect_paths(plans, CollectContext(config=options.config))
        result.run.inputs.extend(planned.inputs)
        result.errors.extend(planned.errors)
        attach_drift(linked, planned, evidence, options.config, collected_types(aws.services))
    skipped: dict[str, dict[str, str]] = {}
    if not stopped:
        for bundle in linked.bundles:
            bundle.live_services = list(aws.services)  # policies needing another: not evaluated
        pack = _load_pack(options)
        _, skipped = _evaluate_products(result, linked, options, options.config, pack)
        _coverage(result, linked, evidence, options)
    return _conclude(result, linked, options, skipped)


def attach_drift(
    linked: Linked,
    planned: Evidence,
    live: Evidence,
    config: GovernanceConfig,
    live_types: set[str],
) -> None:
    """Give each bundle the plan-vs-live differences of its resources (``input.drift``)."""
    from governance.collect.aws.drift import drift_findings

    owner_of: dict[str, str] = {}
    plan_links = link_bundles(Evidence(products=live.products, resources=planned.resources), config)
    for bundle in plan_links.bundles:
        owner_of.update({r.address: bundle.id for r in bundle.resources})
    by_id = {b.id: b for b in linked.bundles}
    for bundle in linked.bundles:
        bundle.drift = []
    for item in drift_findings(planned.resources, live.resources, live_types=live_types):
        owner = owner_of.get(item.plan_address, UNOWNED)
        target = by_id.get(owner)
        if target is None:
            target = Bundle(id=owner, drift=[])
            linked.bundles.append(target)
            by_id[owner] = target
        assert target.drift is not None
        target.drift.append(Drift(**asdict(item)))


def _apply_exceptions(result: RunResult, options: CheckOptions) -> None:
    """Waivers and baseline, when given (their loaders raise ConfigError on bad files)."""
    if options.waivers is not None:
        from governance.decide.waivers import apply_waivers, load_waivers

        today = options.today or datetime.now(UTC).date()
        result.waivers = apply_waivers(result.findings, load_waivers(options.waivers), today)
    if options.baseline is not None:
        from governance.decide.baseline import apply_baseline, load_baseline

        result.fixed = apply_baseline(result.findings, load_baseline(options.baseline))


def _run_error(exc: GovernanceError) -> RunError:
    return RunError(kind=exc.kind, message=exc.message, where=str(exc.where) if exc.where else None)
