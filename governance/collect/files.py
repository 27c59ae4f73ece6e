"""Reading input files: encodings, JSON and YAML with positions, and errors that name file:line:col.

Every collector reads through here so that a malformed file always fails the same way: one
``InputError`` naming the file and, where the parser knows it, the line and column.
"""

from __future__ import annotations

import codecs
import functools
import gc
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from governance.errors import InputError, Where
from governance.model.evidence import Location

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

STDIN = Path("-")
"""``-`` among the paths: one manifest, contract or plan read from standard input."""
STDIN_NAME = "<stdin>"


@functools.cache
def stdin_bytes() -> bytes:
    """Standard input, read once: a collector may read its file twice (plans, for line numbers),
    and the pipe can be read only once."""
    return sys.stdin.buffer.read()


def display_path(path: Path) -> str:
    """The path as the user should see it in messages and reports: relative to cwd when possible."""
    if path == STDIN:
        return STDIN_NAME
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def read_text(path: Path) -> str:
    """Decode a text file, honouring BOMs (terraform plans redirected by PowerShell are UTF-16)."""
    return read_input(path)[0]


def read_input(path: Path) -> tuple[str, str]:
    """The decoded text and the SHA-256 of the file's bytes, from one read (a 100k-resource plan
    is 120 MB: reading it again for the digest cost time and, at the peak, memory)."""
    try:
        data = stdin_bytes() if path == STDIN else path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Where(display_path(path))) from exc
    return _decode(path, data), hashlib.sha256(data).hexdigest()


def _decode(path: Path, data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"invalid {encoding} text: {exc.reason}", Where(display_path(path))
                ) from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text (byte {exc.start}): binary file or unknown encoding",
            Where(display_path(path)),
        ) from exc


def load_json(path: Path, text: str | None = None) -> Any:
    text = read_text(path) if text is None else text
    # json.loads allocates millions of containers on a large plan; the cyclic GC scanning them
    # while they are built was 80% of parse time at 50k resources. JSON cannot hold cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"malformed JSON: {exc.msg}", Where(display_path(path), exc.lineno, exc.colno)
        ) from exc
    finally:
        if was_enabled:
            gc.enable()


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def load_yaml(path: Path, text: str | None = None) -> Any:
    """Parse YAML keeping positions: mappings are ``CommentedMap`` with ``.lc`` line/column info."""
    text = read_text(path) if text is None else text
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise InputError(
            f"malformed YAML: {problem}", Where(display_path(path), line, col)
        ) from exc
    except YAMLError as exc:
        raise InputError(f"malformed YAML: {exc}", Where(display_path(path))) from exc


def key_location(file: str, node: Any, key: str | int | None = None) -> Location:
    """1-based position of ``node[key]`` (or of ``node`` itself) in a ruamel round-trip document."""
    if isinstance(node, CommentedMap | CommentedSeq):
        try:
            if key is None:
                return Location(file=file, line=node.lc.line + 1, column=node.lc.col + 1)
            if isinstance(node, CommentedMap):
                line, col = node.lc.key(key)
            else:
                line, col = node.lc.item(int(key))
            return Location(file=file, line=line + 1, column=col + 1)
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return Location(file=file)


def plain(node: Any) -> Any:
    """Convert a ruamel document to plain dict/list/scalars (for ``raw`` and JSON output)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _child(node: Any, part: str | int) -> tuple[bool, Any]:
    if isinstance(node, dict) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def validation_where(file: str, doc: Any, loc: tuple[str | int, ...]) -> Location:
    """Position of a pydantic error location path (``("a", 0, "b")``) in a ruamel document.

    Walks as deep as the document goes; when the last key is missing (a required field), the
    position of its parent mapping is the best place to point at.
    """
    node, best = doc, key_location(file, doc)
    for part in loc:
        found, child = _child(node, part)
        if not found:
            break
        best, node = key_location(file, node, part), child
    return best
