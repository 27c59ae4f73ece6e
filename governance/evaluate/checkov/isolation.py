"""Running checkov without letting it touch our logging, and hearing what it only logs.

Checkov reports trouble only through logging: a check that raises, a custom check that cannot be
loaded, a file it cannot parse are log lines, and then silently no result. On import it also
installs root-logger handlers at DEBUG (one buffering every record in memory). So every call into
checkov runs inside ``contained``: the root logger's handlers are swapped for a capturing handler
and restored afterwards, and what checkov logged at the threshold becomes a RunError.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager

_MAX_MESSAGE = 300


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self, level: int) -> list[str]:
        out = []
        for record in self.records:
            if record.levelno < level:
                continue
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                exc = record.exc_info[1]
                text = f"{text}: {type(exc).__name__}: {exc}"
            out.append(text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 3] + "...")
        return out


@contextmanager
def contained(level: int) -> Iterator[Capture]:
    """Route all logging to a capture at ``level`` for the duration; restore the root logger."""
    root = logging.getLogger()
    saved = (root.level, root.handlers[:], root.filters[:])
    capture = Capture()
    capture.setLevel(level)
    root.handlers = [capture]
    root.setLevel(level)
    try:
        yield capture
    finally:
        root.setLevel(saved[0])
        root.handlers = saved[1]
        root.filters = saved[2]


def import_checkov() -> None:
    """Import checkov's runners once, keeping its import-time logging set-up out of ours."""
    with contained(logging.ERROR):
        for module in ("checkov.terraform.plan_runner", "checkov.terraform.runner"):
            importlib.import_module(module)
