# Tests for GOV-TAG-002.
package governance.tags.consistent_test

import rego.v1

import data.governance.tags.consistent

mock_config := {"tag_keys": {
	"product": ["DataProduct", "data_product", "data-product", "dataproduct"],
	"domain": ["Domain", "domain"],
}}

default_params := {"GOV-TAG-002": {"fields": ["domain", "product", "owner", "classification"]}}

orders := {
	"id": "sales-orders",
	"name": "orders",
	"domain": "sales",
	"owner": "sales-data@example.com",
	"classification": "confidential",
	"environment": "production",
}

matching_tags := {
	"Domain": "Sales",
	"DataProduct": "orders",
	"Owner": "sales-data@example.com",
	"Classification": "Confidential",
	"Environment": "prod",
}

cons_bucket(t) := {"address": "aws_s3_bucket.orders", "type": "aws_s3_bucket", "name": "mesh-sales-orders-prod", "tags": t}

cons_result(prod, res, pars) := {"deny": d, "applicable": a} if {
	c := mock_config
	d := consistent.deny with input.product as prod with input.resources as res with data.governance.config as c
		with data.governance.params as pars
	a := consistent.applicable with input.product as prod with input.resources as res
		with data.governance.config as c
		with data.governance.params as pars
}

cons_run(prod, res) := outcome if {
	p := default_params
	outcome := cons_result(prod, res, p)
}

cons_only(s) := v if {
	count(s) == 1
	some v in s
}

test_matching_tags_pass_case_insensitively if {
	p := orders
	r := cons_run(p, [cons_bucket(matching_tags)])
	r.deny == set()
	r.applicable == true
}

test_wrong_owner_fails if {
	p := orders
	t := object.union(matching_tags, {"Owner": "someone-else@example.com"})
	v := cons_only(cons_run(p, [cons_bucket(t)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod tag Owner is someone-else@example.com but the manifest declares owner sales-data@example.com"
	v.field == "owner"
	v.subject == "aws_s3_bucket.orders"
}

test_wrong_domain_and_classification_are_two_findings if {
	p := orders
	t := object.union(matching_tags, {"Domain": "finance", "Classification": "public"})
	d := cons_run(p, [cons_bucket(t)]).deny
	{v.field | some v in d} == {"domain", "classification"}
}

test_product_tag_may_name_the_id if {
	p := orders
	t := object.union(matching_tags, {"DataProduct": "Sales-Orders"})
	cons_run(p, [cons_bucket(t)]).deny == set()
}

test_wrong_product_tag_fails if {
	p := orders
	t := object.union(matching_tags, {"DataProduct": "invoices"})
	v := cons_only(cons_run(p, [cons_bucket(t)]).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod tag DataProduct is invoices but the manifest declares name orders"
	v.field == "name"
}

test_gcp_label_spelling_and_punctuation_pass if {
	p := orders
	labels := {
		"domain": "sales", "data_product": "orders", "owner": "sales-data_example_com",
		"classification": "confidential",
	}
	cons_run(p, [cons_bucket(labels)]).deny == set()
}

test_environment_is_compared_only_when_configured if {
	p := orders
	default_run := cons_run(p, [cons_bucket(matching_tags)])
	default_run.deny == set()
	pars := {"GOV-TAG-002": {"fields": ["environment"]}}
	v := cons_only(cons_result(p, [cons_bucket(matching_tags)], pars).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod tag Environment is prod but the manifest declares environment production"
}

test_absent_tags_and_undeclared_fields_are_left_to_other_policies if {
	p := object.remove(orders, ["owner"])
	t := {"Domain": "sales", "Owner": "x@example.com"}
	cons_run(p, [cons_bucket(t)]).deny == set()
}

test_null_tags_do_not_break_evaluation if {
	p := orders
	t := object.union(matching_tags, {"Domain": "hr"})
	r := cons_run(p, [cons_bucket(null), object.union(cons_bucket(t), {"address": "aws_s3_bucket.b"})])
	cons_only(r.deny).subject == "aws_s3_bucket.b"
}

test_unowned_bundle_is_not_applicable if {
	r := cons_run(null, [cons_bucket({"Domain": "x"})])
	r.deny == set()
	r.applicable == false
}

test_unknown_field_parameter_fails_closed if {
	p := orders
	v := cons_only(cons_result(p, [], {"GOV-TAG-002": {"fields": ["team"]}}).deny)
	v.msg == "GOV-TAG-002 parameter fields names unknown field team; known fields: classification, domain, environment, owner, product"
}

test_missing_parameter_fails_closed if {
	p := orders
	v := cons_only(cons_result(p, [], {}).deny)
	v.msg == "GOV-TAG-002 parameter fields is not set (data.governance.params)"
}

test_null_fields_parameter_fails_closed if {
	p := orders
	v := cons_only(cons_result(p, [cons_bucket(matching_tags)], {"GOV-TAG-002": {"fields": null}}).deny)
	v.msg == "GOV-TAG-002 parameter fields is not set (data.governance.params)"
}

test_resources_sharing_wrong_tags_are_each_reported if {
	p := orders
	t := object.union(matching_tags, {"Owner": "bob"})
	other := object.union(cons_bucket(t), {"address": "aws_s3_bucket.b", "name": "mesh-b"})
	d := cons_run(p, [cons_bucket(t), other, cons_bucket(matching_tags)]).deny
	{v.subject | some v in d} == {"aws_s3_bucket.orders", "aws_s3_bucket.b"}
	every v in d {
		v.evidence == {"tag": "Owner", "tag_value": "bob", "declared": "sales-data@example.com"}
	}
}

test_every_spelling_of_a_tag_is_compared if {
	p := orders
	t := object.union(matching_tags, {"domain": "hr"})
	v := cons_only(cons_run(p, [cons_bucket(t)]).deny)
	v.evidence.tag == "domain"
	v.field == "domain"
}

test_blank_tag_values_are_left_to_tag_001 if {
	p := orders
	t := object.union(matching_tags, {"Owner": "  ", "Domain": ""})
	d := consistent.deny with input as {"product": p, "resources": [cons_bucket(t)]}
		with data.governance.config as mock_config
		with data.governance.params as default_params
	d == set()
}
