"""The Kubernetes-style manifest: ``apiVersion: <group>/<version>``, ``kind: DataProduct``.

The seed articles define ``metadata`` (name, namespace, labels.domain, labels.dataClassification)
and ``spec`` (owner.team/slack, servedInterfaces with endpoint and sla, outputPorts,
governance.dataQuality, governance.accessControl). We extend ``spec`` with ``environment``,
``version``, ``schema.columns`` (as in ``dataproduct.yaml``) and ``governance.retentionDays`` /
``governance.backup.rpo|rto``.

``spec.governance`` and the column entries are strict (a misspelt governance key must not pass
silently); the rest of ``spec`` is open, as Kubernetes-style resources usually carry more. The
product id is ``metadata.name``; the domain is ``labels.domain``, else the namespace. The product
``sla`` is ``spec.sla`` when given, else the first served interface's ``sla`` (interfaces rarely
differ).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from governance.collect.manifests.common import (
    Draft,
    Duration,
    Name,
    Open,
    RetentionDays,
    Source,
    Strict,
    Text,
    backup_requirement,
    build_product,
    sample_path,
    validate,
)
from governance.collect.manifests.flat import ColumnSpec, add_columns
from governance.model.evidence import Access, OutputPort, Product, QualitySpec


def _owner(value: Any) -> Any:
    return {"team": value} if isinstance(value, str) else value


class Metadata(Open):
    name: Name = Field(description="Product name; also its id in reports.")
    namespace: Text | None = None
    labels: dict[str, Text] = Field(
        default_factory=dict, description="`domain` and `dataClassification` are read from here."
    )


class Owner(Open):
    team: Text | None = Field(None, description="Owning team id or e-mail address.")
    slack: str | None = None


class InterfaceSchema(Open):
    uri: str | None = None
    format: str | None = None


class ServedInterface(Open):
    protocol: str | None = None
    endpoint: str | None = Field(
        None, description="e.g. s3://bucket/prefix/, bigquery://projects/p/datasets/d"
    )
    format: str | None = None
    schema_: InterfaceSchema | None = Field(None, alias="schema")
    sla: dict[str, Any] = Field(default_factory=dict)


class Port(Open):
    name: str | None = None
    type: str | None = None
    endpoint: str | None = None
    location: str | None = None
    format: str | None = None


class DataQuality(Strict):
    ruleset: str | None = Field(None, description="Great Expectations suite to run.")
    rulesets: list[str] = Field(default_factory=list)
    minScore: float | None = Field(None, ge=0, le=1)
    sample: str | None = None
    pipeline: str | None = None


class AccessControl(Strict):
    defaultPolicy: str | None = Field(
        None, description="Access for consumers not listed: DENY or ALLOW."
    )
    allowedConsumers: list[str] = Field(default_factory=list)


class Backup(Strict):
    rpo: Duration | None = None
    rto: Duration | None = None


class Governance(Strict):
    retentionDays: RetentionDays | None = None
    backup: Backup | None = None
    dataQuality: DataQuality | None = None
    accessControl: AccessControl | None = None


class SchemaSpec(Open):
    columns: list[ColumnSpec] = Field(default_factory=list)


class Catalog(Strict):
    urn: str | None = None
    urns: list[str] = Field(default_factory=list)


class Spec(Open):
    owner: Annotated[Owner | None, BeforeValidator(_owner)] = None
    environment: Text | None = None
    version: Text | None = None
    sla: dict[str, Any] = Field(default_factory=dict)
    servedInterfaces: list[ServedInterface] = Field(default_factory=list)
    outputPorts: list[Port] = Field(default_factory=list)
    governance: Governance | None = None
    schema_: SchemaSpec | None = Field(None, alias="schema")
    catalog: Catalog | None = None


class K8sManifest(Open):
    """A data product described as a Kubernetes-style resource."""

    apiVersion: str = Field(
        pattern=r"^[^/\s]+/[^/\s]+$", description="e.g. data-mesh.internal/v1alpha1"
    )
    kind: str = Field(pattern="^DataProduct$")
    metadata: Metadata
    spec: Spec = Field(default_factory=Spec)


def json_schema() -> dict[str, Any]:
    schema = K8sManifest.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def read(src: Source) -> Product:
    m = validate(K8sManifest, src)
    spec, gov, labels = m.spec, m.spec.governance, m.metadata.labels
    draft = Draft(src)
    draft.locate("name", "metadata", "name")
    draft.locate(
        "domain",
        *(("metadata", "labels", "domain") if "domain" in labels else ("metadata", "namespace")),
    )
    draft.locate("classification", "metadata", "labels", "dataClassification")
    draft.locate("owner", "spec", "owner")
    draft.locate("owner", "spec", "owner", "team")
    for key in ("environment", "version", "sla"):
        draft.locate(key, "spec", key)
    g = ("spec", "governance")
    draft.locate("retention_days", *g, "retentionDays")
    draft.locate("backup", *g, "backup")
    draft.locate("backup.rpo", *g, "backup", "rpo")
    draft.locate("backup.rto", *g, "backup", "rto")
    draft.locate("access", *g, "accessControl")
    draft.locate("access.default_policy", *g, "accessControl", "defaultPolicy")
    draft.locate("access.allowed_consumers", *g, "accessControl", "allowedConsumers")
    draft.locate("quality", *g, "dataQuality")
    draft.locate("catalog_urns", "spec", "catalog")

    add_columns(draft, spec.schema_.columns if spec.schema_ else [], ("spec", "schema", "columns"))

    ports: list[OutputPort] = []
    for i, iface in enumerate(spec.servedInterfaces):
        fmt = iface.format or (iface.schema_.format if iface.schema_ else None)
        draft.locate(f"output_ports.{len(ports)}", "spec", "servedInterfaces", i)
        ports.append(OutputPort(type=iface.protocol, location=iface.endpoint, format=fmt))
    for i, port in enumerate(spec.outputPorts):
        draft.locate(f"output_ports.{len(ports)}", "spec", "outputPorts", i)
        ports.append(
            OutputPort(
                name=port.name,
                type=port.type,
                location=port.endpoint or port.location,
                format=port.format,
            )
        )

    sla = spec.sla or next((iface.sla for iface in spec.servedInterfaces if iface.sla), {})
    quality = access = backup = None
    retention = None
    if gov is not None:
        retention = gov.retentionDays
        if gov.backup:
            backup = backup_requirement(
                src, gov.backup.rpo, (*g, "backup", "rpo"), gov.backup.rto, (*g, "backup", "rto")
            )
        if gov.accessControl:
            ac = gov.accessControl
            access = Access(default_policy=ac.defaultPolicy, allowed_consumers=ac.allowedConsumers)
        if gov.dataQuality:
            dq = gov.dataQuality
            quality = QualitySpec(
                suites=[*([dq.ruleset] if dq.ruleset else []), *dq.rulesets],
                min_score=dq.minScore,
                sample=sample_path(src, dq.sample),
                pipeline=dq.pipeline,
            )
    catalog = spec.catalog
    return build_product(
        draft,
        id=m.metadata.name,
        name=m.metadata.name,
        domain=labels.get("domain") or m.metadata.namespace,
        version=spec.version,
        owner=spec.owner.team if spec.owner else None,
        classification=labels.get("dataClassification"),
        environment=spec.environment,
        retention_days=retention,
        backup=backup,
        sla=sla,
        access=access,
        output_ports=ports,
        quality=quality,
        catalog_urns=[
            *([catalog.urn] if catalog and catalog.urn else []),
            *(catalog.urns if catalog else []),
        ],
        format="k8s",
    )
