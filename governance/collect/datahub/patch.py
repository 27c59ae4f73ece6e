"""Applying DataHub PATCH proposals to an aspect's JSON, the way GMS does.

DataHub patches are JSON Patch operations whose paths address array elements by *key*, not by
index: ``/tags/urn:li:tag:pii`` is the element of ``tags`` whose ``tag`` is that URN. Two encodings
exist:

* the older one, a bare list of operations; the key fields of each array are fixed per aspect by
  GMS's templates (``LEGACY_KEYS`` lists the ones governance reads);
* the newer one (SDK 1.x), ``{"arrayPrimaryKeys": {"tags": ["attribution␟source", "tag"]},
  "patch": [...]}``, where a path gives one segment per key field (``␟`` separates nested field
  names, a missing field counts as ""). A ``remove`` may give fewer segments: every element
  matching the given ones goes.

This is used to read files and DataHub Lite faithfully (Lite itself cannot store patches) and to
publish to Lite. A path this cannot interpret raises ``PatchError``: guessing could drop a tag.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

UNIT_SEPARATOR = "\u241f"

LEGACY_KEYS: dict[str, list[str]] = {
    "tags": ["tag"],
    "terms": ["urn"],
    "owners": ["owner", "type"],
    "properties": ["propertyUrn"],
    "editableSchemaFieldInfo": ["fieldPath"],
    "assets": ["destinationUrn"],
    "domainAssociations": ["domain"],
    "upstreams": ["dataset"],
}
"""Key fields of the keyed arrays, for patches without ``arrayPrimaryKeys``."""

STRING_ARRAYS = frozenset({"domains"})
"""Arrays of plain strings: the path segment is the element itself."""


class PatchError(ValueError):
    """A patch operation this module cannot apply faithfully."""


def _unquote(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _split(path: str) -> list[str]:
    if not path.startswith("/"):
        raise PatchError(f"patch path '{path}' does not start with '/'")
    return [_unquote(s) for s in path[1:].split("/")]


def _key_value(element: Any, key: str) -> str:
    node = element
    for part in key.split(UNIT_SEPARATOR):
        if not isinstance(node, dict):
            return ""
        node = node.get(part)
    return "" if node is None else str(node)


def _matches(element: Any, keys: Sequence[str], values: Sequence[str]) -> bool:
    return all(_key_value(element, k) == v for k, v in zip(keys, values, strict=False))


def _new_element(keys: Sequence[str], values: Sequence[str]) -> dict[str, Any]:
    element: dict[str, Any] = {}
    for key, value in zip(keys, values, strict=True):
        if value == "":
            continue
        node = element
        parts = key.split(UNIT_SEPARATOR)
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return element


class _Applier:
    def __init__(self, op: str, value: Any, keys: Mapping[str, list[str]]) -> None:
        if op not in ("add", "remove", "replace"):
            raise PatchError(f"unsupported patch operation '{op}'")
        self.remove = op == "remove"
        self.value = value
        self.keys = keys

    def walk(self, node: dict[str, Any], segments: list[str]) -> None:
        field, rest = segments[0], segments[1:]
        if not rest:
            if self.remove:
                node.pop(field, None)
            else:
                node[field] = copy.deepcopy(self.value)
            return
        child = node.get(field)
        if field in STRING_ARRAYS and (child is None or isinstance(child, list)):
            self._string_array(node, field, rest)
        elif field in self.keys and (child is None or isinstance(child, list)):
            self._keyed_array(node, field, rest)
        elif isinstance(child, list):
            raise PatchError(f"no key fields known for array '{field}'")
        elif child is None or isinstance(child, dict):
            if child is None:
                if self.remove:
                    return
                child = node[field] = {}
            self.walk(child, rest)
        else:
            raise PatchError(f"'{field}' is not an object or array")

    def _string_array(self, node: dict[str, Any], field: str, rest: list[str]) -> None:
        if len(rest) != 1:
            raise PatchError(f"cannot descend into the string array '{field}'")
        items = [x for x in node.get(field) or [] if x != rest[0]]
        if not self.remove:
            items.append(rest[0] if not isinstance(self.value, str) else self.value)
        node[field] = items

    def _keyed_array(self, node: dict[str, Any], field: str, rest: list[str]) -> None:
        keys = self.keys[field]
        given, after = rest[: len(keys)], rest[len(keys) :]
        items: list[Any] = list(node.get(field) or [])
        if not after and self.remove:
            node[field] = [x for x in items if not _matches(x, keys, given)]
            return
        if len(given) < len(keys):
            raise PatchError(f"path gives {len(given)} of the {len(keys)} keys of '{field}'")
        index = next((i for i, x in enumerate(items) if _matches(x, keys, given)), None)
        if not after:
            if index is None:
                items.append(copy.deepcopy(self.value))
            else:
                items[index] = copy.deepcopy(self.value)
        else:
            if index is None:
                if self.remove:
                    return
                items.append(_new_element(keys, given))
                index = len(items) - 1
            target = items[index]
            if not isinstance(target, dict):
                raise PatchError(f"element of '{field}' is not an object")
            self.walk(target, after)
        node[field] = items


def patch_operations(doc: Any) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The operations of a patch document and the key fields they address arrays by."""
    keys = dict(LEGACY_KEYS)
    if isinstance(doc, dict) and "patch" in doc:
        declared = doc.get("arrayPrimaryKeys") or {}
        if not isinstance(declared, dict) or not all(
            isinstance(v, list) and all(isinstance(k, str) for k in v) for v in declared.values()
        ):
            raise PatchError("arrayPrimaryKeys must map array names to lists of field names")
        keys.update(declared)
        doc = doc["patch"]
    if not isinstance(doc, list) or not all(isinstance(op, dict) for op in doc):
        raise PatchError("a patch must be a list of operations (objects with op and path)")
    return doc, keys


def apply_patch(aspect: Mapping[str, Any] | None, doc: Any) -> dict[str, Any]:
    """A new aspect value: ``aspect`` (None: an empty aspect) with the patch ``doc`` applied."""
    result: dict[str, Any] = copy.deepcopy(dict(aspect)) if aspect else {}
    operations, keys = patch_operations(doc)
    for operation in operations:
        path = operation.get("path")
        if not isinstance(path, str) or path == "/":
            raise PatchError(f"patch operation without a usable path: {str(operation)[:120]}")
        _Applier(str(operation.get("op")), operation.get("value"), keys).walk(result, _split(path))
    return result
