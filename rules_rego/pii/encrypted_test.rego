# Tests for GOV-PII-001.
package governance.pii.encrypted_test

import rego.v1

import data.governance.pii.encrypted

mock_config := {
	"kms_algorithms": ["aws:kms", "aws:kms:dsse", "gcp:kms"],
	"pii_classifications": ["pii", "sensitive", "restricted", "confidential"],
}

default_params := {"GOV-PII-001": {"require_customer_managed_key": false}}

strict_params := {"GOV-PII-001": {"require_customer_managed_key": true}}

pii_product := {
	"id": "orders",
	"name": "orders",
	"classification": "internal",
	"pii": true,
	"storage": ["data-mesh-orders"],
	"columns": [
		{"name": "customer_email", "pii": true, "tags": [], "classification": null},
		{"name": "amount", "pii": false, "tags": [], "classification": null},
	],
}

plain_product := {
	"id": "weather",
	"name": "weather",
	"classification": "public",
	"pii": false,
	"storage": [],
	"columns": [{"name": "temperature", "pii": false, "tags": [], "classification": null}],
}

enc_bucket(encryption) := {
	"address": "aws_s3_bucket.orders",
	"type": "aws_s3_bucket",
	"provider": "aws",
	"name": "data-mesh-orders",
	"data_bearing": true,
	"encryption": encryption,
}

enc_gcs(encryption) := {
	"address": "google_storage_bucket.orders",
	"type": "google_storage_bucket",
	"provider": "gcp",
	"name": "mesh-orders",
	"data_bearing": true,
	"encryption": encryption,
}

kms := {"enabled": true, "algorithm": "aws:kms", "kms_key": null}

enc_result(prod, res, pars) := {"deny": d, "applicable": a} if {
	bundle := {"product": prod, "resources": res}
	d := encrypted.deny with input as bundle with data.governance.config as mock_config
		with data.governance.params as pars
	a := encrypted.applicable with input as bundle with data.governance.config as mock_config
		with data.governance.params as pars
}

enc_deny(product, resources) := enc_result(product, resources, default_params).deny

enc_only_msg(d) := m if {
	count(d) == 1
	some v in d
	m := v.msg
}

test_kms_bucket_passes if {
	enc_deny(pii_product, [enc_bucket(kms)]) == set()
}

test_dsse_with_customer_key_passes if {
	e := {"enabled": true, "algorithm": "aws:kms:dsse", "kms_key": "arn:aws:kms:eu-west-1:1:key/k"}
	enc_deny(pii_product, [enc_bucket(e)]) == set()
}

test_sse_s3_fails_naming_actual_and_expected if {
	d := enc_deny(pii_product, [enc_bucket({"enabled": true, "algorithm": "AES256", "kms_key": null})])
	enc_only_msg(d) == "aws_s3_bucket data-mesh-orders uses AES256 (SSE-S3); PII storage requires aws:kms or aws:kms:dsse"
	some v in d
	v.subject == "aws_s3_bucket.orders"
	v.evidence.algorithm == "AES256"
}

test_no_encryption_configured_fails if {
	d := enc_deny(pii_product, [enc_bucket(null)])
	enc_only_msg(d) == "aws_s3_bucket data-mesh-orders has no encryption at rest configured; PII storage requires aws:kms or aws:kms:dsse"
}

test_resource_without_encryption_field_fails if {
	r := {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table", "data_bearing": true}
	d := enc_deny(pii_product, [r])
	enc_only_msg(d) == "aws_dynamodb_table.t has no encryption at rest configured; PII storage requires aws:kms or aws:kms:dsse"
}

test_disabled_kms_configuration_fails if {
	d := enc_deny(pii_product, [enc_bucket({"enabled": false, "algorithm": "aws:kms", "kms_key": null})])
	count(d) == 1
}

test_kms_key_without_algorithm_passes if {
	r := object.union(enc_bucket({"enabled": true, "algorithm": null, "kms_key": "arn:aws:kms:eu-west-1:1:key/k"}), {"type": "aws_db_instance"})
	enc_deny(pii_product, [r]) == set()
}

test_gcp_cmek_passes if {
	enc_deny(pii_product, [enc_gcs({"enabled": true, "algorithm": null, "kms_key": "projects/p/locations/eu/keyRings/r/cryptoKeys/k"})]) == set()
}

test_gcp_google_managed_fails if {
	d := enc_deny(pii_product, [enc_gcs({"enabled": true, "algorithm": null, "kms_key": null})])
	enc_only_msg(d) == "google_storage_bucket mesh-orders uses Google-managed encryption keys (no CMEK); PII storage requires a customer-managed Cloud KMS key (CMEK)"
}

test_aws_managed_key_fails_when_customer_key_required if {
	d := enc_result(pii_product, [enc_bucket(kms)], strict_params).deny
	enc_only_msg(d) == "aws_s3_bucket data-mesh-orders uses aws:kms with an AWS-managed key; PII storage requires aws:kms or aws:kms:dsse with a customer-managed KMS key"
}

test_customer_key_passes_when_required if {
	e := {"enabled": true, "algorithm": "aws:kms", "kms_key": "arn:aws:kms:eu-west-1:1:key/k"}
	enc_result(pii_product, [enc_bucket(e)], strict_params).deny == set()
}

test_pii_product_without_storage_fails if {
	d := enc_deny(pii_product, [])
	enc_only_msg(d) == "product orders holds PII (PII columns customer_email) but no data-bearing storage is linked to it; encryption at rest cannot be verified"
}

test_non_data_bearing_resources_do_not_count_as_storage if {
	key := {"address": "aws_kms_key.orders", "type": "aws_kms_key", "data_bearing": false, "encryption": null}
	d := enc_deny(pii_product, [key])
	contains(enc_only_msg(d), "no data-bearing storage is linked")
}

test_pii_by_classification_fires if {
	p := object.union(plain_product, {"classification": "Confidential"})
	d := enc_deny(p, [enc_bucket(null)])
	count(d) == 1
	some v in d
	v.evidence.pii_basis == "classification Confidential"
}

test_pii_by_column_tag_fires if {
	cols := [{"name": "phone", "pii": false, "tags": ["security:PII"], "classification": null}]
	p := object.union(plain_product, {"columns": cols})
	d := enc_deny(p, [enc_bucket(null)])
	count(d) == 1
	some v in d
	v.evidence.pii_basis == "PII columns phone"
}

test_non_pii_product_is_not_applicable if {
	r := enc_result(plain_product, [enc_bucket({"enabled": true, "algorithm": "AES256", "kms_key": null})], default_params)
	r.deny == set()
	r.applicable == false
}

test_pii_product_is_applicable if {
	enc_result(pii_product, [], default_params).applicable == true
}

test_unowned_bundle_is_not_applicable if {
	r := enc_result(null, [enc_bucket(null)], default_params)
	r.deny == set()
	r.applicable == false
}

test_other_provider_lists_every_algorithm if {
	r := object.union(enc_bucket({"enabled": true, "algorithm": "AES256", "kms_key": null}), {"provider": "other"})
	enc_only_msg(enc_deny(pii_product, [r])) == "aws_s3_bucket data-mesh-orders uses AES256 (SSE-S3); PII storage requires aws:kms or aws:kms:dsse or gcp:kms"
}

test_missing_parameter_fails_closed if {
	d := enc_result(pii_product, [enc_bucket(kms)], {}).deny
	count(d) == 2
	some v in d
	v.msg == "GOV-PII-001 parameter require_customer_managed_key is not set (data.governance.params)"
}

test_other_algorithm_fails_naming_it if {
	d := enc_deny(pii_product, [enc_bucket({"enabled": true, "algorithm": "aws:fsx", "kms_key": null})])
	enc_only_msg(d) == "aws_s3_bucket data-mesh-orders uses aws:fsx; PII storage requires aws:kms or aws:kms:dsse"
}

test_enabled_without_algorithm_or_key_fails if {
	d := enc_deny(pii_product, [enc_bucket({"enabled": true, "algorithm": null, "kms_key": null})])
	enc_only_msg(d) == "aws_s3_bucket data-mesh-orders has encryption enabled but neither a KMS algorithm nor a KMS key; PII storage requires aws:kms or aws:kms:dsse"
	some v in d
	v.evidence.encryption_enabled == true
	v.evidence.kms_key == null
}

test_missing_provider_counts_as_aws if {
	r := object.remove(enc_bucket(kms), ["provider"])
	enc_deny(pii_product, [r]) == set()
}

test_google_type_counts_as_gcp_without_provider if {
	r := object.remove(enc_gcs({"enabled": true, "algorithm": "gcp:kms", "kms_key": null}), ["provider"])
	contains(enc_only_msg(enc_deny(pii_product, [r])), "uses Google-managed encryption keys (no CMEK)")
}

test_null_resource_list_counts_as_no_storage if {
	d := enc_deny(pii_product, null)
	contains(enc_only_msg(d), "no data-bearing storage is linked")
	some v in d
	v.evidence.linked_resources == 0
}

test_declared_pii_flag_is_the_basis_without_pii_columns if {
	p := object.union(plain_product, {"pii": true})
	d := enc_deny(p, [])
	enc_only_msg(d) == "product weather holds PII (declared pii: true) but no data-bearing storage is linked to it; encryption at rest cannot be verified"
}

test_null_parameter_fails_closed if {
	d := enc_result(pii_product, [enc_bucket(kms)], {"GOV-PII-001": {"require_customer_managed_key": null}}).deny
	some v in d
	v.msg == "GOV-PII-001 parameter require_customer_managed_key is not set (data.governance.params)"
}
