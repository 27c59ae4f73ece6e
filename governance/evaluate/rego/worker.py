"""The worker process: owns one regopy Interpreter and answers load/eval requests over pipes.

Started by ``process.WorkerProcess`` as ``python -c 'from ...worker import main; main()' RFD WFD``.
It imports nothing but the standard library and regopy, so it starts in about 0.1 s. Native
crashes and aborts end this process only; the parent sees the pipe close and names the policy
that was running, because a result is sent after every single query.

Protocol (each message one ``send_bytes`` frame, JSON unless noted):

- ``{"op": "load", "modules": [[name, source], ...], "data": json|null, "entrypoints": [...],
  "diagnose": bool}`` -> ``{"progress": i}`` per module when diagnosing, then ``{"ready": true}``
  or ``{"error": msg, "module": i|null, "offset": n|null}``.
- ``{"op": "eval", "task": id, "entries": [i, ...]}`` followed by one raw frame, the input JSON ->
  ``{"task": id, "loaded": true}`` (or ``{"task": id, "input_error": msg}``), then per entry
  the raw frame ``b"R<task> <i>\n" + output`` or ``{"task": id, "i": i, "error": msg}``.
- ``{"op": "exit"}``.
"""

from __future__ import annotations

import json
import sys
from multiprocessing.connection import Connection
from typing import Any


def _send(conn: Connection, message: dict[str, Any]) -> None:
    conn.send_bytes(json.dumps(message).encode("utf-8"))


def _load(conn: Connection, request: dict[str, Any]) -> Any:
    from governance.evaluate.rego.session import SessionError, SessionGroup, check_module

    modules = [(str(name), str(source)) for name, source in request["modules"]]
    try:
        if request.get("diagnose"):
            for index, (name, source) in enumerate(modules):
                _send(conn, {"progress": index})
                try:
                    check_module(name, source)
                except SessionError as exc:
                    exc.module = index
                    raise
        groups = [(list(mods), list(entries)) for mods, entries in request["groups"]]
        session = SessionGroup(modules, request.get("data"), request["entrypoints"], groups)
    except SessionError as exc:
        _send(conn, {"error": exc.message, "module": exc.module, "offset": exc.offset})
        return None
    _send(conn, {"ready": True})
    return session


def _evaluate(conn: Connection, session: Any, request: dict[str, Any], input_json: str) -> None:
    from governance.evaluate.rego.session import SessionError

    task = request["task"]
    if session is None:
        _send(conn, {"task": task, "input_error": "no policy program is loaded"})
        return
    try:
        session.set_input(input_json, request["entries"])
    except SessionError as exc:
        _send(conn, {"task": task, "input_error": exc.message})
        return
    _send(conn, {"task": task, "loaded": True})
    for index in request["entries"]:
        result = session.query(index)
        if result.error is not None:
            _send(conn, {"task": task, "i": index, "error": result.error})
        else:
            # A raw frame: the output is JSON already, and escaping it into a JSON message only
            # for the parent to unescape it cost more than the rest of the message handling.
            header = b"R%d %d\n" % (task, index)
            conn.send_bytes(header + str(result.output).encode("utf-8"))


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    conn_in = Connection(int(args[0]), writable=False)
    conn_out = Connection(int(args[1]), readable=False)
    import regopy

    regopy.set_default_log_level("None")
    session: Any = None
    while True:
        try:
            request = json.loads(conn_in.recv_bytes())
        except EOFError:
            return
        op = request.get("op")
        if op == "load":
            session = None  # free the previous interpreter before building the next one
            session = _load(conn_out, request)
        elif op == "eval":
            _evaluate(conn_out, session, request, conn_in.recv_bytes().decode("utf-8"))
        elif op == "exit":
            return
