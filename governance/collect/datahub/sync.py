"""``governance catalog sync``: register the mesh's data products in DataHub.

Per product:

* its datasets: the dataset URNs it declares (``catalog.urn(s)``), else one per output port
  location (``s3://b/p`` -> platform s3, name ``b/p``; ``gs://``; ``bigquery://projects/p/datasets/d``)
  or, without any, ``urn:li:dataset:(urn:li:dataPlatform:datamesh,<id>,<ENV>)``;
* on each dataset: owner, ``pii`` tag, custom properties (``data_product``, domain,
  classification, environment, version, retention_days), the domain, and per column its declared
  tags plus ``pii``. These are PATCHes, so curated metadata already in DataHub (tags added by
  stewards, other owners) is kept; a column no longer PII loses the ``pii`` tag. The schema
  (``schemaMetadata``) is written only for datasets this tool derived: a declared URN is a dataset
  some ingestion owns;
* a DataHub Data Product (``urn:li:dataProduct:<id>``) listing those datasets as assets.

Re-running is idempotent: patches and upserts replace, Lite stores a new version only on change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from governance.collect.datahub.endpoints import Endpoint
from governance.collect.datahub.lite import WriteReport
from governance.collect.datahub.sdk import prepare
from governance.model.evidence import Column, Product

FALLBACK_PLATFORM = "datamesh"
PII_TAG = "pii"

_FABRIC = {
    "prod": "PROD",
    "production": "PROD",
    "dev": "DEV",
    "development": "DEV",
    "test": "TEST",
    "qa": "QA",
    "uat": "UAT",
    "staging": "STG",
    "stg": "STG",
    "sandbox": "SANDBOX",
}
_OBJECT_URL = re.compile(r"^(s3|s3a|s3n|gs|gcs)://([^?#]+?)/?$", re.IGNORECASE)
_BIGQUERY = re.compile(
    r"^bigquery://projects/([^/]+)/datasets/([^/?#]+)(?:/tables/([^/?#]+))?", re.IGNORECASE
)


def fabric(environment: str | None) -> str:
    """DataHub's environment (FabricType) for a product environment; PROD when unknown."""
    return _FABRIC.get((environment or "").strip().lower(), "PROD")


def port_dataset(location: str | None) -> tuple[str, str] | None:
    """(platform, dataset name) a port location designates, as DataHub's sources name them."""
    if not location:
        return None
    match = _OBJECT_URL.match(location.strip())
    if match:
        scheme = match.group(1).lower()
        return ("gcs" if scheme in ("gs", "gcs") else "s3"), match.group(2)
    match = _BIGQUERY.match(location.strip())
    if match:
        return "bigquery", ".".join(g for g in match.groups() if g)
    return None


def dataset_urns(product: Product) -> tuple[list[str], bool]:
    """The product's dataset URNs, and whether they were declared (vs derived here)."""
    prepare()
    from datahub.emitter.mce_builder import make_dataset_urn

    declared = [u for u in product.catalog_urns if u.startswith("urn:li:dataset:")]
    if declared:
        return declared, True
    env = fabric(product.environment)
    urns: list[str] = []
    for port in product.output_ports:
        found = port_dataset(port.location)
        if found is not None:
            urn = make_dataset_urn(found[0], found[1], env)
            if urn not in urns:
                urns.append(urn)
    return urns or [make_dataset_urn(FALLBACK_PLATFORM, product.id, env)], False


def owner_urn(owner: str) -> str:
    """An e-mail address is a user; anything else a team (group)."""
    from datahub.emitter.mce_builder import make_group_urn, make_user_urn

    return make_user_urn(owner) if "@" in owner else make_group_urn(owner)


def _custom_properties(product: Product) -> dict[str, str]:
    values = {
        "data_product": product.id,
        "domain": product.domain,
        "classification": product.classification,
        "environment": product.environment,
        "version": product.version,
        "retention_days": None if product.retention_days is None else str(product.retention_days),
    }
    return {k: v for k, v in values.items() if v is not None}


_TYPES = {
    "string": "StringTypeClass",
    "varchar": "StringTypeClass",
    "char": "StringTypeClass",
    "text": "StringTypeClass",
    "int": "NumberTypeClass",
    "integer": "NumberTypeClass",
    "bigint": "NumberTypeClass",
    "long": "NumberTypeClass",
    "smallint": "NumberTypeClass",
    "decimal": "NumberTypeClass",
    "numeric": "NumberTypeClass",
    "double": "NumberTypeClass",
    "float": "NumberTypeClass",
    "boolean": "BooleanTypeClass",
    "bool": "BooleanTypeClass",
    "date": "DateTypeClass",
    "timestamp": "TimeTypeClass",
    "datetime": "TimeTypeClass",
    "time": "TimeTypeClass",
    "binary": "BytesTypeClass",
    "bytes": "BytesTypeClass",
    "array": "ArrayTypeClass",
    "struct": "RecordTypeClass",
    "record": "RecordTypeClass",
    "map": "MapTypeClass",
}


def _field(column: Column) -> Any:
    from datahub.metadata import schema_classes as sc

    base = re.split(r"[^a-z]", (column.type or "").strip().lower(), maxsplit=1)[0]
    type_class = getattr(sc, _TYPES.get(base, "NullTypeClass"))
    return sc.SchemaFieldClass(
        fieldPath=column.name,
        type=sc.SchemaFieldDataTypeClass(type=type_class()),
        nativeDataType=column.type or "unknown",
    )


def _schema(product: Product, urn: str) -> Any:
    from datahub.metadata import schema_classes as sc

    platform = urn.split(",", 1)[0].removeprefix("urn:li:dataset:(")
    return sc.SchemaMetadataClass(
        schemaName=product.name,
        platform=platform,
        version=0,
        hash="",
        platformSchema=sc.OtherSchemaClass(rawSchema=""),
        fields=[_field(c) for c in product.columns],
    )


def _dataset_items(product: Product, urn: str, derived: bool) -> list[Any]:
    from datahub.emitter.mce_builder import make_domain_urn, make_tag_urn
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.metadata import schema_classes as sc
    from datahub.specific.dataset import DatasetPatchBuilder

    pii = make_tag_urn(PII_TAG)
    patch = DatasetPatchBuilder(urn)
    if derived:
        patch.set_display_name(product.name)
    for key, value in _custom_properties(product).items():
        patch.add_custom_property(key, value)
    if product.owner:
        patch.add_owner(sc.OwnerClass(owner_urn(product.owner), sc.OwnershipTypeClass.DATAOWNER))
    if product.pii:
        patch.add_tag(sc.TagAssociationClass(pii))
    else:
        patch.remove_tag(pii)
    for column in product.columns:
        field = patch.for_field(column.name)
        for tag in column.tags:
            field.add_tag(sc.TagAssociationClass(make_tag_urn(tag)))
        if column.pii:
            field.add_tag(sc.TagAssociationClass(pii))
        elif not any(t.lower() == PII_TAG for t in column.tags):
            field.remove_tag(pii)
    items: list[Any] = []
    if derived and product.columns:
        items.append(MetadataChangeProposalWrapper(entityUrn=urn, aspect=_schema(product, urn)))
    items.extend(patch.build())
    if product.domain:
        domains = sc.DomainsClass(domains=[make_domain_urn(product.domain)])
        items.append(MetadataChangeProposalWrapper(entityUrn=urn, aspect=domains))
    return items


def product_items(product: Product) -> list[Any]:
    """Every MCP (and patch) registering one product."""
    prepare()
    from datahub.emitter.mce_builder import make_data_product_urn, make_domain_urn
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.metadata import schema_classes as sc

    urns, declared = dataset_urns(product)
    items: list[Any] = []
    for urn in urns:
        items.extend(_dataset_items(product, urn, not declared))
    product_urn = make_data_product_urn(product.id)
    aspects: list[Any] = [
        sc.DataProductPropertiesClass(
            name=product.name,
            assets=[sc.DataProductAssociationClass(destinationUrn=u) for u in urns],
            customProperties={
                k: v for k, v in _custom_properties(product).items() if k != "data_product"
            },
        )
    ]
    if product.owner:
        owner = sc.OwnerClass(owner_urn(product.owner), sc.OwnershipTypeClass.DATAOWNER)
        aspects.append(sc.OwnershipClass(owners=[owner]))
    if product.domain:
        aspects.append(sc.DomainsClass(domains=[make_domain_urn(product.domain)]))
    items.extend(MetadataChangeProposalWrapper(entityUrn=product_urn, aspect=a) for a in aspects)
    return items


def sync_products(products: Iterable[Product], target: Endpoint) -> WriteReport:
    """Register ``products`` in ``target`` (lite, gms or file:PATH)."""
    from governance.collect.datahub.sinks import write_items

    items: list[Any] = []
    for product in products:
        items.extend(product_items(product))
    return write_items(target, items)


def synced_urns(products: Sequence[Product]) -> dict[str, list[str]]:
    """Product id -> the dataset URNs ``sync`` registers for it."""
    return {p.id: dataset_urns(p)[0] for p in products}
