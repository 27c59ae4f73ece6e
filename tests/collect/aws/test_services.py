"""KMS, Glue, RDS and DynamoDB resources collected from a moto server."""

from __future__ import annotations

from governance.collect.aws import collected_types, scan_aws
from governance.model.evidence import Resource
from tests.collect.aws.conftest import ACCOUNT, REGION, Moto


def _scan(aws: Moto, service: str) -> list[Resource]:
    evidence = scan_aws(aws.options(services=[service]))
    assert evidence.errors == []
    assert {r.type for r in evidence.resources} <= collected_types([service])
    return evidence.resources


def _by_name(resources: list[Resource]) -> dict[str, Resource]:
    return {r.name or "": r for r in resources}


def test_kms_rotation_per_key(aws: Moto) -> None:
    kms = aws.client("kms")
    rotated = kms.create_key(Tags=[{"TagKey": "Domain", "TagValue": "sales"}])["KeyMetadata"]
    kms.enable_key_rotation(KeyId=rotated["KeyId"])
    kms.create_alias(AliasName="alias/sales-orders", TargetKeyId=rotated["KeyId"])
    static = kms.create_key()["KeyMetadata"]
    signing = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")["KeyMetadata"]
    doomed = kms.create_key()["KeyMetadata"]
    kms.schedule_key_deletion(KeyId=doomed["KeyId"], PendingWindowInDays=7)

    keys = {r.arn: r for r in _scan(aws, "kms")}

    assert set(keys) == {rotated["Arn"], static["Arn"], signing["Arn"]}
    assert keys[rotated["Arn"]].key_rotation is True
    assert keys[rotated["Arn"]].name == "alias/sales-orders"
    assert keys[rotated["Arn"]].tags == {"Domain": "sales"}
    assert keys[static["Arn"]].key_rotation is False
    # Asymmetric keys cannot rotate automatically: unknown, not "off".
    assert keys[signing["Arn"]].key_rotation is None
    assert all(not k.data_bearing and k.type == "aws_kms_key" for k in keys.values())


def test_glue_tables_inherit_database_tags_and_catalog_encryption(aws: Moto) -> None:
    glue = aws.client("glue")
    glue.create_database(DatabaseInput={"Name": "sales_db"}, Tags={"DataProduct": "orders"})
    glue.create_table(
        DatabaseName="sales_db",
        TableInput={
            "Name": "orders",
            "StorageDescriptor": {"Location": "s3://sales-orders/orders/"},
        },
    )
    glue.put_data_catalog_encryption_settings(
        DataCatalogEncryptionSettings={
            "EncryptionAtRest": {
                "CatalogEncryptionMode": "SSE-KMS",
                "SseAwsKmsKeyId": "alias/glue",
            }
        }
    )

    resources = {r.type: r for r in _scan(aws, "glue")}

    database = resources["aws_glue_catalog_database"]
    table = resources["aws_glue_catalog_table"]
    assert database.arn == f"arn:aws:glue:{REGION}:{ACCOUNT}:database/sales_db"
    assert table.arn == f"arn:aws:glue:{REGION}:{ACCOUNT}:table/sales_db/orders"
    assert database.tags == table.tags == {"DataProduct": "orders"}
    assert table.raw["tags_from"] == database.arn
    assert table.raw["table"]["StorageDescriptor"]["Location"] == "s3://sales-orders/orders/"
    for resource in (database, table):
        assert resource.encryption is not None
        assert (resource.encryption.enabled, resource.encryption.kms_key) == (True, "alias/glue")


def test_glue_unencrypted_catalog(aws: Moto) -> None:
    aws.client("glue").create_database(DatabaseInput={"Name": "plain_db"})

    (database,) = _scan(aws, "glue")

    assert database.encryption is not None and database.encryption.enabled is False


def test_rds_encryption_and_backup_retention(aws: Moto) -> None:
    rds = aws.client("rds")
    common = {
        "DBInstanceClass": "db.t3.micro",
        "Engine": "postgres",
        "AllocatedStorage": 20,
        "MasterUsername": "admin_user",
        "MasterUserPassword": "not-a-secret-1",
    }
    rds.create_db_instance(
        DBInstanceIdentifier="billing",
        StorageEncrypted=True,
        KmsKeyId="alias/rds",
        BackupRetentionPeriod=7,
        Tags=[{"Key": "Domain", "Value": "finance"}],
        **common,
    )
    rds.create_db_instance(
        DBInstanceIdentifier="scratch", StorageEncrypted=False, BackupRetentionPeriod=0, **common
    )

    databases = _by_name(_scan(aws, "rds"))

    billing, scratch = databases["billing"], databases["scratch"]
    assert billing.type == "aws_db_instance" and billing.data_bearing
    assert billing.arn == f"arn:aws:rds:{REGION}:{ACCOUNT}:db:billing"
    assert billing.encryption is not None and billing.encryption.enabled is True
    assert billing.encryption.algorithm == "aws:kms"
    assert billing.backup_retention_days == 7 and billing.point_in_time_recovery is True
    assert billing.tags == {"Domain": "finance"}
    assert billing.backup is not None and billing.backup.continuous is True
    assert billing.backup.last_recovery_point_age_hours is not None
    assert billing.backup.last_recovery_point_age_hours < 1
    assert scratch.encryption is not None and scratch.encryption.enabled is False
    assert scratch.backup_retention_days == 0 and scratch.point_in_time_recovery is False
    assert scratch.backup is not None and scratch.backup.last_recovery_point_age_hours is None


def test_dynamodb_pitr_and_encryption(aws: Moto) -> None:
    ddb = aws.client("dynamodb")
    schema = {
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
    }
    ddb.create_table(
        TableName="customers",
        SSESpecification={
            "Enabled": True,
            "SSEType": "KMS",
            "KMSMasterKeyId": "arn:aws:kms:eu-west-1:123456789012:key/k1",
        },
        Tags=[{"Key": "DataProduct", "Value": "customers"}],
        **schema,
    )
    ddb.update_continuous_backups(
        TableName="customers", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    ddb.create_table(TableName="sessions", **schema)

    tables = _by_name(_scan(aws, "dynamodb"))

    customers, sessions = tables["customers"], tables["sessions"]
    assert customers.point_in_time_recovery is True
    assert customers.encryption is not None
    assert (customers.encryption.algorithm, customers.encryption.kms_key) == (
        "aws:kms",
        "arn:aws:kms:eu-west-1:123456789012:key/k1",
    )
    assert customers.tags == {"DataProduct": "customers"}
    assert customers.backup is not None and customers.backup.continuous is True
    assert customers.backup.last_recovery_point_age_hours is not None
    # DynamoDB always encrypts: without a KMS key it is an AWS owned key.
    assert sessions.encryption is not None
    assert (sessions.encryption.enabled, sessions.encryption.algorithm) == (True, "AES256")
    assert sessions.point_in_time_recovery is False
    assert sessions.backup is not None and sessions.backup.last_recovery_point_age_hours is None
