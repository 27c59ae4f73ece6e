"""Stage 1, collect: turn input files into typed evidence.

Sources register here by name and module path only; a module is imported when a file of its kind
is met, so heavy libraries (GX, DataHub) load only when a run needs them. Each source module
provides::

    SUFFIXES: tuple[str, ...]              # file endings it reads
    PARSE: "json" | "yaml" | "none"         # how the file is pre-parsed before sniffing
    def sniff(doc, path) -> bool            # cheap shape test on the parsed document
    def collect(path, doc, ctx) -> Evidence

A file that no source claims is an error, never skipped: a governance run that silently ignores
an input could pass when it should not.
"""

from __future__ import annotations

import fnmatch
import importlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from governance.collect.base import CollectContext, Evidence
from governance.collect.files import (
    STDIN,
    display_path,
    load_json,
    load_yaml,
    read_input,
    read_text,
)
from governance.errors import GovernanceError, InputError, MissingExtraError, UsageError, Where
from governance.model.result import InputFile, RunError

__all__ = ["CollectContext", "Evidence", "collect_paths", "iter_input_files"]

# Order matters: the first source whose sniff() accepts a document takes it.
SOURCES: dict[str, str] = {
    "tfplan": "governance.collect.tfplan",
    "manifest": "governance.collect.manifest",
    "datahub": "governance.collect.datahub",
    "gx_suite": "governance.collect.samples",
}

# Files never treated as evidence when found by walking a directory (explicit paths always are).
DEFAULT_EXCLUDES = (
    ".*",
    "__pycache__",
    "node_modules",
    "governance.yaml",
    "governance.yml",
    "waivers*.yaml",
    "waivers*.yml",
    "baseline*.json",
    "*.md",
    "*.txt",
    "*.rego",
)

_SUFFIXES = {".json", ".yaml", ".yml"}
_SAMPLE_SUFFIXES = {".csv", ".parquet", ".jsonl", ".ndjson"}


def _source_module(name: str) -> ModuleType:
    return importlib.import_module(SOURCES[name])


def _excluded(path: Path, root: Path, patterns: Iterable[str]) -> bool:
    parts = path.relative_to(root).parts
    return any(fnmatch.fnmatch(part, pat) for part in parts for pat in patterns)


IGNORE_FILE = ".governanceignore"


def _ignore_patterns(root: Path) -> tuple[str, ...]:
    """Patterns from ``<root>/.governanceignore`` (one name or glob per line, # comments)."""
    ignore = root / IGNORE_FILE
    if not ignore.is_file():
        return ()
    lines = (line.strip().rstrip("/") for line in read_text(ignore).splitlines())
    return tuple(line for line in lines if line and not line.startswith("#"))


def iter_input_files(
    paths: Iterable[Path], excludes: Iterable[str] = DEFAULT_EXCLUDES
) -> Iterator[Path]:
    """Expand directories (sorted, for reproducible runs); a missing path is an error.

    Inside a directory, files matching the default excludes or the directory's
    ``.governanceignore`` are not evidence (workflows, deployment manifests); a file named
    explicitly always is.
    """
    defaults = tuple(excludes)
    listed = list(paths)
    if listed.count(STDIN) > 1:
        raise UsageError("'-' (standard input) can be given only once")
    for path in listed:
        if path == STDIN:
            yield path
            continue
        if not path.exists():
            raise InputError("no such file or directory", Where(str(path)))
        if path.is_file():
            yield path
            continue
        patterns = defaults + _ignore_patterns(path)
        for child in sorted(path.rglob("*")):
            if (
                child.is_file()
                and child.suffix.lower() in _SUFFIXES
                and not _excluded(child, path, patterns)
            ):
                yield child


def _parse(path: Path, how: str, text: str) -> Any:
    if how == "json":
        return load_json(path, text)
    if how == "yaml":
        return load_yaml(path, text)
    return None


def _stdin_suffix(text: str) -> str:
    """Standard input has no name: a JSON document (plans, DataHub files, suites) opens with a
    bracket, which a YAML manifest or contract in block style never does."""
    return ".json" if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") else ".yaml"


def _collect_file(path: Path, ctx: CollectContext) -> Evidence:
    text, digest = read_input(path)
    suffix = _stdin_suffix(text) if path == STDIN else path.suffix.lower()
    parsed: dict[str, Any] = {}
    for name in SOURCES:
        module = _source_module(name)
        if suffix not in module.SUFFIXES:
            continue
        how = module.PARSE
        if how not in parsed:
            parsed[how] = _parse(path, how, text)
        if module.sniff(parsed[how], path):
            text = ""  # the parsed document is what the collector reads: free the text first
            evidence: Evidence = module.collect(path, parsed[how], ctx)
            evidence.inputs.append(InputFile(path=display_path(path), sha256=digest, kind=name))
            return evidence
    if not parsed:
        hint = (
            ": data samples are matched to products through --samples DIR or the manifest"
            if suffix in _SAMPLE_SUFFIXES
            else ""
        )
        raise InputError(
            f"unsupported file type '{suffix or path.name}'{hint}", Where(display_path(path))
        )
    raise InputError(
        "not a known input: expected a data-product manifest or data contract "
        "(dataproduct.yaml, kind: DataProduct, ODCS kind: DataContract, Data Contract "
        "Specification), a Terraform plan (`terraform show -json`), DataHub metadata (MCE/MCP) "
        "or an expectation suite",
        Where(display_path(path)),
    )


def collect_one(path: Path, ctx: CollectContext) -> Evidence:
    """One file's evidence; its failure becomes a run error so that every failure is reported."""
    try:
        return _collect_file(path, ctx)
    except MissingExtraError:
        raise  # the installation, not this file: stop the run with the install hint
    except GovernanceError as exc:
        where = str(exc.where) if exc.where else None
        error = RunError(kind=exc.kind, message=exc.message, where=where, product=exc.product)
        return Evidence(errors=[error])


def collect_paths(paths: Iterable[Path], ctx: CollectContext | None = None) -> Evidence:
    """Collect every input (many small files in a worker process: ``parallel``), in file order."""
    from governance.collect.parallel import collect_files

    ctx = ctx or CollectContext()
    evidence = Evidence()
    for part in collect_files(list(iter_input_files(paths)), ctx):
        evidence.merge(part)
    return evidence
