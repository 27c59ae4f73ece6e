"""Small, forgiving readers for planned attribute values.

Plans from different Terraform and provider versions spell the same fact differently (a nested
block is a one-element list, tags may be a map, a list of maps or ``tag`` blocks, a number may
arrive as a string), and values unknown until apply are simply absent. These helpers return None
for "not stated" so callers decide what absence means for each resource type.
"""

from __future__ import annotations

from typing import Any

SENSITIVE = "(sensitive)"
KNOWN_AFTER_APPLY = "(known after apply)"


def unknown_at(unknown: Any, key: str) -> bool:
    """True when ``after_unknown`` marks ``key`` (or the whole object) unknown until apply."""
    if unknown is True:
        return True
    return isinstance(unknown, dict) and unknown.get(key) is True


def unknown_in(unknown: Any, key: str) -> Any:
    """The ``after_unknown`` structure of the first object of nested block ``key``."""
    if unknown is True or not isinstance(unknown, dict):
        return unknown is True
    found = unknown.get(key)
    if isinstance(found, list):
        return found[0] if found else None
    return found


def unknown_path(unknown: Any, *path: str | int) -> Any:
    """Walk ``after_unknown`` along block path; True as soon as an ancestor is wholly unknown."""
    node = unknown
    for part in path:
        if node is True:
            return True
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def blocks(values: Any, key: str) -> list[dict[str, Any]]:
    """The objects of a nested block (a list of objects in plan JSON; a bare object tolerated)."""
    if not isinstance(values, dict):
        return []
    found = values.get(key)
    if isinstance(found, dict):
        return [found]
    if isinstance(found, list):
        return [item for item in found if isinstance(item, dict)]
    return []


def block(values: Any, key: str) -> dict[str, Any] | None:
    found = blocks(values, key)
    return found[0] if found else None


def as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def text(value: Any) -> str | None:
    """A non-empty string, else None (providers write "" for unset optional strings)."""
    return value if isinstance(value, str) and value else None


def str_map(value: Any) -> dict[str, str]:
    """A tag/label map; null values mean "not set" and are dropped; scalars become strings."""
    if not isinstance(value, dict):
        return {}
    result: dict[str, str] = {}
    for key, item in value.items():
        if item is None or isinstance(item, dict | list):
            continue
        result[str(key)] = str(item).lower() if isinstance(item, bool) else str(item)
    return result


def tag_list(value: Any) -> dict[str, str]:
    """``[{key, value, ...}]`` as written by ``tag`` blocks and old ``tags`` lists (autoscaling)."""
    result: dict[str, str] = {}
    if isinstance(value, list):
        for item in value:
            if (
                isinstance(item, dict)
                and isinstance(item.get("key"), str)
                and item.get("value") is not None
            ):
                result[item["key"]] = str(item["value"])
    return result


def masked(values: dict[str, Any], sensitive: Any) -> dict[str, Any]:
    """``values`` with every value marked in ``after_sensitive`` replaced by ``(sensitive)``.

    Plan JSON carries sensitive values (passwords, secret keys) in clear text; ``raw`` reaches
    reports, so they are masked here. Copies only along masked paths.
    """
    if not sensitive:
        return values
    if sensitive is True:
        return dict.fromkeys(values, SENSITIVE)
    result = _mask(values, sensitive)
    return result if isinstance(result, dict) else values


def _mask(value: Any, sensitive: Any) -> Any:
    if sensitive is True:
        return SENSITIVE if value is not None else None
    if isinstance(sensitive, dict) and isinstance(value, dict):
        marked = {k: s for k, s in sensitive.items() if s and k in value}
        if not marked:
            return value
        copy = dict(value)
        for key, mark in marked.items():
            copy[key] = _mask(value[key], mark)
        return copy
    if isinstance(sensitive, list) and isinstance(value, list):
        if not any(sensitive):
            return value
        return [_mask(v, sensitive[i]) if i < len(sensitive) else v for i, v in enumerate(value)]
    return value
