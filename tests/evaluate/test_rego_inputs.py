"""The embedded engine's input document (derived fields) and its array results (deny_list)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from governance.evaluate import get_engine
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.evaluate.rego.inputs import bundle_input
from governance.evaluate.rego.program import build_program
from governance.evaluate.rego.session import Session
from governance.link import normalise_key
from governance.model import Bundle, GovernanceConfig, Location, Product, Resource
from governance.model.result import Status

KEYS = [
    "DataProduct",
    "data_product",
    "data-product",
    "Data.Product",
    "Data Product",
    "Data _.-Product",
    "__",
    "",
    # every printable ASCII character but the quote and backslash (left to Rego) between letters
    *(f"A{chr(c)}b" for c in range(32, 127) if chr(c) not in '"\\'),
]


def test_normalised_tag_keys_match_the_rego_normalisation() -> None:
    # Rego returns the indices where it disagrees: its output does not escape control characters.
    session = Session(
        [
            (
                "n.rego",
                "package n\nimport rego.v1\n"
                "differ := [i |\n"
                "  ks := input.keys\n"
                "  some i in numbers.range(0, count(ks) - 1)\n"
                '  lower(regex.replace(ks[i], `[\\s_.-]+`, "")) != input.expected[i]\n'
                "]\n",
            )
        ],
        None,
        ["n/differ"],
    )
    expected = [normalise_key(k) for k in KEYS]
    session.set_input(json.dumps({"keys": KEYS, "expected": expected}))
    result = session.query(0)
    assert result.error is None and result.output is not None
    differ = json.loads(result.output)["expressions"][0]
    assert [KEYS[i] for i in differ] == []
    assert expected[:3] == ["dataproduct"] * 3


def test_resources_get_normalised_tag_keys_unless_a_key_is_not_plain_ascii() -> None:
    bundle = Bundle(
        id="orders",
        resources=[
            Resource(address="a.one", type="a", tags={"Data_Product": "x", "Owner": "y"}),
            Resource(address="a.two", type="a", tags={"Ünit": "x", "Owner": "y"}),
            Resource(address="a.three", type="a", tags={"Cost\tCentre": "x"}),
            Resource(address="a.four", type="a", tags={'say"hi': "x"}),
            Resource(address="a.five", type="a"),
        ],
    )
    one, two, three, four, five = bundle_input(bundle, include_raw=False)["resources"]
    assert one["normalised_tag_keys"] == {"Data_Product": "dataproduct", "Owner": "owner"}
    assert one["filled_tag_keys"] == ["dataproduct", "owner"]
    assert all("normalised_tag_keys" not in r for r in (two, three, four))
    assert all("filled_tag_keys" not in r for r in (two, three, four))
    assert five["normalised_tag_keys"] == {} and five["filled_tag_keys"] == []


def test_filled_tag_keys_leave_out_blank_values_and_defer_unusual_ones_to_rego() -> None:
    bundle = Bundle(
        id="orders",
        resources=[
            Resource(address="a.one", type="a", tags={"Owner": "  ", "Domain": "d", "domain": "e"}),
            Resource(address="a.two", type="a", tags={"Owner": "\t", "Domain": "d"}),
            Resource(address="a.three", type="a", tags={"Owner": "Zoë", "Domain": "d"}),
        ],
    )
    one, two, three = bundle_input(bundle, include_raw=False)["resources"]
    assert one["filled_tag_keys"] == ["domain"]
    assert one["folded_tag_values"] == {"Domain": "d", "domain": "e"}
    # Whitespace other than the space, and non-ASCII text: trimming is left to Rego.
    assert "filled_tag_keys" not in two and "filled_tag_keys" not in three
    assert "folded_tag_values" not in two and "folded_tag_values" not in three
    assert "normalised_tag_keys" in two and "normalised_tag_keys" in three


@pytest.mark.parametrize("policy_id", ["GOV-TAG-001", "GOV-TAG-002"])
def test_tag_policies_decide_the_same_with_and_without_the_derived_field(policy_id: str) -> None:
    config = GovernanceConfig()
    pack = load_pack(builtin_pack_dirs(), config)
    (policy,) = [p for p in pack.rego_policies if p.id == policy_id]
    program = build_program(pack.modules, [policy], config)
    session = Session(program.modules, program.data_json, program.entrypoints)
    product = Product(
        id="sales-orders",
        name="orders",
        domain="sales",
        owner="team@example.com",
        source=Location(file="p.yaml", line=1),
    )
    tags = [
        {"Domain": "Sales", "data_product": "orders", "Owner": "team_example_com"},
        {"domain": "finance", "DataProduct": "invoices", "Classification": " "},
        {"Ünit": "x", "Domain": "hr", "Owner": "other@example.com"},
        {"Cost\tCentre": "x", 'Data"Product': "invoices", "Owner": "a\\b"},
        {"Domain": "sales", "DataProduct": "orders", "Owner": "\t", "Classification": "  "},
        {"Domain": "sales", "Owner": "Zoë", "data-product": "orders", "Environment": "prod"},
        {},
    ]
    resources = [
        Resource(address=f"aws_s3_bucket.b{i}", type="aws_s3_bucket", data_bearing=True, tags=t)
        for i, t in enumerate(tags)
    ]
    outputs = []
    for owned in (True, False):
        bundle = Bundle(
            id="sales-orders" if owned else "unowned",
            product=product if owned else None,
            resources=resources,
        )
        for document in (
            bundle.to_input(include_raw=False),
            bundle_input(bundle, include_raw=False),
        ):
            session.set_input(json.dumps(document))
            result = session.query(0)
            assert result.error is None and result.output is not None
            value = json.loads(result.output)["expressions"][0]
            outputs.append(sorted(json.dumps(v, sort_keys=True) for v in value.get("deny", [])))
    plain_owned, derived_owned, plain_unowned, derived_unowned = outputs
    assert plain_owned == derived_owned and plain_unowned == derived_unowned
    assert plain_owned and (policy_id == "GOV-TAG-002" or plain_unowned)


def test_engine_reads_deny_list_and_drops_duplicates(fixtures: Path) -> None:
    config = GovernanceConfig()
    pack = load_pack([fixtures / "policies" / "deny_list"], config)
    resources = [Resource(address="aws_s3_bucket.a", type="aws_s3_bucket")] * 2
    bundle = Bundle(
        id="orders",
        product=Product(id="orders", name="orders", source=Location(file="p.yaml", line=1)),
        resources=resources,
    )
    evaluation = get_engine("embedded", pack=pack).evaluate([bundle], pack.policies, config)
    found = sorted((f.status, f.message) for f in evaluation.findings)
    assert found == [(Status.FAIL, "from the list"), (Status.WARN, "listed warning")]


def test_strings_needing_json_escapes_evaluate_as_when_parsed_as_a_term() -> None:
    """Plan addresses such as module.x["key"] once came back unescaped: unreadable output."""
    session = Session(
        [
            (
                "m.rego",
                "package m\nimport rego.v1\n"
                'v := [{"s": a, "c": concat("", ["<", a, ">"]), "literal": a == "x\\"y\\\\z"} |\n'
                "  some a in input.a\n]\n"
                "k := object.keys(input.o)\n",
            )
        ],
        None,
        ["m/v", "m/k"],
    )
    strings = ['x"y\\z', "tab\there", "ü\n", 'module.product["p1"].aws_s3_bucket.data[0]', "\x1f"]
    document = json.dumps({"a": strings, "o": {'k"q': 1, "n\\m": 2}}, ensure_ascii=False)
    session.set_input(document)
    node = [session.query(i).output for i in range(2)]
    session._interpreter.set_input_term(document)
    term = [session.query(i).output for i in range(2)]
    assert node == term
    values = json.loads(str(node[0]))["expressions"][0]
    assert [v["s"] for v in values] == strings
    assert [v["literal"] for v in values] == [True, False, False, False, False]
    assert sorted(json.loads(str(node[1]))["expressions"][0]) == ['k"q', "n\\m"]
