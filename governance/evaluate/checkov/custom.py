"""Loading custom checks (the guild's and the organisation's) into checkov's registries.

Checkov only logs a warning for a custom check it cannot load, then runs without it; here every
such problem is a RunError, found before checkov looks (with file:line where possible) or heard in
its log. The registries are process-wide and cannot unload: each directory is loaded once per
process, remembered with its errors, and runs that do not configure it skip its checks.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

from governance.collect.files import display_path, load_json, load_yaml
from governance.errors import InputError
from governance.evaluate.checkov.isolation import contained, import_checkov
from governance.model.result import RunError

# Custom-check directories already loaded: dir -> (check ids it registered, its load errors).
_LOADED: dict[Path, tuple[frozenset[str], tuple[RunError, ...]]] = {}


def _registered_ids() -> set[str]:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    ids = {check.id for _, check in resource_registry.all_checks()}
    ids.update(check.id for check in get_graph_checks_registry("terraform").checks)
    return ids


def _python_dirs_without_init(directory: Path) -> list[Path]:
    """Checkov silently ignores Python checks in a folder without ``__init__.py``."""
    missing = []
    for folder, _, files in os.walk(directory):
        has_checks = any(f.endswith(".py") and not f.startswith("__") for f in files)
        if has_checks and "__init__.py" not in files:
            missing.append(Path(folder))
    return missing


_GRAPH_SUFFIXES = (".yaml", ".yml", ".json")


def _graph_check_errors(directory: Path) -> list[RunError]:
    """Check YAML/JSON graph checks before checkov does: it only logs a warning and skips them."""
    errors = []
    for folder, _, files in os.walk(directory):
        for name in sorted(f for f in files if f.endswith(_GRAPH_SUFFIXES)):
            path = Path(folder) / name
            try:
                doc = load_json(path) if name.endswith(".json") else load_yaml(path)
            except InputError as exc:
                errors.append(RunError(kind="policy", message=exc.message, where=str(exc.where)))
                continue
            metadata = doc.get("metadata") if isinstance(doc, dict) else None
            if not (
                isinstance(metadata, dict)
                and all(metadata.get(k) for k in ("id", "name", "category"))
                and isinstance(doc.get("definition"), dict | list)
            ):
                errors.append(
                    RunError(
                        kind="policy",
                        message="not a checkov graph check: needs metadata.id, metadata.name, "
                        "metadata.category and a definition",
                        where=display_path(path),
                    )
                )
    return errors


def _load_dir(directory: Path) -> tuple[frozenset[str], tuple[RunError, ...]]:
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.terraform.checks.resource.registry import resource_registry

    shown = display_path(directory)
    if not directory.is_dir():
        return frozenset(), (
            RunError(kind="config", message="custom checks directory not found", where=shown),
        )
    errors = _graph_check_errors(directory)
    errors.extend(
        RunError(
            kind="policy",
            message="Python checks here are not loaded by checkov: add an __init__.py",
            where=display_path(folder),
        )
        for folder in _python_dirs_without_init(directory)
    )
    before = _registered_ids()
    with contained(logging.WARNING) as capture:
        try:
            resource_registry.load_external_checks(str(directory))
            if not errors:  # PyYAML would raise on the broken file we already reported
                get_graph_checks_registry("terraform").load_external_checks(str(directory))
        except (ValueError, OSError) as exc:
            # JSON errors (a ValueError) and unreadable files escape checkov's loader; YAML
            # syntax was checked above, with positions, by _graph_check_errors.
            errors.append(
                RunError(kind="policy", message=f"custom check not loadable: {exc}", where=shown)
            )
    errors.extend(
        RunError(kind="policy", message=f"custom check not loadable: {text}", where=shown)
        for text in capture.messages(logging.WARNING)
    )
    return frozenset(_registered_ids() - before), tuple(errors)


def load_custom_checks(directories: Sequence[Path]) -> tuple[frozenset[str], list[RunError]]:
    """Load custom-check directories; return the check ids they define and their errors.

    Checkov's registries are process-wide and cannot unload, so each directory is loaded once
    and its outcome (errors included: they must be reported on every run) is remembered.
    """
    import_checkov()
    ids: set[str] = set()
    errors: list[RunError] = []
    for directory in directories:
        resolved = directory.resolve()
        if resolved not in _LOADED:
            _LOADED[resolved] = _load_dir(resolved)
        loaded_ids, loaded_errors = _LOADED[resolved]
        ids |= loaded_ids
        errors.extend(loaded_errors)
    return frozenset(ids), errors


def inactive(active: frozenset[str]) -> frozenset[str]:
    loaded = {check_id for ids, _ in _LOADED.values() for check_id in ids}
    return frozenset(loaded - active)
