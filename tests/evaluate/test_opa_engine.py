"""The OPA server engine through its real client (opa-python-client) against a STAND-IN server.

No ``opa`` binary can be installed here, so the server (tests/evaluate/opa_standin.py) is a small
loopback HTTP server written for these tests that speaks OPA's v1 Data/Policy API and compiles and
evaluates with the REAL OPA library (the one the embedded engine uses). These tests show the
engine's own work: what it pushes and where, one query per bundle, error attribution, fail-closed
behaviour, and that the whole built-in pack gives exactly the embedded engine's findings.
test_parity.py repeats the comparison against ``opa run --server`` where ``opa`` is on PATH.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from governance.errors import EngineError, UsageError
from governance.evaluate import get_engine
from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.model.config import GovernanceConfig
from governance.model.evidence import Bundle, Location, Product
from governance.model.result import Finding, Status
from governance.run import gather
from tests.conftest import EXAMPLES
from tests.evaluate.opa_standin import standin_opa_server


@pytest.fixture(scope="module")
def config() -> GovernanceConfig:
    return GovernanceConfig()


@pytest.fixture(scope="module")
def pack(config: GovernanceConfig) -> PolicyPack:
    return load_pack(builtin_pack_dirs(), config, compile_check=False)


@pytest.fixture(scope="module")
def bundles(config: GovernanceConfig) -> list[Bundle]:
    evidence, linked = gather([EXAMPLES / "sales", EXAMPLES / "terraform"], config)
    assert not evidence.errors and not linked.errors
    assert len(linked.bundles) >= 2
    return linked.bundles


def _key(f: Finding) -> tuple[Any, ...]:
    return (f.policy_id, f.product, f.status, f.subject or "", f.message)


def _dump(findings: list[Finding]) -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in sorted(findings, key=_key)]


def test_findings_equal_the_embedded_engines_and_one_query_per_bundle(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig
) -> None:
    embedded = get_engine("embedded", pack=pack, workers=1).evaluate(bundles, pack.policies, config)
    with standin_opa_server() as (url, state):
        opa = get_engine("opa", pack=pack, opa_url=url).evaluate(bundles, pack.policies, config)
        posts = [path for method, path in state.requests if method == "POST"]
        pushed = sorted(state.policies)
    assert not embedded.errors and not opa.errors
    assert _dump(opa.findings) == _dump(embedded.findings)
    assert {f.status for f in opa.findings} >= {Status.PASS, Status.FAIL}
    assert posts == ["/v1/data/governance_entry/results"] * len(bundles)
    assert len(pushed) == len(pack.modules) + 1
    namespaces = {pid.split("/")[1] for pid in pushed}
    assert len(namespaces) == 1 and all(pid.startswith("governance/") for pid in pushed)
    assert set(state.data["governance"]) == {"config", "params"}


def test_stale_policies_of_the_tool_are_replaced_and_others_kept(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig
) -> None:
    with standin_opa_server() as (url, state):
        state.policies["governance/0ld/000/old.rego"] = "package governance.old\n"
        state.policies["team/keep.rego"] = "package team.keep\n"
        get_engine("opa", pack=pack, opa_url=url).evaluate(bundles[:1], pack.policies, config)
        assert "governance/0ld/000/old.rego" not in state.policies
        assert "team/keep.rego" in state.policies


def test_runtime_error_is_pinned_on_its_policy_and_the_rest_still_evaluated(
    fixtures: Path, config: GovernanceConfig
) -> None:
    conflict = load_pack([fixtures / "policies" / "conflict"], config)
    source = Location(file="p.yaml", line=1)
    bundles = [
        Bundle(id=name, product=Product(id=name, name=name, domain=domain, source=source))
        for name, domain in (("conflicted", "d"), ("calm", None))
    ]
    with standin_opa_server() as (url, _):
        result = get_engine("opa", pack=conflict, opa_url=url).evaluate(
            bundles, conflict.policies, config
        )
    errors = [f for f in result.findings if f.status == Status.ERROR]
    assert [(f.policy_id, f.product) for f in errors] == [("FIX-CONFLICT-001", "conflicted")]
    assert url in errors[0].message and "eval_conflict_error" in errors[0].message
    assert [(e.policy_id, e.product) for e in result.errors] == [("FIX-CONFLICT-001", "conflicted")]
    statuses = {(f.policy_id, f.product): f.status for f in result.findings}
    assert statuses[("FIX-CONFLICT-002", "conflicted")] == Status.FAIL


def test_timeout_fails_closed_naming_the_server(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig
) -> None:
    quick = config.model_copy(
        update={"engine": config.engine.model_copy(update={"timeout_seconds": 0.3})}
    )
    with standin_opa_server() as (url, state):
        state.delay = 1.0
        result = get_engine("opa", pack=pack, opa_url=url).evaluate(bundles, pack.policies, quick)
    assert result.findings and all(f.status == Status.ERROR for f in result.findings)
    assert all(url in f.message for f in result.findings)
    assert len(result.errors) == len(result.findings)


def test_unreachable_server_is_an_engine_error(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with pytest.raises(EngineError, match=f"OPA server {url}: listing policies"):
        get_engine("opa", pack=pack, opa_url=url).evaluate(bundles, pack.policies, config)


def test_rejected_module_names_the_module(
    tmp_path: Path, bundles: list[Bundle], config: GovernanceConfig
) -> None:
    (tmp_path / "p.yaml").write_text(
        "id: ORG-U-001\ntitle: t\nseverity: low\nrationale: r\nremediation: r\npackage: org.u\n"
    )
    (tmp_path / "unsafe.rego").write_text(
        "package org.u\n\nimport rego.v1\n\ndeny contains x if {\n\tx == y\n}\n"
    )
    broken = load_pack([tmp_path], config, compile_check=False)
    with (
        standin_opa_server() as (url, _),
        pytest.raises(EngineError, match=r"unsafe\.rego.*var x is unsafe"),
    ):
        get_engine("opa", pack=broken, opa_url=url).evaluate(bundles, broken.policies, config)


def test_preloaded_server_without_the_entry_module_fails_closed(
    pack: PolicyPack, bundles: list[Bundle], config: GovernanceConfig
) -> None:
    with standin_opa_server() as (url, state):
        engine = get_engine("opa", pack=pack, opa_url=url, opa_preloaded=True)
        result = engine.evaluate(bundles, pack.policies, config)
        assert not any(method == "PUT" for method, _ in state.requests)
    assert result.findings and all(f.status == Status.ERROR for f in result.findings)
    assert "governance entry module is not loaded" in result.findings[0].message


@pytest.mark.parametrize("url", [None, "ftp://x", "http://h:1/prefix"])
def test_bad_urls_are_usage_errors(pack: PolicyPack, url: str | None) -> None:
    with pytest.raises(UsageError):
        get_engine("opa", pack=pack, opa_url=url).evaluate(
            [Bundle(id="b")], pack.policies, GovernanceConfig()
        )


def test_check_on_examples_gives_the_same_report_findings_on_both_engines(tmp_path: Path) -> None:
    """The acceptance check: `governance check examples/` with the embedded engine and with
    `--engine opa` (the stand-in above, real OPA behind it) write identical report.json findings."""
    from click.testing import CliRunner

    from governance.cli import cli

    reports = {}
    with standin_opa_server() as (url, _):
        for engine in ("embedded", "opa"):
            out = tmp_path / engine
            args = [str(EXAMPLES), "--samples", str(EXAMPLES / "samples"), "--format", "json"]
            args += ["--output-dir", str(out), "--engine", engine]
            if engine == "opa":
                args += ["--opa-url", url]
            result = CliRunner().invoke(cli, ["check", *args])
            assert result.exit_code == 1, result.output  # the example mesh is built to fail
            reports[engine] = json.loads((out / "report.json").read_text())
    embedded, opa = reports["embedded"]["findings"], reports["opa"]["findings"]
    assert len(embedded) > 30 and {f["status"] for f in embedded} >= {"pass", "fail"}
    assert opa == embedded
    assert reports["opa"]["products"] == reports["embedded"]["products"]
