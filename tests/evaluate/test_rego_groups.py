"""A large pack runs in two interpreters per worker: each policy keeps every package it reads,
every module is still compiled, and the findings are those of a single interpreter."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.evaluate import get_engine
from governance.evaluate.pack import PolicyPack, builtin_pack_dirs, load_pack
from governance.evaluate.rego import groups
from governance.evaluate.rego.groups import references, split_policies
from governance.evaluate.rego.program import build_program
from governance.evaluate.rego.source import RegoModule, parse_module
from governance.model import GovernanceConfig
from governance.run import gather

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pack() -> PolicyPack:
    return load_pack(builtin_pack_dirs(), GovernanceConfig())


def test_the_built_in_pack_splits_in_two_covering_every_policy_and_module(
    pack: PolicyPack,
) -> None:
    split = split_policies(pack.modules, pack.rego_policies)
    assert len(split) == 2
    assigned = sorted(i for g in split for i in g.policies)
    assert assigned == list(range(len(pack.rego_policies)))
    assert set().union(*(g.modules for g in split)) == set(range(len(pack.modules)))
    for group in split:
        packages = {pack.modules[m].package for m in group.modules}
        for i in group.policies:
            assert str(pack.rego_policies[i].package) in packages
            if str(pack.rego_policies[i].package).startswith("governance.catalog."):
                assert "governance.catalog.lib" in packages  # imported, so loaded alongside


def _module(source: str) -> RegoModule:
    return parse_module(Path("dyn.rego"), "dyn.rego", "package x.dyn\nimport rego.v1\n" + source)


def test_references_are_read_conservatively(pack: PolicyPack) -> None:
    packages = sorted({m.package for m in pack.modules})
    tags = {"governance.tags.required", "governance.tags.consistent"}
    assert references(_module('t := data.governance.tags[k]\nk := "required"\n'), packages) == tags
    assert references(_module("e := data.governance.catalog.lib.enabled\n"), packages) == {
        "governance.catalog.lib"
    }
    assert references(_module("c := data.governance.config.tag_keys\n"), packages) == set()
    assert references(_module('s := "data.governance.tags"\n'), packages) == set()  # a string


def test_reading_data_as_a_whole_keeps_everything_in_one_interpreter(pack: PolicyPack) -> None:
    dynamic = _module('seen := data[k]\nk := "governance"\n')
    split = split_policies([*pack.modules, dynamic], pack.rego_policies)
    assert len(split) == 1 and len(split[0].modules) == len(pack.modules) + 1


def test_small_packs_are_not_split(pack: PolicyPack) -> None:
    few = pack.rego_policies[: groups.MIN_POLICIES_TO_SPLIT - 1]
    assert len(split_policies(pack.modules, few)) == 1
    program = build_program(pack.modules, few, GovernanceConfig())
    assert program.groups is not None and len(program.groups) == 1


def test_findings_are_those_of_one_interpreter(
    pack: PolicyPack, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = GovernanceConfig()
    bundles = gather([REPO / "examples"], config)[1].bundles
    engine = get_engine("embedded", pack=pack)
    split = engine.evaluate(bundles, pack.policies, config)
    assert len(build_program(pack.modules, pack.rego_policies, config).groups or []) == 2
    monkeypatch.setattr(groups, "MIN_POLICIES_TO_SPLIT", 10**6)
    assert len(build_program(pack.modules, pack.rego_policies, config).groups or []) == 1
    single = engine.evaluate(bundles, pack.policies, config)
    assert not split.errors and not single.errors
    assert [f.model_dump() for f in split.findings] == [f.model_dump() for f in single.findings]
    assert any(f.status == "fail" for f in split.findings)
