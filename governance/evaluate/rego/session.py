"""One regopy Interpreter, loaded once and queried many times. Imported in worker processes only.

regopy's Pythonic layer trips on three of its own failure modes (docs/notes: embedded-rego), so
this module talks to its C API functions directly:

- a build that fails returns a bundle whose ``ok()`` is false; querying it segfaults -> checked;
- some runtime errors ("Function not found", "Recursion detected") come back as an *ok* output
  whose text is an error tree, which ``Output`` feeds to ``json.loads`` -> read the node instead;
- errors are trees (``rego-errorseq``) with a message and a code (``eval_builtin_error``,
  ``timeout_error`` ...) -> flattened to one line.

Strict builtin errors are on: a builtin that fails is an error, never a silently undefined rule.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import regopy
from regopy import rego_shared as capi

_ERROR_KINDS = (capi.NodeKind.Error, capi.NodeKind.ErrorSeq)
_LOCATED = re.compile(rb"\(error (\d+):")


class SessionError(Exception):
    """Loading or building failed. ``module`` is the index of the module at fault, if known."""

    def __init__(self, message: str, module: int | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.module = module
        self.offset = offset


@dataclass(frozen=True)
class QueryResult:
    output: str | None
    """The output JSON text (``{"expressions": [...]}``) or ``undefined``; None on error."""
    error: str | None = None


def _node_errors(node: Any) -> list[str]:
    """Flatten an error tree into ``message (code)`` lines."""
    kind = capi.rego.regoNodeType(node)
    if kind == capi.NodeKind.ErrorSeq:
        return [
            m
            for i in range(capi.rego_node_size(node))
            for m in _node_errors(capi.rego_node_get(node, i))
        ]
    if kind != capi.NodeKind.Error:
        return []
    message, code = "", ""
    for i in range(capi.rego_node_size(node)):
        child = capi.rego_node_get(node, i)
        child_kind = capi.rego.regoNodeType(child)
        if child_kind == capi.NodeKind.ErrorMessage:
            message = capi.rego_node_value(child)
        elif child_kind == capi.NodeKind.ErrorCode:
            code = capi.rego_node_value(child)
    return [f"{message} ({code})" if code and code != "rego-errorcode" else message]


def _error_text(node: Any, fallback: str) -> str:
    messages = [m for m in _node_errors(node) if m]
    return "; ".join(dict.fromkeys(messages)) or fallback


def _parse_error(text: str) -> tuple[str, int | None]:
    """Message and byte offset of an add_module error: ``(error 6:m.rego|36|1 (errormsg ...``."""
    raw = text.encode("utf-8")
    offset: int | None = None
    located = _LOCATED.search(raw)
    if located is not None:
        start = located.end() + int(located.group(1))
        rest = raw[start:].split(b"|")
        if len(rest) > 1 and rest[1].isdigit():
            offset = int(rest[1])
    messages = []
    for match in re.finditer(rb"\(errormsg (\d+):", raw):
        start = match.end()
        messages.append(raw[start : start + int(match.group(1))].decode("utf-8", errors="replace"))
    if messages:
        return "; ".join(messages), offset
    lines = text.strip().splitlines()
    return (lines[0] if lines else "invalid module"), offset


class _Unrepresentable(ValueError):
    """A value the node-by-node input API would change (regopy wraps big ints, C cuts at NUL)."""


_INT64 = (-(2**63), 2**63 - 1)
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def _build_input(value: Any) -> Any:
    """regopy's ``Input`` without its per-call wrappers, and refusing values it would corrupt."""
    lib = capi.rego
    put_str, put_int, put_float = lib.regoInputString, lib.regoInputInt, lib.regoInputFloat
    put_bool, put_null, put_item = lib.regoInputBoolean, lib.regoInputNull, lib.regoInputObjectItem
    put_object, put_array = lib.regoInputObject, lib.regoInputArray
    handle = capi.rego_new_input()

    def text(raw: str) -> int:
        if "\x00" in raw:
            raise _Unrepresentable("NUL in a string")
        if _NEEDS_ESCAPE.search(raw):
            # rego-cpp keeps strings in their escaped JSON form (as parsing the input as a term
            # does): a raw quote or backslash would compare unlike the same Rego literal and
            # come back unescaped in the output JSON (plan addresses like module.x["key"]).
            raw = json.dumps(raw, ensure_ascii=False)[1:-1]
        code: int = put_str(handle, raw.encode("utf-8"))
        return code

    def add(item: Any) -> None:
        kind = type(item)
        if kind is str:
            code = text(item)
        elif kind is dict:
            for key, member in item.items():
                if text(key) != 0:
                    raise _Unrepresentable("object key")
                add(member)
                if put_item(handle) != 0:
                    raise _Unrepresentable("object item")
            code = put_object(handle, len(item))
        elif kind is list:
            for member in item:
                add(member)
            code = put_array(handle, len(item))
        elif kind is bool:
            code = put_bool(handle, item)
        elif kind is int:
            if not _INT64[0] <= item <= _INT64[1]:
                raise _Unrepresentable("integer beyond int64")
            code = put_int(handle, item)
        elif kind is float:
            code = put_float(handle, item)
        elif item is None:
            code = put_null(handle)
        else:
            raise _Unrepresentable(f"type {kind.__name__}")
        if code != 0:
            raise _Unrepresentable(f"regopy input error {code}")

    try:
        add(value)
    except (_Unrepresentable, RecursionError):
        capi.rego_free_input(handle)
        raise
    return handle


def _new_interpreter() -> Any:
    interpreter = regopy.Interpreter()
    interpreter.log_level = regopy.LogLevel.NONE
    interpreter.strict_built_in_errors = True
    return interpreter


def check_module(name: str, source: str) -> None:
    """Compile one module on its own (used to find which module breaks a failed build)."""
    interpreter = _new_interpreter()
    try:
        interpreter.add_module(name, source)
    except regopy.RegoError as exc:
        message, offset = _parse_error(str(exc))
        raise SessionError(message, 0, offset) from exc
    try:
        bundle = interpreter.build("x := 1")
    except regopy.RegoError as exc:
        raise SessionError(str(exc).strip() or "compilation failed", 0) from exc
    if not bundle.ok():
        raise SessionError(
            _error_text(capi.rego_bundle_node(bundle._impl), "compilation failed"), 0
        )


class Session:
    """An interpreter with modules and data loaded and a bundle built for fixed entry points."""

    def __init__(
        self,
        modules: Sequence[tuple[str, str]],
        data_json: str | None,
        entrypoints: Sequence[str],
    ) -> None:
        self._interpreter = _new_interpreter()
        for index, (name, source) in enumerate(modules):
            try:
                self._interpreter.add_module(name, source)
            except regopy.RegoError as exc:
                message, offset = _parse_error(str(exc))
                raise SessionError(message, index, offset) from exc
        if data_json is not None:
            try:
                self._interpreter.add_data_json(data_json)
            except regopy.RegoError as exc:
                raise SessionError(f"invalid data document: {exc}") from exc
        self._entrypoints = list(entrypoints)
        # An empty entry list is legal (nothing to evaluate) but regopy needs something to build.
        try:
            bundle = (
                self._interpreter.build(None, self._entrypoints)
                if self._entrypoints
                else self._interpreter.build("x := 1")
            )
        except regopy.RegoError as exc:
            raise SessionError(str(exc).strip() or "build failed") from exc
        if not bundle.ok():
            raise SessionError(_error_text(capi.rego_bundle_node(bundle._impl), "build failed"))
        self._bundle = bundle

    def set_input(self, input_json: str) -> None:
        """Build the input node by node (2-3x faster than parsing it as a Rego term); values
        that API cannot carry exactly (integers beyond int64, strings with NUL) or that nest
        deeper than Python recurses go as a term."""
        set_inputs([self], input_json)

    def _set_built(self, built: Any) -> None:
        impl = self._interpreter._impl
        if capi.rego.regoSetInput(impl, built) != capi.Code.OK:
            raise SessionError(f"invalid input document: {capi.rego_get_error(impl)}")

    def _set_term(self, input_json: str) -> None:
        try:
            self._interpreter.set_input_term(input_json)
        except regopy.RegoError as exc:
            raise SessionError(f"invalid input document: {str(exc).strip()[:500]}") from exc

    def query(self, index: int) -> QueryResult:
        impl = self._interpreter._impl
        try:
            output = capi.rego_bundle_query_entrypoint(
                impl, self._bundle._impl, self._entrypoints[index]
            )
        except regopy.RegoError as exc:
            return QueryResult(None, str(exc).strip() or "query failed")
        try:
            node = capi.rego_output_node(output)
            if not capi.rego_output_ok(output) or capi.rego.regoNodeType(node) in _ERROR_KINDS:
                return QueryResult(None, _error_text(node, "evaluation failed"))
            return QueryResult(capi.rego_output_string(output))
        finally:
            capi.rego_free_output(output)


def set_inputs(sessions: Sequence[Session], input_json: str) -> None:
    """Set one input in several sessions, building it once (see ``Session.set_input``)."""
    try:
        built = _build_input(json.loads(input_json))
    except (_Unrepresentable, RecursionError):
        for session in sessions:
            session._set_term(input_json)
        return
    except json.JSONDecodeError as exc:
        raise SessionError(f"invalid input document: {exc}") from exc
    try:
        for session in sessions:
            session._set_built(built)
    finally:
        capi.rego_free_input(built)


class SessionGroup:
    """The interpreters of one program (``Program.groups``), queried by global entry index."""

    def __init__(
        self,
        modules: Sequence[tuple[str, str]],
        data_json: str | None,
        entrypoints: Sequence[str],
        groups: Sequence[tuple[Sequence[int], Sequence[int]]],
    ) -> None:
        self._sessions: list[Session] = []
        self._where: dict[int, tuple[Session, int]] = {}
        for module_ids, entry_ids in groups:
            try:
                session = Session(
                    [modules[i] for i in module_ids], data_json, [entrypoints[e] for e in entry_ids]
                )
            except SessionError as exc:
                if exc.module is not None:
                    exc.module = module_ids[exc.module]
                raise
            self._sessions.append(session)
            for local, entry in enumerate(entry_ids):
                self._where[entry] = (session, local)

    def set_input(self, input_json: str, entries: Sequence[int]) -> None:
        """The input, in the interpreters that serve ``entries`` only."""
        wanted = {id(self._where[e][0]) for e in entries}
        set_inputs([s for s in self._sessions if id(s) in wanted], input_json)

    def query(self, entry: int) -> QueryResult:
        session, local = self._where[entry]
        return session.query(local)
