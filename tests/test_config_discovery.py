"""Which governance.yaml applies: --config, else $GOVERNANCE_CONFIG, else the nearest
governance.yaml/.yml from the working directory up to the repository root (the .git holder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance.config import find_config, load_config
from governance.errors import ConfigError
from tests.conftest import EXAMPLES


def _config(directory: Path, tag: str, name: str = "governance.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(f"required_tags: [{tag}]\n")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return root


def test_found_in_a_parent_up_to_the_repository_root(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(repo, "Root")
    deep = repo / "domains" / "sales" / "orders"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == repo / "governance.yaml"
    assert load_config(None).required_tags == ["Root"]


def test_the_nearest_file_wins_and_yml_counts(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _config(repo, "Root")
    _config(repo / "domains", "Domains", "governance.yml")
    (repo / "domains" / "sales").mkdir()
    monkeypatch.chdir(repo / "domains" / "sales")
    assert load_config(None).required_tags == ["Domains"]


def test_no_search_above_the_repository_root(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _config(repo.parent, "Outside")  # e.g. a stray file in a home directory
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    assert find_config() is None
    assert load_config(None).required_tags != ["Outside"]


def test_outside_a_repository_only_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path, "Parent")
    (tmp_path / "child").mkdir()
    monkeypatch.chdir(tmp_path / "child")
    assert find_config() is None
    monkeypatch.chdir(tmp_path)
    assert load_config(None).required_tags == ["Parent"]


def test_environment_variable_beats_discovery_and_option_beats_both(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(repo, "Root")
    from_env = _config(tmp_path / "env", "Env")
    given = _config(tmp_path / "given", "Given")
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GOVERNANCE_CONFIG", str(from_env))
    assert load_config(None).required_tags == ["Env"]
    assert load_config(given).required_tags == ["Given"]
    monkeypatch.setenv("GOVERNANCE_CONFIG", "")  # empty: as if unset
    assert load_config(None).required_tags == ["Root"]


def test_environment_variable_naming_no_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOVERNANCE_CONFIG", str(tmp_path / "nope.yaml"))
    with pytest.raises(ConfigError) as caught:
        load_config(None)
    assert str(caught.value) == (
        f"{tmp_path / 'nope.yaml'} ($GOVERNANCE_CONFIG): configuration file not found"
    )


def test_the_cli_uses_the_discovered_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from governance.cli import main

    (repo / "governance.yaml").write_text("required_tag: [Domain]\n")  # misspelt: must be read
    (repo / "sales").mkdir()
    monkeypatch.chdir(repo / "sales")
    with pytest.raises(SystemExit) as exc:
        main(["inspect", str(EXAMPLES / "sales" / "dataproduct.yaml")])
    assert exc.value.code == 2
    _, err = capsys.readouterr()
    expected = (
        f"error: {repo / 'governance.yaml'}:1:1: required_tag: Extra inputs are not permitted"
    )
    assert err.strip() == expected
