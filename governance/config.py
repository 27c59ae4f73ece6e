"""Loading governance.yaml into ``GovernanceConfig`` with errors that point at file:line.

Which file: ``--config FILE``, else ``$GOVERNANCE_CONFIG``, else the first ``governance.yaml`` (or
``.yml``) in the working directory or a parent of it, up to the repository root (the directory
holding ``.git``), so a command run in a subfolder of the mesh's repository finds the repository's
configuration. Outside a repository only the working directory is looked at: a stray file in a
home directory must not silently change a verdict.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError

from governance.collect.files import display_path, load_yaml, plain, validation_where
from governance.errors import ConfigError, Where
from governance.model.config import GovernanceConfig

DEFAULT_FILE = "governance.yaml"
FILE_NAMES = (DEFAULT_FILE, "governance.yml")
CONFIG_ENV = "GOVERNANCE_CONFIG"


def find_config(start: Path | None = None) -> Path | None:
    """The configuration file that applies in ``start`` (default: the working directory)."""
    here = (start or Path.cwd()).resolve()
    dirs = [here, *here.parents]
    root = next((i for i, d in enumerate(dirs) if (d / ".git").exists()), None)
    for directory in dirs[: root + 1] if root is not None else dirs[:1]:
        for name in FILE_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
    return None


def load_config(path: Path | None) -> GovernanceConfig:
    """``path`` None: ``$GOVERNANCE_CONFIG``, else the discovered file (module doc), else the
    documented defaults."""
    if path is None:
        env = os.environ.get(CONFIG_ENV, "").strip()
        if env:
            path = Path(env)
            if not path.is_file():
                raise ConfigError(
                    "configuration file not found", Where(env, source=f"${CONFIG_ENV}")
                )
        else:
            path = find_config()
            if path is None:
                return GovernanceConfig()
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
