"""OPA bundles (``.tar.gz``): building one a real OPA can load, and reading one as a policy pack.

Layout written by ``build_bundle`` (and expected by ``read_bundle``)::

    .manifest                      {"revision": ..., "roots": [...], "metadata": {...}}
    data.json                      {"governance": {"config": ..., "params": {ID: {...}}}}
    governance_entry.rego          generated: data.governance_entry.results[ID] per policy
    policies/<file>.yaml           the policy definitions (OPA ignores files it does not know)
    rules_rego/<path>.rego         the Rego that implements them (tests left out)

So an extracted bundle is a pack-layout directory: ``load_pack`` reads it like any other. The
generated entry module sits outside ``rules_rego/`` because its package is reserved by the lint.
When a bundle is used as ``--policies``, the run's own governance.yaml decides config and
parameters; the bundle's ``data.json`` is what a standalone OPA server sees.

Reading is defensive: only regular files and directories, no absolute paths, no ``..``, no links
or devices, bounded size; anything else is a ``PolicyError`` naming the bundle and the member.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from governance.collect.files import display_path
from governance.errors import PolicyError, Where
from governance.model.config import GovernanceConfig

ENTRY_FILE = "governance_entry.rego"
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
_BUNDLE_SUFFIXES = (".tar.gz", ".tgz")


def is_bundle(path: Path) -> bool:
    """A file named like an OPA bundle (directories are packs, not bundles)."""
    return path.is_file() and path.name.endswith(_BUNDLE_SUFFIXES)


def _member_path(bundle: str, member: tarfile.TarInfo) -> PurePosixPath | None:
    """The safe relative path of a member, or None for the root entry; raises on anything odd."""
    name = member.name
    where = Where(bundle, source=name)
    if not (member.isfile() or member.isdir()):
        raise PolicyError("bundle member is a link or special file (refused)", where)
    posix = PurePosixPath(name.replace("\\", "/"))
    drive = bool(posix.parts) and posix.parts[0].endswith(":")  # C:/... on Windows
    if posix.is_absolute() or drive or ".." in posix.parts:
        raise PolicyError("bundle member path escapes the bundle (refused)", where)
    parts = [p for p in posix.parts if p != "."]
    return PurePosixPath(*parts) if parts else None


def read_bundle(path: Path, target: Path | None = None) -> Path:
    """Extract ``path`` safely into ``target`` (default: a temporary directory kept until exit).

    Returns the directory; checks the ``.manifest`` (JSON object; ``roots`` a list of strings).
    """
    shown = display_path(path)
    if target is None:
        target = Path(tempfile.mkdtemp(prefix="governance-bundle-"))
        atexit.register(shutil.rmtree, target, True)
    total = 0
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                rel = _member_path(shown, member)
                if rel is None or member.isdir():
                    continue
                total += member.size
                if member.size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
                    raise PolicyError(
                        "bundle is too large to be a policy bundle (refused)",
                        Where(shown, source=member.name),
                    )
                source = archive.extractfile(member)
                if source is None:
                    raise PolicyError("unreadable bundle member", Where(shown, source=member.name))
                dest = target.joinpath(*rel.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(source.read())
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise PolicyError(f"not a readable OPA bundle (.tar.gz): {exc}", Where(shown)) from exc
    _check_manifest(target / ".manifest", shown)
    return target


def _check_manifest(manifest: Path, shown: str) -> None:
    if not manifest.is_file():
        return  # OPA treats a bundle without a manifest as owning every root.
    try:
        doc = json.loads(manifest.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(f".manifest is not valid JSON: {exc}", Where(shown)) from exc
    roots = doc.get("roots", []) if isinstance(doc, dict) else None
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        raise PolicyError(".manifest: 'roots' must be a list of strings", Where(shown))


def resolve_pack_dir(path: Path) -> Path:
    """What ``load_pack`` reads for one ``--policies`` value: a dir as is, a bundle extracted."""
    return read_bundle(path) if is_bundle(path) else path


def _roots(packages: Sequence[str]) -> list[str]:
    """Bundle roots: the first segment of every package, plus the data and entry namespaces."""
    firsts = {p.split(".")[0] for p in packages} | {"governance", "governance_entry"}
    return sorted(firsts)


def bundle_files(
    dirs: Sequence[Path], config: GovernanceConfig, revision: str | None = None
) -> dict[str, bytes]:
    """Every file of the bundle of the pack in ``dirs`` (loaded and validated first)."""
    from governance.evaluate.pack import discover, load_pack
    from governance.evaluate.rego.entry import data_document, entry_source, package_rules

    pack = load_pack(dirs, config)
    files: dict[str, bytes] = {}
    for index, directory in enumerate(dirs):
        yaml_files, _ = discover(directory)
        prefix = f"policies/{index}-{directory.name or 'pack'}/"
        for yaml_file in yaml_files:
            files[prefix + yaml_file.relative_to(directory).as_posix()] = yaml_file.read_bytes()
    for module_index, module in enumerate(pack.modules):
        safe = module.name.replace("\\", "/").lstrip("/").replace("../", "")
        files[f"rules_rego/{module_index:03d}-{Path(safe).name}"] = module.source.encode()
    rego = pack.rego_policies
    files[ENTRY_FILE] = entry_source(rego, package_rules(pack.modules)).encode()
    files["data.json"] = json.dumps(data_document(rego, config), indent=2, sort_keys=True).encode()
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name])
    manifest: dict[str, Any] = {
        "revision": revision or digest.hexdigest()[:16],
        "roots": _roots([m.package for m in pack.modules]),
        "metadata": {"policies": [p.id for p in rego], "built_by": "governance"},
    }
    files[".manifest"] = json.dumps(manifest, indent=2).encode()
    return files


def build_bundle(
    dirs: Sequence[Path], config: GovernanceConfig, output: Path, revision: str | None = None
) -> dict[str, Any]:
    """Write the bundle to ``output``; returns its manifest. Deterministic for identical input."""
    files = bundle_files(dirs, config, revision)
    buffer = io.BytesIO()
    # mtime 0 and sorted members: the same pack gives byte-identical bundles (cacheable in CI).
    with (
        gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as compressed,
        tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive,
    ):
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mtime = 0
            info.mode = 0o644
            archive.addfile(info, io.BytesIO(files[name]))
    output.write_bytes(buffer.getvalue())
    manifest: dict[str, Any] = json.loads(files[".manifest"])
    return manifest
