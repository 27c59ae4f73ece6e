"""Bad plan input fails clearly (file, JSON path); documents that are no plan are not sniffed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from governance.collect.base import CollectContext
from governance.collect.files import display_path, load_json
from governance.collect.tfplan import collect, sniff
from governance.errors import InputError
from tests.conftest import CORPUS, FIXTURES

PLANS = FIXTURES / "tfplan"


@pytest.mark.parametrize(
    ("name", "fragments"),
    [
        (
            "invalid-resource-changes-not-a-list.json",
            ["resource_changes", "expected a list, got an object"],
        ),
        (
            "invalid-change-actions-not-a-list.json",
            ["resource_changes[0].change.actions", "expected a list"],
        ),
        ("invalid-unknown-action.json", ["resource_changes[0].change.actions[0]", "'explode'"]),
        (
            "invalid-child-module-not-an-object.json",
            ["planned_values.root_module.child_modules[0]", "expected an object, got a string"],
        ),
        ("unsupported-format-version.json", ["format_version '2.0'"]),
    ],
)
def test_structurally_invalid_plan_names_file_and_path(name: str, fragments: list[str]) -> None:
    path = PLANS / name
    doc = load_json(path)
    assert sniff(doc, path)
    with pytest.raises(InputError) as info:
        collect(path, doc, CollectContext())
    for fragment in fragments:
        assert fragment in info.value.message
    assert info.value.where is not None and info.value.where.file == display_path(path)


@pytest.mark.parametrize(
    "doc",
    [
        {"format_version": "1.0", "provider_schemas": {}},  # `terraform providers schema -json`
        {"format_version": "1.0", "values": {"root_module": {}}},  # a state, not a plan
        {"resource_changes": []},  # no format_version
        [{"format_version": "1.2", "resource_changes": []}],
        "format_version",
    ],
)
def test_documents_that_are_not_plans_are_not_sniffed(doc: Any) -> None:
    assert sniff(doc, Path("x.json")) is False


def test_not_a_plan_fixture_is_not_sniffed() -> None:
    path = PLANS / "not-a-plan-format-version-only.json"
    assert sniff(load_json(path), path) is False


def test_corpus_plans_are_sniffed() -> None:
    paths = sorted((CORPUS / "tfplan").glob("*.json"))
    if not paths:
        pytest.skip("corpus not found")
    for path in paths:
        assert sniff(load_json(path), path), path.name


def test_error_inside_a_resource_points_at_its_address_line() -> None:
    path = PLANS / "invalid-unknown-action.json"
    with pytest.raises(InputError) as info:
        collect(path, load_json(path), CollectContext())
    where = info.value.where
    assert where is not None and where.line is not None
    line = path.read_text().splitlines()[where.line - 1]
    assert '"address": "aws_s3_bucket.a"' in line
