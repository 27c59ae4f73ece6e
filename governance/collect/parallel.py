"""Collecting many small files in worker processes while this one reads the big ones.

A mesh is typically one large Terraform plan and hundreds of small manifests. Parsing YAML with
positions (ruamel round-trip) costs ~2-3 ms per manifest, so 500 of them take as long as a
25,000-resource plan: run side by side they cost the time of the longer one. Large files stay in
this process because their evidence is expensive to send back (pickling the evidence of a 25k
resource plan costs about half of collecting it); small files go to the workers, whose results
are small (benchmarks/README.md, "Full check vs checkov").

Workers are ``python -c`` children (``governance.children``) that read ``(paths, context)`` as a
pickle on stdin and write their list of evidence as a pickle on stdout: only this program's own
objects cross the pipe. Results are merged in the order of the input files whatever the process,
so evidence and errors do not depend on scheduling; when a worker cannot start or fails, its
files are collected here instead. Parallelism changes the speed, never the outcome. A worker's
stderr is discarded: collectors report problems as evidence errors, and a crash is retried here,
where it is reported as usual.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from governance.children import child_env
from governance.collect.base import CollectContext, Evidence
from governance.collect.files import STDIN

SMALL_FILE_BYTES = 1 << 20
"""Files below this size may be collected by a worker; larger ones stay in this process."""
MIN_POOLED_FILES = 64
"""Fewer small files than this are not worth a worker process (~0.3 s to start one)."""
MAX_WORKERS = 4

_WORKER_CMD = "from governance.collect.parallel import worker_main; worker_main()"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return SMALL_FILE_BYTES  # unreadable: collected here, where the read error is reported


def pooled_files(files: Sequence[Path], min_pooled: int = MIN_POOLED_FILES) -> list[int]:
    """Indices of the files for the workers: the small ones, if there are enough of them."""
    # Standard input can only be read here, where the pipe is.
    small = [i for i, f in enumerate(files) if f != STDIN and _size(f) < SMALL_FILE_BYTES]
    if len(small) < min_pooled or (os.cpu_count() or 1) < 2:
        return []
    return small


@dataclass
class _Worker:
    indices: list[int]
    proc: subprocess.Popen[bytes] | None

    def results(self) -> list[Evidence] | None:
        """The worker's evidence, or None if it failed (its files are then collected here)."""
        if self.proc is None or self.proc.stdout is None:
            return None
        try:
            out = self.proc.stdout.read()
        except OSError:
            out = b""
        finally:
            self.proc.stdout.close()
            self.proc.wait()
        if self.proc.returncode != 0:
            return None
        try:
            parts = pickle.loads(out)  # our own child's output (module doc)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        if not isinstance(parts, list) or len(parts) != len(self.indices):
            return None
        return parts


def _start(indices: list[int], files: Sequence[Path], ctx: CollectContext) -> _Worker:
    try:
        proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER_CMD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # A failure here is retried in this process, which reports it properly.
            stderr=subprocess.DEVNULL,
            env=child_env(),
        )
    except OSError:
        return _Worker(indices, None)
    assert proc.stdin is not None
    try:
        proc.stdin.write(pickle.dumps(([files[i] for i in indices], ctx)))
        proc.stdin.close()
    except OSError:
        proc.kill()
        proc.wait()
        return _Worker(indices, None)
    return _Worker(indices, proc)


def collect_files(
    files: Sequence[Path], ctx: CollectContext, *, min_pooled: int = MIN_POOLED_FILES
) -> list[Evidence]:
    """``collect_one(path, ctx)`` for every file, in order; many small files in workers."""
    from governance.collect import collect_one as collect

    pooled = pooled_files(files, min_pooled)
    count = min(MAX_WORKERS, max(1, (os.cpu_count() or 2) - 1))
    workers = [_start(pooled[k::count], files, ctx) for k in range(count) if pooled[k::count]]
    sent = set(pooled)
    results = {i: collect(path, ctx) for i, path in enumerate(files) if i not in sent}
    for worker in workers:
        parts = worker.results()
        if parts is None:
            parts = [collect(files[i], ctx) for i in worker.indices]
        results.update(zip(worker.indices, parts, strict=True))
    return [results[i] for i in range(len(files))]


def worker_main() -> None:
    """The worker: ``(paths, context)`` pickled on stdin -> list of evidence pickled on stdout."""
    from governance.collect import collect_one

    paths, ctx = pickle.load(sys.stdin.buffer)  # sent by our parent process
    parts = [collect_one(path, ctx) for path in paths]
    sys.stdout.buffer.write(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
