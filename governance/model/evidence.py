"""The evidence model: what collectors produce, linking groups, and policies see as ``input``.

One ``Bundle`` per data product (plus the ``unowned`` bundle). ``Bundle.to_input()`` is the exact
document handed to Rego; ``governance inspect`` prints the same document, so what authors see is
what policies get. Every fact keeps where it came from (``Location``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

UNOWNED = "unowned"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Location(_Model):
    """A file position (1-based line and column) or, for live evidence, account/region/ARN."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    account: str | None = None
    region: str | None = None
    arn: str | None = None


# --------------------------------------------------------------------------------------- product


class Column(_Model):
    name: str
    type: str | None = None
    pii: bool = False
    encrypted: bool | None = None
    masked: bool | None = None
    classification: str | None = None
    tags: list[str] = Field(default_factory=list)
    location: Location | None = None


class BackupRequirement(_Model):
    """Declared recovery objectives; ISO 8601 durations kept as written plus normalised hours."""

    rpo: str | None = None
    rto: str | None = None
    rpo_hours: float | None = None
    rto_hours: float | None = None


class Access(_Model):
    default_policy: str | None = None
    allowed_consumers: list[str] = Field(default_factory=list)


class OutputPort(_Model):
    name: str | None = None
    type: str | None = None
    location: str | None = None
    format: str | None = None


class QualitySpec(_Model):
    """What the product declares about data quality (suites, thresholds, a local sample)."""

    suites: list[str] = Field(default_factory=list)
    min_score: float | None = None
    sample: str | None = None
    pipeline: str | None = None


class Product(_Model):
    id: str
    name: str
    domain: str | None = None
    version: str | None = None
    owner: str | None = None
    classification: str | None = None
    environment: str | None = None
    retention_days: int | None = None
    backup: BackupRequirement | None = None
    sla: dict[str, Any] = Field(default_factory=dict)
    access: Access | None = None
    columns: list[Column] = Field(default_factory=list)
    output_ports: list[OutputPort] = Field(default_factory=list)
    quality: QualitySpec | None = None
    catalog_urns: list[str] = Field(default_factory=list)
    pii: bool = False
    """True when any column is PII or the product's classification is PII-grade."""
    storage: list[str] = Field(default_factory=list)
    """Bucket / dataset names derived from output locations, used for linking."""
    format: Literal["dataproduct", "k8s", "odcs", "dcs"] = "dataproduct"
    source: Location
    locations: dict[str, Location] = Field(default_factory=dict)
    """Position of each declared field (dotted path -> Location), for findings."""


# -------------------------------------------------------------------------------------- resources


class Encryption(_Model):
    enabled: bool = False
    algorithm: str | None = None
    kms_key: str | None = None
    bucket_key: bool | None = None


class LifecycleTransition(_Model):
    days: int | None = None
    storage_class: str | None = None


class Lifecycle(_Model):
    expiration_days: int | None = None
    transitions: list[LifecycleTransition] = Field(default_factory=list)


class BackupPlanRef(_Model):
    name: str
    schedule: str | None = None
    interval_hours: float | None = None
    retention_days: int | None = None
    continuous: bool = False
    selected_by: Literal["resource", "tag", "condition", "live"] | None = None


class BackupCoverage(_Model):
    plans: list[BackupPlanRef] = Field(default_factory=list)
    continuous: bool = False
    last_recovery_point_age_hours: float | None = None


class Resource(_Model):
    address: str
    """Terraform address for plan evidence, ARN (or provider id) for live evidence."""
    type: str
    provider: Literal["aws", "gcp", "other"] = "aws"
    source: Literal["plan", "live"] = "plan"
    action: str | None = None
    """Planned action (create, update, replace, no-op, read); None for live resources."""
    name: str | None = None
    """The physical name (bucket, table, dataset) where known at plan time."""
    arn: str | None = None
    account: str | None = None
    region: str | None = None
    data_bearing: bool = False
    """Stores data (buckets, tables, databases): must belong to a product."""
    tags: dict[str, str] = Field(default_factory=dict)
    encryption: Encryption | None = None
    versioning: bool | None = None
    lifecycle: Lifecycle | None = None
    backup: BackupCoverage | None = None
    public_access_blocked: bool | None = None
    key_rotation: bool | None = None
    point_in_time_recovery: bool | None = None
    backup_retention_days: int | None = None
    location: Location | None = None
    raw: dict[str, Any] = Field(default_factory=dict)


# ---------------------------------------------------------------------------------------- catalog


class CatalogColumn(_Model):
    name: str
    tags: list[str] = Field(default_factory=list)
    glossary_terms: list[str] = Field(default_factory=list)


class CatalogDataset(_Model):
    urn: str
    platform: str | None = None
    name: str
    owners: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    glossary_terms: list[str] = Field(default_factory=list)
    columns: list[CatalogColumn] = Field(default_factory=list)
    properties: dict[str, Any] = Field(default_factory=dict)
    domain: str | None = None
    location: Location | None = None


# ---------------------------------------------------------------------------------------- quality


class ExpectationResult(_Model):
    type: str
    column: str | None = None
    success: bool
    element_count: int | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None


class SuiteResult(_Model):
    suite: str
    file: str | None = None
    success: bool
    score: float
    """Share of expectations that passed, 0..1."""
    expectations: list[ExpectationResult] = Field(default_factory=list)


class PiiDetection(_Model):
    column: str
    kinds: list[str]
    share: float
    """Share of sampled non-null rows matching, 0..1. Never the values themselves."""


class QualityEvidence(_Model):
    sample: str | None = None
    rows_sampled: int | None = None
    suites: list[SuiteResult] = Field(default_factory=list)
    pii_detected: list[PiiDetection] = Field(default_factory=list)


# ------------------------------------------------------------------------------------------ drift


class Drift(_Model):
    """A difference between the Terraform plan and the live resource (live scans with --plan)."""

    kind: Literal["changed", "missing"]
    type: str
    plan_address: str
    subject: str
    """The live ARN when found, else the plan address."""
    field: str
    planned: Any = None
    live: Any = None


# ----------------------------------------------------------------------------------------- bundle


class Bundle(_Model):
    """All evidence of one data product (or of the unowned resources)."""

    id: str
    """The product id, or ``unowned`` / ``unowned#N`` for chunks of unowned resources."""
    product: Product | None = None
    resources: list[Resource] = Field(default_factory=list)
    catalog: list[CatalogDataset] = Field(default_factory=list)
    quality: QualityEvidence | None = None
    drift: list[Drift] | None = None
    """None when drift was not checked (no live scan with a plan); [] when checked and clean."""
    live_services: list[str] | None = Field(default=None, exclude=True)
    """The AWS services the live scan read (``--service``); None outside live scans. Not part
    of the input: it decides which policies are asked (``requires: [live:<service>]``)."""

    @property
    def is_unowned(self) -> bool:
        return self.product is None

    def to_input(self, *, include_raw: bool = True) -> dict[str, Any]:
        """The Rego ``input`` document. ``raw`` can be dropped: it dominates conversion cost."""
        exclude: Any = None if include_raw else {"resources": {"__all__": {"raw"}}}
        return self.model_dump(mode="json", exclude=exclude)
