"""Starting our own Python code in child processes (Rego workers, collection workers).

Children run ``python -c 'from governance... import main; main()'`` rather than through
multiprocessing: a spawned multiprocessing child re-imports the caller's ``__main__``, which
re-runs any script that calls the library without an ``if __name__ == "__main__"`` guard, and a
forked one may inherit locks held by other threads.
"""

from __future__ import annotations

import os
from pathlib import Path


def child_env() -> dict[str, str]:
    """This environment, with the directory holding the ``governance`` package first on
    PYTHONPATH, so that a child imports the same code even when it is not installed."""
    root = str(Path(__file__).resolve().parents[1])
    existing = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{root}{os.pathsep}{existing}" if existing else root}
