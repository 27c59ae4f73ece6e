"""Loading governance.yaml into ``GovernanceConfig`` with errors that point at file:line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from governance.collect.files import display_path, load_yaml, plain, validation_where
from governance.errors import ConfigError, Where
from governance.model.config import GovernanceConfig

DEFAULT_FILE = "governance.yaml"


def load_config(path: Path | None) -> GovernanceConfig:
    """``path`` None: use ./governance.yaml when present, else the documented defaults."""
    if path is None:
        default = Path(DEFAULT_FILE)
        if not default.is_file():
            return GovernanceConfig()
        path = default
    if not path.is_file():
        raise ConfigError("configuration file not found", Where(str(path)))
    shown = display_path(path)
    doc = load_yaml(path)
    if doc is None:
        return GovernanceConfig()
    if not isinstance(doc, dict):
        raise ConfigError("configuration must be a mapping of settings", Where(shown, 1, 1))
    try:
        config = GovernanceConfig.model_validate(plain(doc))
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = validation_where(shown, doc, tuple(first["loc"]))
        field = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{field}: {first['msg']}", Where(shown, loc.line, loc.column)) from exc
    # Paths inside the file are relative to the file, wherever the tool is run from.
    config.checkov = config.checkov.relative_to(path.parent)
    return config
