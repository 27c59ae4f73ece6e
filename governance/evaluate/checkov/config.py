"""The ``checkov:`` section of governance.yaml; the model lives with the rest of the config."""

from governance.model.config import CHECK_SELECTOR, CheckovConfig

__all__ = ["CHECK_SELECTOR", "CheckovConfig"]
