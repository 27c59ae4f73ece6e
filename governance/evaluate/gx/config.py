"""Data-quality settings (``samples`` and ``quality`` in governance.yaml); see the config model."""

from governance.model.config import QualityConfig, SamplesConfig

__all__ = ["QualityConfig", "SamplesConfig"]
