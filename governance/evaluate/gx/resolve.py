"""Suite references to suite files.

A reference in ``quality.suites`` (or ``spec.governance.dataQuality.ruleset``) is either a path
(it ends in ``.json`` or holds a ``/``), relative to the manifest file, or a bare name looked up
as ``<name>.json`` in: the manifest's folder, the sample's folder, each ``quality.suite_dirs``
folder, and the built-in ``checks/expectations/``. The first hit wins; no hit is an error at the
manifest line that names the suite.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import governance
from governance.collect.files import display_path
from governance.errors import InputError, Where
from governance.model.evidence import Product


def builtin_suite_dir() -> Path:
    """checks/expectations/ of the built-in pack: inside the wheel, or at the repository root."""
    package = Path(governance.__file__).resolve().parent
    installed = package / "_pack" / "checks" / "expectations"
    return installed if installed.is_dir() else package.parent / "checks" / "expectations"


def _manifest_dir(product: Product) -> Path:
    return Path(product.source.file).parent if product.source.file else Path.cwd()


def _where(product: Product) -> Where:
    loc = product.locations.get("quality") or product.source
    return Where(loc.file, loc.line, loc.column)


def resolve_suite(ref: str, product: Product, search: Sequence[Path]) -> Path:
    if ref.endswith(".json") or "/" in ref or "\\" in ref:
        path = _manifest_dir(product) / ref
        if not path.is_file():
            raise InputError(f"suite file not found: {ref}", _where(product))
        return path
    for folder in search:
        candidate = folder / f"{ref}.json"
        if candidate.is_file():
            return candidate
    searched = ", ".join(display_path(f) for f in search)
    raise InputError(f"suite '{ref}' not found (searched {searched})", _where(product))


def resolve_suites(
    product: Product,
    sample: Path | None,
    *,
    suite_dirs: Sequence[str] = (),
    default_suites: Sequence[str] = (),
) -> list[Path]:
    """The product's declared suites, then the configured defaults (only with a sample)."""
    search = [_manifest_dir(product)]
    if sample is not None:
        search.append(sample.parent)
    search.extend(Path(d) for d in suite_dirs)
    search.append(builtin_suite_dir())
    refs = list(product.quality.suites if product.quality else [])
    if sample is not None:
        refs.extend(r for r in default_suites if r not in refs)
    found: list[Path] = []
    for ref in refs:
        path = resolve_suite(ref, product, search)
        if path not in found:
            found.append(path)
    return found
