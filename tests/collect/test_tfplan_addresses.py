"""Terraform addresses with instance keys, and their positions in the plan text."""

from __future__ import annotations

import json

from governance.collect.tfplan.addresses import (
    address_lines,
    parent_module,
    parse_address,
    steps,
    strip_keys,
)


def test_steps_keep_quoted_keys_with_dots_and_brackets_whole() -> None:
    ref = 'module.net["eu.west"].aws_s3_bucket.logs["a]b"].arn'
    assert steps(ref) == ["module", 'net["eu.west"]', "aws_s3_bucket", 'logs["a]b"]', "arn"]


def test_strip_keys_gives_the_configuration_path() -> None:
    assert strip_keys('module.a[0].module.b["x.y"]') == "module.a.module.b"
    assert strip_keys("aws_s3_bucket.plain") == "aws_s3_bucket.plain"


def test_parse_address_of_keyed_module_and_data_source() -> None:
    parsed = parse_address('module.a[0].module.b["k"].aws_s3_bucket.this[2]')
    assert parsed is not None
    assert (parsed.module, parsed.type, parsed.name, parsed.key) == (
        'module.a[0].module.b["k"]',
        "aws_s3_bucket",
        "this",
        "[2]",
    )
    assert parsed.base == 'module.a[0].module.b["k"].aws_s3_bucket.this'
    assert parsed.config_path == "module.a.module.b"
    data = parse_address("data.aws_caller_identity.current")
    assert data is not None and data.mode == "data"
    assert parse_address("module.only") is None


def test_parent_module() -> None:
    assert parent_module('module.a[0].module.b["x"]') == ("module.a[0]", "b")
    assert parent_module("module.a") == ("", "a")
    assert parent_module("") is None


def test_address_lines_first_occurrence_with_line_and_column() -> None:
    doc = {
        "planned_values": {"root_module": {"resources": [{"address": 'aws_s3_bucket.b["k"]'}]}},
        "resource_changes": [{"address": 'aws_s3_bucket.b["k"]'}, {"address": "aws_kms_key.k"}],
    }
    pretty = json.dumps(doc, indent=2)
    lines = address_lines(pretty)
    first = pretty.splitlines()[lines['aws_s3_bucket.b["k"]'][0] - 1]
    assert '"address": "aws_s3_bucket.b[\\"k\\"]"' in first
    assert pretty.index("resources") < pretty.index('"address"')  # first occurrence: planned_values
    line, column = lines["aws_kms_key.k"]
    assert pretty.splitlines()[line - 1][column - 1 :].startswith('"address": "aws_kms_key.k"')


def test_address_lines_on_a_minified_document_use_columns() -> None:
    text = json.dumps({"resource_changes": [{"address": "a.x"}, {"address": "a.y"}]})
    lines = address_lines(text)
    assert lines["a.x"][0] == lines["a.y"][0] == 1
    assert text[lines["a.y"][1] - 1 :].startswith('"address": "a.y"')


def test_address_lines_decode_json_escapes_in_keys() -> None:
    addresses = ['a.b["q\\"uote"]', 'a.b["back\\\\slash"]', 'a.b["é"]', 'a.b["tab\\t"]']
    for ensure_ascii in (True, False):
        text = json.dumps([{"address": a} for a in addresses], ensure_ascii=ensure_ascii)
        assert set(address_lines(text)) == set(addresses)
