"""DataHub Lite: the embedded DataHub catalog, the default local catalog of this tool.

acryl-datahub 1.7 ships two DataHub Lite engines, SQLite (its default, in the standard library)
and DuckDB (an extra, not installed here); this module uses SQLite, the file the ``datahub lite``
CLI uses by default (``~/.datahub/lite/datahub.db``), so both tools see the same catalog. Lite
stores every aspect version per entity; version 0 is the latest, which is what is read here.

Lite cannot store PATCH proposals: ``LiteWriter`` applies them to the stored aspect
(``patch.apply_patch``) and writes the result, as GMS would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from governance.collect.datahub.fold import CatalogFold
from governance.collect.datahub.patch import PatchError, apply_patch
from governance.collect.datahub.records import Record, file_items, is_metadata_entry
from governance.collect.datahub.sdk import decode_errors, prepare
from governance.collect.files import display_path, load_json, read_text
from governance.errors import CollectorError, InputError, Where
from governance.model.evidence import CatalogDataset, Location

# Lite commits after every browse-index edge; with SQLite's default full fsync per commit an
# import of a 100-entity file took 6 s (measured). A local catalog that can be rebuilt from its
# sources does not need crash durability per edge. Per connection, not stored in the file.
_PRAGMAS = {"synchronous": "OFF"}


def default_lite_path() -> Path:
    """Where the ``datahub lite`` CLI keeps its SQLite catalog by default."""
    return Path("~/.datahub/lite/datahub.db").expanduser()


def _where(path: Path) -> Where:
    return Where(source=f"DataHub Lite {display_path(path)}")


@contextmanager
def open_lite(path: Path, *, read_only: bool) -> Iterator[Any]:
    """An open ``SqliteLite``; closed (and, after writes, its browse index rebuilt) on exit."""
    prepare()
    from datahub.lite.sqlite_lite import SqliteLite
    from datahub.lite.sqlite_lite_config import SqliteLiteConfig

    if read_only and not path.is_file():
        raise CollectorError(
            "DataHub Lite database not found (create it with `governance catalog import` or "
            "`governance catalog sync`)",
            _where(path),
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        lite = SqliteLite(SqliteLiteConfig(file=str(path), read_only=read_only, options=_PRAGMAS))
    except sqlite3.Error as exc:
        raise CollectorError(
            f"cannot open as a DataHub Lite database: {exc}", _where(path)
        ) from exc
    try:
        yield lite
        lite.close()
    except sqlite3.Error as exc:
        raise CollectorError(f"not a readable DataHub Lite database: {exc}", _where(path)) from exc
    finally:
        # close() is idempotent on the connection; after an error the reindex is skipped.
        lite.sqlite_client.close()


def read_lite(path: Path) -> list[CatalogDataset]:
    """Every dataset of a DataHub Lite database, as evidence."""
    shown = display_path(path)

    def locate(urn: str, line: int | None) -> Location:
        return Location(file=shown)

    fold = CatalogFold(shown, locate)
    with open_lite(path, read_only=True) as lite:
        for entity in lite.get_all_entities(typed=False):
            for urn, aspects in entity.items():
                for name, value in aspects.items():
                    fold.add(Record(urn, name, "upsert", value))
    return fold.datasets()


@dataclass
class WriteReport:
    written: int = 0
    """Records written (MCE aspects count once per snapshot)."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Records Lite cannot take, by reason: deletes, patches this tool cannot apply."""

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class LiteWriter:
    """Writes SDK objects to an open Lite, applying patches to the stored aspects."""

    def __init__(self, lite: Any) -> None:
        self.lite = lite
        self.report = WriteReport()

    def write(self, item: Any) -> None:
        from datahub.emitter.mcp import MetadataChangeProposalWrapper
        from datahub.metadata.schema_classes import MetadataChangeEventClass

        if isinstance(item, MetadataChangeEventClass | MetadataChangeProposalWrapper):
            self.lite.write(item)
            self.report.written += 1
        elif isinstance(item, Record):
            self.report.skip(f"{item.change} of {item.aspect}")
        elif str(item.changeType) == "PATCH":
            self._patch(item)
        else:
            self.report.skip(f"aspect unknown to the SDK: {item.aspectName}")

    def _patch(self, item: Any) -> None:
        import json

        from datahub.emitter.mcp import MetadataChangeProposalWrapper
        from datahub.emitter.serialization_helper import post_json_transform
        from datahub.metadata.schema_classes import ASPECT_NAME_MAP

        urn, name = str(item.entityUrn), str(item.aspectName)
        aspect_class = ASPECT_NAME_MAP.get(name)
        raw = item.aspect.value
        errors: tuple[type[Exception], ...] = (PatchError, *decode_errors())
        try:
            doc = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
            current = (self.lite.get(urn, [name]) or {}).get(name)
            value = apply_patch(current if isinstance(current, dict) else None, doc)
            if aspect_class is None:
                raise PatchError(f"aspect {name} unknown to the SDK")
            aspect = aspect_class.from_obj(post_json_transform(value))
        except errors:
            # Lineage patches (fine-grained upstreams) use path shapes governance does not read.
            self.report.skip(f"patch of {name}")
            return
        self.lite.write(MetadataChangeProposalWrapper(entityUrn=urn, aspect=aspect))
        self.report.written += 1


def import_file(lite_path: Path, metadata_file: Path) -> WriteReport:
    """``governance catalog import``: load a DataHub metadata file into Lite.

    The whole file is decoded and validated first, so a bad entry leaves Lite untouched.
    """
    shown = display_path(metadata_file)
    text = read_text(metadata_file)
    doc = load_json(metadata_file, text)
    first = doc[0] if isinstance(doc, list) and doc else doc
    if not is_metadata_entry(first):
        raise InputError(
            "not DataHub metadata: expected a JSON list of MCE snapshots or MCPs "
            "(the DataHub file-sink format)",
            Where(shown),
        )
    items = [item for _, _, item in file_items(shown, doc, text)]
    with open_lite(lite_path, read_only=False) as lite:
        writer = LiteWriter(lite)
        for item in items:
            writer.write(item)
    return writer.report
