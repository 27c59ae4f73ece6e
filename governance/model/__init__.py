"""Typed models shared by every stage: evidence, policies, configuration and results."""

from governance.model.config import GovernanceConfig
from governance.model.evidence import (
    UNOWNED,
    Bundle,
    CatalogDataset,
    Column,
    Location,
    Product,
    QualityEvidence,
    Resource,
)
from governance.model.policy import PolicyDefinition, Severity
from governance.model.result import Finding, RunError, RunResult, Status, Verdict

__all__ = [
    "UNOWNED",
    "Bundle",
    "CatalogDataset",
    "Column",
    "Finding",
    "GovernanceConfig",
    "Location",
    "PolicyDefinition",
    "Product",
    "QualityEvidence",
    "Resource",
    "RunError",
    "RunResult",
    "Severity",
    "Status",
    "Verdict",
]
