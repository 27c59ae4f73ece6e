"""Worker processes for the embedded engine: one regopy Interpreter each, behind two pipes.

regopy can segfault or abort (docs/notes: embedded-rego) and cannot be interrupted, so every
query runs in a child process (``worker.py``) that the parent can lose or kill without losing the
run. Children are plain ``subprocess`` processes (not ``multiprocessing``): startup does not
re-import the caller's ``__main__``, costs about 0.1 s, and a crash or a kill shows at once as
end-of-file on that worker's pipe.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import IO, Any

from governance.children import child_env
from governance.errors import EngineError, Where

_WORKER_CMD = "from governance.evaluate.rego.worker import main; main()"


@dataclass(frozen=True)
class Program:
    """What a worker loads: modules, the data document and the entry points it may be asked for."""

    modules: Sequence[tuple[str, str]]
    data_json: str | None
    entrypoints: Sequence[str]
    groups: Sequence[tuple[Sequence[int], Sequence[int]]] | None = None
    """Interpreters to load: (module indices, entry point indices) each; None: one for all."""

    def load_message(self, diagnose: bool = False) -> dict[str, Any]:
        groups = self.groups or [(range(len(self.modules)), range(len(self.entrypoints)))]
        return {
            "op": "load",
            "modules": [list(m) for m in self.modules],
            "data": self.data_json,
            "entrypoints": list(self.entrypoints),
            "groups": [[list(mods), list(entries)] for mods, entries in groups],
            "diagnose": diagnose,
        }


class LoadFailure(Exception):
    """A worker could not load the program. ``module`` indexes ``Program.modules`` when known."""

    def __init__(self, message: str, module: int | None = None, offset: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.module = module
        self.offset = offset


class WorkerProcess:
    """One child process; its stdout/stderr (native crash messages) go to a private temp file."""

    def __init__(self) -> None:
        parent_r, child_w = os.pipe()
        child_r, parent_w = os.pipe()
        # Closed in close(): the file lives as long as the process it captures.
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", _WORKER_CMD, str(child_r), str(child_w)],
                pass_fds=(child_r, child_w),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=self._log,
                env=child_env(),
            )
        except OSError as exc:
            for fd in (parent_r, parent_w):
                os.close(fd)
            self._log.close()
            raise EngineError(
                f"cannot start a Rego worker process: {exc}", Where(source="rego")
            ) from exc
        finally:
            os.close(child_r)
            os.close(child_w)
        self.conn_in = Connection(parent_r, writable=False)
        self.conn_out = Connection(parent_w, readable=False)

    def send(self, message: dict[str, Any], payload: bytes | None = None) -> None:
        self.conn_out.send_bytes(json.dumps(message).encode("utf-8"))
        if payload is not None:
            self.conn_out.send_bytes(payload)

    def recv(self) -> dict[str, Any]:
        raw = self.conn_in.recv_bytes()
        if raw[:1] == b"R":  # a query's output (worker protocol)
            header, _, output = raw.partition(b"\n")
            task, entry = header[1:].split(b" ")
            return {"task": int(task), "i": int(entry), "out": output.decode("utf-8")}
        message: dict[str, Any] = json.loads(raw)
        return message

    def death(self) -> str:
        """Why the process ended: signal or exit status, and the last native message it printed."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        if code < 0:
            try:
                reason = f"killed by {signal.Signals(-code).name}"
            except ValueError:
                reason = f"killed by signal {-code}"
        else:
            reason = f"exited with status {code}"
        self._log.seek(0)
        lines = [ln.strip() for ln in self._log.read().decode("utf-8", "replace").splitlines()]
        detail = " ".join(ln for ln in lines[-3:] if ln)[:300]
        return f"{reason}: {detail}" if detail else reason

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def close(self) -> None:
        close_all([self])

    def _release(self) -> None:
        for conn in (self.conn_in, self.conn_out):
            conn.close()
        self._log.close()


def close_all(workers: Sequence[WorkerProcess]) -> None:
    """Ask every worker to exit, then wait for each (in parallel, not one by one); kill laggards.
    Never leaves a child behind."""
    for worker in workers:
        if worker.proc.poll() is None:
            with contextlib.suppress(OSError):
                worker.send({"op": "exit"})
    deadline = time.monotonic() + 2.0
    for worker in workers:
        try:
            worker.proc.wait(timeout=max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            worker.kill()
        worker._release()


def load_program(program: Program, *, timeout: float, diagnose: bool = False) -> None:
    """Load ``program`` in a throwaway worker: the load-time check of a policy pack."""
    worker = WorkerProcess()
    current: int | None = None
    try:
        worker.send(program.load_message(diagnose))
        deadline = time.monotonic() + timeout
        while True:
            if not worker.conn_in.poll(max(deadline - time.monotonic(), 0)):
                worker.kill()
                raise LoadFailure(f"loading the policies took longer than {timeout:g}s", current)
            try:
                message = worker.recv()
            except (EOFError, OSError):
                raise LoadFailure(
                    f"the embedded Rego engine crashed ({worker.death()})", current
                ) from None
            if "progress" in message:
                current = int(message["progress"])
            elif "error" in message:
                raise LoadFailure(
                    str(message["error"]), message.get("module"), message.get("offset")
                )
            else:
                return
    finally:
        worker.close()
