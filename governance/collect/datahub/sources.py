"""Catalog sources other than files (``--catalog lite|gms|glue``) collected into ``Evidence``.

Each source read becomes an ``InputFile`` of the run (kind ``datahub-lite``, ``datahub-gms`` or
``glue``) whose sha256 is taken over the datasets read, so a report records exactly which catalog
state a verdict was based on. A source that cannot be read is an error of the run (exit 2): the
catalog policies must not evaluate an empty catalog as if nothing were registered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from governance.collect.base import Evidence
from governance.collect.datahub.endpoints import Endpoint
from governance.collect.files import display_path
from governance.errors import GovernanceError, UsageError
from governance.extras import require
from governance.model.evidence import CatalogDataset, Product
from governance.model.result import InputFile, RunError


@dataclass(frozen=True)
class CatalogQuery:
    """How much of a big catalog to read (GMS and Glue); declared URNs are always read."""

    platforms: Sequence[str] = ()
    env: str | None = None
    query: str | None = None
    glue_databases: Sequence[str] = ()
    scan: bool = True
    """False: read only the URNs the products declare (GMS)."""


@dataclass
class _Read:
    datasets: list[CatalogDataset] = field(default_factory=list)
    name: str = ""
    kind: str = ""


def digest(datasets: Iterable[CatalogDataset]) -> str:
    payload = json.dumps(
        [d.model_dump(mode="json", exclude={"location"}) for d in datasets], sort_keys=True
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _read(endpoint: Endpoint, products: Sequence[Product], query: CatalogQuery) -> _Read:
    if endpoint.kind in ("lite", "gms", "glue"):
        require("aws" if endpoint.kind == "glue" else "datahub", f"the catalog source '{endpoint}'")
    if endpoint.kind == "lite":
        from governance.collect.datahub.lite import read_lite

        path = endpoint.lite_path()
        return _Read(read_lite(path), display_path(path), "datahub-lite")
    if endpoint.kind == "gms":
        from governance.collect.datahub.gms import connect, read_gms, resolve_url

        url = resolve_url(endpoint.location)
        urns = [u for p in products for u in p.catalog_urns]
        datasets = read_gms(
            connect(url),
            url,
            urns=urns,
            platforms=query.platforms,
            env=query.env,
            query=query.query,
            scan=query.scan,
        )
        return _Read(datasets, url, "datahub-gms")
    if endpoint.kind == "glue":
        from governance.collect.glue import GlueOptions, read_glue

        options = GlueOptions(region=endpoint.location, databases=tuple(query.glue_databases))
        datasets = read_glue(options)
        return _Read(datasets, f"glue:{options.describe()}", "glue")
    raise UsageError(f"--catalog '{endpoint}': files are read as PATHS; use lite, gms or glue")


def collect_catalog(
    endpoints: Sequence[Endpoint],
    products: Sequence[Product] = (),
    query: CatalogQuery | None = None,
) -> Evidence:
    """Read every catalog source; a failing source is a run error naming it, not a crash."""
    query = query or CatalogQuery()
    evidence = Evidence()
    for endpoint in endpoints:
        try:
            read = _read(endpoint, products, query)
        except GovernanceError as exc:
            evidence.errors.append(
                RunError(
                    kind=exc.kind,
                    message=exc.message,
                    where=str(exc.where) if exc.where else str(endpoint),
                )
            )
            continue
        evidence.catalog.extend(read.datasets)
        evidence.inputs.append(
            InputFile(path=read.name, sha256=digest(read.datasets), kind=read.kind)
        )
    return evidence
