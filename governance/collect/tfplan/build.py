"""Turning one plan ``Entry`` into a ``Resource``: the attributes every resource type shares.

Type-specific facts (encryption, versioning, backups ...) are filled in afterwards by the AWS and
GCP modules; this module owns what is common: address, provider, physical name, ARN, account,
region, tags or labels, data-bearing, location and the masked ``raw`` attributes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from governance.collect.tfplan.config import ConfigIndex, Resolver, nested, references
from governance.collect.tfplan.document import Entry
from governance.collect.tfplan.values import (
    KNOWN_AFTER_APPLY,
    masked,
    str_map,
    tag_list,
    text,
    unknown_at,
)
from governance.model.evidence import Location, Resource

# Resources that hold data and so must belong to a data product. Everything else (keys, IAM,
# networks, backup plans) is still collected, but an unowned one is not a governance gap by itself.
DATA_BEARING = frozenset(
    {
        "aws_s3_bucket",
        "aws_dynamodb_table",
        "aws_dynamodb_global_table",
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_docdb_cluster",
        "aws_neptune_cluster",
        "aws_redshift_cluster",
        "aws_redshiftserverless_namespace",
        "aws_glue_catalog_database",
        "aws_glue_catalog_table",
        "aws_athena_database",
        "aws_timestream_table",
        "aws_kinesis_stream",
        "aws_efs_file_system",
        "aws_elasticsearch_domain",
        "aws_opensearch_domain",
        "aws_lakeformation_resource",
        "google_storage_bucket",
        "google_bigquery_dataset",
        "google_bigquery_table",
        "google_sql_database_instance",
        "google_spanner_database",
        "google_bigtable_instance",
        "google_bigtable_table",
        "google_firestore_database",
    }
)

# The attribute holding the physical name that manifests refer to (bucket, table, dataset).
_NAME_ATTRIBUTE = {
    "aws_s3_bucket": "bucket",
    "aws_db_instance": "identifier",
    "aws_rds_cluster": "cluster_identifier",
    "aws_docdb_cluster": "cluster_identifier",
    "aws_neptune_cluster": "cluster_identifier",
    "aws_redshift_cluster": "cluster_identifier",
    "aws_redshiftserverless_namespace": "namespace_name",
    "aws_elasticsearch_domain": "domain_name",
    "aws_opensearch_domain": "domain_name",
    "aws_efs_file_system": "creation_token",
    "google_bigquery_dataset": "dataset_id",
    "google_bigquery_table": "table_id",
}

Provider = Literal["aws", "gcp", "other"]


@dataclass
class Build:
    """What every normaliser needs: where the plan is, its configuration and its text positions."""

    file: str
    config: ConfigIndex
    resolver: Resolver
    lines: dict[str, tuple[int, int]]

    def expression(self, entry: Entry, *path: str | int) -> Any:
        parsed = entry.parsed
        return nested(
            self.config.expressions(parsed.config_path, f"{parsed.type}.{parsed.name}"), *path
        )

    def refs(self, entry: Entry, *path: str | int) -> list[str]:
        """Instances an attribute of ``entry`` refers to in the configuration."""
        return self.resolver.resolve(
            references(self.expression(entry, *path)), entry.parsed.module, entry.parsed.key
        )

    def key_reference(
        self, entry: Entry, values: dict[str, Any], unknown: Any, key: str, *path: str | int
    ) -> str | None:
        """A KMS key (or similar) attribute: its value, else what the configuration points at.

        A key unknown at plan time that the configuration sets is a customer-chosen key: it is
        named by the resource it refers to (``aws_kms_key.k``), or ``(known after apply)``. Unknown
        and *not* configured means the provider computes a default (the AWS-managed key): None.
        When the configuration does not show the enclosing block at all (no ``configuration``
        section, a ``dynamic`` block), nothing says it is a default: ``(known after apply)``.
        """
        value = text(values.get(key))
        if value is not None:
            return value
        if not unknown_at(unknown, key):
            return None
        parsed = entry.parsed
        if not self.config.resource(parsed.config_path, f"{parsed.type}.{parsed.name}"):
            return KNOWN_AFTER_APPLY
        container = self.expression(entry, *path)
        if not isinstance(container, dict):
            return KNOWN_AFTER_APPLY
        if key not in container:
            return None
        targets = self.resolver.resolve(references(container[key]), parsed.module, parsed.key)
        return targets[0] if len(targets) == 1 else KNOWN_AFTER_APPLY

    def provider_settings(self, entry: Entry, provider: str) -> dict[str, Any]:
        parsed = entry.parsed
        return self.config.provider(parsed.config_path, f"{parsed.type}.{parsed.name}", provider)


def provider_of(entry: Entry) -> Provider:
    name = entry.provider_name.rsplit("/", 1)[-1].removeprefix("provider.").strip('"]')
    if name == "aws" or (not name and entry.type.startswith("aws_")):
        return "aws"
    if name in ("google", "google-beta") or (not name and entry.type.startswith("google_")):
        return "gcp"
    return "other"


def _constant(expressions: dict[str, Any], *path: str | int) -> Any:
    found = nested(expressions, *path)
    return found.get("constant_value") if isinstance(found, dict) else None


def _aws_tags(entry: Entry, build: Build) -> dict[str, str]:
    """tags_all when known (it includes provider default_tags); else default_tags + tags."""
    values = entry.values
    tags = str_map(values.get("tags")) or tag_list(values.get("tags"))
    tags.update(tag_list(values.get("tag")))
    tags_all = values.get("tags_all")
    if isinstance(tags_all, dict):
        return {**tags, **str_map(tags_all)}
    if "tags" not in values and not unknown_at(entry.unknown, "tags_all"):
        return tags  # a type without tags (e.g. aws_backup_selection): default_tags do not apply
    defaults = str_map(_constant(build.provider_settings(entry, "aws"), "default_tags", 0, "tags"))
    return {**defaults, **tags} if defaults else tags


def _gcp_labels(entry: Entry, build: Build) -> dict[str, str]:
    """effective_labels (provider default_labels included), else terraform_labels, else labels."""
    values = entry.values
    for key in ("effective_labels", "terraform_labels"):
        if isinstance(values.get(key), dict):
            return {**str_map(values.get("labels")), **str_map(values[key])}
    defaults = str_map(_constant(build.provider_settings(entry, "google"), "default_labels"))
    return {**defaults, **str_map(values.get("labels"))}


def _arn_part(arn: str | None, index: int) -> str | None:
    if not arn:
        return None
    parts = arn.split(":", 5)
    return (parts[index] or None) if len(parts) > index else None


def base_resource(entry: Entry, build: Build) -> Resource:
    values = entry.values
    provider = provider_of(entry)
    name_key = _NAME_ATTRIBUTE.get(entry.type, "name")
    name = text(values.get(name_key))
    arn = text(values.get("arn")) if provider == "aws" else None
    region = text(values.get("region")) or _arn_part(arn, 3)
    account = _arn_part(arn, 4)
    if provider == "aws":
        tags = _aws_tags(entry, build)
        region = region or text(_constant(build.provider_settings(entry, "aws"), "region"))
    elif provider == "gcp":
        tags = _gcp_labels(entry, build)
        settings = build.provider_settings(entry, "google")
        region = text(values.get("location")) or region or text(_constant(settings, "region"))
        account = text(values.get("project")) or text(_constant(settings, "project"))
    else:
        tags = str_map(values.get("tags")) or str_map(values.get("labels"))
    line, column = build.lines.get(entry.address, (None, None))
    return Resource(
        address=entry.address,
        type=entry.type,
        provider=provider,
        source="plan",
        action=entry.action,
        name=name,
        arn=arn,
        account=account,
        region=region.lower() if provider == "gcp" and region else region,
        data_bearing=entry.type in DATA_BEARING,
        tags=tags,
        location=Location(file=build.file, line=line, column=column),
        raw=masked(values, entry.sensitive),
    )
