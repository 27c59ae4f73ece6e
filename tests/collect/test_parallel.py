"""Many small files are collected in worker processes: same evidence, same errors, same order."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from governance.collect import CollectContext, Evidence, collect_paths, iter_input_files, parallel
from governance.collect.parallel import collect_files, pooled_files

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"

MANIFEST = """\
name: {name}
domain: sales
owner: team-{n}@example.com
classification: internal
retention_days: {days}
"""


@pytest.fixture
def mesh(tmp_path: Path) -> Path:
    """70 small manifests (one malformed), the example plan, and a contract from the examples."""
    products = tmp_path / "products"
    products.mkdir()
    for n in range(70):
        (products / f"p{n:03}.yaml").write_text(MANIFEST.format(name=f"p{n:03}", n=n, days=30 + n))
    (products / "p033.yaml").write_text("name: p033\ndomain: [unclosed\n")
    shutil.copy(EXAMPLES / "terraform" / "plan.json", tmp_path / "plan.json")
    shutil.copy(EXAMPLES / "logistics" / "shipments.odcs.yaml", tmp_path / "shipments.odcs.yaml")
    return tmp_path


def _sequential(files: list[Path], ctx: CollectContext) -> list[Evidence]:
    return collect_files(files, ctx, min_pooled=10**9)


def test_small_files_go_to_workers_when_there_are_enough(mesh: Path) -> None:
    files = list(iter_input_files([mesh]))
    pooled = pooled_files(files)
    assert len(pooled) == 72  # 70 manifests + plan (small example) + contract
    assert pooled_files(files[:10]) == []
    assert pooled_files(files, min_pooled=10**9) == []


def test_parallel_and_sequential_collection_agree(mesh: Path) -> None:
    ctx = CollectContext()
    files = list(iter_input_files([mesh]))
    assert pooled_files(files)
    parallel_parts = collect_files(files, ctx)
    sequential_parts = _sequential(files, ctx)
    assert parallel_parts == sequential_parts
    evidence = collect_paths([mesh], ctx)
    assert [p.name for p in evidence.products][:3] == ["p000", "p001", "p002"]
    assert len(evidence.products) == 70  # 69 manifests + the ODCS contract
    (error,) = evidence.errors
    assert error.where is not None and error.where.endswith("p033.yaml:3:1")


def test_a_worker_that_fails_leaves_its_files_to_this_process(
    mesh: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = CollectContext()
    files = list(iter_input_files([mesh]))
    expected = _sequential(files, ctx)
    monkeypatch.setattr(parallel, "_WORKER_CMD", "import sys; sys.exit(3)")
    assert collect_files(files, ctx) == expected
    monkeypatch.setattr(parallel, "_WORKER_CMD", "import sys; sys.stdout.write('not a pickle')")
    assert collect_files(files, ctx) == expected
