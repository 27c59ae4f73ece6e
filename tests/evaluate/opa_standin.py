"""A STAND-IN for an OPA server, built on the REAL OPA library: a small http.server on 127.0.0.1
speaking the parts of OPA's v1 REST API the engine uses (GET/PUT/DELETE /v1/policies/<id>,
PUT /v1/data/<path>, POST /v1/data/<path>) and evaluating with OPA embedded in process
(opa-golib-python-bindings, OPA v1.20). No ``opa`` binary can be installed where these tests run;
when one is on PATH, test_parity.py runs the same comparisons against ``opa run --server``.

What is OPA's here: compiling the pushed modules (a PUT of a module that does not compile is
refused with OPA's own errors, as the server does), evaluating queries, runtime errors. What is
the stand-in's: the HTTP layer and its error bodies, modelled on OPA's (400 ``invalid_parameter``
for compile errors, 500 ``internal_error`` for evaluation errors). Knob for failure tests:
``delay`` (seconds before answering a query).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from opa_bindings import OpaEngine, OpaError

from governance.evaluate.rego.embedded import compile_errors


@dataclass
class StandInState:
    policies: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    _engine: OpaEngine | None = None

    def engine(self) -> OpaEngine:
        """An OPA engine holding the current policies and data (rebuilt after each change)."""
        if self._engine is None:
            engine = OpaEngine()
            for pid, source in sorted(self.policies.items()):
                engine.add_policy(pid, source)
            engine.add_data(self.data)
            self._engine = engine
        return self._engine

    def changed(self) -> None:
        self._engine = None

    def compile_with(self, pid: str, source: str) -> list[dict[str, Any]]:
        """OPA's compile errors if ``source`` were stored as ``pid`` (empty: it compiles)."""
        trial = OpaEngine()
        try:
            for other, text in sorted({**self.policies, pid: source}.items()):
                trial.add_policy(other, text)
            trial.eval_query("x := 1")
        except OpaError as exc:
            located = compile_errors(exc.message)
            return [
                {
                    "code": e.message.split(":")[0],
                    "message": e.message.partition(": ")[2],
                    "location": {"file": e.where.file, "row": e.where.line} if e.where else None,
                }
                for e in located
            ] or [{"code": exc.code, "message": exc.message}]
        finally:
            trial.close()
        return []

    def evaluate(self, path: str, input_document: Any) -> tuple[bool, Any]:
        """``data.<path>`` (each segment quoted, as the server reads URL paths) on the input."""
        ref = "data" + "".join(f"[{json.dumps(part)}]" for part in path.split("/") if part)
        rows = self.engine().eval_query(f"x := {ref}", input_document)
        return (True, rows[0]["x"]) if rows else (False, None)


def _handler(state: StandInState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _reply(self, status: int, body: Any = None) -> None:
            payload = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _route(self) -> tuple[str, str]:
            path = unquote(self.path.split("?")[0])
            with state.lock:
                state.requests.append((self.command, path))
            kind, _, rest = path.removeprefix("/v1/").partition("/")
            return kind, rest.rstrip("/")

        def do_GET(self) -> None:
            kind, _ = self._route()
            if kind == "policies":
                self._reply(200, {"result": [{"id": pid} for pid in sorted(state.policies)]})
            else:
                self._reply(404, {"code": "resource_not_found", "message": "stand-in"})

        def do_PUT(self) -> None:
            kind, rest = self._route()
            body = self._body()
            if kind == "policies":
                source = body.decode()
                with state.lock:
                    errors = state.compile_with(rest, source)
                    if not errors:
                        state.policies[rest] = source
                        state.changed()
                if errors:
                    message = "error(s) occurred while compiling module(s)"
                    self._reply(
                        400, {"code": "invalid_parameter", "message": message, "errors": errors}
                    )
                    return
                self._reply(200, {})
            elif kind == "data":
                node = state.data
                *parents, leaf = rest.split("/")
                for part in parents:
                    node = node.setdefault(part, {})
                with state.lock:
                    node[leaf] = json.loads(body)
                    state.changed()
                self._reply(204)
            else:
                self._reply(404, {"code": "resource_not_found", "message": "stand-in"})

        def do_DELETE(self) -> None:
            kind, rest = self._route()
            if kind == "policies" and rest in state.policies:
                with state.lock:
                    del state.policies[rest]
                    state.changed()
                self._reply(200, {})
            else:
                self._reply(404, {"code": "resource_not_found", "message": "stand-in"})

        def do_POST(self) -> None:
            kind, rest = self._route()
            input_document = json.loads(self._body() or b"{}").get("input")
            time.sleep(state.delay)
            if kind != "data":
                self._reply(404, {"code": "resource_not_found", "message": "stand-in"})
                return
            try:
                with state.lock:
                    defined, value = state.evaluate(rest, input_document)
            except OpaError as exc:
                self._reply(500, {"code": "internal_error", "message": exc.message})
                return
            self._reply(200, {"result": value} if defined else {})

    return Handler


@contextmanager
def standin_opa_server() -> Iterator[tuple[str, StandInState]]:
    """(URL, state) of a running stand-in; stopped on exit."""
    state = StandInState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        server.shutdown()
        server.server_close()
