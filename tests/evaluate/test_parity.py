"""Parity: the whole built-in pack on the example mesh, embedded engine vs a REAL OPA server.

Runs only where an ``opa`` binary is on PATH (marker ``opa``; skipped cleanly otherwise): a
fixture starts ``opa run --server`` on a free 127.0.0.1 port. Findings are compared one by one,
both with the pack pushed over the REST API and with the bundle from ``build_bundle`` preloaded.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest

from governance.evaluate import get_engine
from governance.evaluate.bundle import build_bundle
from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle
from governance.model.result import Finding
from governance.run import gather
from tests.conftest import EXAMPLES

pytestmark = [
    pytest.mark.opa,
    pytest.mark.skipif(shutil.which("opa") is None, reason="no opa binary on PATH"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start_opa(*extra: str) -> Iterator[str]:
    port = _free_port()
    opa = shutil.which("opa")
    assert opa is not None
    process = subprocess.Popen(
        [opa, "run", "--server", "--addr", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    pytest.fail(f"opa did not start: {stderr[:500]}")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def config() -> GovernanceConfig:
    return GovernanceConfig()


@pytest.fixture(scope="module")
def pack(config: GovernanceConfig) -> PolicyPack:
    return load_pack(builtin_pack_dirs(), config)


@pytest.fixture(scope="module")
def bundles(config: GovernanceConfig) -> list[Bundle]:
    evidence, linked = gather([EXAMPLES], config, samples=EXAMPLES / "samples")
    assert not evidence.errors and not linked.errors
    return linked.bundles


@pytest.fixture(scope="module")
def opa_url() -> Iterator[str]:
    yield from _start_opa()


@pytest.fixture(scope="module")
def preloaded_url(
    tmp_path_factory: pytest.TempPathFactory, config: GovernanceConfig
) -> Iterator[str]:
    bundle = tmp_path_factory.mktemp("opa") / "pack.tar.gz"
    build_bundle(builtin_pack_dirs(), config, bundle)
    yield from _start_opa("--bundle", str(bundle))


def _rows(findings: list[Finding]) -> list[dict[str, Any]]:
    rows = [f.model_dump(mode="json") for f in findings]
    return sorted(
        rows,
        key=lambda r: (r["policy_id"], r["product"], r["status"], r["subject"] or "", r["message"]),
    )


def _compare(expected: list[Finding], actual: list[Finding]) -> None:
    left, right = _rows(expected), _rows(actual)
    for a, b in zip(left, right, strict=False):
        assert b == a, f"{a['policy_id']} on {a['product']} differs"
    assert len(right) == len(left)


def test_pushed_pack_gives_the_embedded_findings(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig, opa_url: str
) -> None:
    embedded = get_engine("embedded", pack=pack).evaluate(bundles, pack.policies, config)
    opa = get_engine("opa", pack=pack, opa_url=opa_url).evaluate(bundles, pack.policies, config)
    assert not opa.errors, opa.errors[:3]
    _compare(embedded.findings, opa.findings)


def test_preloaded_bundle_gives_the_embedded_findings(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig, preloaded_url: str
) -> None:
    embedded = get_engine("embedded", pack=pack).evaluate(bundles, pack.policies, config)
    engine = get_engine("opa", pack=pack, opa_url=preloaded_url, opa_preloaded=True)
    opa = engine.evaluate(bundles, pack.policies, config)
    assert not opa.errors, opa.errors[:3]
    _compare(embedded.findings, opa.findings)
