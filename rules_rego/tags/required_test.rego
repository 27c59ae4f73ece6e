# Tests for GOV-TAG-001.
package governance.tags.required_test

import rego.v1

import data.governance.tags.required

mock_config := {
	"required_tags": ["Domain", "DataProduct", "Owner", "Classification", "Environment"],
	"tag_keys": {
		"product": ["DataProduct", "data_product", "data-product", "dataproduct"],
		"domain": ["Domain", "domain"],
	},
}

default_params := {"GOV-TAG-001": {"exempt_types": []}}

full_tags := {
	"Domain": "sales",
	"DataProduct": "orders",
	"Owner": "sales-data@example.com",
	"Classification": "confidential",
	"Environment": "prod",
}

orders := {"id": "orders", "name": "orders"}

req_bucket(t) := {
	"address": "aws_s3_bucket.orders",
	"type": "aws_s3_bucket",
	"name": "mesh-sales-orders-prod",
	"data_bearing": true,
	"tags": t,
}

req_result(prod, res, pars) := {"deny": d, "applicable": a} if {
	c := mock_config
	d := required.deny with input.product as prod with input.resources as res with data.governance.config as c
		with data.governance.params as pars
	a := required.applicable with input.product as prod with input.resources as res
		with data.governance.config as c
		with data.governance.params as pars
}

req_run(prod, res) := outcome if {
	p := default_params
	outcome := req_result(prod, res, p)
}

req_only(s) := v if {
	count(s) == 1
	some v in s
}

test_all_required_tags_pass if {
	p := orders
	r := req_run(p, [req_bucket(full_tags)])
	r.deny == set()
	r.applicable == true
}

test_missing_tags_fail_listing_them_in_config_order if {
	p := orders
	t := object.remove(full_tags, ["Owner", "Environment"])
	v := req_only(req_run(p, [req_bucket(t)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod is missing required tags: Owner, Environment"
	v.subject == "aws_s3_bucket.orders"
	v.evidence.missing == ["Owner", "Environment"]
	v.evidence.present == ["Classification", "DataProduct", "Domain"]
}

test_empty_tag_value_counts_as_missing if {
	p := orders
	t := object.union(full_tags, {"Owner": "  "})
	v := req_only(req_run(p, [req_bucket(t)]).deny)
	v.evidence.missing == ["Owner"]
}

test_gcp_lowercase_labels_pass if {
	p := orders
	labels := {
		"domain": "logistics", "data_product": "shipments", "owner": "logistics-data",
		"classification": "internal", "environment": "prod",
	}
	r := object.union(req_bucket(labels), {"type": "google_storage_bucket", "provider": "gcp"})
	req_run(p, [r]).deny == set()
}

test_accepted_product_key_spelling_passes if {
	p := orders
	t := object.union(object.remove(full_tags, ["DataProduct"]), {"data-product": "orders"})
	req_run(p, [req_bucket(t)]).deny == set()
}

test_null_tags_fail_with_every_tag_missing if {
	p := orders
	v := req_only(req_run(p, [req_bucket(null)]).deny)
	v.evidence.missing == mock_config.required_tags
	v.evidence.present == []
}

test_non_data_bearing_product_resources_are_checked_too if {
	p := orders
	key := {"address": "aws_kms_key.orders", "type": "aws_kms_key", "data_bearing": false, "tags": {"Domain": "sales"}}
	v := req_only(req_run(p, [key]).deny)
	v.msg == "aws_kms_key.orders is missing required tags: DataProduct, Owner, Classification, Environment"
}

test_exempt_types_are_skipped if {
	p := orders
	sel := {"address": "aws_backup_selection.orders", "type": "aws_backup_selection", "tags": null}
	r := req_result(p, [sel], {"GOV-TAG-001": {"exempt_types": ["aws_backup_selection"]}})
	r.deny == set()
	r.applicable == false
}

test_product_without_resources_is_not_applicable if {
	p := orders
	r := req_run(p, [])
	r.deny == set()
	r.applicable == false
}

test_unowned_untagged_bucket_fails if {
	b := object.union(req_bucket(null), {"address": "aws_s3_bucket.scratch", "name": "mesh-scratch-tmp"})
	v := req_only(req_run(null, [b]).deny)
	v.msg == "aws_s3_bucket mesh-scratch-tmp is not claimed by any data product; missing required tags: Domain, DataProduct, Owner, Classification, Environment"
	v.subject == "aws_s3_bucket.scratch"
}

test_unowned_resource_naming_unknown_product_fails if {
	table := {
		"address": "aws_dynamodb_table.events", "type": "aws_dynamodb_table", "name": "clickstream-events",
		"data_bearing": true, "tags": {"Domain": "marketing", "DataProduct": "clickstream"},
	}
	v := req_only(req_run(null, [table]).deny)
	v.msg == "aws_dynamodb_table clickstream-events is not claimed by any data product (its product tag names clickstream, which matches no declared data product); missing required tags: Owner, Classification, Environment"
}

test_unowned_fully_tagged_resource_still_fails if {
	v := req_only(req_run(null, [req_bucket(full_tags)]).deny)
	startswith(v.msg, "aws_s3_bucket mesh-sales-orders-prod is not claimed by any data product (its product tag names orders")
	not contains(v.msg, "missing required tags")
}

test_unowned_non_data_bearing_resources_are_out_of_scope if {
	vault := {"address": "aws_backup_vault.mesh", "type": "aws_backup_vault", "data_bearing": false, "tags": {}}
	r := req_run(null, [vault])
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	d := req_result(p, [req_bucket(full_tags)], {}).deny
	v := req_only(d)
	v.msg == "GOV-TAG-001 parameter exempt_types is not set (data.governance.params)"
}

test_missing_parameter_still_checks_every_resource if {
	p := orders
	t := object.remove(full_tags, ["Owner"])
	r := req_result(p, [req_bucket(t)], {})
	r.applicable == true
	{v.msg | some v in r.deny} == {
		"aws_s3_bucket mesh-sales-orders-prod is missing required tags: Owner",
		"GOV-TAG-001 parameter exempt_types is not set (data.governance.params)",
	}
}

test_null_parameter_is_not_set if {
	p := orders
	v := req_only(req_result(p, [req_bucket(full_tags)], {"GOV-TAG-001": {"exempt_types": null}}).deny)
	v.msg == "GOV-TAG-001 parameter exempt_types is not set (data.governance.params)"
}

test_resource_without_tags_key_fails_with_every_tag_missing if {
	res := {"address": "aws_sqs_queue.q", "type": "aws_sqs_queue", "name": "q"}
	d := required.deny with input as {"product": orders, "resources": [res]}
		with data.governance.config as mock_config
		with data.governance.params as default_params
	v := req_only(d)
	v.evidence.missing == mock_config.required_tags
	v.subject == "aws_sqs_queue.q"
}

test_resources_sharing_incomplete_tags_are_each_reported if {
	p := orders
	t := object.remove(full_tags, ["Classification"])
	other := object.union(req_bucket(t), {"address": "aws_s3_bucket.b", "name": "mesh-b"})
	d := req_run(p, [req_bucket(t), other, req_bucket(full_tags)]).deny
	{v.subject | some v in d} == {"aws_s3_bucket.orders", "aws_s3_bucket.b"}
	every v in d {
		v.evidence.missing == ["Classification"]
	}
}

test_unowned_blank_tags_are_listed_as_missing if {
	t := {"Domain": "sales", "DataProduct": "orders", "Owner": "", "Classification": "  ", "Environment": "prod"}
	v := req_only(req_run(null, [req_bucket(t)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod is not claimed by any data product (its product tag names orders, which matches no declared data product); missing required tags: Owner, Classification"
	v.evidence.product_tag == ["orders"]
	v.evidence.present == ["Classification", "DataProduct", "Domain", "Environment", "Owner"]
}
