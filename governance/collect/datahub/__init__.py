"""DataHub as evidence: metadata files, DataHub Lite and a live GMS, folded into one model.

This module is the collect registry's source for DataHub metadata *files* (what ``datahub`` file
sinks and ingestion golden files contain: a JSON list of MCE snapshots and/or MCPs, in either
aspect encoding). DataHub Lite (``lite``), GMS (``gms``) and AWS Glue (``governance.collect.glue``)
are read through ``governance.collect.datahub.sources`` when a catalog source is given.
Everything becomes ``CatalogDataset`` evidence (see ``fold``). The SDK is imported on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from governance.collect.base import CollectContext, Evidence
from governance.collect.datahub.records import is_metadata_entry
from governance.collect.files import display_path, read_text
from governance.extras import require
from governance.model.evidence import Location

SUFFIXES = (".json",)
PARSE = "json"


def sniff(doc: Any, path: Path) -> bool:
    """A non-empty list whose first entry is an MCE snapshot or an MCP (or one such object)."""
    if isinstance(doc, list):
        return bool(doc) and is_metadata_entry(doc[0])
    return isinstance(doc, dict) and is_metadata_entry(doc)


def collect(path: Path, doc: Any, ctx: CollectContext) -> Evidence:
    from governance.collect.datahub.fold import CatalogFold
    from governance.collect.datahub.records import file_records

    require("datahub", "DataHub metadata files")
    shown = display_path(path)

    def locate(urn: str, line: int | None) -> Location:
        return Location(file=shown, line=line)

    records = file_records(shown, doc, read_text(path))
    return Evidence(catalog=CatalogFold(shown, locate).add_all(records).datasets())
