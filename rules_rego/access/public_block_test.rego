# Tests for GOV-ACC-002.
package governance.access.public_block_test

import rego.v1

import data.governance.access.public_block

default_params := {"GOV-ACC-002": {"resource_types": ["aws_s3_bucket"]}}

orders := {"id": "orders", "name": "orders"}

bucket(blocked) := {
	"address": "aws_s3_bucket.orders",
	"type": "aws_s3_bucket",
	"name": "mesh-sales-orders-prod",
	"public_access_blocked": blocked,
}

expected := "expected block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true"

result_with(prod, res, pars) := {"deny": d, "applicable": a} if {
	d := public_block.deny with input as {"product": prod, "resources": res}
		with data.governance.params as pars
	a := public_block.applicable with input as {"product": prod, "resources": res}
		with data.governance.params as pars
}

result(prod, res) := result_with(prod, res, default_params)

only(s) := v if {
	count(s) == 1
	some v in s
}

test_blocked_bucket_passes if {
	r := result(orders, [bucket(true)])
	r.deny == set()
	r.applicable == true
}

test_partial_block_fails if {
	v := only(result(orders, [bucket(false)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod does not set all four public access block flags; expected block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true"
	v.subject == "aws_s3_bucket.orders"
	v.evidence == {"type": "aws_s3_bucket", "public_access_blocked": false}
}

test_missing_block_fails if {
	v := only(result(orders, [bucket(null)]).deny)
	v.msg == sprintf("aws_s3_bucket mesh-sales-orders-prod has no public access block; %s", [expected])
	v.evidence.public_access_blocked == null
}

test_unowned_public_bucket_fails if {
	r := result(null, [object.remove(bucket(true), ["public_access_blocked"])])
	r.applicable == true
	v := only(r.deny)
	startswith(v.msg, "aws_s3_bucket mesh-sales-orders-prod has no public access block;")
	v.evidence == {"type": "aws_s3_bucket", "public_access_blocked": null}
}

test_unowned_blocked_bucket_passes if {
	r := result(null, [bucket(true)])
	r.applicable == true
	r.deny == set()
}

test_bucket_without_name_is_described_by_address if {
	b := object.union(bucket(false), {"name": ""})
	v := only(result(orders, [b, object.remove(b, ["name"])]).deny)
	startswith(v.msg, "aws_s3_bucket.orders does not set all four public access block flags;")
}

test_each_unblocked_bucket_fails_once if {
	other := object.union(bucket(null), {"address": "aws_s3_bucket.other", "name": "other"})
	d := result(orders, [bucket(false), other, object.union(bucket(true), {"address": "aws_s3_bucket.ok"})]).deny
	{v.subject | some v in d} == {"aws_s3_bucket.orders", "aws_s3_bucket.other"}
	count(d) == 2
}

test_other_types_are_not_applicable if {
	gcs := {"address": "google_storage_bucket.s", "type": "google_storage_bucket", "public_access_blocked": null}
	r := result(orders, [gcs])
	r.deny == set()
	r.applicable == false
}

test_configured_types_are_checked if {
	gcs := {"address": "google_storage_bucket.s", "type": "google_storage_bucket", "public_access_blocked": null}
	pars := {"GOV-ACC-002": {"resource_types": ["aws_s3_bucket", "google_storage_bucket"]}}
	v := only(result_with(orders, [gcs, bucket(true)], pars).deny)
	v.subject == "google_storage_bucket.s"
}

test_missing_parameter_fails_closed if {
	r := result_with(orders, [bucket(true)], {})
	r.applicable == true
	only(r.deny).msg == "GOV-ACC-002 parameter resource_types is not set (data.governance.params)"
}

test_null_parameter_fails_closed_in_every_bundle if {
	pars := {"GOV-ACC-002": {"resource_types": null}}
	r := result_with(null, [], pars)
	r.applicable == true
	only(r.deny).msg == "GOV-ACC-002 parameter resource_types is not set (data.governance.params)"
}

test_parameter_of_wrong_type_fails_closed if {
	r := result_with(orders, [bucket(false)], {"GOV-ACC-002": {"resource_types": "aws_s3_bucket"}})
	r.applicable == true
	only(r.deny).msg == "GOV-ACC-002 parameter resource_types must be of type array, got string (data.governance.params)"
}
