"""KMS keys: manager, state and automatic rotation. Keys are not data-bearing; policies read them
to judge the keys that data resources name (``encryption.kms_key``)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from governance.collect.aws.common import Output, Scope, Task, jsonable, paginate, tag_dict
from governance.model.evidence import Resource

SERVICE = "kms"
TYPE = "aws_kms_key"
_GONE = {"PendingDeletion", "PendingReplicaDeletion"}


def discover(scope: Scope) -> list[Task]:
    return [Task(SERVICE, scope.account, scope.region, partial(_list_keys, scope))]


def _list_keys(scope: Scope) -> Output:
    client = scope.client(SERVICE)
    aliases: dict[str, list[str]] = {}
    for alias in paginate(client, "list_aliases", "Aliases"):
        if alias.get("TargetKeyId"):
            aliases.setdefault(alias["TargetKeyId"], []).append(alias["AliasName"])
    tasks = [
        Task(
            SERVICE,
            scope.account,
            scope.region,
            partial(_describe_key, scope, key["KeyId"], sorted(aliases.get(key["KeyId"], []))),
            subject=key.get("KeyArn", key["KeyId"]),
        )
        for key in paginate(client, "list_keys", "Keys")
    ]
    return Output(tasks=tasks)


def rotation_applies(meta: Mapping[str, Any]) -> bool:
    """Automatic rotation exists only for symmetric encryption keys with KMS-generated material."""
    spec = meta.get("KeySpec", meta.get("CustomerMasterKeySpec"))
    return bool(spec == "SYMMETRIC_DEFAULT" and meta.get("Origin", "AWS_KMS") == "AWS_KMS")


def _describe_key(scope: Scope, key_id: str, aliases: list[str]) -> Output:
    client = scope.client(SERVICE)
    meta = client.describe_key(KeyId=key_id)["KeyMetadata"]
    if meta.get("KeyState") in _GONE:
        return Output()  # scheduled for deletion: no longer protects anything new
    customer = meta.get("KeyManager") == "CUSTOMER"
    rotation: bool | None = None
    if not customer:
        rotation = True  # AWS managed keys rotate every year, by AWS, always
    elif rotation_applies(meta):
        rotation = bool(client.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"])
    tags: list[Mapping[str, str]] = []
    if customer:
        tags = list(paginate(client, "list_resource_tags", "Tags", KeyId=key_id))
    return Output(resources=[key_resource(scope, meta, aliases, rotation, tags)])


def key_resource(
    scope: Scope,
    meta: Mapping[str, Any],
    aliases: list[str],
    rotation: bool | None,
    tags: list[Mapping[str, str]],
) -> Resource:
    arn = str(meta["Arn"])
    return Resource(
        address=arn,
        type=TYPE,
        source="live",
        name=aliases[0] if aliases else str(meta["KeyId"]),
        arn=arn,
        account=scope.account,
        region=scope.region,
        data_bearing=False,
        tags=tag_dict(tags, key="TagKey", value="TagValue"),
        key_rotation=rotation,
        location=scope.location(arn),
        raw=jsonable({"key": dict(meta), "aliases": aliases}),
    )
