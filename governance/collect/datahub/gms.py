"""A live DataHub (GMS) through the SDK's graph client: read datasets, write metadata.

URL: the ``gms:URL`` source, else ``DATAHUB_GMS_URL``. Token: ``DATAHUB_GMS_TOKEN`` only (never
a config file or a command line, where it would end up in shell history or a repository). Every
failure (unreachable server, bad token, HTTP error) is a ``CollectorError`` naming the server,
never the token.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from governance.collect.datahub.fold import RELEVANT, CatalogFold
from governance.collect.datahub.records import Record
from governance.collect.datahub.sdk import prepare
from governance.errors import CollectorError, UsageError, Where
from governance.model.evidence import CatalogDataset, Location

GMS_URL_ENV = "DATAHUB_GMS_URL"
GMS_TOKEN_ENV = "DATAHUB_GMS_TOKEN"

# The aspects the catalog model is folded from (fold.RELEVANT), requested per dataset.
DATASET_ASPECTS = sorted(RELEVANT["dataset"])


def resolve_url(url: str | None) -> str:
    resolved = url or os.environ.get(GMS_URL_ENV)
    if not resolved:
        raise UsageError(f"no DataHub GMS URL: give gms:URL or set {GMS_URL_ENV}")
    return resolved.rstrip("/")


def where(url: str) -> Where:
    return Where(source=f"DataHub GMS {url}")


def graph_errors() -> tuple[type[Exception], ...]:
    """What the graph client raises for transport, HTTP and server-side failures."""
    prepare()
    from datahub.configuration.common import MetaError
    from requests.exceptions import RequestException

    return (RequestException, MetaError)


def connect(url: str | None = None, *, timeout: float = 30.0) -> Any:
    """A connected ``DataHubGraph`` (the server's /config answered with this token)."""
    prepare()
    from datahub.ingestion.graph.client import DataHubGraph
    from datahub.ingestion.graph.config import DatahubClientConfig

    server = resolve_url(url)
    token = os.environ.get(GMS_TOKEN_ENV) or None
    try:
        graph = DataHubGraph(
            DatahubClientConfig(server=server, token=token, timeout_sec=timeout, retry_max_times=1)
        )
        graph.test_connection()
    except graph_errors() as exc:
        raise CollectorError(f"cannot connect: {_first_line(exc)}", where(server)) from exc
    return graph


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _entity_records(graph: Any, urn: str, aspects: list[str]) -> list[Record]:
    return [
        Record(urn, str(m.aspectName), "upsert", m.aspect.to_obj())
        for m in graph.get_entity_as_mcps(urn, aspects)
        if m.aspect is not None
    ]


def _referenced(fold: CatalogFold) -> tuple[set[str], set[str]]:
    """Domain and glossary-term URNs the datasets use (to fetch their names)."""
    domains: set[str] = set()
    terms: set[str] = set()
    for urn, aspects in fold.entities.items():
        if not urn.startswith("urn:li:dataset:"):
            continue
        domains.update(
            d for d in (aspects.get("domains") or {}).get("domains") or [] if isinstance(d, str)
        )
        infos: list[Any] = [aspects.get("glossaryTerms") or {}]
        for name in ("schemaMetadata", "editableSchemaMetadata"):
            for key in ("fields", "editableSchemaFieldInfo"):
                infos += [
                    f.get("glossaryTerms") or {} for f in (aspects.get(name) or {}).get(key) or []
                ]
        for info in infos:
            terms.update(t["urn"] for t in info.get("terms") or [] if isinstance(t.get("urn"), str))
    return domains, terms


def read_gms(
    graph: Any,
    url: str,
    *,
    urns: Iterable[str] = (),
    platforms: Sequence[str] = (),
    env: str | None = None,
    query: str | None = None,
    scan: bool = True,
) -> list[CatalogDataset]:
    """Datasets of the server: every dataset matching the filters (``scan``) plus ``urns``.

    One request per entity: narrow the scan with ``platforms``/``env``/``query`` on big catalogs.
    """

    def locate(urn: str, line: int | None) -> Location:
        return Location(file=url)

    fold = CatalogFold(url, locate)
    try:
        wanted = list(dict.fromkeys(urns))
        if scan:
            found = graph.get_urns_by_filter(
                entity_types=["dataset"], platform=list(platforms) or None, env=env, query=query
            )
            wanted = list(dict.fromkeys([*found, *wanted]))
        for urn in wanted:
            records = _entity_records(graph, urn, DATASET_ASPECTS)
            if not records and graph.exists(urn):
                # An entity with none of the aspects read here still is registered.
                records = [Record(urn, "datasetKey", "upsert", {})]
            fold.add_all(records)
        domains, terms = _referenced(fold)
        for urn in sorted(domains):
            fold.add_all(_entity_records(graph, urn, ["domainProperties"]))
        for urn in sorted(terms):
            fold.add_all(_entity_records(graph, urn, ["glossaryTermInfo"]))
        for urn in graph.get_urns_by_filter(entity_types=["dataProduct"]):
            fold.add_all(_entity_records(graph, urn, ["dataProductProperties", "status"]))
    except graph_errors() as exc:
        raise CollectorError(f"reading datasets failed: {_first_line(exc)}", where(url)) from exc
    return fold.datasets()


def emit(graph: Any, url: str, items: Sequence[Any]) -> None:
    """Write SDK objects (MCPs, patches) to the server in batches."""
    try:
        graph.emit_mcps(list(items))
    except graph_errors() as exc:
        raise CollectorError(f"writing metadata failed: {_first_line(exc)}", where(url)) from exc
