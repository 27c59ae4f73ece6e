# Tests for GOV-ACC-002. Helper names are unique to this file: regopy crashes when two packages
# define functions of one name with different arities.
package governance.access.public_block_test

import rego.v1

import data.governance.access.public_block

default_params := {"GOV-ACC-002": {"resource_types": ["aws_s3_bucket"]}}

orders := {"id": "orders", "name": "orders"}

pab_bucket(blocked) := {
	"address": "aws_s3_bucket.orders",
	"type": "aws_s3_bucket",
	"name": "mesh-sales-orders-prod",
	"public_access_blocked": blocked,
}

pab_result(prod, res, pars) := {"deny": d, "applicable": a} if {
	d := public_block.deny with input.product as prod with input.resources as res with data.governance.params as pars
	a := public_block.applicable with input.product as prod with input.resources as res
		with data.governance.params as pars
}

pab_run(prod, res) := outcome if {
	pars := default_params
	outcome := pab_result(prod, res, pars)
}

pab_only(s) := v if {
	count(s) == 1
	some v in s
}

test_blocked_bucket_passes if {
	p := orders
	r := pab_run(p, [pab_bucket(true)])
	r.deny == set()
	r.applicable == true
}

test_partial_block_fails if {
	p := orders
	v := pab_only(pab_run(p, [pab_bucket(false)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod does not set all four public access block flags; expected block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true"
	v.subject == "aws_s3_bucket.orders"
}

test_missing_block_fails if {
	p := orders
	v := pab_only(pab_run(p, [pab_bucket(null)]).deny)
	startswith(v.msg, "aws_s3_bucket mesh-sales-orders-prod has no public access block;")
	v.evidence.public_access_blocked == null
}

test_unowned_public_bucket_fails if {
	v := pab_only(pab_run(null, [object.remove(pab_bucket(true), ["public_access_blocked"])]).deny)
	startswith(v.msg, "aws_s3_bucket mesh-sales-orders-prod has no public access block;")
}

test_other_types_are_not_applicable if {
	p := orders
	gcs := {"address": "google_storage_bucket.s", "type": "google_storage_bucket", "public_access_blocked": null}
	r := pab_run(p, [gcs])
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	v := pab_only(pab_result(p, [pab_bucket(true)], {}).deny)
	v.msg == "GOV-ACC-002 parameter resource_types is not set (data.governance.params)"
}
