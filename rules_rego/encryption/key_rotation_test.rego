# Tests for GOV-ENC-002.
package governance.encryption.key_rotation_test

import rego.v1

import data.governance.encryption.key_rotation

default_params := {"GOV-ENC-002": {"resource_types": ["aws_kms_key", "google_kms_crypto_key"]}}

orders := {"id": "orders", "name": "orders"}

key(rotation) := {"address": "aws_kms_key.orders", "type": "aws_kms_key", "name": null, "key_rotation": rotation}

result_with(prod, res, pars) := {"deny": d, "applicable": a} if {
	d := key_rotation.deny with input as {"product": prod, "resources": res}
		with data.governance.params as pars
	a := key_rotation.applicable with input as {"product": prod, "resources": res}
		with data.governance.params as pars
}

result(prod, res) := result_with(prod, res, default_params)

only(s) := v if {
	count(s) == 1
	some v in s
}

test_rotating_key_passes if {
	r := result(orders, [key(true)])
	r.deny == set()
	r.applicable == true
}

test_rotation_disabled_fails if {
	v := only(result(orders, [key(false)]).deny)
	v.msg == "aws_kms_key.orders has automatic key rotation disabled; expected rotation enabled"
	v.subject == "aws_kms_key.orders"
	v.evidence == {"type": "aws_kms_key", "key_rotation": false}
}

test_rotation_unknown_fails if {
	v := only(result(orders, [key(null)]).deny)
	v.msg == "aws_kms_key.orders has automatic key rotation not configured; expected rotation enabled"
	v.evidence.key_rotation == null
}

test_rotation_field_missing_fails if {
	v := only(result(orders, [object.remove(key(true), ["key_rotation"])]).deny)
	v.msg == "aws_kms_key.orders has automatic key rotation not configured; expected rotation enabled"
	v.evidence == {"type": "aws_kms_key", "key_rotation": null}
}

test_named_key_is_described_by_type_and_name if {
	k := object.union(key(false), {"name": "orders-cmk"})
	v := only(result(orders, [k]).deny)
	v.msg == "aws_kms_key orders-cmk has automatic key rotation disabled; expected rotation enabled"
	v.subject == "aws_kms_key.orders"
}

test_gcp_crypto_key_is_checked if {
	gcp := {"address": "google_kms_crypto_key.orders", "type": "google_kms_crypto_key", "name": "orders", "key_rotation": false}
	v := only(result(orders, [gcp, key(true)]).deny)
	v.subject == "google_kms_crypto_key.orders"
	startswith(v.msg, "google_kms_crypto_key orders has automatic key rotation disabled")
}

test_each_non_rotating_key_fails_once if {
	k2 := object.union(key(null), {"address": "aws_kms_key.other"})
	d := result(orders, [key(false), k2, key(true)]).deny
	{v.subject | some v in d} == {"aws_kms_key.orders", "aws_kms_key.other"}
	count(d) == 2
}

test_product_without_keys_is_not_applicable if {
	bucket := {"address": "aws_s3_bucket.orders", "type": "aws_s3_bucket", "key_rotation": null}
	r := result(orders, [bucket])
	r.deny == set()
	r.applicable == false
}

test_unowned_bundle_is_not_applicable if {
	r := result(null, [key(false)])
	r.deny == set()
	r.applicable == false
}

# With no readable type list no resource is recognised as a key: the parameter is the finding.
test_missing_parameter_fails_closed if {
	r := result_with(orders, [key(false)], {})
	r.applicable == true
	only(r.deny).msg == "GOV-ENC-002 parameter resource_types is not set (data.governance.params)"
}

test_null_parameter_fails_closed_without_keys if {
	r := result_with(orders, [], {"GOV-ENC-002": {"resource_types": null}})
	r.applicable == true
	only(r.deny).msg == "GOV-ENC-002 parameter resource_types is not set (data.governance.params)"
}

test_parameter_of_wrong_type_fails_closed if {
	r := result_with(orders, [key(false)], {"GOV-ENC-002": {"resource_types": "aws_kms_key"}})
	r.applicable == true
	only(r.deny).msg == "GOV-ENC-002 parameter resource_types must be of type array, got string (data.governance.params)"
}

test_broken_parameter_does_not_apply_to_unowned_bundle if {
	r := result_with(null, [key(false)], {})
	r.applicable == false
}
