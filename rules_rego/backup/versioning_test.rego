# Tests for GOV-BAK-002.
package governance.backup.versioning_test

import rego.v1

import data.governance.backup.versioning

default_params := {"GOV-BAK-002": {"resource_types": ["aws_s3_bucket", "google_storage_bucket"]}}

orders := {"id": "orders", "name": "orders"}

ver_bucket(v) := {"address": "aws_s3_bucket.orders", "type": "aws_s3_bucket", "name": "mesh-sales-orders-prod", "versioning": v}

ver_result(prod, res, pars) := {"deny": d, "applicable": a} if {
	d := versioning.deny with input.product as prod with input.resources as res with data.governance.params as pars
	a := versioning.applicable with input.product as prod with input.resources as res
		with data.governance.params as pars
}

ver_run(prod, res) := outcome if {
	pars := default_params
	outcome := ver_result(prod, res, pars)
}

ver_only(s) := v if {
	count(s) == 1
	some v in s
}

test_versioned_bucket_passes if {
	p := orders
	r := ver_run(p, [ver_bucket(true)])
	r.deny == set()
	r.applicable == true
}

test_disabled_versioning_fails if {
	p := orders
	v := ver_only(ver_run(p, [ver_bucket(false)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has versioning disabled or suspended; expected versioning enabled"
	v.subject == "aws_s3_bucket.orders"
	v.evidence == {"type": "aws_s3_bucket", "versioning": false}
}

test_unknown_versioning_fails if {
	p := orders
	v := ver_only(ver_run(p, [ver_bucket(null)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has versioning not configured; expected versioning enabled"
}

test_missing_versioning_field_fails if {
	p := orders
	gcs := {"address": "google_storage_bucket.shipments", "type": "google_storage_bucket"}
	v := ver_only(ver_run(p, [gcs]).deny)
	v.msg == "google_storage_bucket.shipments has versioning not configured; expected versioning enabled"
	v.evidence.versioning == null
}

test_other_types_are_not_applicable if {
	p := orders
	table := {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table", "versioning": null}
	r := ver_run(p, [table])
	r.deny == set()
	r.applicable == false
}

test_unowned_bundle_is_not_applicable if {
	r := ver_run(null, [ver_bucket(false)])
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	v := ver_only(ver_result(p, [ver_bucket(false)], {}).deny)
	v.msg == "GOV-BAK-002 parameter resource_types is not set (data.governance.params)"
}

test_null_parameter_fails_closed if {
	p := orders
	r := ver_result(p, [ver_bucket(true)], {"GOV-BAK-002": {"resource_types": null}})
	r.applicable == true
	v := ver_only(r.deny)
	v.msg == "GOV-BAK-002 parameter resource_types is not set (data.governance.params)"
}

test_missing_parameter_applies_without_matching_resources if {
	p := orders
	table := {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table"}
	r := ver_result(p, [table], {"GOV-BAK-002": {}})
	r.applicable == true
	count(r.deny) == 1
}

test_only_listed_types_are_checked if {
	bundle := {"product": orders, "resources": [
		ver_bucket(false),
		{"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table", "versioning": false},
	]}
	findings := versioning.deny with input as bundle with data.governance.params as default_params
	{v.subject | some v in findings} == {"aws_s3_bucket.orders"}
}
