"""Coverage: the data-bearing evidence no policy of the pack reads.

A product whose only resources are an Azure storage account and a SQL database is not compliant
because nothing failed: nothing looked. The built-in pack reads the data stores the plan and live
collectors normalise (``Resource.data_bearing``: S3, DynamoDB, RDS, BigQuery, GCS ...); the types
below hold data too but no policy reads them yet, so they are reported by provider and type, and
a product with nothing else to judge is ``not_evaluated``, never ``pass``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from governance.model.evidence import Bundle, Resource
from governance.model.result import UncoveredType

# Data stores (and the keys that protect them) of the common providers that no built-in policy
# reads. Listed rather than guessed from type names: `azurerm_storage_account_network_rules`
# contains "storage" and holds no data.
UNCOVERED_DATA_STORES = frozenset(
    {
        # Azure
        "azurerm_storage_account",
        "azurerm_storage_container",
        "azurerm_storage_data_lake_gen2_filesystem",
        "azurerm_storage_share",
        "azurerm_storage_table",
        "azurerm_storage_queue",
        "azurerm_mssql_server",
        "azurerm_mssql_database",
        "azurerm_mssql_managed_instance",
        "azurerm_postgresql_server",
        "azurerm_postgresql_database",
        "azurerm_postgresql_flexible_server",
        "azurerm_postgresql_flexible_server_database",
        "azurerm_mysql_flexible_server",
        "azurerm_mysql_flexible_database",
        "azurerm_cosmosdb_account",
        "azurerm_cosmosdb_sql_database",
        "azurerm_cosmosdb_sql_container",
        "azurerm_cosmosdb_mongo_database",
        "azurerm_synapse_workspace",
        "azurerm_synapse_sql_pool",
        "azurerm_data_lake_store",
        "azurerm_kusto_cluster",
        "azurerm_kusto_database",
        "azurerm_eventhub",
        "azurerm_servicebus_queue",
        "azurerm_redis_cache",
        "azurerm_key_vault_key",
        # Google Cloud
        "google_sql_database",
        "google_spanner_instance",
        "google_pubsub_topic",
        "google_pubsub_subscription",
        "google_firestore_database",
        "google_alloydb_cluster",
        "google_redis_instance",
        # AWS
        "aws_sqs_queue",
        "aws_sns_topic",
        "aws_msk_cluster",
        "aws_elasticache_replication_group",
        "aws_memorydb_cluster",
        "aws_fsx_lustre_file_system",
        # Others often found beside them
        "snowflake_database",
        "snowflake_table",
        "databricks_catalog",
        "databricks_schema",
        "databricks_table",
    }
)


def is_uncovered(resource: Resource) -> bool:
    return not resource.data_bearing and resource.type in UNCOVERED_DATA_STORES


def provider_name(resource: Resource) -> str:
    """``aws``/``gcp`` as collected; otherwise the type's prefix (``azurerm``, ``snowflake``)."""
    if resource.provider != "other":
        return resource.provider
    return resource.type.split("_", 1)[0]


def uncovered(bundles: Iterable[Bundle]) -> list[UncoveredType]:
    """Uncovered data-bearing resources of the run by (provider, type), with their products."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for bundle in bundles:
        for resource in bundle.resources:
            if is_uncovered(resource):
                key = (provider_name(resource), resource.type)
                counts[key] += 1
                owners[key].add(bundle.id)
    return [
        UncoveredType(provider=p, type=t, count=counts[p, t], products=sorted(owners[p, t]))
        for p, t in sorted(counts)
    ]


def describe(items: Iterable[UncoveredType]) -> str | None:
    """``3 azurerm resources of 2 types: no policy applies`` (None when everything is covered)."""
    items = list(items)
    if not items:
        return None
    total = sum(i.count for i in items)
    providers = sorted({i.provider for i in items})
    types = len({i.type for i in items})
    noun = "resource" if total == 1 else "resources"
    return (
        f"{total} {'/'.join(providers)} {noun} of {types} type{'' if types == 1 else 's'}: "
        "no policy applies"
    )


def not_evaluated_reasons(bundles: Iterable[Bundle]) -> dict[str, str]:
    """Why each bundle would be ``not_evaluated`` if no policy applied to it (decide uses the
    reason only for bundles without evaluations)."""
    reasons = {}
    for bundle in bundles:
        mine = uncovered([bundle])
        if mine:
            reasons[bundle.id] = describe(mine) or ""
        elif not bundle.resources and not bundle.catalog and bundle.quality is None:
            reasons[bundle.id] = "no evidence linked (no resources, catalog datasets or quality)"
        else:
            reasons[bundle.id] = "no policy applied to its evidence"
    return reasons
