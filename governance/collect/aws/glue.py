"""Glue Data Catalog: databases and tables, with the catalog's encryption at rest.

Glue tables cannot carry tags; a table inherits its database's tags so it links to the same
data product (``raw.tags_from`` says so). Catalog entries describe data stored elsewhere (S3), so
they are not data-bearing themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from governance.collect.aws.common import Output, Scope, Task, jsonable, paginate
from governance.model.evidence import Encryption, Resource

SERVICE = "glue"
DATABASE = "aws_glue_catalog_database"
TABLE = "aws_glue_catalog_table"


def discover(scope: Scope) -> list[Task]:
    return [Task(SERVICE, scope.account, scope.region, partial(_list_databases, scope))]


def catalog_encryption(settings: Mapping[str, Any]) -> Encryption:
    at_rest = settings.get("EncryptionAtRest", {})
    mode = at_rest.get("CatalogEncryptionMode", "DISABLED")
    if mode == "DISABLED":
        return Encryption(enabled=False)
    return Encryption(enabled=True, algorithm="aws:kms", kms_key=at_rest.get("SseAwsKmsKeyId"))


def _list_databases(scope: Scope) -> Output:
    client = scope.client(SERVICE)
    settings = client.get_data_catalog_encryption_settings()["DataCatalogEncryptionSettings"]
    encryption = catalog_encryption(settings)
    tasks = [
        Task(
            SERVICE,
            scope.account,
            scope.region,
            partial(_describe_database, scope, db, encryption),
            subject=db["Name"],
        )
        for db in paginate(client, "get_databases", "DatabaseList")
    ]
    return Output(tasks=tasks)


def _describe_database(scope: Scope, database: Mapping[str, Any], encryption: Encryption) -> Output:
    client = scope.client(SERVICE)
    name = database["Name"]
    prefix = f"arn:{scope.partition}:glue:{scope.region}:{scope.account}"
    db_arn = f"{prefix}:database/{name}"
    tags: dict[str, str] = dict(client.get_tags(ResourceArn=db_arn).get("Tags", {}))
    resources = [_resource(scope, DATABASE, db_arn, name, tags, encryption, {"database": database})]
    # A resource link points at another catalog's database: its tables are scanned there.
    if not database.get("TargetDatabase"):
        for table in paginate(client, "get_tables", "TableList", DatabaseName=name):
            arn = f"{prefix}:table/{name}/{table['Name']}"
            raw = {"table": table, "database": name, "tags_from": db_arn}
            resources.append(_resource(scope, TABLE, arn, table["Name"], tags, encryption, raw))
    return Output(resources=resources)


def _resource(
    scope: Scope,
    kind: str,
    arn: str,
    name: str,
    tags: dict[str, str],
    encryption: Encryption,
    raw: dict[str, Any],
) -> Resource:
    return Resource(
        address=arn,
        type=kind,
        source="live",
        name=name,
        arn=arn,
        account=scope.account,
        region=scope.region,
        data_bearing=False,
        tags=dict(tags),
        encryption=encryption.model_copy(),
        location=scope.location(arn),
        raw=jsonable(raw),
    )
