"""Terraform plan JSON (``terraform show -json``, format 0.1 to 1.x) -> plan ``Resource`` evidence.

Steps, each linear in the size of the plan:

1. ``document``: one entry per resource instance that exists after apply (deletions and data
   sources dropped), validating the document's shape on the way;
2. ``build``/``aws``/``gcp``/``s3``: normalise each entry into a ``Resource``;
3. ``s3``: fold split bucket configuration resources into their bucket;
4. ``backup``: attach AWS Backup coverage (plan rules and their worst-case interval).

Joins use dictionaries keyed by address, ARN or tag, never pairwise scans, so 50k resources
take seconds. The ``configuration`` section's expression references drive the joins, because at
plan time the ids and ARNs a join would naturally use are mostly unknown.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from governance.collect.base import CollectContext, Evidence
from governance.collect.files import display_path, read_text
from governance.collect.tfplan import s3
from governance.collect.tfplan.addresses import address_lines
from governance.collect.tfplan.aws import apply_aws
from governance.collect.tfplan.backup import join_backups
from governance.collect.tfplan.build import Build, base_resource
from governance.collect.tfplan.config import ConfigIndex, Resolver
from governance.collect.tfplan.document import Entry, PlanReader
from governance.collect.tfplan.gcp import apply_gcp
from governance.errors import InputError, Where
from governance.model.evidence import Resource

__all__ = ["PARSE", "SUFFIXES", "collect", "sniff"]

SUFFIXES = (".json",)
PARSE = "json"
_PLAN_KEYS = ("planned_values", "resource_changes", "configuration", "prior_state")
_SUPPORTED_MAJOR = ("0", "1")


def sniff(doc: Any, path: Path) -> bool:
    """A plan is an object with ``format_version`` and at least one of the plan sections."""
    return (
        isinstance(doc, dict) and "format_version" in doc and any(key in doc for key in _PLAN_KEYS)
    )


def _check_version(doc: dict[str, Any], file: str) -> None:
    version = doc.get("format_version")
    major = version.split(".", 1)[0] if isinstance(version, str) else None
    if major not in _SUPPORTED_MAJOR:
        # Terraform keeps minor versions compatible; a new major may change meaning silently.
        raise InputError(
            f"unsupported plan format_version {version!r} (supported: 0.x and 1.x)", Where(file)
        )


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector, restoring its previous state.

    Collecting allocates a few objects per resource and creates no reference cycles, but each
    automatic collection would rescan the parsed plan (millions of objects for 50k resources):
    measured, that is a quarter of the collect time. Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def collect(path: Path, doc: Any, ctx: CollectContext) -> Evidence:
    with _without_cyclic_gc():
        return _collect(path, doc)


def _collect(path: Path, doc: Any) -> Evidence:
    file = display_path(path)
    if not isinstance(doc, dict):
        raise InputError("a Terraform plan must be a JSON object", Where(file))
    _check_version(doc, file)
    lines = address_lines(read_text(path))
    reader = PlanReader(file, lines)
    config = ConfigIndex(doc, reader)
    entries: dict[str, Entry] = {entry.address: entry for entry in reader.entries(doc)}

    instances: dict[str, dict[str, None]] = defaultdict(dict)
    for address, entry in entries.items():
        instances[entry.parsed.base][address] = None
    build = Build(
        file=file,
        config=config,
        resolver=Resolver(config, instances),
        lines=lines,
    )

    resources: dict[str, Resource] = {}
    for address, entry in entries.items():
        if s3.is_split(entry.type):
            continue  # folded into its bucket below, or normalised there if orphaned
        resource = base_resource(entry, build)
        if entry.type == s3.BUCKET:
            s3.apply_bucket(resource, entry, build)
        elif resource.provider == "aws":
            apply_aws(resource, entry, build)
        elif resource.provider == "gcp":
            apply_gcp(resource, entry, build)
        resources[address] = resource

    s3.join_split_resources(resources, entries, build)
    join_backups(resources, entries, build)
    return Evidence(resources=[resources[a] for a in entries if a in resources])
