"""AWS Backup selection semantics, without AWS: which resources a selection picks, and how."""

from __future__ import annotations

import pytest

from governance.collect.aws.backup import (
    BackupFacts,
    RuleFacts,
    SelectionFacts,
    selected_by,
    selection_facts,
)

BUCKET = "arn:aws:s3:::orders"
TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders"


def sel(**fields: object) -> SelectionFacts:
    return SelectionFacts(plan_id="p", name="s", **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("selection", "arn", "tags", "expected"),
    [
        (sel(resources=(BUCKET,)), BUCKET, {}, "resource"),
        (sel(resources=("arn:aws:s3:::ord*",)), BUCKET, {}, "resource"),
        (sel(resources=("arn:aws:s3:::other",)), BUCKET, {}, None),
        # Nothing named: every supported resource.
        (sel(), TABLE, {}, "resource"),
        (sel(resources=("*",), tags=(("backup", "daily"),)), BUCKET, {"backup": "daily"}, "tag"),
        (sel(resources=("*",), tags=(("backup", "daily"),)), BUCKET, {"backup": "weekly"}, None),
        # ListOfTags: any tag may match.
        (sel(tags=(("a", "1"), ("b", "2"))), BUCKET, {"b": "2"}, "tag"),
        # Tags narrow explicitly named resources too.
        (sel(resources=(BUCKET,), tags=(("backup", "daily"),)), BUCKET, {}, None),
        # Conditions: all must hold.
        (
            sel(
                resources=("*",),
                conditions=(
                    ("StringEquals", "aws:ResourceTag/env", "prod"),
                    ("StringNotLike", "aws:ResourceTag/tier", "tmp*"),
                ),
            ),
            BUCKET,
            {"env": "prod", "tier": "gold"},
            "condition",
        ),
        (
            sel(
                resources=("*",),
                conditions=(
                    ("StringEquals", "aws:ResourceTag/env", "prod"),
                    ("StringNotLike", "aws:ResourceTag/tier", "tmp*"),
                ),
            ),
            BUCKET,
            {"env": "prod", "tier": "tmp-1"},
            None,
        ),
        (
            sel(conditions=(("StringNotEquals", "aws:ResourceTag/env", "dev"),)),
            BUCKET,
            {},
            "condition",
        ),
        (sel(conditions=(("StringLike", "aws:ResourceTag/env", "p*"),)), BUCKET, {}, None),
        (sel(resources=("*",), not_resources=("arn:aws:s3:::*",)), BUCKET, {}, None),
        # An operator this code does not know never credits coverage.
        (
            sel(conditions=(("StringEqualsIgnoreCase", "env", "prod"),)),
            BUCKET,
            {"env": "prod"},
            None,
        ),
    ],
)
def test_selected_by(
    selection: SelectionFacts, arn: str, tags: dict[str, str], expected: str | None
) -> None:
    assert selected_by(selection, arn, tags) == expected


def test_opt_in_applies_unless_named_explicitly() -> None:
    by_tag = sel(tags=(("backup", "yes"),))
    named = sel(resources=(BUCKET,))
    assert selected_by(by_tag, BUCKET, {"backup": "yes"}, opted_in=False, backup_type="S3") is None
    assert selected_by(named, BUCKET, {}, opted_in=False, backup_type="S3") == "resource"
    cluster = "arn:aws:rds:eu-west-1:123456789012:cluster:c1"
    assert (
        selected_by(sel(resources=(cluster,)), cluster, {}, opted_in=False, backup_type="Aurora")
        is None
    )


def test_selection_document_is_read_like_the_api_returns_it() -> None:
    facts = selection_facts(
        "p1",
        {
            "SelectionName": "mixed",
            "IamRoleArn": "arn:aws:iam::1:role/r",
            "Resources": ["*"],
            "ListOfTags": [
                {"ConditionType": "STRINGEQUALS", "ConditionKey": "k", "ConditionValue": "v"}
            ],
            "Conditions": {
                "StringEquals": [{"ConditionKey": "aws:ResourceTag/env", "ConditionValue": "prod"}],
                "StringLike": [],
            },
        },
    )
    assert facts == SelectionFacts(
        plan_id="p1",
        name="mixed",
        resources=("*",),
        tags=(("k", "v"),),
        conditions=(("StringEquals", "aws:ResourceTag/env", "prod"),),
    )


def test_coverage_lists_each_rule_once_and_only_continuous_where_supported() -> None:
    facts = BackupFacts("123456789012", "eu-west-1")
    facts.rules = [
        RuleFacts("p", "plan", "hourly", "rate(1 hour)", 1.0, 7, continuous=True),
        RuleFacts("p", "plan", "daily", "cron(0 5 ? * * *)", 24.0, 35, continuous=False),
    ]
    facts.selections = [sel(resources=("*",)), sel(resources=(TABLE,))]

    refs = facts.coverage(TABLE, {}, "aws_dynamodb_table")

    assert [(r.name, r.continuous, r.selected_by) for r in refs] == [
        ("plan/daily", False, "resource"),
        ("plan/hourly", False, "resource"),
    ]
    assert [r.continuous for r in facts.coverage(BUCKET, {}, "aws_s3_bucket")] == [False, True]
    assert facts.coverage("arn:aws:kms:eu-west-1:1:key/k", {}, "aws_kms_key") == []
