# Tests for GOV-RET-002. Mocks are bound to locals named unlike the input keys they replace.
package governance.retention.lifecycle_test

import rego.v1

import data.governance.retention.lifecycle

default_params := {"GOV-RET-002": {"resource_types": [
	"aws_s3_bucket",
	"google_storage_bucket",
	"google_bigquery_dataset",
	"google_bigquery_table",
]}}

orders := {"id": "orders", "name": "orders", "retention_days": 180}

lc_bucket(days) := {
	"address": "aws_s3_bucket.orders",
	"type": "aws_s3_bucket",
	"name": "mesh-sales-orders-prod",
	"data_bearing": true,
	"lifecycle": {"expiration_days": days, "transitions": []},
}

lc_result(prod, res, pars) := {"deny": d, "warn": w, "applicable": a} if {
	d := lifecycle.deny with input.product as prod with input.resources as res with data.governance.params as pars
	w := lifecycle.warn with input.product as prod with input.resources as res with data.governance.params as pars
	a := lifecycle.applicable with input.product as prod with input.resources as res
		with data.governance.params as pars
}

lc_run(prod, res) := outcome if {
	p := default_params
	outcome := lc_result(prod, res, p)
}

lc_only(s) := v if {
	count(s) == 1
	some v in s
}

test_expiration_equal_to_retention_passes if {
	p := orders
	r := lc_run(p, [lc_bucket(180)])
	r.deny == set()
	r.warn == set()
	r.applicable == true
}

test_expiration_longer_than_retention_fails if {
	p := orders
	v := lc_only(lc_run(p, [lc_bucket(400)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod expires data after 400 days, longer than the declared retention of 180 days"
	v.subject == "aws_s3_bucket.orders"
	v.evidence == {"type": "aws_s3_bucket", "expiration_days": 400, "retention_days": 180}
}

test_no_expiration_fails if {
	p := orders
	v := lc_only(lc_run(p, [lc_bucket(null)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has no lifecycle expiration, so data is kept indefinitely; expected expiration after at most the declared retention of 180 days"
}

test_no_lifecycle_object_fails if {
	p := orders
	r := {"address": "google_bigquery_dataset.shipments", "type": "google_bigquery_dataset", "lifecycle": null}
	v := lc_only(lc_run(p, [r]).deny)
	startswith(v.msg, "google_bigquery_dataset.shipments has no lifecycle expiration")
}

test_shorter_expiration_warns if {
	p := orders
	r := lc_run(p, [lc_bucket(30)])
	r.deny == set()
	lc_only(r.warn).msg == "aws_s3_bucket mesh-sales-orders-prod expires data after 30 days, before the declared retention of 180 days ends"
}

test_undeclared_retention_warns_and_still_requires_expiration if {
	p := object.union(orders, {"retention_days": null})
	r := lc_run(p, [lc_bucket(120), object.union(lc_bucket(null), {"address": "aws_s3_bucket.raw", "name": "raw"})])
	lc_only(r.warn).subject == "aws_s3_bucket.orders"
	v := lc_only(r.deny)
	v.msg == "aws_s3_bucket raw has no lifecycle expiration, so data is kept indefinitely; expected an expiration matching the declared retention"
}

test_other_resource_types_are_ignored if {
	p := orders
	db := {"address": "aws_db_instance.orders", "type": "aws_db_instance", "lifecycle": null, "data_bearing": true}
	r := lc_run(p, [db])
	r.deny == set()
	r.applicable == false
}

test_unowned_bundle_is_not_applicable if {
	r := lc_run(null, [lc_bucket(null)])
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	v := lc_only(lc_result(p, [lc_bucket(400)], {}).deny)
	v.msg == "GOV-RET-002 parameter resource_types is not set (data.governance.params)"
}

test_missing_lifecycle_field_fails if {
	p := orders
	r := {"address": "google_storage_bucket.raw", "type": "google_storage_bucket"}
	v := lc_only(lc_run(p, [r]).deny)
	v.msg == "google_storage_bucket.raw has no lifecycle expiration, so data is kept indefinitely; expected expiration after at most the declared retention of 180 days"
	v.evidence == {"type": "google_storage_bucket", "expiration_days": null, "retention_days": 180}
}

test_lifecycle_without_expiration_key_fails if {
	p := orders
	r := object.union(object.remove(lc_bucket(1), ["lifecycle"]), {"lifecycle": {"transitions": []}})
	v := lc_only(lc_run(p, [r]).deny)
	startswith(v.msg, "aws_s3_bucket mesh-sales-orders-prod has no lifecycle expiration")
}

test_absent_retention_field_warns_per_expiring_resource if {
	p := {"id": "orders", "name": "orders"}
	r := lc_run(p, [lc_bucket(90)])
	r.deny == set()
	v := lc_only(r.warn)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod expires data after 90 days; not compared with a retention because the product declares none (see GOV-RET-001)"
	v.evidence.retention_days == null
}

test_null_parameter_fails_closed if {
	p := orders
	r := lc_result(p, [lc_bucket(180)], {"GOV-RET-002": {"resource_types": null}})
	r.applicable == true
	v := lc_only(r.deny)
	v.msg == "GOV-RET-002 parameter resource_types is not set (data.governance.params)"
}

test_missing_parameter_applies_without_matching_resources if {
	p := orders
	db := {"address": "aws_db_instance.orders", "type": "aws_db_instance"}
	r := lc_result(p, [db], {"GOV-RET-002": {}})
	r.applicable == true
	count(r.deny) == 1
}

test_whole_input_mock_mixed_expirations if {
	bundle := {"product": orders, "resources": [
		lc_bucket(180),
		object.union(lc_bucket(400), {"address": "aws_s3_bucket.long", "name": "long"}),
		object.union(lc_bucket(30), {"address": "aws_s3_bucket.short", "name": "short"}),
		{"address": "aws_db_instance.orders", "type": "aws_db_instance", "lifecycle": null},
	]}
	d := lifecycle.deny with input as bundle with data.governance.params as default_params
	w := lifecycle.warn with input as bundle with data.governance.params as default_params
	{v.subject | some v in d} == {"aws_s3_bucket.long"}
	{v.subject | some v in w} == {"aws_s3_bucket.short"}
}
