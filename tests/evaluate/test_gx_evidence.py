"""Quality evidence end to end: products, samples, suites, PII, no leaks, and the policies."""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path
from typing import Any

import pytest

from governance.collect import collect_paths
from governance.errors import InputError
from governance.evaluate import get_engine
from governance.evaluate.gx import QualityConfig, SamplesConfig, collect_quality, quality_evidence
from governance.evaluate.pack import builtin_pack_dirs, load_pack
from governance.link import link_bundles
from governance.model.config import GovernanceConfig
from governance.model.evidence import Location, Product, QualitySpec

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def product(manifest: Path, **fields: Any) -> Product:
    return Product(id="contacts", name="contacts", source=Location(file=str(manifest)), **fields)


# ---------------------------------------------------------------------------- one product


def test_suites_and_pii_on_a_sample(fixtures: Path) -> None:
    samples = fixtures / "samples"
    evidence = quality_evidence(
        product(samples / "contacts.yaml"),
        samples / "contacts.csv",
        [samples / "suite-v1.json", samples / "suite-fails-segment-and-phone.json"],
        SamplesConfig(),
        QualityConfig(),
    )
    assert evidence is not None
    assert evidence.sample is not None and evidence.sample.endswith("contacts.csv")
    assert evidence.rows_sampled == 6
    assert [(s.suite, s.success) for s in evidence.suites] == [
        ("contacts", True),
        ("contacts-strict", False),
    ]
    assert {d.column: d.kinds for d in evidence.pii_detected} == {
        "name": ["person_name"],
        "email": ["email"],
        "phone": ["phone"],
    }


def test_without_a_sample_suites_are_still_checked(fixtures: Path) -> None:
    samples = fixtures / "samples"
    assert (
        quality_evidence(
            product(samples / "c.yaml"),
            None,
            [samples / "suite-v1.json"],
            SamplesConfig(),
            QualityConfig(),
        )
        is None
    )
    with pytest.raises(InputError, match="unknown expectation type"):
        quality_evidence(
            product(samples / "c.yaml"),
            None,
            [samples / "suite-unknown-type.json"],
            SamplesConfig(),
            QualityConfig(),
        )


def test_row_cap_from_config(fixtures: Path) -> None:
    samples = fixtures / "samples"
    evidence = quality_evidence(
        product(samples / "c.yaml"),
        samples / "contacts.csv",
        [],
        SamplesConfig(max_rows=2),
        QualityConfig(),
    )
    assert evidence is not None and evidence.rows_sampled == 2


# ------------------------------------------------------------------------------- many products


def test_collect_quality_finds_samples_and_suites_by_name(fixtures: Path, tmp_path: Path) -> None:
    manifest = tmp_path / "contacts.yaml"
    manifest.write_text("name: contacts\n")
    p = product(manifest, quality=QualitySpec(suites=["suite-v1", "not-empty"]))
    (tmp_path / "suite-v1.json").write_bytes((fixtures / "samples" / "suite-v1.json").read_bytes())
    found = collect_quality([p], samples=SamplesConfig(), quality=QualityConfig(), samples_dir=None)
    assert found.errors == []
    assert found.quality == {}  # no sample: nothing to run on, but the suites were resolved
    assert [i.kind for i in found.inputs] == ["gx_suite", "gx_suite"]

    (tmp_path / "contacts.csv").write_bytes((fixtures / "samples" / "contacts.csv").read_bytes())
    found = collect_quality(
        [p],
        samples=SamplesConfig(),
        quality=QualityConfig(default_suites=["primary-key-id"]),
        samples_dir=tmp_path,
    )
    assert found.errors == []
    suites = [s.suite for s in found.quality["contacts"].suites]
    assert suites == [
        "contacts",
        "not-empty",
        "primary-key-id",
    ]  # declared, built-in by name, default
    assert {i.kind for i in found.inputs} == {"sample", "gx_suite"}
    assert all(len(i.sha256) == 64 for i in found.inputs)


def test_collect_quality_turns_failures_into_run_errors_per_product(
    fixtures: Path, tmp_path: Path
) -> None:
    good = product(tmp_path / "a.yaml")
    bad = Product(id="ragged", name="ragged", source=Location(file=str(tmp_path / "b.yaml")))
    missing = Product(
        id="stale",
        name="stale",
        source=Location(file=str(tmp_path / "c.yaml")),
        quality=QualitySpec(suites=["no-such-suite"]),
    )
    found = collect_quality(
        [good, bad, missing],
        samples=SamplesConfig(
            mapping={
                "contacts": str(fixtures / "samples" / "contacts.csv"),
                "ragged": str(fixtures / "samples" / "ragged-row-line-3.csv"),
            }
        ),
        quality=QualityConfig(),
    )
    assert set(found.quality) == {"contacts"}
    errors = {e.product: e for e in found.errors}
    assert set(errors) == {"ragged", "stale"}
    assert (
        errors["ragged"].kind == "input"
        and errors["ragged"].where is not None
        and errors["ragged"].where.endswith(":3")
    )
    assert "suite 'no-such-suite' not found" in errors["stale"].message


# ------------------------------------------------------------------------------------- no leaks


def canary_sample(path: Path, rows: int = 300) -> list[str]:
    canaries = [f"canary-{secrets.token_hex(6)}@canary-mail.example" for _ in range(rows)]
    lines = ["id,email,note,segment"]
    lines += [f"{i},{c},please write to {c} today,{c}" for i, c in enumerate(canaries)]
    path.write_text("\n".join(lines) + "\n")
    return canaries


LEAKY_SUITE = {
    "name": "leaky",
    "expectations": [
        {
            "type": "expect_column_values_to_match_regex",
            "kwargs": {"column": "email", "regex": "^nobody$"},
        },
        {
            "type": "expect_column_values_to_not_match_regex",
            "kwargs": {"column": "note", "regex": "canary"},
        },
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "segment", "value_set": ["retail"]},
        },
        {
            "type": "expect_column_distinct_values_to_be_in_set",
            "kwargs": {"column": "email", "value_set": ["x"]},
        },
        {
            "type": "expect_column_most_common_value_to_be_in_set",
            "kwargs": {"column": "email", "value_set": ["x"]},
        },
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "segment"}},
        {
            "type": "expect_column_value_lengths_to_be_between",
            "kwargs": {"column": "email", "max_value": 3},
        },
        {"type": "expect_column_values_to_be_json_parseable", "kwargs": {"column": "note"}},
    ],
}


def test_canary_values_never_leave_the_engine(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    canaries = canary_sample(tmp_path / "contacts.csv")
    (tmp_path / "leaky.json").write_text(json.dumps(LEAKY_SUITE))
    manifest = tmp_path / "contacts.yaml"
    p = product(manifest, quality=QualitySpec(suites=["leaky"]))
    found = collect_quality(
        [p], samples=SamplesConfig(), quality=QualityConfig(), samples_dir=tmp_path
    )
    assert found.errors == []
    evidence = found.quality["contacts"]
    # The checks really ran on the canaries: counts are there, values are not.
    assert evidence.suites[0].expectations[0].unexpected_count == len(canaries)
    assert {d.column for d in evidence.pii_detected} == {"email", "note", "segment"}
    out = capsys.readouterr()
    haystacks = [
        evidence.model_dump_json(),
        json.dumps([e.model_dump() for e in found.errors]),
        caplog.text,
        out.out,
        out.err,
    ]
    assert not [h for h in haystacks if "canary-" in h]


def test_canary_values_stay_out_of_error_messages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    canary_sample(tmp_path / "contacts.csv", rows=20)
    suite = {
        "name": "bad",
        "expectations": [
            {
                "type": "expect_column_mean_to_be_between",
                "kwargs": {"column": "email", "min_value": 0},
            }
        ],
    }
    (tmp_path / "bad.json").write_text(json.dumps(suite))
    found = collect_quality(
        [product(tmp_path / "c.yaml", quality=QualitySpec(suites=["bad"]))],
        samples=SamplesConfig(),
        quality=QualityConfig(),
        samples_dir=tmp_path,
    )
    assert len(found.errors) == 1 and "could not be evaluated" in found.errors[0].message
    assert "canary-" not in found.errors[0].model_dump_json() + caplog.text


# ------------------------------------------------------------------- the examples, judged by Rego


@pytest.fixture(scope="module")
def example_findings() -> dict[tuple[str, str], list[Any]]:
    config = GovernanceConfig()
    manifests = [
        EXAMPLES / "sales" / "dataproduct.yaml",
        EXAMPLES / "customer" / "customer-profile.yaml",
        EXAMPLES / "finance" / "dataproduct.yaml",
    ]
    evidence = collect_paths(manifests)
    evidence.merge(
        collect_quality(
            evidence.products,
            samples=SamplesConfig(),
            quality=QualityConfig(),
            samples_dir=EXAMPLES / "samples",
        )
    )
    assert evidence.errors == []
    pack = load_pack(builtin_pack_dirs(), config)
    policies = [p for p in pack.policies if p.id in {"GOV-PII-003", "GOV-DQ-001"}]
    result = get_engine("embedded", pack=pack).evaluate(
        link_bundles(evidence, config).bundles, policies, config
    )
    assert result.errors == []
    findings: dict[tuple[str, str], list[Any]] = {}
    for f in result.findings:
        findings.setdefault((f.policy_id, f.product), []).append(f)
    return findings


def test_example_orders_leaks_undeclared_emails(
    example_findings: dict[tuple[str, str], list[Any]],
) -> None:
    (finding,) = example_findings[("GOV-PII-003", "orders")]
    assert finding.status.value == "fail" and finding.subject == "notes"
    assert finding.evidence["kinds"] == ["email"]
    assert "@" not in json.dumps(finding.model_dump(mode="json"))


def test_example_customer_profile_fails_its_suite(
    example_findings: dict[tuple[str, str], list[Any]],
) -> None:
    (finding,) = example_findings[("GOV-DQ-001", "customer-profile")]
    assert finding.status.value == "fail" and finding.subject == "customer_profile_quality_v1"
    failed = {e["type"] for e in finding.evidence["failed_expectations"]}
    assert failed == {"expect_column_values_to_be_unique", "expect_column_values_to_be_in_set"}
    assert [f.status.value for f in example_findings[("GOV-PII-003", "customer-profile")]] == [
        "pass"
    ]


def test_example_ledger_passes(example_findings: dict[tuple[str, str], list[Any]]) -> None:
    assert [f.status.value for f in example_findings[("GOV-PII-003", "ledger")]] == ["pass"]
    assert ("GOV-DQ-001", "ledger") not in example_findings  # no suites declared: not applicable
