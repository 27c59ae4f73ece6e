"""The Data Contract Specification (``dataContractSpecification: 0.9.x / 1.x``, datacontract.com).

Mapping: id ``id``; name ``info.title``; owner ``info.owner``; version ``info.version``; domain
``info.domain`` when present; columns are the fields of every model (qualified ``model.field`` when
there are several models, nested ``field.child``); a field's local ``$ref: '#/definitions/x'``
contributes the definition's ``pii``, ``classification``, ``tags`` and ``type`` unless the field
sets them (an unresolvable ``$ref`` is an error: the field's PII status would be unknown);
retention from ``servicelevels.retention.period`` (``unlimited: true`` leaves it undeclared,
visible in ``sla``); backup from ``servicelevels.backup.recoveryPoint`` / ``recoveryTime``; storage
from server locations and BigQuery datasets; ``sla`` is the ``servicelevels`` block as written.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from governance.collect.durations import whole_days
from governance.collect.files import plain
from governance.collect.manifests.common import (
    Draft,
    Name,
    Open,
    Path_,
    Source,
    Tags,
    Text,
    backup_requirement,
    bigquery_location,
    build_product,
    duration_hours,
    validate,
)
from governance.model.evidence import OutputPort, Product


def _spec_version(value: Any) -> Any:
    text = str(value) if isinstance(value, int | float | str) else ""
    if text.startswith(("0.9.", "1.")):
        return text
    raise ValueError(f"unsupported dataContractSpecification {value!r} (supported: 0.9.x, 1.x)")


class DcsField(Open):
    ref: str | None = Field(None, alias="$ref")
    type: Text | None = None
    pii: bool | None = None
    classification: Text | None = None
    tags: Tags | None = None
    fields: dict[str, DcsField] = Field(default_factory=dict)
    items: DcsField | None = None


class Model(Open):
    fields: dict[str, DcsField] = Field(default_factory=dict)


class Info(Open):
    title: Name
    version: Text | None = None
    owner: Text | None = None
    domain: Text | None = None


class Server(Open):
    type: Text | None = None
    environment: Text | None = None
    location: str | None = None
    format: str | None = None
    project: Text | None = None
    dataset: Text | None = None


class Retention(Open):
    period: Any = None
    unlimited: bool | None = None


class Backup(Open):
    recoveryPoint: Any = None
    recoveryTime: Any = None


class ServiceLevels(Open):
    retention: Retention | None = None
    backup: Backup | None = None


class Contract(Open):
    dataContractSpecification: Annotated[str, BeforeValidator(_spec_version)]
    id: Text
    info: Info
    servers: dict[str, Server] = Field(default_factory=dict)
    models: dict[str, Model] = Field(default_factory=dict)
    definitions: dict[str, DcsField] = Field(default_factory=dict)
    servicelevels: ServiceLevels | None = None


def _resolve(draft: Draft, c: Contract, f: DcsField, path: Path_) -> tuple[DcsField, Path_ | None]:
    """The definition a field's ``$ref`` points at (and its path), or the field itself."""
    if f.ref is None:
        return f, None
    name = f.ref.removeprefix("#/definitions/")
    if name == f.ref or name not in c.definitions:
        raise draft.src.error(
            f"cannot resolve $ref {f.ref!r} (only local '#/definitions/<name>' are read)",
            *path,
            "$ref",
        )
    return c.definitions[name], ("definitions", name)


def _fields(
    draft: Draft, c: Contract, fields: dict[str, DcsField], prefix: str, path: Path_
) -> None:
    for key, f in fields.items():
        here = (*path, key)
        base, base_path = _resolve(draft, c, f, here)
        full = f"{prefix}.{key}" if prefix else key

        def origin(
            attr: str, f: DcsField = f, here: Path_ = here, base_path: Path_ | None = base_path
        ) -> Path_:
            own = f.model_fields_set
            return (*here, attr) if attr in own or base_path is None else (*base_path, attr)

        draft.add_column(
            full,
            here,
            type_=f.type or base.type,
            pii=f.pii if f.pii is not None else base.pii,
            classification=f.classification or base.classification,
            tags=f.tags if f.tags is not None else (base.tags or []),
            declared={a: origin(a) for a in ("pii", "classification", "tags")},
        )
        node: DcsField | None = f
        node_path: Path_ = here
        while node is not None:  # nested records: fields, or items (of items ...) with fields
            _fields(draft, c, node.fields, full, (*node_path, "fields"))
            node, node_path = node.items, (*node_path, "items")


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return value


def read(src: Source) -> Product:
    c = validate(Contract, src)
    draft = Draft(src)
    draft.locate("id", "id")
    draft.locate("name", "info", "title")
    for key in ("owner", "version", "domain"):
        draft.locate(key, "info", key)
    qualify = len(c.models) > 1
    for name, model in c.models.items():
        _fields(draft, c, model.fields, name if qualify else "", ("models", name, "fields"))

    retention = backup = None
    levels = c.servicelevels
    if (
        levels
        and levels.retention
        and levels.retention.period is not None
        and not levels.retention.unlimited
    ):
        path = ("servicelevels", "retention", "period")
        retention = whole_days(duration_hours(src, levels.retention.period, path) / 24)
        draft.locate("retention_days", *path)
    if levels and levels.backup:
        b = ("servicelevels", "backup")
        backup = backup_requirement(
            src,
            levels.backup.recoveryPoint,
            (*b, "recoveryPoint"),
            levels.backup.recoveryTime,
            (*b, "recoveryTime"),
        )
        draft.locate("backup.rpo", *b, "recoveryPoint")
        draft.locate("backup.rto", *b, "recoveryTime")
    draft.locate("sla", "servicelevels")

    ports: list[OutputPort] = []
    for name, server in c.servers.items():
        location = server.location or bigquery_location(server.project, server.dataset)
        draft.locate(f"output_ports.{len(ports)}", "servers", name)
        ports.append(
            OutputPort(name=name, type=server.type, location=location, format=server.format)
        )
    environments = {s.environment for s in c.servers.values() if s.environment}
    return build_product(
        draft,
        id=c.id,
        name=c.info.title,
        domain=c.info.domain,
        version=c.info.version,
        owner=c.info.owner,
        environment=environments.pop() if len(environments) == 1 else None,
        retention_days=retention,
        backup=backup,
        sla=_jsonable(plain(src.node("servicelevels"))) or {},
        output_ports=ports,
        format="dcs",
    )
