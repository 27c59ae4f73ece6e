"""DataHub PATCH semantics: keyed arrays in both encodings, as the SDK's builders write them."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from governance.collect.datahub.patch import PatchError, apply_patch


def built(builder: Any) -> dict[str, Any]:
    """Aspect name -> patch document, exactly as the SDK's patch builder serialises them."""
    docs: dict[str, Any] = {}
    for mcp in builder.build():
        docs.setdefault(mcp.aspectName, []).append(json.loads(mcp.aspect.value))
    return docs


@pytest.fixture(scope="module")
def sdk() -> Any:
    os.environ["DATAHUB_TELEMETRY_ENABLED"] = "false"
    from datahub.metadata import schema_classes
    from datahub.specific.dataset import DatasetPatchBuilder

    return schema_classes, DatasetPatchBuilder


URN = "urn:li:dataset:(urn:li:dataPlatform:s3,b/orders,PROD)"


def test_sdk_tag_patches_add_and_remove_keeping_other_tags(sdk: Any) -> None:
    sc, builder = sdk
    patch = builder(URN)
    patch.add_tag(sc.TagAssociationClass("urn:li:tag:governance:compliant"))
    patch.remove_tag("urn:li:tag:governance:non-compliant")
    aspect = {"tags": [{"tag": "urn:li:tag:pii"}, {"tag": "urn:li:tag:governance:non-compliant"}]}
    for doc in built(patch)["globalTags"]:
        aspect = apply_patch(aspect, doc)
    assert [t["tag"] for t in aspect["tags"]] == [
        "urn:li:tag:pii",
        "urn:li:tag:governance:compliant",
    ]


def test_adding_an_existing_key_replaces_it(sdk: Any) -> None:
    _, builder = sdk
    patch = builder(URN)
    patch.set_structured_property(
        "urn:li:structuredProperty:governance.failingPolicies", ["GOV-CAT-001"]
    )
    start = {
        "properties": [
            {
                "propertyUrn": "urn:li:structuredProperty:governance.failingPolicies",
                "values": [{"string": "GOV-PII-004"}, {"string": "GOV-OWN-002"}],
            }
        ]
    }
    (doc,) = built(patch)["structuredProperties"]
    result = apply_patch(start, doc)
    assert result["properties"] == [
        {
            "propertyUrn": "urn:li:structuredProperty:governance.failingPolicies",
            "values": [{"string": "GOV-CAT-001"}],
        }
    ]


def test_owner_patch_on_an_empty_aspect(sdk: Any) -> None:
    sc, builder = sdk
    patch = builder(URN)
    patch.add_owner(sc.OwnerClass("urn:li:corpGroup:sales", sc.OwnershipTypeClass.DATAOWNER))
    (doc,) = built(patch)["ownership"]
    assert apply_patch(None, doc) == {
        "owners": [{"owner": "urn:li:corpGroup:sales", "type": "DATAOWNER"}]
    }


def test_field_patch_creates_the_field_entry(sdk: Any) -> None:
    sc, builder = sdk
    patch = builder(URN)
    patch.for_field("email").add_tag(sc.TagAssociationClass("urn:li:tag:pii"))
    (doc,) = built(patch)["editableSchemaMetadata"]
    result = apply_patch({"editableSchemaFieldInfo": [{"fieldPath": "id"}]}, doc)
    assert result["editableSchemaFieldInfo"] == [
        {"fieldPath": "id"},
        {"fieldPath": "email", "globalTags": {"tags": [{"tag": "urn:li:tag:pii"}]}},
    ]


def test_legacy_domains_are_a_string_array() -> None:
    doc = [{"op": "add", "path": "/domains/urn:li:domain:sales", "value": "urn:li:domain:sales"}]
    assert apply_patch({"domains": ["urn:li:domain:x"]}, doc) == {
        "domains": ["urn:li:domain:x", "urn:li:domain:sales"]
    }


def test_escaped_path_segments() -> None:
    doc = [{"op": "add", "path": "/customProperties/a~1b~0c", "value": "v"}]
    assert apply_patch({}, doc) == {"customProperties": {"a/b~c": "v"}}


def test_input_aspect_is_not_modified() -> None:
    start = {"tags": [{"tag": "urn:li:tag:x"}]}
    apply_patch(start, [{"op": "remove", "path": "/tags/urn:li:tag:x"}])
    assert start == {"tags": [{"tag": "urn:li:tag:x"}]}


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"patch": "x"}, "list of operations"),
        ([{"op": "move", "path": "/a"}], "unsupported patch operation 'move'"),
        ([{"op": "add", "path": "a"}], "does not start with '/'"),
        ([{"op": "add", "path": "/unknownArray/k/x", "value": 1}], "no key fields known"),
    ],
    ids=["not-a-list", "move", "relative-path", "unkeyed-array"],
)
def test_unusable_patches(doc: Any, message: str) -> None:
    with pytest.raises(PatchError, match=message):
        apply_patch({"unknownArray": [{"k": "v"}]}, doc)


def test_add_into_a_missing_object_creates_it() -> None:
    doc = [{"op": "add", "path": "/customProperties/retention_days", "value": "30"}]
    assert apply_patch(None, doc) == {"customProperties": {"retention_days": "30"}}
