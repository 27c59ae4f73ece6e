"""Writing DataHub metadata (MCPs and patches built with the SDK) to Lite, GMS or a file.

Used by ``governance catalog sync`` and by ``--publish datahub``. The same SDK objects go to
every target: GMS applies patches itself, ``LiteWriter`` applies them to the stored aspects, and
a file receives them in the SDK's file-sink format (newer ``{"json": ...}`` aspect encoding), ready
for ``datahub ingest`` with a file source. A file is written whole and atomically: writing again
replaces it, it never appends.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from governance.collect.datahub.endpoints import Endpoint
from governance.collect.datahub.lite import LiteWriter, WriteReport, open_lite
from governance.collect.datahub.sdk import prepare
from governance.collect.files import display_path
from governance.errors import CollectorError, UsageError, Where


def to_file_obj(item: Any) -> dict[str, Any]:
    """One entry of a metadata file, as the SDK's file sink writes it."""
    prepare()
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.metadata.schema_classes import MetadataChangeProposalClass

    if isinstance(item, MetadataChangeProposalWrapper):
        obj: dict[str, Any] = item.to_obj(simplified_structure=True)
        return obj
    obj = item.to_obj()
    if isinstance(item, MetadataChangeProposalClass) and item.aspect is not None:
        raw = item.aspect.value
        obj["aspect"] = {"json": json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)}
    return obj


def write_file(path: Path, items: Sequence[Any]) -> None:
    """Replace ``path`` with the metadata file of ``items`` (temp file + rename: all or nothing)."""
    text = "[\n" + ",\n".join(json.dumps(to_file_obj(i), indent=4) for i in items) + "\n]\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        Path(tmp).replace(path)
    except OSError as exc:
        raise CollectorError(
            f"cannot write metadata file: {exc.strerror}", Where(display_path(path))
        ) from exc


def write_items(target: Endpoint, items: Sequence[Any]) -> WriteReport:
    """Write ``items`` to ``target`` (lite, gms or file); returns what was written/skipped."""
    if target.kind == "file":
        write_file(Path(str(target.location)), items)
        return WriteReport(written=len(items))
    if target.kind == "lite":
        with open_lite(target.lite_path(), read_only=False) as lite:
            writer = LiteWriter(lite)
            for item in items:
                writer.write(item)
        return writer.report
    if target.kind == "gms":
        from governance.collect.datahub.gms import connect, emit, resolve_url

        url = resolve_url(target.location)
        emit(connect(url), url, items)
        return WriteReport(written=len(items))
    raise UsageError(f"cannot write DataHub metadata to '{target}' (use lite, gms or file:PATH)")
