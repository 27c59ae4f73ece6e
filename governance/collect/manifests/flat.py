"""The flat ``dataproduct.yaml`` (the format of the seed articles), extended with governance fields.

The pydantic model below *is* the format: it validates files and ``json_schema()`` publishes it
for editors (``governance schema dataproduct``). Unknown keys are errors; ``x-`` keys are free.
The product id is the manifest's ``name``, kept exactly as written.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from governance.collect.manifests.common import (
    Draft,
    Duration,
    Name,
    Path_,
    RetentionDays,
    Source,
    Strict,
    Tags,
    Text,
    backup_requirement,
    build_product,
    sample_path,
    validate,
)
from governance.model.evidence import Access, OutputPort, Product, QualitySpec


class ColumnSpec(Strict):
    name: Name = Field(description="Column name as stored (the physical name).")
    type: Text | None = Field(None, description="Data type, e.g. string, bigint, decimal(12,2).")
    description: str | None = None
    pii: bool = Field(False, description="The column holds personal data.")
    encrypted: bool | None = Field(
        None, description="Values are encrypted at rest (column-level or by key)."
    )
    masked: bool | None = Field(
        None, description="Values are masked for consumers outside production."
    )
    classification: Text | None = Field(
        None,
        description="Column classification; PII-grade classes (pii_classifications) mark it PII.",
    )
    tags: Tags = Field(
        default_factory=list, description="Tags; `pii`, `pii:<kind>` or `<ns>:pii` mark it PII."
    )


class SchemaSpec(Strict):
    location: str | None = Field(
        None, description="Where the schema document lives (e.g. an Avro file)."
    )
    format: str | None = None
    columns: list[ColumnSpec] = Field(
        default_factory=list, description="The columns of the served dataset."
    )


class OutputSpec(Strict):
    name: str | None = None
    type: str | None = Field(None, description="Port type, e.g. s3, gcs, bigquery, table.")
    location: str | None = Field(
        None, description="Data location, e.g. s3://bucket/prefix/ or gs://bucket/."
    )
    format: str | None = Field(None, description="File or table format, e.g. parquet.")


class QualityChecksSpec(Strict):
    pipeline: str | None = Field(None, description="The job or script that runs the checks.")
    suite: str | None = Field(None, description="Name of the Great Expectations suite to run.")
    suites: list[str] = Field(default_factory=list, description="Several suites.")
    min_score: float | None = Field(
        None, ge=0, le=1, description="Minimum share of passing expectations, 0..1."
    )
    sample: str | None = Field(None, description="Sample data file, relative to this manifest.")


class BackupSpec(Strict):
    rpo: Duration | None = Field(
        None, description="Recovery point objective (ISO 8601, e.g. PT1H)."
    )
    rto: Duration | None = Field(None, description="Recovery time objective (ISO 8601, e.g. PT4H).")


class AccessSpec(Strict):
    default_policy: str | None = Field(
        None, description="Access for consumers not listed: deny or allow."
    )
    allowed_consumers: list[str] = Field(default_factory=list, description="e.g. domain:finance")


class CatalogSpec(Strict):
    urn: str | None = Field(
        None, description="Catalog URN of the product's dataset (e.g. DataHub)."
    )
    urns: list[str] = Field(default_factory=list)


class FlatManifest(Strict):
    """A data product described in a flat ``dataproduct.yaml``."""

    name: Name = Field(
        description="Product name; also its id in reports and the DataProduct tag value."
    )
    domain: Text | None = Field(None, description="Owning domain.")
    version: Text | None = Field(None, description='Product version (quote it: "1.0").')
    owner: Text | None = Field(None, description="Owning team id or e-mail address.")
    description: str | None = None
    classification: Text | None = Field(
        None, description="e.g. public, internal, confidential, restricted."
    )
    environment: Text | None = Field(None, description="e.g. dev, staging, prod.")
    retention_days: RetentionDays | None = None
    backup: BackupSpec | None = None
    sla: dict[str, Any] = Field(
        default_factory=dict, description="Free-form service levels (freshness ...)."
    )
    access: AccessSpec | None = None
    schema_: SchemaSpec | None = Field(None, alias="schema")
    output: OutputSpec | None = Field(None, description="The main output port.")
    outputs: list[OutputSpec] = Field(default_factory=list, description="Further output ports.")
    quality_checks: QualityChecksSpec | None = None
    catalog: CatalogSpec | None = None


def json_schema() -> dict[str, Any]:
    """JSON Schema of ``dataproduct.yaml``, for editors (``governance schema dataproduct``)."""
    schema = FlatManifest.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def add_columns(draft: Draft, columns: list[ColumnSpec], base: Path_) -> None:
    """Columns written as in ``dataproduct.yaml`` (also used by the Kubernetes-style manifest)."""
    for i, col in enumerate(columns):
        path = (*base, i)
        draft.add_column(
            col.name,
            path,
            type_=col.type,
            pii=col.pii,
            encrypted=col.encrypted,
            masked=col.masked,
            classification=col.classification,
            tags=col.tags,
            declared={
                a: (*path, a) for a in ("pii", "encrypted", "masked", "classification", "tags")
            },
        )


def read(src: Source) -> Product:
    m = validate(FlatManifest, src)
    draft = Draft(src)
    for key in (
        "name",
        "domain",
        "version",
        "owner",
        "classification",
        "environment",
        "retention_days",
        "sla",
    ):
        draft.locate(key, key)
    draft.locate("backup", "backup")
    draft.locate("backup.rpo", "backup", "rpo")
    draft.locate("backup.rto", "backup", "rto")
    draft.locate("access", "access")
    draft.locate("access.default_policy", "access", "default_policy")
    draft.locate("access.allowed_consumers", "access", "allowed_consumers")
    draft.locate("quality", "quality_checks")
    draft.locate("catalog_urns", "catalog")
    add_columns(draft, m.schema_.columns if m.schema_ else [], ("schema", "columns"))
    specs: list[tuple[OutputSpec, Path_]] = []
    if m.output:
        specs.append((m.output, ("output",)))
    specs += [(o, ("outputs", i)) for i, o in enumerate(m.outputs)]
    ports: list[OutputPort] = []
    for n, (spec, spec_path) in enumerate(specs):
        ports.append(
            OutputPort(name=spec.name, type=spec.type, location=spec.location, format=spec.format)
        )
        draft.locate(f"output_ports.{n}", *spec_path)
    quality = None
    if m.quality_checks:
        q = m.quality_checks
        suites = [*([q.suite] if q.suite else []), *q.suites]
        quality = QualitySpec(
            suites=suites,
            min_score=q.min_score,
            sample=sample_path(src, q.sample),
            pipeline=q.pipeline,
        )
    backup = None
    if m.backup:
        backup = backup_requirement(
            src, m.backup.rpo, ("backup", "rpo"), m.backup.rto, ("backup", "rto")
        )
    return build_product(
        draft,
        id=m.name,
        name=m.name,
        domain=m.domain,
        version=m.version,
        owner=m.owner,
        classification=m.classification,
        environment=m.environment,
        retention_days=m.retention_days,
        backup=backup,
        sla=m.sla,
        access=Access(
            default_policy=m.access.default_policy, allowed_consumers=m.access.allowed_consumers
        )
        if m.access
        else None,
        output_ports=ports,
        quality=quality,
        catalog_urns=[
            *([m.catalog.urn] if m.catalog and m.catalog.urn else []),
            *(m.catalog.urns if m.catalog else []),
        ],
        format="dataproduct",
    )
