# Tests for GOV-ENC-002. Helper names are unique to this file: regopy crashes when two packages
# define functions of one name with different arities.
package governance.encryption.key_rotation_test

import rego.v1

import data.governance.encryption.key_rotation

default_params := {"GOV-ENC-002": {"resource_types": ["aws_kms_key", "google_kms_crypto_key"]}}

orders := {"id": "orders", "name": "orders"}

rot_key(rotation) := {"address": "aws_kms_key.orders", "type": "aws_kms_key", "name": null, "key_rotation": rotation}

rot_result(prod, res, pars) := {"deny": d, "applicable": a} if {
	d := key_rotation.deny with input.product as prod with input.resources as res with data.governance.params as pars
	a := key_rotation.applicable with input.product as prod with input.resources as res
		with data.governance.params as pars
}

rot_run(prod, res) := outcome if {
	pars := default_params
	outcome := rot_result(prod, res, pars)
}

rot_only(s) := v if {
	count(s) == 1
	some v in s
}

test_rotating_key_passes if {
	p := orders
	r := rot_run(p, [rot_key(true)])
	r.deny == set()
	r.applicable == true
}

test_rotation_disabled_fails if {
	p := orders
	v := rot_only(rot_run(p, [rot_key(false)]).deny)
	v.msg == "aws_kms_key.orders has automatic key rotation disabled; expected rotation enabled"
	v.subject == "aws_kms_key.orders"
}

test_rotation_unknown_fails if {
	p := orders
	v := rot_only(rot_run(p, [rot_key(null)]).deny)
	v.msg == "aws_kms_key.orders has automatic key rotation not configured; expected rotation enabled"
}

test_product_without_keys_is_not_applicable if {
	p := orders
	bucket := {"address": "aws_s3_bucket.orders", "type": "aws_s3_bucket", "key_rotation": null}
	r := rot_run(p, [bucket])
	r.deny == set()
	r.applicable == false
}

test_unowned_bundle_is_not_applicable if {
	r := rot_run(null, [rot_key(false)])
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	v := rot_only(rot_result(p, [rot_key(false)], {}).deny)
	v.msg == "GOV-ENC-002 parameter resource_types is not set (data.governance.params)"
}
