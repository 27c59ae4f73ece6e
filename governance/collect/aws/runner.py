"""Run a growing tree of scan tasks on one bounded thread pool, with an optional progress display.

Tasks never wait for each other: a task returns its follow-up tasks, the main thread submits them.
So ``max_workers`` bounds the API calls in flight across all accounts, regions and resources, and
a pool of one is a sequential scan with exactly the same results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any, Protocol

from governance.collect.aws.common import AWS_ERRORS, Output, Task, collector_error


class ProgressSink(Protocol):
    def update(self, done: int, total: int, detail: str) -> None: ...


def _execute(task: Task) -> Output:
    try:
        return task.run()
    except AWS_ERRORS as exc:
        # The task's resources are unknown, not absent: a run error makes the verdict "error".
        return Output(
            errors=[collector_error(exc, task.account, task.region, task.service, task.subject)]
        )
    except KeyError as exc:
        # An endpoint (S3-compatible, emulated) answered without a field AWS always sends.
        missing = ValueError(f"the response has no field {exc}")
        return Output(
            errors=[collector_error(missing, task.account, task.region, task.service, task.subject)]
        )


def run_tasks(
    initial: Iterable[Task],
    workers: int,
    accept: Callable[[Task, Output], list[Task]],
    progress: ProgressSink | None = None,
    detail: Callable[[], str] = lambda: "",
) -> None:
    """Run ``initial`` and every task they spawn; ``accept`` (main thread) records each output and
    returns the follow-up tasks to schedule."""
    done = 0
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="aws-scan") as pool:
        pending: dict[Future[Output], Task] = {pool.submit(_execute, t): t for t in initial}
        try:
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = pending.pop(future)
                    for follow in accept(task, future.result()):
                        pending[pool.submit(_execute, follow)] = follow
                    done += 1
                if progress is not None:
                    progress.update(done, done + len(pending), detail())
        except BaseException:
            # Ctrl-C or a bug: do not start queued calls, let running ones finish, re-raise.
            pool.shutdown(wait=False, cancel_futures=True)
            raise


class RichProgress:
    """A live bar on stderr for interactive terminals; a context manager."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]AWS scan"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._progress.add_task("scan", total=None, detail="")

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._progress.stop()

    def update(self, done: int, total: int, detail: str) -> None:
        self._progress.update(self._task, completed=done, total=total, detail=detail)


def progress_enabled(flag: bool | None) -> bool:
    """Explicit choice, else only on an interactive stderr outside CI (logs stay clean)."""
    if flag is not None:
        return flag
    return sys.stderr.isatty() and not os.environ.get("CI")
