"""The AWS Glue Data Catalog as catalog evidence: databases and tables -> ``CatalogDataset``.

Each table becomes a dataset with DataHub's URN for Glue tables
(``urn:li:dataset:(urn:li:dataPlatform:glue,<database>.<table>,PROD)``), so the same table seen
through DataHub's Glue ingestion and read here directly is recognisably the same dataset.

* ``owners``: the table's ``Owner``; ``tags``: its AWS resource tags as ``key:value``;
* ``properties``: the table parameters, plus ``location`` (the storage location), ``table_type``
  and ``database``;
* ``columns`` (columns and partition keys): tags and terms from column parameters, the
  convention Glue leaves to its users: ``pii``/``is_pii``/``contains_pii`` true -> tag ``pii``;
  ``tags``/``tag`` and ``glossary_terms``/``terms`` (comma-separated); ``classification`` -> tag
  ``classification:<value>``. Column comments are descriptions, not tags.

Credentials and endpoints are resolved by boto3 as usual (profile, environment, instance role;
``AWS_ENDPOINT_URL_GLUE``). Any AWS failure is a ``CollectorError`` naming region and account.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from governance.errors import CollectorError, Where
from governance.model.evidence import CatalogColumn, CatalogDataset, Location

ENV = "PROD"
_TRUE = frozenset({"true", "yes", "1", "y"})
_SPLIT = re.compile(r"[,;]")
_PII_KEYS = frozenset({"pii", "ispii", "containspii"})
_TAG_KEYS = frozenset({"tags", "tag"})
_TERM_KEYS = frozenset({"glossaryterms", "glossaryterm", "terms", "term"})


@dataclass(frozen=True)
class GlueOptions:
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    databases: tuple[str, ...] = ()
    """Only these databases (all when empty); a named database that does not exist is an error."""
    resource_tags: bool = True
    """Read each table's AWS tags (one GetTags call per table)."""

    def describe(self) -> str:
        return self.region or "default region"


def _client_config() -> Any:
    from botocore.config import Config

    # Throttling and transient errors are retried; an unreachable endpoint fails in seconds.
    return Config(
        connect_timeout=10, read_timeout=60, retries={"mode": "standard", "max_attempts": 3}
    )


def _key(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text).lower()


def _items(value: str) -> list[str]:
    return [v.strip() for v in _SPLIT.split(value) if v.strip()]


def column(raw: Mapping[str, Any]) -> CatalogColumn:
    tags: list[str] = []
    terms: list[str] = []
    for key, value in (raw.get("Parameters") or {}).items():
        k, text = _key(str(key)), str(value)
        if k in _PII_KEYS and text.strip().lower() in _TRUE:
            tags.append("pii")
        elif k in _TAG_KEYS:
            tags.extend(_items(text))
        elif k in _TERM_KEYS:
            terms.extend(_items(text))
        elif k == "classification" and text.strip():
            tags.append(f"classification:{text.strip()}")
    return CatalogColumn(
        name=str(raw["Name"]), tags=list(dict.fromkeys(tags)), glossary_terms=terms
    )


def table_dataset(
    table: Mapping[str, Any], region: str, arn: str, tags: Mapping[str, str]
) -> CatalogDataset:
    database, name = str(table["DatabaseName"]), str(table["Name"])
    storage = table.get("StorageDescriptor") or {}
    properties: dict[str, Any] = dict(table.get("Parameters") or {})
    properties.update(
        {
            "location": storage.get("Location"),
            "table_type": table.get("TableType"),
            "database": database,
        }
    )
    raw_columns = [*(storage.get("Columns") or []), *(table.get("PartitionKeys") or [])]
    return CatalogDataset(
        urn=f"urn:li:dataset:(urn:li:dataPlatform:glue,{database}.{name},{ENV})",
        platform="glue",
        name=f"{database}.{name}",
        owners=[str(table["Owner"])] if table.get("Owner") else [],
        tags=[f"{k}:{v}" if v else k for k, v in sorted(tags.items())],
        columns=[column(c) for c in raw_columns],
        properties={k: v for k, v in properties.items() if v is not None},
        location=Location(account=table.get("CatalogId"), region=region, arn=arn),
    )


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, [])


def _databases(client: Any, wanted: tuple[str, ...]) -> list[str]:
    names = [str(d["Name"]) for d in _pages(client, "get_databases", "DatabaseList")]
    if not wanted:
        return names
    missing = [d for d in wanted if d not in names]
    if missing:
        raise CollectorError(f"Glue database '{missing[0]}' not found", None)
    return list(wanted)


def read_glue(options: GlueOptions, *, session: Any = None) -> list[CatalogDataset]:
    """Every table of the selected databases, as catalog evidence."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    where = Where(source=f"AWS Glue {options.describe()}")
    try:
        session = session or boto3.Session(profile_name=options.profile, region_name=options.region)
        client = session.client("glue", endpoint_url=options.endpoint_url, config=_client_config())
        region = str(client.meta.region_name)
        where = Where(source=f"AWS Glue {region}")
        partition = session.get_partition_for_region(region)
        datasets = []
        for database in _databases(client, options.databases):
            for table in _pages(client, "get_tables", "TableList", DatabaseName=database):
                account = table.get("CatalogId", "")
                arn = f"arn:{partition}:glue:{region}:{account}:table/{database}/{table['Name']}"
                tags = (
                    client.get_tags(ResourceArn=arn).get("Tags", {})
                    if options.resource_tags
                    else {}
                )
                datasets.append(table_dataset(table, region, arn, tags))
    except CollectorError as exc:
        raise CollectorError(exc.message, where) from exc
    except ClientError as exc:
        error = exc.response.get("Error", {})
        message = f"{error.get('Code', 'error')}: {error.get('Message', exc)}"
        raise CollectorError(f"{exc.operation_name} failed: {message}", where) from exc
    except BotoCoreError as exc:
        raise CollectorError(str(exc), where) from exc
    return datasets
