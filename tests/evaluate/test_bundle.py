"""OPA bundles: what ``build_bundle`` writes, and ``read_bundle`` refusing unsafe archives."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from governance.errors import PolicyError
from governance.evaluate.bundle import build_bundle, read_bundle
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.model.config import GovernanceConfig


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for info, data in members:
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("bundle") / "pack.tar.gz"
    manifest = build_bundle(builtin_pack_dirs(), GovernanceConfig(), out)
    return out, manifest


def test_builtin_bundle_has_manifest_data_and_entry(built: tuple[Path, dict[str, object]]) -> None:
    path, manifest = built
    with tarfile.open(path) as archive:
        names = archive.getnames()
        data = json.loads(archive.extractfile("data.json").read())  # type: ignore[union-attr]
        entry = archive.extractfile("governance_entry.rego").read().decode()  # type: ignore[union-attr]
    pack = load_pack(builtin_pack_dirs(), GovernanceConfig(), compile_check=False)
    assert manifest["roots"] == ["governance", "governance_entry"]
    assert len(str(manifest["revision"])) == 16
    assert {".manifest", "data.json", "governance_entry.rego"} <= set(names)
    assert not any(n.endswith("_test.rego") for n in names)
    assert set(data["governance"]["params"]) == {p.id for p in pack.rego_policies}
    assert set(data["governance"]) == {"config", "params"}
    assert all(f'results["{p.id}"]' in entry for p in pack.rego_policies)


def test_bundle_is_reproducible(built: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    again = tmp_path / "again.tar.gz"
    build_bundle(builtin_pack_dirs(), GovernanceConfig(), again)
    assert again.read_bytes() == built[0].read_bytes()


def test_read_bundle_loads_as_the_same_pack(
    built: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    directory = read_bundle(built[0], tmp_path / "x")
    config = GovernanceConfig()
    from_bundle = load_pack([directory], config, compile_check=False)
    original = load_pack(builtin_pack_dirs(), config, compile_check=False)
    assert [p.id for p in from_bundle.policies] == [p.id for p in original.policies]
    assert [m.source for m in from_bundle.modules] == [m.source for m in original.modules]


@pytest.mark.parametrize("name", ["../escape.rego", "/abs/escape.rego", "a/../../escape.rego"])
def test_path_traversal_is_refused(tmp_path: Path, name: str) -> None:
    bundle = _tar(tmp_path / "evil.tar.gz", [(tarfile.TarInfo(name), b"package x\n")])
    with pytest.raises(PolicyError, match="escapes the bundle"):
        read_bundle(bundle, tmp_path / "out")
    assert not (tmp_path / "escape.rego").exists()


def test_links_are_refused(tmp_path: Path) -> None:
    link = tarfile.TarInfo("policies/link.yaml")
    link.type = tarfile.SYMTYPE
    link.linkname = "/etc/passwd"
    bundle = _tar(tmp_path / "link.tar.gz", [(link, b"")])
    with pytest.raises(PolicyError, match="link or special file"):
        read_bundle(bundle, tmp_path / "out")


def test_bad_manifest_and_non_bundles_are_refused(tmp_path: Path) -> None:
    bad = _tar(tmp_path / "bad.tar.gz", [(tarfile.TarInfo(".manifest"), b'{"roots": "x"}')])
    with pytest.raises(PolicyError, match="'roots' must be a list"):
        read_bundle(bad, tmp_path / "out1")
    text = tmp_path / "plain.tar.gz"
    text.write_text("not gzip")
    with pytest.raises(PolicyError, match="not a readable OPA bundle"):
        read_bundle(text, tmp_path / "out2")
