"""Ships the built-in policy pack (policies/, rules_rego/, checks/) inside the wheel.

The pack lives at the repository root (DESIGN.md's layout) so the guild edits it where they expect;
at build time it is copied into ``governance/_pack/`` so ``pip install`` + ``governance check``
works anywhere. Editable installs read the root folders directly (governance.evaluate.pack).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

PACK_DIRS = ("policies", "rules_rego", "checks")


class BuildWithPack(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "governance" / "_pack"
        for name in PACK_DIRS:
            source = root / name
            if source.is_dir():
                shutil.copytree(
                    source,
                    target / name,
                    dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
                )


setup(cmdclass={"build_py": BuildWithPack})
