"""Loading policy packs: layouts, definitions, and every broken pack failing with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.errors import ConfigError, PolicyError
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.model import GovernanceConfig

POLICY = """\
id: {id}
title: A policy
severity: high
rationale: r
remediation: r
package: {package}
"""
REGO = 'package {package}\n\nimport rego.v1\n\ndeny contains "x" if input.product.bad\n'


@pytest.fixture(scope="module")
def policies_dir(fixtures: Path) -> Path:
    return fixtures / "policies"


def write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return directory


def test_pack_layout_loads_definitions_modules_and_tests(policies_dir: Path) -> None:
    pack = load_pack([policies_dir / "good"], GovernanceConfig())
    ids = [p.id for p in pack.policies]
    assert ids[:2] == ["FIX-DENY-001", "FIX-DENY-002"] and "FIX-GX-001" in ids
    assert "FIX-GX-001" not in [p.id for p in pack.rego_policies]
    assert all(not m.path.name.endswith("_test.rego") for m in pack.modules)
    assert [m.path.name for m in pack.test_modules] == ["deny_strings_test.rego"]
    first = pack.policy("FIX-DENY-001")
    assert first.source_file is not None and first.source_file.endswith("engine.yaml")
    assert first.source_line == 3
    assert first.parameters == {"max_days": 365}


def test_flat_layout_with_single_policy_and_policies_key(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "one.yaml": POLICY.format(id="ORG-A-001", package="org.a"),
            "more.yml": "policies:\n"
            + "".join(
                "  - "
                + POLICY.format(id=f"ORG-B-00{i}", package="org.b").replace("\n", "\n    ").rstrip()
                + "\n"
                for i in (1, 2)
            ),
            "rego/a.rego": REGO.format(package="org.a"),
            "rego/b.rego": REGO.format(package="org.b"),
            ".hidden/x.yaml": "not: a policy\n",
        },
    )
    pack = load_pack([tmp_path], GovernanceConfig())
    assert sorted(p.id for p in pack.policies) == ["ORG-A-001", "ORG-B-001", "ORG-B-002"]
    assert len(pack.modules) == 2


def test_other_engines_configuration_beside_policies_is_skipped(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "policies/p.yaml": POLICY.format(id="ORG-A-001", package="org.a"),
            "policies/checkov/anything.yaml": "rules: [1, 2]\n",
            "policies/severity.yaml": "checkov_severity:\n  default: medium\n",
            "rules_rego/a.rego": REGO.format(package="org.a"),
        },
    )
    assert [p.id for p in load_pack([tmp_path], GovernanceConfig()).policies] == ["ORG-A-001"]


@pytest.mark.parametrize(
    ("pack", "file", "line", "col", "needle"),
    [
        ("syntax_error", "policy.rego", 7, None, "rego_parse_error"),
        ("undefined_package", "policy.yaml", 7, 3, "'fixtures.missing' not found"),
        ("no_rules", "policy.yaml", 7, 3, "neither 'deny' nor 'warn'"),
        ("duplicate_ids", "b.yaml", 1, None, "duplicate policy id 'FIX-DUP-001'"),
        ("bad_severity", "policy.yaml", 3, 1, "severity"),
        ("no_package", "policy.rego", 1, 1, "'package' declaration"),
        ("compile_error", "policy.rego", 2, None, "multiple default rules"),
    ],
)
def test_broken_pack_is_one_policy_error_naming_the_place(
    policies_dir: Path, pack: str, file: str, line: int | None, col: int | None, needle: str
) -> None:
    with pytest.raises(PolicyError) as info:
        load_pack([policies_dir / "broken" / pack], GovernanceConfig())
    where = info.value.where
    assert where is not None and where.file is not None
    assert where.file.endswith(f"{pack}/{file}")
    assert (where.line, where.column) == (line, col)
    assert needle in info.value.message


def test_later_directory_cannot_replace_a_policy(policies_dir: Path, tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "mine.yaml": POLICY.format(id="FIX-DENY-001", package="org.a"),
            "a.rego": REGO.format(package="org.a"),
        },
    )
    with pytest.raises(PolicyError, match=r"duplicate policy id 'FIX-DENY-001'.*disabled_policies"):
        load_pack([policies_dir / "good", tmp_path], GovernanceConfig())


@pytest.mark.parametrize(
    ("files", "needle", "line"),
    [
        ({"p.yaml": "- just a string\n"}, "must be a policy definition", 1),
        ({"p.yaml": ""}, "empty policy file", 1),
        ({"p.yaml": "id: [unclosed\n"}, "malformed YAML", 2),
        ({"p.yaml": POLICY.format(id="bad id", package="org.a")}, "id: String should match", 1),
        (
            {"p.yaml": POLICY.format(id="ORG-A-001", package="org.a") + "colour: red\n"},
            "colour: Extra inputs",
            7,
        ),
        ({"p.yaml": POLICY.format(id="ORG-A-001", package="org-a")}, "dotted name", 6),
        (
            {"p.yaml": POLICY.replace("package: {package}\n", "").format(id="ORG-A-001")},
            "needs 'package'",
            1,
        ),
    ],
)
def test_malformed_definition_files(
    tmp_path: Path, files: dict[str, str], needle: str, line: int
) -> None:
    write(tmp_path, {**files, "a.rego": REGO.format(package="org.a")})
    with pytest.raises(PolicyError, match=needle) as info:
        load_pack([tmp_path], GovernanceConfig())
    assert info.value.where is not None and info.value.where.line == line


def test_missing_and_empty_directories_are_errors(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="no policy directories"):
        load_pack([], GovernanceConfig())
    with pytest.raises(PolicyError, match="not found"):
        load_pack([tmp_path / "nope"], GovernanceConfig())
    with pytest.raises(PolicyError, match="no policy definitions"):
        load_pack([tmp_path], GovernanceConfig())


def test_disabled_policies_are_removed(policies_dir: Path) -> None:
    config = GovernanceConfig(disabled_policies=["FIX-V0-001"])
    pack = load_pack([policies_dir / "good"], config)
    assert "FIX-V0-001" not in [p.id for p in pack.policies]
    assert [p.id for p in pack.disabled] == ["FIX-V0-001"]


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        (GovernanceConfig(disabled_policies=["FIX-NOPE-001"]), "unknown policy id 'FIX-NOPE-001'"),
        (GovernanceConfig(parameters={"FIX-NOPE-001": {}}), "unknown policy id"),
        (
            GovernanceConfig(parameters={"FIX-DENY-001": {"max_dayz": 3}}),
            "unknown parameter 'max_dayz' \\(documented: max_days\\)",
        ),
    ],
)
def test_misspelt_overrides_are_config_errors(
    policies_dir: Path, config: GovernanceConfig, needle: str
) -> None:
    with pytest.raises(ConfigError, match=needle):
        load_pack([policies_dir / "good"], config)


def test_opa_compile_errors_name_the_file_and_line_and_count_the_rest(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "p.yaml": POLICY.format(id="ORG-A-001", package="org.a"),
            "a.rego": REGO.format(package="org.a"),
            "b.rego": "package org.b\n\nimport rego.v1\n\ndeny contains x if {\n\tx == y\n}\n",
        },
    )
    with pytest.raises(PolicyError) as info:
        load_pack([tmp_path], GovernanceConfig())
    where = info.value.where
    assert where is not None and where.file is not None and where.file.endswith("b.rego")
    assert where.line == 6
    assert "rego_unsafe_var_error" in info.value.message and "more error(s)" in info.value.message


def test_a_module_in_a_reserved_package_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"p.yaml": POLICY.format(id="ORG-A-001", package="governance_entry")})
    write(tmp_path, {"a.rego": REGO.format(package="governance_entry")})
    with pytest.raises(PolicyError, match="reserved by the engine"):
        load_pack([tmp_path], GovernanceConfig())


def test_the_compile_check_leaves_its_engine_for_the_run(policies_dir: Path) -> None:
    from governance.evaluate.rego.engine import program, program_key

    config = GovernanceConfig()
    pack = load_pack([policies_dir / "good"], config)
    key = program_key(program(pack, pack.rego_policies, config))
    assert pack.take_compiled("another program") is None  # taken once, and only if it matches
    pack = load_pack([policies_dir / "good"], config)
    assert pack.take_compiled(key) is not None
    assert pack.take_compiled(key) is None


def test_builtin_pack_dirs_point_at_a_pack() -> None:
    dirs = builtin_pack_dirs()
    assert len(dirs) == 1
    assert (dirs[0] / "policies").is_dir() and (dirs[0] / "rules_rego").is_dir()
