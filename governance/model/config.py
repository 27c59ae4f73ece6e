"""governance.yaml: the organisation's parameters, visible to Rego as ``data.governance.config``.

Every field has a documented default so that ``governance check`` works with no file at all.
Unknown keys are rejected: a misspelt parameter silently falling back to its default would make a
policy quietly weaker.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetentionBounds(_Section):
    min_days: int = 30
    max_days: int = 365


class RetentionConfig(_Section):
    default: RetentionBounds = Field(default_factory=RetentionBounds)
    by_classification: dict[str, RetentionBounds] = Field(default_factory=dict)
    """Overrides per (lower-cased) classification, e.g. ``restricted: {min_days: 90, max_days: 730}``."""


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
    """Wall-clock limit for one evaluation (one bundle against the pack)."""
    workers: int | None = None
    """Worker processes for the embedded engine; None = number of CPUs."""
    chunk_size: int = 250
    """Unowned resources are evaluated in chunks of this many."""


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
    kms_algorithms: list[str] = Field(default_factory=lambda: ["aws:kms", "aws:kms:dsse", "gcp:kms"])
    owner_team_pattern: str = r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$"
    """An owner is valid as an e-mail address or a team id matching this pattern."""
    disabled_policies: list[str] = Field(default_factory=list)
    parameters: dict[str, dict[str, Any]] = Field(default_factory=dict)
    """Per-policy parameter overrides: ``{GOV-RET-001: {...}}``."""
    engine: EngineConfig = Field(default_factory=EngineConfig)

    def rego_data(self) -> dict[str, Any]:
        """The document mounted at ``data.governance.config``."""
        return self.model_dump(mode="json", exclude={"engine"})
