"""Collect source: data-product manifests and data contracts -> one ``Product`` per file.

Formats (one reader module each in ``governance.collect.manifests``): the flat ``dataproduct.yaml``,
the Kubernetes-style ``kind: DataProduct``, ODCS v3.0/v3.1 and v2.2 ``kind: DataContract``, and the
Data Contract Specification. Recognised formats that are *not* supported (ODPS, Data Mesh Manager
``dataproduct.yml``, Open Data Mesh descriptors) are claimed too, so that they fail with a message
naming the format instead of the generic "not a known input". JSON files are not read here: no
supported format is commonly written as JSON, and the YAML parser would mis-report JSON errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from governance.collect.base import CollectContext, Evidence
from governance.collect.files import display_path
from governance.collect.manifests import common, dcs, flat, k8s, odcs, odcs_v2
from governance.errors import GovernanceError
from governance.model.evidence import Product

SUFFIXES = (".yaml", ".yml")
PARSE = "yaml"

SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "dataproduct": flat.json_schema,
    "dataproduct-k8s": k8s.json_schema,
}

FLAT_FILENAMES = ("dataproduct.yaml", "dataproduct.yml")
# Keys that, with ``name``, mark a flat manifest (``name`` alone is in every other YAML format).
_FLAT_KEYS = ("domain", "owner", "output", "quality_checks", "retention_days", "classification")

_READERS: dict[str, Callable[[common.Source], Product]] = {
    "dataproduct": flat.read,
    "k8s": k8s.read,
    "odcs": odcs.read,
    "odcs-v2": odcs_v2.read,
    "dcs": dcs.read,
}

UNSUPPORTED = {
    "odps": "Open Data Product Standard (ODPS) descriptors are not supported",
    "dmm": "Data Mesh Manager data product specifications are not supported",
    "odm": "Open Data Mesh product descriptors are not supported",
}
_ADVICE = (
    "; describe the product in a dataproduct.yaml, a kind: DataProduct manifest (apiVersion "
    "<group>/<version>) or an ODCS data contract (see `governance schema dataproduct`)"
)


def detect(doc: Any, path: Path) -> str | None:
    """The format of a parsed YAML document, or None when it is not a manifest at all."""
    flat_name = path.name.lower() in FLAT_FILENAMES
    if not isinstance(doc, dict):
        return "dataproduct" if flat_name else None
    kind, api = doc.get("kind"), doc.get("apiVersion")
    if kind == "DataContract":
        return "odcs-v2" if isinstance(api, str) and api.startswith("v2.") else "odcs"
    if kind == "DataProduct":
        if "metadata" in doc or "spec" in doc or (isinstance(api, str) and "/" in api):
            return "k8s"
        return "odps"
    if "dataContractSpecification" in doc:
        return "dcs"
    if "dataProductDescriptor" in doc:
        return "odm"
    if "dataProductSpecification" in doc or (
        "name" not in doc
        and isinstance(doc.get("info"), dict)
        and ("outputPorts" in doc or "inputPorts" in doc)
    ):
        return "dmm"
    if "kind" in doc or "apiVersion" in doc:
        return None  # some other resource (Kubernetes, Backstage ...): not ours to judge
    if flat_name or ("name" in doc and any(k in doc for k in _FLAT_KEYS)):
        return "dataproduct"
    return None


def sniff(doc: Any, path: Path) -> bool:
    return detect(doc, path) is not None


def collect(path: Path, doc: Any, ctx: CollectContext) -> Evidence:
    fmt = detect(doc, path)
    src = common.Source(path=path, file=display_path(path), doc=doc, config=ctx.config)
    if fmt is None or fmt in UNSUPPORTED:
        reason = UNSUPPORTED.get(fmt or "", "not a data-product manifest or data contract")
        raise src.error(reason + _ADVICE)
    if not isinstance(doc, dict):
        raise src.error("expected a mapping of manifest fields (the file is empty or a list)")
    try:
        product = _READERS[fmt](src)
    except GovernanceError as exc:
        exc.product = exc.product or declared_id(doc, fmt)
        raise
    return Evidence(products=[product])


# Where each format keeps the product id (what ``Product.id`` is read from).
_ID_PATHS: dict[str, tuple[str, ...]] = {
    "dataproduct": ("name",),
    "k8s": ("metadata", "name"),
    "odcs": ("id",),
    "odcs-v2": ("uuid",),
    "dcs": ("id",),
}


def declared_id(doc: dict[str, Any], fmt: str) -> str | None:
    """The product id a manifest declares even when the rest of it is invalid: its error then
    belongs to that product (marked ``error``, its resources kept out of the unowned bundle)."""
    value: Any = doc
    for key in _ID_PATHS.get(fmt, ()):
        value = value.get(key) if isinstance(value, dict) else None
    return value.strip() if isinstance(value, str) and value.strip() else None
