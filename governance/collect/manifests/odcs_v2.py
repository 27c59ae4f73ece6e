"""Legacy Open Data Contract Standard v2.2.x (flat: ``uuid``, ``datasetDomain``, ``dataset``).

Same mapping as v3 (see ``odcs``) with the v2 names: id ``uuid``; name ``quantumName``, else
``datasetName``; domain ``datasetDomain``; owner a customProperty ``owner``, else the stakeholder
with role owner; columns ``dataset[].columns[].column`` (``encryptedColumnName`` marks encryption);
a BigQuery ``datasetProject``/``datasetName`` is the product's output and storage.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from governance.collect.manifests.common import (
    Draft,
    Name,
    Open,
    Source,
    Tags,
    Text,
    bigquery_location,
    build_product,
    validate,
)
from governance.collect.manifests.odcs import (
    CustomProperty,
    Role,
    SlaProperty,
    governance_properties,
    read_sla,
)
from governance.model.evidence import Access, OutputPort, Product


def _api_version(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("v2.2."):
        return value
    raise ValueError(f"unsupported ODCS apiVersion {value!r} (supported: v2.2.x, v3.0.x, v3.1.x)")


class ColumnV2(Open):
    column: Name
    logicalType: str | None = None
    physicalType: str | None = None
    classification: Text | None = None
    tags: Tags = Field(default_factory=list)
    encryptedColumnName: str | None = None


class Table(Open):
    table: Name
    physicalName: Text | None = None
    tags: Tags = Field(default_factory=list)
    columns: list[ColumnV2] = Field(default_factory=list)


class Stakeholder(Open):
    username: Text | None = None
    role: Text | None = None


class ContractV2(Open):
    version: Text
    kind: Text
    apiVersion: Annotated[str, BeforeValidator(_api_version)]
    uuid: Text
    status: Text
    quantumName: Text | None = None
    datasetName: Text | None = None
    datasetDomain: Text | None = None
    datasetProject: Text | None = None
    sourceSystem: Text | None = None
    dataset: list[Table] = Field(default_factory=list)
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    slaProperties: list[SlaProperty] = Field(default_factory=list)
    customProperties: list[CustomProperty] = Field(default_factory=list)


def read(src: Source) -> Product:
    c = validate(ContractV2, src)
    draft = Draft(src)
    draft.locate("id", "uuid")
    draft.locate("name", "quantumName" if c.quantumName else "datasetName")
    draft.locate("domain", "datasetDomain")
    draft.locate("version", "version")
    qualify = len(c.dataset) > 1
    extra_pii = False
    for t, table in enumerate(c.dataset):
        prefix = f"{table.physicalName or table.table}." if qualify else ""
        for i, col in enumerate(table.columns):
            here = ("dataset", t, "columns", i)
            draft.add_column(
                prefix + col.column,
                here,
                type_=col.physicalType or col.logicalType,
                encrypted=True if col.encryptedColumnName else None,
                classification=col.classification,
                tags=col.tags,
                declared={
                    "classification": (*here, "classification"),
                    "encrypted": (*here, "encryptedColumnName"),
                },
            )
        extra_pii = extra_pii or draft.is_pii(table.tags, None)
    sla, retention = read_sla(draft, c.slaProperties)

    ports: list[OutputPort] = []
    if c.sourceSystem and "bigquery" in c.sourceSystem.lower() and c.datasetName:
        draft.locate("output_ports.0", "datasetName")
        location = bigquery_location(c.datasetProject, c.datasetName)
        ports.append(OutputPort(name=c.datasetName, type="bigquery", location=location))

    fields: dict[str, Any] = {"owner": None}
    for i, person in enumerate(c.stakeholders):
        if person.role and person.role.lower() == "owner" and person.username:
            fields["owner"] = person.username
            draft.locate("owner", "stakeholders", i)
            break
    fields.update(governance_properties(draft, c.customProperties))
    if "access" not in fields and c.roles:
        draft.locate("access.allowed_consumers", "roles")
        fields["access"] = Access(allowed_consumers=[r.role for r in c.roles])
    return build_product(
        draft,
        extra_pii=extra_pii,
        id=c.uuid,
        name=c.quantumName or c.datasetName or c.uuid,
        domain=c.datasetDomain,
        version=c.version,
        retention_days=retention,
        sla=sla,
        output_ports=ports,
        format="odcs",
        **fields,
    )
