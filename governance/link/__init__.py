"""Stage 2, link: group evidence into one bundle per data product, plus the unowned bundle.

A resource belongs to a product when its product tag names it (any accepted spelling of the key,
AWS tags or GCP labels) or when its physical name is one of the product's declared storage
locations. Everything no product claims goes to the ``unowned`` bundle, which is governed too:
every data-bearing resource must belong to a product.

Everything here is dictionary lookups: linear in the number of resources.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from governance.collect.base import Evidence
from governance.link.catalog import match_catalog
from governance.model.config import GovernanceConfig
from governance.model.evidence import UNOWNED, Bundle, Product, Resource
from governance.model.result import RunError

_SEP = re.compile(r"[\s_\-.]+")


def normalise_key(text: str) -> str:
    """Compare names and tag keys the way people spell them: case, '-', '_', '.' and spaces fold."""
    return _SEP.sub("", text).lower()


@dataclass
class Linked:
    bundles: list[Bundle] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)


def _where(product: Product) -> str:
    src = product.source
    return f"{src.file}:{src.line}" if src.line is not None else str(src.file)


def _index_products(products: list[Product], errors: list[RunError]) -> dict[str, Product]:
    """Products by normalised id and name; a duplicate is an error naming both declarations."""
    by_key: dict[str, Product] = {}
    seen_ids: dict[str, Product] = {}
    for product in products:
        key = normalise_key(product.id)
        first = seen_ids.get(key)
        if first is not None:
            errors.append(
                RunError(
                    kind="input",
                    message=(
                        f"duplicate data product '{product.id}' (first declared at {_where(first)})"
                    ),
                    where=_where(product),
                    product=product.id,
                )
            )
            continue
        seen_ids[key] = product
        by_key[key] = product
        by_key.setdefault(normalise_key(product.name), product)
    return by_key


def _tag_value(resource: Resource, keys: frozenset[str]) -> str | None:
    for key, value in resource.tags.items():
        if normalise_key(key) in keys and value:
            return value
    return None


def link_bundles(evidence: Evidence, config: GovernanceConfig) -> Linked:
    linked = Linked()
    products = _index_products(evidence.products, linked.errors)
    unique = {id(p): p for p in products.values()}
    by_storage: dict[str, Product] = {}
    for product in unique.values():
        for name in product.storage:
            by_storage.setdefault(name.lower(), product)

    product_keys = frozenset(normalise_key(k) for k in config.tag_keys.product)
    failed = _unread_products(evidence, products)
    claimed: dict[str, list[Resource]] = defaultdict(list)
    unowned: list[Resource] = []
    for resource in evidence.resources:
        owner: Product | None = None
        tagged = _tag_value(resource, product_keys)
        if tagged is not None:
            owner = products.get(normalise_key(tagged))
            if owner is None and normalise_key(tagged) in failed:
                claimed[failed[normalise_key(tagged)]].append(resource)
                continue
        if owner is None and resource.name:
            owner = by_storage.get(resource.name.lower())
        if owner is None:
            unowned.append(resource)
        else:
            claimed[owner.id].append(resource)

    catalog, _unmatched = match_catalog(
        list(unique.values()), evidence.catalog, config.tag_keys.product
    )
    for product in unique.values():
        linked.bundles.append(
            Bundle(
                id=product.id,
                product=product,
                resources=claimed.get(product.id, []),
                catalog=catalog.get(product.id, []),
                quality=evidence.quality.get(product.id),
            )
        )
    for product_id in failed.values():
        # Its manifest could not be read: the bundle carries its resources (so that they are not
        # judged as unowned) and is reported in error, not evaluated.
        linked.bundles.append(Bundle(id=product_id, resources=claimed.get(product_id, [])))
    if unowned:
        linked.bundles.append(Bundle(id=UNOWNED, resources=unowned))
    return linked


def _unread_products(evidence: Evidence, products: dict[str, Product]) -> dict[str, str]:
    """Products whose manifest failed but declared an id: {normalised id: id}."""
    return {
        normalise_key(e.product): e.product
        for e in evidence.errors
        if e.product is not None and normalise_key(e.product) not in products
    }
