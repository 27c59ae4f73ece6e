"""A STAND-IN for an OPA server, NOT OPA: a tiny http.server on 127.0.0.1 implementing only the
REST endpoints the OPA engine calls (GET/PUT/DELETE /v1/policies, PUT /v1/data/..., POST
/v1/data/...). It evaluates queries by DELEGATING TO THE EMBEDDED regopy ENGINE (the project's
worker pool) over the modules and data pushed to it, so it checks the OPA engine's plumbing
(push, namespace, batching, error handling, normalisation) and not OPA's semantics: that is
what tests/evaluate/test_parity.py does against a real ``opa`` binary.

Knobs for failure tests: ``fail_policies`` (ids whose evaluation answers HTTP 500 the way OPA
reports a runtime error), ``reject_marker`` (modules containing it are refused like a compile
error), ``delay`` (seconds before answering a query).
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

from governance.evaluate.rego.pool import Scheduler, Task
from governance.evaluate.rego.process import Program


@dataclass
class StandInState:
    policies: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    fail_policies: set[str] = field(default_factory=set)
    reject_marker: str | None = None
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def evaluate(self, path: str, input_document: Any) -> tuple[bool, Any]:
        """Delegated to the embedded engine: the entry point ``path`` on ``input_document``."""
        program = Program(
            sorted(self.policies.items()), json.dumps(self.data), ["governance_entry/results"]
        )
        task = Task(0, [0], lambda: json.dumps(input_document).encode())
        (outcome,) = list(Scheduler(program, workers=1, timeout=60).run([task]))
        if outcome.error is not None or outcome.output in (None, "undefined"):
            return False, outcome.error
        value = json.loads(outcome.output)["expressions"][0]
        parts = path.split("/")
        if parts[:2] != ["governance_entry", "results"] or len(parts) > 3:
            return False, None
        return (True, value) if len(parts) == 2 else (parts[2] in value, value.get(parts[2]))


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
                if state.reject_marker and state.reject_marker in source:
                    self._reply(
                        400,
                        {
                            "code": "invalid_parameter",
                            "message": "error(s) occurred while compiling module(s)",
                            "errors": [
                                {
                                    "code": "rego_unsafe_var_error",
                                    "message": "var x is unsafe",
                                    "location": {"file": rest, "row": 3, "col": 2},
                                }
                            ],
                        },
                    )
                    return
                state.policies[rest] = source
                self._reply(200, {})
            elif kind == "data":
                node = state.data
                *parents, leaf = rest.split("/")
                for part in parents:
                    node = node.setdefault(part, {})
                node[leaf] = json.loads(body)
                self._reply(204)
            else:
                self._reply(404, {"code": "resource_not_found", "message": "stand-in"})

        def do_DELETE(self) -> None:
            kind, rest = self._route()
            if kind == "policies" and rest in state.policies:
                del state.policies[rest]
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
            asked = rest.split("/")[2:]
            failing = state.fail_policies & set(asked or state.fail_policies)
            if failing:
                self._reply(
                    500,
                    {
                        "code": "internal_error",
                        "message": f"eval_conflict_error: complete rules must not produce "
                        f"multiple outputs ({sorted(failing)[0]})",
                    },
                )
                return
            defined, value = state.evaluate(rest, input_document)
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
