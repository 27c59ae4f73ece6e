"""Open Data Contract Standard v3.0.x / v3.1.x (``kind: DataContract``).

The models cover the parts governance reads; as in the official JSON Schema, the top level
admits only the standard's keys (plus ``x-`` extensions) and requires version, apiVersion, kind, id
and status.
Mapping to the product (the standard has no governance block, so some facts come from the contract's
``customProperties``):

* id: the contract ``id``; name: ``dataProduct``, else ``name``, else the id;
* owner: customProperty ``owner``, else ``team.name``, else the first team member with role owner;
* classification / environment / access / backup / catalog: customProperties ``classification``,
  ``environment`` (else the servers' single environment), ``defaultAccessPolicy`` and
  ``allowedConsumers`` (else the ``roles``), ``rpo`` / ``rto``, ``catalogUrn``;
* retention: slaProperty ``retention`` (value + unit, or an ISO 8601 value such as P1Y) in days;
* columns: every property, nested ones as ``parent.child``, named by ``physicalName`` when given
  (that is the name the data and catalogs carry) and qualified by the schema object's name when the
  contract has several; ``encryptedName`` marks a column encrypted; a property customProperty
  ``masked`` or ``anonymizationStrategy`` (other than none) marks it masked;
* storage: buckets of server locations, BigQuery datasets, Glue databases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from governance.collect.durations import whole_days
from governance.collect.manifests.common import (
    Draft,
    Name,
    Open,
    Path_,
    Source,
    Strict,
    Tags,
    Text,
    backup_requirement,
    bigquery_location,
    build_product,
    duration_hours,
    validate,
)
from governance.model.evidence import Access, OutputPort, Product

SUPPORTED = ("v3.0.", "v3.1.")


def _api_version(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(SUPPORTED):
        return value
    raise ValueError(f"unsupported ODCS apiVersion {value!r} (supported: v2.2.x, v3.0.x, v3.1.x)")


def _team(value: Any) -> Any:
    return {"members": value} if isinstance(value, list) else value  # v3.0 wrote the member list


class CustomProperty(Open):
    property: Text
    value: Any


class SlaProperty(Open):
    property: Text
    value: Any
    unit: Text | None = None


class Member(Open):
    username: Text | None = None
    role: Text | None = None


class Team(Open):
    name: Text | None = None
    members: list[Member] = Field(default_factory=list)


class Role(Open):
    role: Text


class Server(Open):
    server: Text | None = None
    type: Text | None = None
    environment: Text | None = None
    location: str | None = None
    path: str | None = None
    format: str | None = None
    project: Text | None = None
    dataset: Text | None = None
    database: Text | None = None


class Item(Open):
    name: Text | None = None
    physicalName: Text | None = None
    logicalType: str | None = None
    physicalType: str | None = None
    classification: Text | None = None
    tags: Tags = Field(default_factory=list)
    encryptedName: str | None = None
    customProperties: list[CustomProperty] = Field(default_factory=list)
    properties: list[Property] = Field(default_factory=list)
    items: Item | None = None


class Property(Item):
    name: Name


class SchemaObject(Item):
    name: Name


Item.model_rebuild()


class Contract(Strict):
    version: Text
    kind: Text
    apiVersion: Annotated[str, BeforeValidator(_api_version)]
    id: Text
    status: Text
    name: Text | None = None
    tenant: Any = None
    tags: Tags = Field(default_factory=list)
    servers: list[Server] = Field(default_factory=list)
    dataProduct: Text | None = None
    description: Any = None
    domain: Text | None = None
    schema_: list[SchemaObject] = Field(default_factory=list, alias="schema")
    support: Any = None
    price: Any = None
    team: Annotated[Team | None, BeforeValidator(_team)] = None
    roles: list[Role] = Field(default_factory=list)
    slaDefaultElement: Any = None
    slaProperties: list[SlaProperty] = Field(default_factory=list)
    authoritativeDefinitions: Any = None
    customProperties: list[CustomProperty] = Field(default_factory=list)
    contractCreatedTs: Any = None


# ------------------------------------------------------------------------------- shared with v2.2


def custom(props: Sequence[CustomProperty], *names: str) -> tuple[int, Any] | None:
    """(index, value) of the first customProperty named like one of ``names`` (case-insensitive)."""
    wanted = {n.lower() for n in names}
    for i, prop in enumerate(props):
        if prop.property.lower() in wanted and prop.value is not None:
            return i, prop.value
    return None


def sla_text(value: Any, unit: str | None) -> Any:
    """An SLA value as people write it: ``4`` + ``d`` -> ``4d``; dates as ISO text."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        value = value.isoformat()
    if unit and not str(value).endswith(unit):
        return f"{value}{unit}"
    return value


def read_sla(draft: Draft, props: Sequence[SlaProperty]) -> tuple[dict[str, Any], int | None]:
    """The product ``sla`` (first value of each property) and the retention in days."""
    sla: dict[str, Any] = {}
    retention = None
    for i, prop in enumerate(props):
        sla.setdefault(prop.property, sla_text(prop.value, prop.unit))
        if prop.property.lower() == "retention" and retention is None:
            retention = whole_days(
                duration_hours(draft.src, prop.value, ("slaProperties", i, "value"), prop.unit) / 24
            )
            draft.locate("retention_days", "slaProperties", i)
    if props:
        draft.locate("sla", "slaProperties")
    return sla, retention


def governance_properties(draft: Draft, props: Sequence[CustomProperty]) -> dict[str, Any]:
    """Product fields the contract declares as top-level ``customProperties``."""
    fields: dict[str, Any] = {}
    src = draft.src

    def take(key: str, *names: str) -> Any:
        found = custom(props, *names)
        if found is None:
            return None
        draft.locate(key, "customProperties", found[0])
        return found[1]

    for key, names in (
        ("owner", ("owner",)),
        ("classification", ("classification", "dataClassification")),
        ("environment", ("environment",)),
    ):
        value = take(key, *names)
        if value is not None:
            fields[key] = str(value)
    policy = take("access.default_policy", "defaultAccessPolicy", "accessPolicy", "defaultPolicy")
    consumers = take("access.allowed_consumers", "allowedConsumers")
    if policy is not None or consumers is not None:
        if isinstance(consumers, str):
            consumers = [c.strip() for c in consumers.split(",") if c.strip()]
        fields["access"] = Access(
            default_policy=None if policy is None else str(policy),
            allowed_consumers=[str(c) for c in consumers or []],
        )
    rpo, rto = custom(props, "rpo"), custom(props, "rto")
    if rpo or rto:
        if rpo:
            draft.locate("backup.rpo", "customProperties", rpo[0])
        if rto:
            draft.locate("backup.rto", "customProperties", rto[0])
        fields["backup"] = backup_requirement(
            src,
            rpo[1] if rpo else None,
            ("customProperties", rpo[0], "value") if rpo else (),
            rto[1] if rto else None,
            ("customProperties", rto[0], "value") if rto else (),
        )
    urns = take("catalog_urns", "catalogUrn", "catalogUrns", "datahubUrn")
    if urns is not None:
        fields["catalog_urns"] = [str(u) for u in (urns if isinstance(urns, list) else [urns])]
    return fields


def masked(props: Sequence[CustomProperty]) -> bool | None:
    found = custom(props, "masked", "anonymizationStrategy", "maskingStrategy")
    if found is None:
        return None
    value = found[1]
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("", "none", "false", "no")


# ---------------------------------------------------------------------------------------- reading


def _properties(draft: Draft, props: Sequence[Property], prefix: str, path: Path_) -> None:
    for i, prop in enumerate(props):
        name = prop.physicalName or prop.name
        full = f"{prefix}.{name}" if prefix else name
        here = (*path, i)
        draft.add_column(
            full,
            here,
            type_=prop.physicalType or prop.logicalType,
            encrypted=True if prop.encryptedName else None,
            masked=masked(prop.customProperties),
            classification=prop.classification,
            tags=prop.tags,
            declared={
                "classification": (*here, "classification"),
                "tags": (*here, "tags"),
                "encrypted": (*here, "encryptedName"),
            },
        )
        _children(draft, prop, full, here)


def _children(draft: Draft, node: Item, prefix: str, path: Path_) -> None:
    _properties(draft, node.properties, prefix, (*path, "properties"))
    if node.items is not None:
        _children(draft, node.items, prefix, (*path, "items"))


def _owner(draft: Draft, team: Team | None) -> str | None:
    if team is None:
        return None
    if team.name:
        draft.locate("owner", "team", "name")
        return team.name
    members = ("team",) if isinstance(draft.src.node("team"), list) else ("team", "members")
    for i, member in enumerate(team.members):
        if member.role and member.role.lower() == "owner" and member.username:
            draft.locate("owner", *members, i)
            return member.username
    return None


def read(src: Source) -> Product:
    c = validate(Contract, src)
    draft = Draft(src)
    for key in ("id", "domain", "version"):
        draft.locate(key, key)
    draft.locate("name", "dataProduct" if c.dataProduct else "name")
    qualify = len(c.schema_) > 1
    extra_pii = False
    for i, obj in enumerate(c.schema_):
        _properties(
            draft,
            obj.properties,
            (obj.physicalName or obj.name) if qualify else "",
            ("schema", i, "properties"),
        )
        extra_pii = extra_pii or draft.is_pii(obj.tags, obj.classification)
    sla, retention = read_sla(draft, c.slaProperties)

    ports, storage = [], []
    for i, server in enumerate(c.servers):
        location = (
            server.location or server.path or bigquery_location(server.project, server.dataset)
        )
        draft.locate(f"output_ports.{i}", "servers", i)
        ports.append(
            OutputPort(
                name=server.server, type=server.type, location=location, format=server.format
            )
        )
        if (server.type or "").lower() == "glue" and server.database:
            storage.append(server.database)
    environments = {s.environment for s in c.servers if s.environment}

    fields: dict[str, Any] = {
        "owner": _owner(draft, c.team),
        "environment": None,
        "classification": None,
    }
    if len(environments) == 1:
        fields["environment"] = environments.pop()
        draft.locate(
            "environment",
            "servers",
            next(i for i, s in enumerate(c.servers) if s.environment),
            "environment",
        )
    fields.update(governance_properties(draft, c.customProperties))
    if "access" not in fields and c.roles:
        draft.locate("access.allowed_consumers", "roles")
        fields["access"] = Access(allowed_consumers=[r.role for r in c.roles])
    return build_product(
        draft,
        extra_pii=extra_pii,
        extra_storage=storage,
        id=c.id,
        name=c.dataProduct or c.name or c.id,
        domain=c.domain,
        version=c.version,
        retention_days=retention,
        sla=sla,
        output_ports=ports,
        format="odcs",
        **fields,
    )
