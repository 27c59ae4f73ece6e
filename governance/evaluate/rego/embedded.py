"""The default backend: real OPA, embedded in process (``opa-golib-python-bindings``).

The binding wraps OPA's Go library (``github.com/open-policy-agent/opa/v1/rego``) behind ctypes:
modules, data and queries go in as JSON, Go panics and OPA errors come back as ``OpaError``.
What it does not give is a time limit, so every query runs on a daemon thread and is waited for
at most ``timeout`` seconds; an engine still busy after that is abandoned (its query cannot be
cancelled) and replaced by a fresh one, so one runaway policy costs one bundle, not the run.

Each ``OpaEngine`` serialises its evaluations, and the GIL is released while Go evaluates, so
``engines`` instances evaluate that many bundles at once (2 on 2 cores: 2.2x, measured in
benchmarks/README.md). Every engine compiles the pack once, on its first query.
"""

from __future__ import annotations

import json
import queue
import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from governance.errors import EngineError, PolicyError, Where
from governance.evaluate.rego.entry import RESULTS_PATH
from governance.evaluate.rego.evaluator import QueryError

if TYPE_CHECKING:
    from opa_bindings import OpaEngine

T = TypeVar("T")

INSTALL_HINT = (
    "the embedded OPA engine is not installed: pip install --no-deps --ignore-requires-python "
    "opa-golib-python-bindings==0.4.4 (Linux x86_64/aarch64, macOS); where it has no wheel "
    "(Windows), run an OPA server and use --engine opa --opa-url URL"
)
_RESULTS_DOC = RESULTS_PATH.replace("/", ".")
# OPA's compile and parse errors: "<file>:<row>: [error: ]rego_<kind>_error: <message>", one per
# line, the first after "N error(s) occurred: " when there is only one.
_LOCATED = re.compile(
    r"^(?:.*errors? occurred: )?(?P<file>[^:\n]+):(?P<line>\d+): (?:error: )?"
    r"(?P<code>rego_\w+): (?P<message>.*)$"
)


def _bindings() -> Any:
    try:
        import opa_bindings
    except ImportError as exc:  # OSError too: a wheel for another platform cannot load its .so
        raise EngineError(INSTALL_HINT, Where(source="rego")) from exc
    except OSError as exc:
        raise EngineError(f"{INSTALL_HINT} ({exc})", Where(source="rego")) from exc
    return opa_bindings


def compile_errors(message: str) -> list[PolicyError]:
    """OPA's compile/parse error text -> one PolicyError per located error (file:line)."""
    errors = []
    for line in message.splitlines():
        match = _LOCATED.match(line.strip())
        if match is not None:
            where = Where(match["file"], int(match["line"]))
            errors.append(PolicyError(f"{match['code']}: {match['message']}", where))
    return errors


def compile_error(message: str) -> PolicyError:
    """The first located error of a failed compile, saying how many more there are."""
    errors = compile_errors(message)
    if not errors:
        return PolicyError(f"the Rego modules do not compile: {message}", Where(source="rego"))
    first = errors[0]
    more = f" (and {len(errors) - 1} more error(s))" if len(errors) > 1 else ""
    return PolicyError(first.message + more, first.where)


def module_errors(name: str, source: str) -> list[PolicyError]:
    """OPA's errors for one module compiled on its own, except references into other modules
    (``undefined function data.x.f``): those resolve when the pack compiles as a whole."""
    bindings = _bindings()
    with bindings.OpaEngine() as engine:
        try:
            engine.add_policy(name, source)
            engine.eval_query("x := 1", {})
        except bindings.OpaError as exc:
            errors = compile_errors(exc.message) or [PolicyError(exc.message, Where(name))]
            return [e for e in errors if "undefined function data." not in e.message]
    return []


class Program:
    """Modules and data to load into each engine: everything but the input."""

    def __init__(self, modules: Sequence[tuple[str, str]], data: dict[str, Any]) -> None:
        self.modules = list(modules)
        self.data = data

    def new_engine(self) -> OpaEngine:
        """A loaded engine (not yet compiled: OPA compiles on the first query)."""
        bindings = _bindings()
        engine = bindings.OpaEngine()
        # print() output belongs to `governance test`; during a check it would corrupt the
        # console report, so it is dropped (test runs install their own handler).
        engine.print_handler = lambda message, location: None
        try:
            for name, source in self.modules:
                engine.add_policy(name, source)
            engine.add_data(self.data)
        except bindings.OpaError as exc:
            engine.close()
            raise compile_error(exc.message) from exc
        return engine


def warm(engine: OpaEngine) -> None:
    """Compile the pack and prepare the results query now (the first query pays ~0.1 s).

    Raises PolicyError naming file:line when the modules do not compile. A runtime error on the
    empty input is not a compile error and is ignored here (real inputs are checked per bundle).
    """
    bindings = _bindings()
    try:
        engine.eval_document(_RESULTS_DOC, {})
    except bindings.OpaUndefinedError:
        return
    except bindings.OpaError as exc:
        if exc.code == "prepare_error":
            raise compile_error(exc.message) from exc


_STAGED = "governance_bundles"
_STAGED_QUERY = f"x := data.{_RESULTS_DOC} with input as data.{_STAGED}[input.i]"


class EmbeddedBackend:
    """``Backend`` over ``engines`` embedded OPA engines, each query bounded by ``timeout``.

    ``stage(documents)`` loads a batch of input documents into the engines' data store (each
    engine a share), so that each query only names its document: OPA reads a document from its
    store ~5x faster than it converts the same JSON passed as input (bench_pack.py, "input
    alone"). Documents not staged, and per-policy retries, go as input to a pool of engines.
    """

    def __init__(self, program: Program, *, engines: int, timeout: float) -> None:
        self.program = program
        self.concurrency = max(1, engines)
        self.timeout = timeout
        self._idle: queue.SimpleQueue[OpaEngine] = queue.SimpleQueue()
        self._created = 0
        self._lock = threading.Lock()
        self._bindings = _bindings()
        self._spare: list[OpaEngine] = []
        self._slots: list[OpaEngine | None] = []
        self._staged: dict[int, tuple[int, int]] = {}

    def add(self, engine: OpaEngine) -> None:
        """Hand over an engine already loaded elsewhere (the pack check's): used first."""
        self._spare.append(engine)

    def stage(self, documents: list[dict[str, Any]]) -> None:
        """Replace the staged batch by ``documents``: engine ``k`` holds every ``k``-th one."""
        self._release_slots()
        shares = [documents[k :: self.concurrency] for k in range(self.concurrency)]
        for slot, share in enumerate(shares):
            if not share:
                continue
            engine = self._spare.pop() if self._spare else self.program.new_engine()
            # A document may not fit OPA's store (a value JSON cannot carry): then it goes as
            # input like any unstaged one, which reports the problem against its bundle.
            try:
                engine.add_data({_STAGED: share})
            except self._bindings.OpaError:
                engine.close()
                continue
            while len(self._slots) <= slot:
                self._slots.append(None)
            self._slots[slot] = engine
            for index, document in enumerate(share):
                self._staged[id(document)] = (slot, index)

    def _release_slots(self) -> None:
        for engine in self._slots:
            if engine is not None:
                engine.close()
        self._slots, self._staged = [], {}

    def close(self) -> None:
        self._release_slots()
        for engine in self._spare:
            engine.close()
        while not self._idle.empty():
            self._idle.get().close()

    def _take(self) -> OpaEngine:
        with self._lock:
            create = self._idle.empty() and self._created < self.concurrency
            if create:
                self._created += 1
        if not create:
            return self._idle.get()
        created = False
        try:
            engine = self._spare.pop() if self._spare else self.program.new_engine()
            created = True
            return engine
        finally:
            if not created:
                with self._lock:
                    self._created -= 1

    def _run(self, what: str, engine: OpaEngine, query: Callable[[OpaEngine], T]) -> T:
        """``query`` on ``engine`` within the time limit (else EngineError: the engine is then
        still busy with it, and must not be used again)."""
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                box["value"] = query(engine)
            except self._bindings.OpaError as exc:
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=run, name="opa-eval", daemon=True).start()
        if not done.wait(self.timeout):
            raise _TimedOut(
                f"{what} took longer than engine.timeout_seconds ({self.timeout:g} s)",
                Where(source="rego"),
            )
        error = box.get("error")
        if error is None:
            return box["value"]  # type: ignore[no-any-return]
        if isinstance(error, self._bindings.OpaUndefinedError):
            raise _Undefined
        if error.code == "prepare_error":
            raise compile_error(error.message)
        raise QueryError(f"OPA {error.code}: {error.message}", Where(source="rego"))

    def _pooled(self, what: str, query: Callable[[OpaEngine], T]) -> T:
        engine = self._take()
        try:
            value = self._run(what, engine, query)
        except _TimedOut:
            # The query cannot be cancelled: leave the engine to it, a fresh one takes its place.
            with self._lock:
                self._created -= 1
            raise
        except (_Undefined, QueryError):
            self._idle.put(engine)
            raise
        self._idle.put(engine)
        return value

    def results(self, document: dict[str, Any]) -> Any:
        what = "evaluating the pack"
        slot, index = self._staged.get(id(document), (-1, -1))
        engine = self._slots[slot] if slot >= 0 else None
        try:
            if engine is None:
                return self._pooled(what, lambda e: e.eval_document(_RESULTS_DOC, document))
            rows = self._run(what, engine, lambda e: e.eval_query(_STAGED_QUERY, {"i": index}))
        except _Undefined:
            return None
        except _TimedOut:
            if engine is not None:
                # Abandoned to its query: the rest of its share goes as input to pooled engines.
                self._slots[slot] = None
            raise
        return rows[0]["x"] if rows else None

    def result(self, policy_id: str, document: dict[str, Any]) -> tuple[bool, Any]:
        query = f"x := data.{_RESULTS_DOC}[{json.dumps(policy_id)}]"
        rows = self._pooled(f"evaluating {policy_id}", lambda e: e.eval_query(query, document))
        return (True, rows[0]["x"]) if rows else (False, None)


class _Undefined(Exception):
    """The results document is undefined (only if the entry module is missing)."""


class _TimedOut(EngineError):
    """A query outlived the time limit; its engine is still busy with it."""
