"""Folding DataHub aspect records into ``CatalogDataset`` evidence: one model for every way in.

Files, DataHub Lite and GMS all produce ``Record``s (urn, aspect name, change, JSON). Records are
applied in order, as DataHub itself applies them: an upsert replaces the aspect, a patch edits it,
a delete drops it. Only the aspects governance reads are kept. At the end each dataset (not soft
deleted) becomes one ``CatalogDataset``:

* ``tags``/``glossary_terms``/``owners``: the ids after the URN prefix (``urn:li:tag:security:pii``
  -> ``security:pii``); a glossary term whose id is a generated GUID is replaced by its name when
  the source also holds the term's ``glossaryTermInfo``;
* ``columns``: ``schemaMetadata`` fields merged with ``editableSchemaMetadata`` and with tags and
  terms put on ``schemaField`` entities; v2 field paths are simplified (``[type=string].email`` ->
  ``email``);
* ``properties``: ``datasetProperties.customProperties``, then structured properties by qualified
  name (one value -> a scalar, several -> a list), then ``data_product``: the names of the DataHub
  Data Products listing the dataset as an asset (unless a custom property already says it);
* ``domain``: the domain's name when the source holds its ``domainProperties``, else its id.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from governance.collect.datahub.patch import PatchError, apply_patch
from governance.collect.datahub.records import Record
from governance.errors import InputError, Where
from governance.model.evidence import CatalogColumn, CatalogDataset, Location

RELEVANT: dict[str, frozenset[str]] = {
    "dataset": frozenset(
        {
            "globalTags",
            "glossaryTerms",
            "ownership",
            "datasetProperties",
            "schemaMetadata",
            "editableSchemaMetadata",
            "domains",
            "structuredProperties",
            "status",
        }
    ),
    "schemaField": frozenset({"globalTags", "glossaryTerms"}),
    "dataProduct": frozenset({"dataProductProperties", "status"}),
    "glossaryTerm": frozenset({"glossaryTermInfo"}),
    "domain": frozenset({"domainProperties"}),
}

_DATASET_URN = re.compile(r"^urn:li:dataset:\(urn:li:dataPlatform:([^,]+),(.+),([^,()]+)\)$")
_GUID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})$", re.I
)
_FIELD_URN_PREFIX = "urn:li:schemaField:("
_ANNOTATION = re.compile(r"\[[^\]]*\]")

Locate = Callable[[str, int | None], Location | None]


def parse_dataset_urn(urn: str) -> tuple[str | None, str]:
    """(platform, name) of a dataset URN; an unparsable URN is its own name."""
    match = _DATASET_URN.match(urn)
    if match is None:
        return None, urn
    return match.group(1), match.group(2)


def urn_id(urn: str) -> str:
    """``urn:li:corpuser:jdoe`` -> ``jdoe``; keeps anything that is not an URN."""
    if not urn.startswith("urn:li:"):
        return urn
    parts = urn.split(":", 3)
    return parts[3] if len(parts) == 4 else urn


def simple_field_path(path: str) -> str:
    """DataHub v2 field paths carry annotations (``[version=2.0].[type=string].email``): keep
    the field names only (``email``; nested fields stay dotted: ``address.city``)."""
    if not path.startswith("["):
        return path
    return ".".join(p for p in _ANNOTATION.sub("", path).split(".") if p)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _ids(items: Any, key: str) -> list[str]:
    out: list[str] = []
    for item in _list(items):
        value = _dict(item).get(key)
        if isinstance(value, str) and urn_id(value) not in out:
            out.append(urn_id(value))
    return out


def _scalar(value: Any) -> Any:
    """A structured property value: unwrap the ``{"string": ...}``/``{"double": ...}`` union."""
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class CatalogFold:
    """Applies records in order; ``datasets()`` builds the evidence."""

    def __init__(self, source: str, locate: Locate) -> None:
        self.source = source
        self.locate = locate
        self.entities: dict[str, dict[str, Any]] = {}
        self.first_line: dict[str, int | None] = {}
        """Every dataset URN met (with any aspect), in order of first appearance."""

    def add(self, record: Record) -> None:
        kind = record.entity_type
        if kind == "dataset":
            self.first_line.setdefault(record.urn, record.line)
        if record.aspect not in RELEVANT.get(kind, ()):
            return
        aspects = self.entities.setdefault(record.urn, {})
        if record.change == "delete":
            aspects.pop(record.aspect, None)
        elif record.change == "upsert":
            aspects[record.aspect] = record.value
        else:
            try:
                aspects[record.aspect] = apply_patch(aspects.get(record.aspect), record.value)
            except PatchError as exc:
                raise InputError(
                    f"PATCH of {record.aspect} on {record.urn}: {exc}",
                    Where(self.source, record.line),
                ) from exc

    def add_all(self, records: Iterable[Record]) -> CatalogFold:
        for record in records:
            self.add(record)
        return self

    # ------------------------------------------------------------------------------ building

    def _names(self, aspect: str) -> dict[str, str]:
        names: dict[str, str] = {}
        for urn, aspects in self.entities.items():
            name = _dict(aspects.get(aspect)).get("name")
            if isinstance(name, str) and name:
                names[urn] = name
        return names

    def _data_products(self) -> dict[str, list[str]]:
        """Dataset URN -> names of the DataHub Data Products that list it as an asset."""
        members: dict[str, list[str]] = {}
        for urn, aspects in self.entities.items():
            if not urn.startswith("urn:li:dataProduct:") or _removed(aspects):
                continue
            props = _dict(aspects.get("dataProductProperties"))
            name = props.get("name") if isinstance(props.get("name"), str) else urn_id(urn)
            for asset in _list(props.get("assets")):
                target = _dict(asset).get("destinationUrn")
                if isinstance(target, str):
                    members.setdefault(target, []).append(str(name))
        return members

    def _field_entities(self) -> dict[str, dict[str, dict[str, Any]]]:
        """Dataset URN -> field path -> aspects of its ``schemaField`` entities."""
        fields: dict[str, dict[str, dict[str, Any]]] = {}
        for urn, aspects in self.entities.items():
            if urn.startswith(_FIELD_URN_PREFIX) and urn.endswith(")"):
                dataset, _, path = urn[len(_FIELD_URN_PREFIX) : -1].rpartition(",")
                fields.setdefault(dataset, {})[path] = aspects
        return fields

    def datasets(self) -> list[CatalogDataset]:
        terms = self._names("glossaryTermInfo")
        domains = self._names("domainProperties")
        products = self._data_products()
        field_entities = self._field_entities()

        def term(term_id: str) -> str:
            return (
                terms.get(f"urn:li:glossaryTerm:{term_id}", term_id)
                if _GUID.match(term_id)
                else term_id
            )

        out = []
        for urn, line in self.first_line.items():
            aspects = self.entities.get(urn, {})
            if _removed(aspects):
                continue
            platform, name = parse_dataset_urn(urn)
            properties = _properties(aspects)
            if urn in products:
                found = products[urn]
                properties.setdefault("data_product", found[0] if len(found) == 1 else found)
            domain_urns = _domain_urns(_dict(aspects.get("domains")))
            out.append(
                CatalogDataset(
                    urn=urn,
                    platform=platform,
                    name=name,
                    owners=_ids(_dict(aspects.get("ownership")).get("owners"), "owner"),
                    tags=_ids(_dict(aspects.get("globalTags")).get("tags"), "tag"),
                    glossary_terms=[
                        term(t)
                        for t in _ids(_dict(aspects.get("glossaryTerms")).get("terms"), "urn")
                    ],
                    columns=_columns(aspects, field_entities.get(urn, {}), term),
                    properties=properties,
                    domain=(domains.get(domain_urns[0]) or urn_id(domain_urns[0]))
                    if domain_urns
                    else None,
                    location=self.locate(urn, line),
                )
            )
        return out


def _removed(aspects: Mapping[str, Any]) -> bool:
    return _dict(aspects.get("status")).get("removed") is True


def _domain_urns(domains: dict[str, Any]) -> list[str]:
    urns = [d for d in _list(domains.get("domains")) if isinstance(d, str)]
    for assoc in _list(domains.get("domainAssociations")):
        value = _dict(assoc).get("domain")
        if isinstance(value, str) and value not in urns:
            urns.append(value)
    return urns


def _properties(aspects: Mapping[str, Any]) -> dict[str, Any]:
    custom = _dict(_dict(aspects.get("datasetProperties")).get("customProperties"))
    properties: dict[str, Any] = dict(custom)
    for assignment in _list(_dict(aspects.get("structuredProperties")).get("properties")):
        urn = _dict(assignment).get("propertyUrn")
        if not isinstance(urn, str):
            continue
        values = [_scalar(v) for v in _list(_dict(assignment).get("values"))]
        properties[urn_id(urn)] = values[0] if len(values) == 1 else values
    return properties


class _Column:
    def __init__(self) -> None:
        self.tags: list[str] = []
        self.terms: list[str] = []

    def add(self, info: Mapping[str, Any], term: Callable[[str], str]) -> None:
        for tag in _ids(_dict(info.get("globalTags")).get("tags"), "tag"):
            if tag not in self.tags:
                self.tags.append(tag)
        for term_id in _ids(_dict(info.get("glossaryTerms")).get("terms"), "urn"):
            if term(term_id) not in self.terms:
                self.terms.append(term(term_id))


def _columns(
    aspects: Mapping[str, Any],
    field_entities: Mapping[str, Mapping[str, Any]],
    term: Callable[[str], str],
) -> list[CatalogColumn]:
    columns: dict[str, _Column] = {}
    infos = [
        *_list(_dict(aspects.get("schemaMetadata")).get("fields")),
        *_list(_dict(aspects.get("editableSchemaMetadata")).get("editableSchemaFieldInfo")),
        *({**_dict(a), "fieldPath": p} for p, a in field_entities.items()),
    ]
    for info in infos:
        path = _dict(info).get("fieldPath")
        name = simple_field_path(path) if isinstance(path, str) else ""
        if name:  # a v2 path of annotations only is the record itself, not a column
            columns.setdefault(name, _Column()).add(info, term)
    return [
        CatalogColumn(name=name, tags=c.tags, glossary_terms=c.terms) for name, c in columns.items()
    ]
