"""Scheduling evaluations on worker processes: parallelism, timeouts, crash attribution.

A task is one input (a bundle, a chunk of unowned resources, or ``{}`` for unit tests) and the
entry points to query on it. The worker answers after every single query, so when it crashes or
is killed at the time limit, the running entry point is known: it gets the error, and the rest of
the task goes to a fresh worker.
"""

from __future__ import annotations

import contextlib
import math
import select
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from governance.evaluate.rego.process import LoadFailure, Program, WorkerProcess, close_all

MAX_STRIKES = 3
"""An entry point that crashed or timed out this many times is not run again in this call."""


@dataclass
class Task:
    key: int
    entries: list[int]
    make_input: Callable[[], bytes]
    program: Program | None = None
    """A program of its own (Rego test files are loaded one by one); None: the scheduler's."""
    prepared: bytes | None = None
    """The input, made while the workers were busy (``Scheduler._prepare``)."""

    def take_input(self) -> bytes:
        payload = self.prepared if self.prepared is not None else self.make_input()
        self.prepared = None  # held only until sent
        return payload


@dataclass(frozen=True)
class Outcome:
    task: int
    entry: int | None
    """None: the task as a whole failed (its input or its own program could not be loaded)."""
    output: str | None = None
    error: str | None = None
    load_failure: LoadFailure | None = None
    """Set when the task's own program could not be loaded."""
    entries: tuple[int, ...] = ()
    """For a failure of the task as a whole: the entries it leaves unevaluated."""


class _Watch:
    """One poll object for the run: ``multiprocessing.connection.wait`` builds (and tears down)
    a selector per call, which cost the parent ~0.5 s of CPU per 7,000 query results."""

    def __init__(self, slots: Sequence[_Slot]) -> None:
        self._poll = select.poll()
        for slot in slots:
            self.add(slot)

    def add(self, slot: _Slot) -> None:
        self._poll.register(slot.worker.conn_in.fileno(), select.POLLIN)

    def remove(self, slot: _Slot) -> None:
        """Before the worker's pipes are closed (a closed connection has no file number)."""
        with contextlib.suppress(KeyError, OSError):
            self._poll.unregister(slot.worker.conn_in.fileno())

    def ready(self, timeout: float) -> set[int]:
        """File numbers with a message or a hang-up, waiting at most ``timeout`` seconds."""
        return {fd for fd, _ in self._poll.poll(math.ceil(timeout * 1000))}


@dataclass
class _Slot:
    worker: WorkerProcess
    state: str = "idle"  # idle | loading | busy | dead
    program: Program | None = None
    """Loaded (or being loaded) in the worker."""
    task: Task | None = None
    pending: list[int] = field(default_factory=list)
    loaded: bool = False
    deadline: float = 0.0


class Scheduler:
    """Runs tasks on up to ``workers`` processes; yields an Outcome per task entry (or task).

    A worker loads a program once and keeps it for every task that uses the same one. A load
    failure of the scheduler's own program raises ``LoadFailure``; one of a task's own program
    is that task's outcome.
    """

    def __init__(self, program: Program | None, *, workers: int, timeout: float) -> None:
        self.program = program
        self.workers = max(1, workers)
        self.timeout = timeout
        self.load_timeout = max(timeout, 60.0)
        self.strikes: Counter[tuple[int, int]] = Counter()
        """Crashes and timeouts per (program, entry point)."""
        self.restarts = 0

    def run(self, tasks: Sequence[Task]) -> Iterator[Outcome]:
        queue: deque[Task] = deque(tasks)
        slots = [_Slot(WorkerProcess()) for _ in range(min(self.workers, len(queue)))]
        watch = _Watch(slots)
        try:
            while queue or any(s.state in ("busy", "loading") for s in slots):
                yield from self._dispatch(slots, queue)
                active = [s for s in slots if s.state in ("busy", "loading")]
                if active:
                    self._prepare(queue, len(slots))
                    timeout = max(min(s.deadline for s in active) - time.monotonic(), 0)
                    ready = watch.ready(timeout)
                    outcomes: list[Outcome] = []
                    for slot in slots:
                        if slot not in active and slot.worker.conn_in.fileno() in ready:
                            # An idle worker that hung up: stop watching it (no busy loop on
                            # its closed pipe); sending it a task will find it dead.
                            watch.remove(slot)
                    for slot in active:
                        if slot.worker.conn_in.fileno() in ready:
                            outcomes.extend(self._receive(slot, queue))
                        elif time.monotonic() >= slot.deadline:
                            slot.worker.kill()
                            limit = self.timeout if slot.state == "busy" else self.load_timeout
                            outcomes.extend(self._lost(slot, queue, f"timed out after {limit:g}s"))
                    # Idle workers get their next task before the caller digests the outcomes:
                    # a worker waiting on the parent is a core doing nothing.
                    outcomes.extend(self._dispatch(slots, queue))
                    yield from outcomes
                for slot in [s for s in slots if s.state == "dead"]:
                    watch.remove(slot)
                    slot.worker.close()
                    slots.remove(slot)
                while queue and len(slots) < min(self.workers, len(queue)):
                    slots.append(_Slot(WorkerProcess()))
                    watch.add(slots[-1])
                    self.restarts += 1
        finally:
            close_all([slot.worker for slot in slots])

    @staticmethod
    def _prepare(queue: deque[Task], ahead: int) -> None:
        """Make the inputs of the next tasks while the workers evaluate (serialising a bundle
        takes ~1 ms, which a worker would otherwise spend waiting for its next task)."""
        for task in islice(queue, ahead):
            if task.prepared is None:
                task.prepared = task.make_input()

    def _strike_key(self, task: Task, entry: int) -> tuple[int, int]:
        return id(task.program or self.program), entry

    def _dispatch(self, slots: list[_Slot], queue: deque[Task]) -> Iterator[Outcome]:
        for slot in slots:
            while slot.state == "idle" and queue:
                task = queue.popleft()
                entries = []
                for entry in task.entries:
                    if self.strikes[self._strike_key(task, entry)] >= MAX_STRIKES:
                        yield Outcome(
                            task.key,
                            entry,
                            error=f"not evaluated: it crashed or timed "
                            f"out {MAX_STRIKES} times in this run",
                        )
                    else:
                        entries.append(entry)
                if not entries:
                    continue
                slot.task, slot.pending = task, entries
                program = task.program or self.program
                if program is None:
                    raise ValueError("a task without a program on a scheduler without one")
                if slot.program is program:
                    yield from self._send_eval(slot, queue)
                    continue
                slot.program, slot.state = program, "loading"
                slot.deadline = time.monotonic() + self.load_timeout
                try:
                    slot.worker.send(program.load_message())
                except OSError:
                    yield from self._lost(slot, queue, "the worker process died")

    def _send_eval(self, slot: _Slot, queue: deque[Task]) -> Iterator[Outcome]:
        assert slot.task is not None
        slot.state, slot.loaded = "busy", False
        slot.deadline = time.monotonic() + self.timeout
        try:
            slot.worker.send(
                {"op": "eval", "task": slot.task.key, "entries": slot.pending},
                slot.task.take_input(),
            )
        except OSError:
            yield from self._lost(slot, queue, "the worker process died")

    def _load_failed(self, slot: _Slot, failure: LoadFailure) -> Iterator[Outcome]:
        task = slot.task
        if task is None or task.program is None:
            raise failure
        slot.program, slot.task = None, None
        yield Outcome(
            task.key, None, error=failure.message, load_failure=failure, entries=tuple(slot.pending)
        )

    def _receive(self, slot: _Slot, queue: deque[Task]) -> Iterator[Outcome]:
        """One message (poll is level-triggered: the next one is reported on the next turn)."""
        if slot.state in ("loading", "busy"):
            try:
                message = slot.worker.recv()
            except (EOFError, OSError):
                reason = f"the embedded Rego engine crashed ({slot.worker.death()})"
                yield from self._lost(slot, queue, reason)
                return
            if slot.state == "loading":
                if "error" in message:
                    slot.state = "idle"
                    failure = LoadFailure(
                        str(message["error"]), message.get("module"), message.get("offset")
                    )
                    yield from self._load_failed(slot, failure)
                elif message.get("ready"):
                    yield from self._send_eval(slot, queue)
                return
            assert slot.task is not None
            key = slot.task.key
            if "input_error" in message:
                slot.state = "idle"
                yield Outcome(
                    key,
                    None,
                    error=f"the input could not be loaded: {message['input_error']}",
                    entries=tuple(slot.pending),
                )
            elif message.get("loaded"):
                slot.loaded = True
                slot.deadline = time.monotonic() + self.timeout
            else:
                entry = int(message["i"])
                slot.pending.remove(entry)
                slot.deadline = time.monotonic() + self.timeout
                yield Outcome(key, entry, output=message.get("out"), error=message.get("error"))
                if not slot.pending:
                    slot.state = "idle"

    def _lost(self, slot: _Slot, queue: deque[Task], reason: str) -> Iterator[Outcome]:
        """The worker crashed or was killed: blame the running entry, requeue the rest."""
        state, slot.state = slot.state, "dead"
        task = slot.task
        if state == "loading":
            yield from self._load_failed(
                slot, LoadFailure(f"loading the policies failed ({reason})")
            )
            return
        if task is None:
            return
        if not slot.loaded:
            yield Outcome(
                task.key,
                None,
                error=f"{reason} while loading the input",
                entries=tuple(slot.pending),
            )
            return
        entry, rest = slot.pending[0], slot.pending[1:]
        self.strikes[self._strike_key(task, entry)] += 1
        yield Outcome(task.key, entry, error=reason)
        if rest:
            queue.appendleft(Task(task.key, rest, task.make_input, task.program))
