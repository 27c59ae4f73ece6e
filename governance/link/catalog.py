"""Linking catalog datasets (DataHub, Glue) to the data products they describe.

A dataset belongs to the first product that claims it, trying the strongest evidence first:

1. **URN**: the product declares it (``Product.catalog_urns``; exact, then case-insensitive);
2. **property**: a custom/structured property or a ``key:value`` tag whose key is a product
   key (``DataProduct``, ``data_product`` ... as in ``tag_keys.product``) names the product (its
   id or name); DataHub Data Product membership arrives as the ``data_product`` property;
3. **location**: the dataset's storage location (a ``location``-like property, or the name of an
   s3/gcs dataset) is under one of the product's output locations (longest prefix wins), or its
   bucket, BigQuery dataset or Glue/Hive/Athena database is one of the product's storage names;
4. **name**: the dataset's table name (last dotted segment) is the product's id or name; only
   for products that nothing above matched, since a name alone is weak evidence.

Several sources may describe the same URN (Glue read directly and through DataHub): those are
merged into one dataset first (lists united, the first source's scalars kept), so a policy sees
one dataset per URN. Everything is dictionary lookups: linear in products plus datasets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from governance.model.evidence import CatalogColumn, CatalogDataset, Product

_SEP = re.compile(r"[\s_\-.]+")
_LOCATION_KEYS = frozenset(
    {"location", "storagelocation", "externallocation", "s3location", "path"}
)
_OBJECT_STORES = {"s3": "s3", "s3a": "s3", "s3n": "s3", "gs": "gs", "gcs": "gs"}
_URL = re.compile(r"^([a-z0-9]+)://([^/?#]+)(/[^?#]*)?", re.IGNORECASE)
_DATABASE_PLATFORMS = frozenset({"glue", "hive", "athena"})
DEFAULT_PRODUCT_KEYS = ("DataProduct", "data_product")


def _norm(text: str) -> str:
    return _SEP.sub("", text).lower()


def _url(location: str) -> str | None:
    """``s3a://Bucket/a/b/`` -> ``s3://Bucket/a/b``; None for anything but object-store URLs."""
    match = _URL.match(location.strip())
    if match is None or match.group(1).lower() not in _OBJECT_STORES:
        return None
    path = (match.group(3) or "").rstrip("/")
    return f"{_OBJECT_STORES[match.group(1).lower()]}://{match.group(2)}{path}"


def _union(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def merge(first: CatalogDataset, second: CatalogDataset) -> CatalogDataset:
    """One dataset described by two sources: lists united, first source's scalars kept."""
    columns = {c.name: c for c in first.columns}
    for col in second.columns:
        have = columns.get(col.name)
        columns[col.name] = (
            col
            if have is None
            else CatalogColumn(
                name=col.name,
                tags=_union(have.tags, col.tags),
                glossary_terms=_union(have.glossary_terms, col.glossary_terms),
            )
        )
    return first.model_copy(
        update={
            "owners": _union(first.owners, second.owners),
            "tags": _union(first.tags, second.tags),
            "glossary_terms": _union(first.glossary_terms, second.glossary_terms),
            "columns": list(columns.values()),
            "properties": {**second.properties, **first.properties},
            "domain": first.domain or second.domain,
            "platform": first.platform or second.platform,
        }
    )


def dedupe(datasets: Iterable[CatalogDataset]) -> list[CatalogDataset]:
    by_urn: dict[str, CatalogDataset] = {}
    for dataset in datasets:
        have = by_urn.get(dataset.urn)
        by_urn[dataset.urn] = dataset if have is None else merge(have, dataset)
    return list(by_urn.values())


class _Index:
    def __init__(self, products: Sequence[Product], product_keys: Iterable[str]) -> None:
        self.keys = frozenset(_norm(k) for k in product_keys)
        self.urn: dict[str, Product] = {}
        self.urn_folded: dict[str, Product] = {}
        self.named: dict[str, Product] = {}
        self.prefix: dict[str, Product] = {}
        self.storage: dict[str, Product] = {}
        for product in products:
            for urn in product.catalog_urns:
                self.urn.setdefault(urn, product)
                self.urn_folded.setdefault(urn.lower(), product)
            self.named.setdefault(_norm(product.id), product)
            for port in product.output_ports:
                url = _url(port.location or "")
                if url is not None:
                    self.prefix.setdefault(url, product)
            for name in product.storage:
                self.storage.setdefault(name.lower(), product)
        for product in products:  # names after ids: an id always wins over another's name
            self.named.setdefault(_norm(product.name), product)

    def by_urn(self, dataset: CatalogDataset) -> Product | None:
        return self.urn.get(dataset.urn) or self.urn_folded.get(dataset.urn.lower())

    def by_property(self, dataset: CatalogDataset) -> Product | None:
        values: list[Any] = [v for k, v in dataset.properties.items() if _norm(str(k)) in self.keys]
        for tag in dataset.tags:
            key, sep, value = tag.partition(":")
            if sep and _norm(key) in self.keys:
                values.append(value)
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                found = self.named.get(_norm(str(item)))
                if found is not None:
                    return found
        return None

    def by_location(self, dataset: CatalogDataset) -> Product | None:
        locations = [
            str(v) for k, v in dataset.properties.items() if _norm(str(k)) in _LOCATION_KEYS and v
        ]
        if dataset.platform in ("s3", "gcs"):
            scheme = "s3" if dataset.platform == "s3" else "gs"
            locations.append(f"{scheme}://{dataset.name}")
        for location in locations:
            url = _url(location)
            if url is None:
                continue
            path = url
            while "/" in path.partition("://")[2]:  # longest prefix first, down to the bucket
                found = self.prefix.get(path)
                if found is not None:
                    return found
                path = path.rsplit("/", 1)[0]
            found = self.prefix.get(path) or self.storage.get(path.partition("://")[2].lower())
            if found is not None:
                return found
        parts = dataset.name.split(".")
        if dataset.platform in _DATABASE_PLATFORMS and len(parts) >= 2:
            return self.storage.get(parts[0].lower())
        if dataset.platform == "bigquery" and len(parts) >= 3:
            return self.storage.get(parts[1].lower())
        return None

    def by_name(self, dataset: CatalogDataset) -> Product | None:
        table = dataset.name.replace("/", ".").split(".")[-1]
        return self.named.get(_norm(table))


def match_catalog(
    products: Sequence[Product],
    datasets: Sequence[CatalogDataset],
    product_keys: Iterable[str] = DEFAULT_PRODUCT_KEYS,
) -> tuple[dict[str, list[CatalogDataset]], list[CatalogDataset]]:
    """(product id -> its datasets, in catalog order; datasets no product claims)."""
    index = _Index(products, product_keys)
    matched: dict[str, list[CatalogDataset]] = {p.id: [] for p in products}
    pending: list[CatalogDataset] = []
    for dataset in dedupe(datasets):
        owner = index.by_urn(dataset) or index.by_property(dataset) or index.by_location(dataset)
        if owner is None:
            pending.append(dataset)
        else:
            matched[owner.id].append(dataset)
    unmatched: list[CatalogDataset] = []
    strongly_matched = {pid for pid, found in matched.items() if found}
    for dataset in pending:
        owner = index.by_name(dataset)
        if owner is not None and owner.id not in strongly_matched:
            matched[owner.id].append(dataset)
        else:
            unmatched.append(dataset)
    return matched, unmatched
