"""PII detection settings (``samples.pii`` in governance.yaml); the model lives with the config."""

from governance.model.config import PiiConfig, PiiKind

__all__ = ["PiiConfig", "PiiKind"]
