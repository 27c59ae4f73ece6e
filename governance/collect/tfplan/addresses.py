"""Terraform addresses: splitting them into parts, and finding where each appears in the plan text.

An address is a dot-separated traversal whose steps may carry an instance key in brackets, and a
``for_each`` key is a quoted string that may itself contain dots, brackets or escaped quotes:
``module.net["eu.west"].aws_s3_bucket.logs["a\\"b"]``. Splitting on ``.`` alone is wrong, so
every split here goes through one tokenizer.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

# One traversal step: a name, then bracketed keys (quoted keys may contain ']' and '.').
_STEP = re.compile(r'[^.\[\]"]+(?:\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\])*')
_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\]')
# `"address": "<value>"` as Terraform writes it (compact or indented); the value is JSON-escaped.
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')


def steps(traversal: str) -> list[str]:
    """``module.a["x.y"].s3.b[0].id`` -> ``['module', 'a["x.y"]', 's3', 'b[0]', 'id']``."""
    # Only quoted for_each keys can hold a '.': without quotes a plain split is exact (and fast).
    return traversal.split(".") if '"' not in traversal else _STEP.findall(traversal)


def split_key(step: str) -> tuple[str, str]:
    """``b[0]`` -> ``('b', '[0]')``; ``b`` -> ``('b', '')``."""
    at = step.find("[")
    return (step, "") if at < 0 else (step[:at], step[at:])


@lru_cache(maxsize=4096)
def strip_keys(address: str) -> str:
    """The configuration address of an instance: ``module.a[0].x.b["k"]`` -> ``module.a.x.b``."""
    return _KEY.sub("", address) if "[" in address else address


def join(module: str, rest: str) -> str:
    return f"{module}.{rest}" if module else rest


@dataclass(frozen=True)
class ResourceAddress:
    """A resource instance address taken apart: module instance path, mode, type, name, key."""

    module: str
    """Module instance path, e.g. ``module.a["x"].module.b``; empty for the root module."""
    mode: str
    type: str
    name: str
    key: str
    """Instance key with brackets (``[0]``, ``["k"]``), or empty."""
    base: str
    """The address without this resource's own instance key (module keys kept)."""
    config_path: str
    """Module path in ``configuration`` (instance keys dropped)."""


def parse_address(address: str) -> ResourceAddress | None:
    """Take a resource instance address apart; None when it is not shaped like one."""
    parts = steps(address)
    modules: list[str] = []
    i = 0
    while i + 1 < len(parts) and parts[i] == "module":
        modules.append(f"module.{parts[i + 1]}")
        i += 2
    mode = "managed"
    if i < len(parts) and parts[i] == "data":
        mode = "data"
        i += 1
    if len(parts) - i != 2:
        return None
    name, key = split_key(parts[i + 1])
    module = ".".join(modules)
    base = join(module, f"{'data.' if mode == 'data' else ''}{parts[i]}.{name}")
    return ResourceAddress(module, mode, parts[i], name, key, base, strip_keys(module))


def parent_module(module: str) -> tuple[str, str] | None:
    """``module.a[0].module.b["x"]`` -> ``('module.a[0]', 'b')``; None for the root module."""
    parts = steps(module)
    if len(parts) < 2:
        return None
    call, _ = split_key(parts[-1])
    parent = ".".join(f"module.{p}" for p in parts[1:-2:2])
    return parent, call


def _unescape(raw: str) -> str:
    """Decode a JSON string body; a regex pass is ~10x cheaper than ``json.loads`` per address."""
    if "\\u" in raw:
        result: str = json.loads(f'"{raw}"')  # surrogate pairs: leave them to the real decoder
        return result
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)


def address_lines(text: str) -> dict[str, tuple[int, int]]:
    """1-based (line, column) of the first ``"address": "<addr>"`` of each address, in one pass.

    Newlines are counted only between consecutive matches, so a minified 100 MB plan on one
    line costs the same as an indented one.
    """
    found: dict[str, tuple[int, int]] = {}
    line, line_start, scanned = 1, 0, 0
    for match in _ADDRESS.finditer(text):
        pos = match.start()
        newlines = text.count("\n", scanned, pos)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", scanned, pos) + 1
        scanned = pos
        raw = match.group(1)
        address = _unescape(raw) if "\\" in raw else raw
        found.setdefault(address, (line, pos - line_start + 1))
    return found
