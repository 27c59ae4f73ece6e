"""governance.yaml: the organisation's parameters, visible to Rego as ``data.governance.config``.

Every field has a documented default so that ``governance check`` works with no file at all.
Unknown keys are rejected: a misspelt parameter silently falling back to its default would make a
policy quietly weaker.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetentionBounds(_Section):
    min_days: int = 30
    max_days: int = 365


class RetentionConfig(_Section):
    default: RetentionBounds = Field(default_factory=RetentionBounds)
    by_classification: dict[str, RetentionBounds] = Field(default_factory=dict)
    """Overrides per (lower-cased) classification, e.g. ``restricted: {min_days: 90}``."""


class BackupConfig(_Section):
    default_rpo_hours: float | None = None
    """RPO applied when a product declares none; None means 'an RPO must be declared'."""
    continuous_interval_hours: float = 0.0833
    """Worst-case interval credited to continuous backup (PITR): 5 minutes."""


class TagKeys(_Section):
    """Accepted spellings of the linking tags (AWS tag keys and GCP label keys)."""

    product: list[str] = Field(
        default_factory=lambda: ["DataProduct", "data_product", "data-product", "dataproduct"]
    )
    domain: list[str] = Field(default_factory=lambda: ["Domain", "domain"])


class EngineConfig(_Section):
    timeout_seconds: float = 30.0
    """Wall-clock limit for evaluating one bundle (every policy: one query), and for each OPA
    server request. Past it the bundle's policies are errors (exit 2)."""
    workers: int | None = None
    """Embedded OPA engines evaluating bundles at once (threads); None = min(2, CPUs)."""


# ------------------------------------------------------------- samples, PII and quality
PiiKind = Literal[
    "email",
    "phone",
    "payment_card",
    "iban",
    "us_ssn",
    "ip_address",
    "date_of_birth",
    "person_name",
    "postal_address",
]
"""Every kind the detector can report. The last three are only reported for columns whose name
hints at them (values alone cannot tell a birth date from an order date)."""


class PiiConfig(_Section):
    enabled: bool = True
    min_share: float = Field(default=0.05, ge=0.0, le=1.0)
    """A kind is reported for a column when at least this share of its sampled non-null values
    match. 5 % keeps a handful of e-mails leaked into a free-text column visible while random
    checksum hits (about 2 % of random 16-digit ids pass Luhn and a card prefix) stay below it."""
    min_share_by_kind: dict[PiiKind, float] = Field(default_factory=dict)
    """Per-kind overrides of ``min_share``, e.g. ``{phone: 0.2}``."""
    name_hints: bool = True
    """Use column names (``phone``, ``ssn``, ``dob``, ``first_name`` ...) to relax value patterns
    and to report the name-only kinds (date_of_birth, person_name, postal_address)."""
    ignore_columns: list[str] = Field(default_factory=list)
    """Column names never scanned (case-insensitive), e.g. synthetic test columns."""

    def threshold(self, kind: PiiKind) -> float:
        return self.min_share_by_kind.get(kind, self.min_share)


class SamplesConfig(_Section):
    max_rows: int | None = Field(default=100_000, ge=1)
    """Row cap: only the first ``max_rows`` data rows of a sample are read (deterministic, and
    the rest of the file is never parsed). None reads every row."""
    directory: str | None = None
    """Like ``--samples DIR``: a file whose stem is a product's id or name is its sample."""
    mapping: dict[str, str] = Field(default_factory=dict)
    """Explicit product (id or name) -> sample file, relative to the working directory. Wins over
    everything else, so a platform team can point any product at a sample without editing it."""
    pii: PiiConfig = Field(default_factory=PiiConfig)


class QualityConfig(_Section):
    suite_dirs: list[str] = Field(default_factory=list)
    """Extra folders searched for suites referenced by name (after the manifest's folder and the
    sample's folder, before the built-in checks/expectations/)."""
    default_suites: list[str] = Field(default_factory=list)
    """Suites run on every product that has a sample, e.g. ``[not-empty]`` (built-in)."""
    unsupported_rules: Literal["error", "skip"] = "error"
    """ODCS quality rules that cannot run on a sample file (``type: sql``, unknown ``custom``
    engines, unknown metrics): an error by default (fail closed), or skipped when set to ``skip``.
    ``type: text`` rules are descriptions and are never evaluated."""


class CatalogConfig(_Section):
    """Catalog evidence (DataHub, Glue). Catalog policies apply only when it is enabled, which a
    run does by itself when given catalog evidence: otherwise every run without a catalog would
    fail GOV-CAT-001."""

    enabled: bool = False
    """True: a catalog is required on every run (catalog policies always apply)."""
    sources: list[str] = Field(default_factory=list)
    """Like ``--catalog``: ``lite[:PATH]``, ``gms[:URL]``, ``glue[:REGION]``."""
    gms_url: str | None = None
    """Default GMS URL; the token comes only from the DATAHUB_GMS_TOKEN environment variable."""
    platforms: list[str] = Field(default_factory=list)
    env: str | None = None
    query: str | None = None
    glue_databases: list[str] = Field(default_factory=list)


# -------------------------------------------------------------------------------- checkov
# Check ids as checkov writes them (CKV_AWS_19, CKV2_AWS_6, CKV_GOV_1) plus fnmatch wildcards.
CHECK_SELECTOR = re.compile(r"^[A-Za-z0-9_*?\[\]-]+$")
# checkov reads these words in --check/--skip-check as severity thresholds; its severities come from
# the Prisma platform (never downloaded here), so such a selector would silently select nothing.
_SEVERITY_WORDS = frozenset({"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO", "NONE"})


class CheckovConfig(_Section):
    """The ``checkov:`` section: off by default; plans above ``max_plan_resources`` are left to
    the Rego policies (with a GOV-CKV-NOT-RUN warning) unless ``force``."""

    enabled: bool = False
    """Run checkov on the Terraform plans given to ``check`` and on ``terraform_dirs``."""
    checks: list[str] = Field(default_factory=list)
    """Only these checkov checks (ids or wildcards such as ``CKV_AWS_*``); empty = all.
    The guild's custom checks always run unless listed in ``skip_checks``."""
    skip_checks: list[str] = Field(default_factory=list)
    """Never run these checks (ids or wildcards); applies to custom checks too."""
    max_plan_resources: int = Field(default=2000, ge=1)
    """A plan with more resources than this is not given to checkov (unless ``force``)."""
    force: bool = False
    """Run checkov on every plan whatever its size."""
    builtin_checks: bool = True
    """Load the guild's custom checks shipped in the built-in pack (``checks/checkov/``)."""
    external_checks_dirs: list[Path] = Field(default_factory=list)
    """More custom-check directories (YAML graph checks and Python checks with ``__init__.py``)."""
    severity_files: list[Path] = Field(default_factory=list)
    """Severity mappings layered over the built-in ``policies/checkov/severity.yaml``."""
    terraform_dirs: list[Path] = Field(default_factory=list)
    """Terraform HCL directories to scan in addition to any given on the command line."""

    @field_validator("checks", "skip_checks")
    @classmethod
    def _selectors(cls, values: list[str]) -> list[str]:
        for value in values:
            if value.upper() in _SEVERITY_WORDS:
                raise ValueError(
                    f"'{value}': severity selectors are not supported; severities come from the "
                    "checkov severity mapping, thresholds from --fail-on"
                )
            if not CHECK_SELECTOR.match(value):
                raise ValueError(
                    f"'{value}' is not a check id or wildcard (e.g. CKV_AWS_19, CKV_AWS_*)"
                )
        return values

    def relative_to(self, base: Path) -> CheckovConfig:
        """Paths written in governance.yaml, resolved against that file's directory."""

        def anchor(paths: list[Path]) -> list[Path]:
            return [p if p.is_absolute() else base / p for p in paths]

        return self.model_copy(
            update={
                "external_checks_dirs": anchor(self.external_checks_dirs),
                "severity_files": anchor(self.severity_files),
                "terraform_dirs": anchor(self.terraform_dirs),
            }
        )


class GovernanceConfig(_Section):
    required_tags: list[str] = Field(
        default_factory=lambda: ["Domain", "DataProduct", "Owner", "Classification", "Environment"]
    )
    tag_keys: TagKeys = Field(default_factory=TagKeys)
    retention: RetentionConfig = Field(default_factory=RetentionConfig)
    backup: BackupConfig = Field(default_factory=BackupConfig)
    production_environments: list[str] = Field(default_factory=lambda: ["prod", "production"])
    pii_classifications: list[str] = Field(
        default_factory=lambda: ["pii", "sensitive", "restricted", "confidential"]
    )
    kms_algorithms: list[str] = Field(
        default_factory=lambda: ["aws:kms", "aws:kms:dsse", "gcp:kms"]
    )
    owner_team_pattern: str = r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$"
    """An owner is valid as an e-mail address or a team id matching this pattern."""
    disabled_policies: list[str] = Field(default_factory=list)
    parameters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-policy parameter overrides: ``{GOV-RET-001: {...}}``."""
    catalog: CatalogConfig = Field(default_factory=CatalogConfig)
    checkov: CheckovConfig = Field(default_factory=CheckovConfig)
    samples: SamplesConfig = Field(default_factory=SamplesConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)

    def rego_data(self) -> dict[str, Any]:
        """The document mounted at ``data.governance.config``."""
        return self.model_dump(mode="json", exclude={"engine", "checkov"})
