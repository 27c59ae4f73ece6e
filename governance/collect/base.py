"""What every collector returns, and the context it is given."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from governance.model.config import GovernanceConfig
from governance.model.evidence import CatalogDataset, Product, QualityEvidence, Resource
from governance.model.result import InputFile, RunError


@dataclass
class CollectContext:
    config: GovernanceConfig = field(default_factory=GovernanceConfig)
    base_dir: Path = field(default_factory=Path.cwd)


@dataclass
class Evidence:
    """Evidence gathered from any number of sources; ``merge`` is associative so order is free."""

    products: list[Product] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    catalog: list[CatalogDataset] = field(default_factory=list)
    quality: dict[str, QualityEvidence] = field(default_factory=dict)
    """Data-quality evidence per product id."""
    inputs: list[InputFile] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)

    def merge(self, other: Evidence) -> Evidence:
        self.products.extend(other.products)
        self.resources.extend(other.resources)
        self.catalog.extend(other.catalog)
        self.quality.update(other.quality)
        self.inputs.extend(other.inputs)
        self.errors.extend(other.errors)
        return self
