"""DataHub metadata files (the SDK's file-sink format) decoded into uniform aspect records.

A file is a JSON list whose entries are MCE snapshots (``{"proposedSnapshot": ...}``) or MCPs
(``{"entityType", "entityUrn", "changeType", "aspectName", "aspect"}``), with the aspect in either
encoding: the older ``{"value": "<JSON string>", "contentType": "application/json"}`` or the newer
``{"json": {...}}``. Every entry goes through the SDK's own classes (``from_obj`` + ``validate``),
so a file DataHub would reject is rejected here too, naming the entry's line; each aspect is then
handed on as the plain JSON DataHub stores (``to_obj()``), whatever encoding the file used.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from governance.collect.datahub.sdk import decode_errors, prepare
from governance.errors import InputError, Where

Change = Literal["upsert", "patch", "delete"]

_UPSERTS = frozenset({"UPSERT", "CREATE", "CREATE_ENTITY", "UPDATE", "RESTATE"})


@dataclass(frozen=True)
class Record:
    """One change to one aspect of one entity."""

    urn: str
    aspect: str
    change: Change
    value: Any = None
    """The aspect's JSON (upsert) or the JSON patch document (patch); None for delete."""
    line: int | None = None

    @property
    def entity_type(self) -> str:
        parts = self.urn.split(":", 3)
        return parts[2] if len(parts) > 2 else ""


def is_metadata_entry(entry: Any) -> bool:
    """The cheap shape test: an MCE snapshot or an MCP (used to sniff files)."""
    if not isinstance(entry, dict):
        return False
    if isinstance(entry.get("proposedSnapshot"), dict):
        return True
    return isinstance(entry.get("aspectName"), str) and (
        isinstance(entry.get("entityUrn"), str) or isinstance(entry.get("entityType"), str)
    )


def entry_lines(text: str) -> list[int]:
    """1-based line of each top-level list element; [] when the text is not a JSON list.

    ``json.loads`` keeps no positions, so the list is walked once more with ``raw_decode``
    (C speed) only to know where each entry starts, for messages and finding locations.
    """
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "[":
        return lines
    pos = _skip(text, pos + 1)
    line, counted = 1, 0
    while pos < len(text) and text[pos] != "]":
        line += text.count("\n", counted, pos)
        counted = pos
        lines.append(line)
        try:
            _, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
    return lines


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _entry_error(file: str, index: int, line: int | None, message: str) -> InputError:
    return InputError(f"DataHub metadata entry {index + 1}: {message}", Where(file, line))


def _sdk_item(entry: dict[str, Any]) -> Any:
    """The SDK object of one entry: an MCE, an MCP wrapper, or a generic MCP (patches)."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.metadata.schema_classes import MetadataChangeEventClass

    item: Any
    if "proposedSnapshot" in entry:
        item = MetadataChangeEventClass.from_obj(entry)
    else:
        item = MetadataChangeProposalWrapper.from_obj(entry)
    if not item.validate():
        raise ValueError("the SDK rejects it (validate() failed)")
    return item


def _patch_document(item: Any) -> Any:
    raw = item.aspect.value
    text = raw.decode("utf-8") if isinstance(raw, bytes) else str(raw)
    return json.loads(text)


def item_records(item: Any, line: int | None = None) -> Iterator[Record]:
    """Records of one SDK object (an MCE yields one record per aspect of its snapshot)."""
    from datahub.emitter.mcp import MetadataChangeProposalWrapper
    from datahub.emitter.mcp_builder import mcps_from_mce
    from datahub.metadata.schema_classes import MetadataChangeEventClass

    if isinstance(item, MetadataChangeEventClass):
        for mcp in mcps_from_mce(item):
            if mcp.aspect is not None:
                yield Record(
                    str(mcp.entityUrn), str(mcp.aspectName), "upsert", mcp.aspect.to_obj(), line
                )
        return
    change = str(item.changeType)
    urn, aspect = str(item.entityUrn), str(item.aspectName)
    if change == "PATCH":
        yield Record(urn, aspect, "patch", _patch_document(item), line)
    elif change == "DELETE":
        yield Record(urn, aspect, "delete", None, line)
    elif change not in _UPSERTS:
        raise ValueError(f"unsupported changeType '{change}'")
    elif isinstance(item, MetadataChangeProposalWrapper) and item.aspect is not None:
        yield Record(urn, aspect, "upsert", item.aspect.to_obj(), line)
    # A generic UPSERT is an aspect this SDK version does not know: nothing governance reads.


def file_items(file: str, doc: Any, text: str) -> Iterator[tuple[int, int | None, Any]]:
    """(entry index, line, item) per entry: an SDK object, or a ``Record`` for a DELETE.

    A bad entry is an ``InputError`` naming its line. Usage-aggregation entries (deprecated usage
    statistics, nothing to govern) are passed over.
    """
    prepare()
    errors = decode_errors()
    entries = doc if isinstance(doc, list) else [doc]
    lines = entry_lines(text) if isinstance(doc, list) else [1]
    for index, entry in enumerate(entries):
        line = lines[index] if index < len(lines) else None
        if isinstance(entry, dict) and "bucket" in entry and "aspect" not in entry:
            continue
        if not is_metadata_entry(entry):
            raise _entry_error(file, index, line, "not an MCE snapshot or an MCP")
        if entry.get("changeType") == "DELETE":
            # The SDK cannot decode a DELETE (it has no aspect): read the fields directly.
            if not isinstance(entry.get("entityUrn"), str):
                raise _entry_error(file, index, line, "a DELETE without an entityUrn")
            yield (
                index,
                line,
                Record(entry["entityUrn"], str(entry["aspectName"]), "delete", None, line),
            )
            continue
        try:
            item = _sdk_item(entry)
        except errors as exc:
            what = f"{entry['aspectName']} aspect" if "aspectName" in entry else "snapshot"
            raise _entry_error(file, index, line, f"invalid {what}: {_short(exc)}") from exc
        yield index, line, item


def file_records(file: str, doc: Any, text: str) -> Iterator[Record]:
    """Every record of a parsed metadata file, in file order."""
    errors = decode_errors()
    for index, line, item in file_items(file, doc, text):
        if isinstance(item, Record):
            yield item
            continue
        try:
            records = list(item_records(item, line))
        except errors as exc:
            raise _entry_error(file, index, line, f"invalid: {_short(exc)}") from exc
        yield from records


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."
