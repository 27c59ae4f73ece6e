# Tests for GOV-PII-004.
package governance.catalog.pii_test

import rego.v1

import data.governance.catalog.pii

on := {"enabled": true}

params := {"GOV-PII-004": {
	"pii_tags": ["pii", "personal_data"],
	"pii_terms": ["PII", "Email_Address", "Phone_Number"],
}}

orders := {
	"id": "orders",
	"name": "orders",
	"pii": true,
	"columns": [
		{"name": "order_id", "pii": false},
		{"name": "customer_email", "pii": true},
		{"name": "amount", "pii": false},
	],
}

no_pii := {"id": "metrics", "name": "metrics", "pii": false, "columns": [{"name": "day", "pii": false}]}

urn := "urn:li:dataset:(urn:li:dataPlatform:snowflake,db.sales.orders,PROD)"

col(name, tags, terms) := {"name": name, "tags": tags, "glossary_terms": terms}

dataset(columns) := {"urn": urn, "platform": "snowflake", "name": "db.sales.orders", "owners": [], "tags": [], "glossary_terms": [], "columns": columns, "properties": {}}

tagged_dataset(tags) := object.union(dataset([]), {"tags": tags})

good := dataset([col("order_id", [], []), col("customer_email", ["pii"], []), col("amount", [], [])])

result(prod, cat, pars) := {"deny": d, "warn": w} if {
	cfg := on
	d := pii.deny with input.product as prod with input.catalog as cat
		with data.governance.config.catalog as cfg with data.governance.params as pars
	w := pii.warn with input.product as prod with input.catalog as cat
		with data.governance.config.catalog as cfg with data.governance.params as pars
}

deny_of(prod, cat) := result(prod, cat, params).deny

only(d) := v if {
	count(d) == 1
	some v in d
}

test_agreeing_catalog_passes if {
	p := orders
	r := result(p, [good], params)
	r.deny == set()
	r.warn == set()
}

test_segment_of_a_qualified_tag_counts if {
	p := orders
	c := [dataset([col("customer_email", ["test_db.test_schema.security:PII"], [])])]
	deny_of(p, c) == set()
}

test_classifier_term_counts if {
	p := orders
	c := [dataset([col("CUSTOMER_EMAIL", [], ["Email_Address"])])]
	deny_of(p, c) == set()
}

test_qualified_glossary_term_counts if {
	p := orders
	c := [dataset([col("customer_email", [], ["Classification.PII"])])]
	deny_of(p, c) == set()
}

test_catalog_pii_column_declared_not_pii_fails if {
	p := orders
	c := [dataset([col("customer_email", ["pii"], []), col("amount", [], ["Phone_Number"])])]
	v := only(deny_of(p, c))
	v.msg == sprintf("column amount is PII in catalog dataset %s (Phone_Number) but the contract declares it without marking it PII", [urn])
	v.subject == sprintf("urn:li:schemaField:(%s,amount)", [urn])
	v.field == "columns.amount"
	v.evidence.catalog_markers == ["Phone_Number"]
}

test_catalog_pii_column_missing_from_contract_fails if {
	p := orders
	c := [dataset([col("customer_email", ["pii"], []), col("phone", ["personal_data"], [])])]
	v := only(deny_of(p, c))
	endswith(v.msg, "but the contract does not declare this column")
}

test_declared_pii_column_untagged_in_catalog_fails if {
	p := orders
	c := [dataset([col("order_id", [], []), col("customer_email", ["Legacy"], [])])]
	v := only(deny_of(p, c))
	v.msg == sprintf("column customer_email is declared PII but catalog dataset %s has no PII tag or glossary term on it", [urn])
	v.evidence.in_catalog_schema == true
}

test_declared_pii_column_missing_from_catalog_schema_fails if {
	p := orders
	c := [dataset([col("order_id", [], [])])]
	v := only(deny_of(p, c))
	v.msg == sprintf("column customer_email is declared PII but is missing from the schema of catalog dataset %s", [urn])
	v.evidence.in_catalog_schema == false
}

test_tag_that_only_contains_pii_in_a_word_does_not_count if {
	p := no_pii
	c := [dataset([col("day", ["dbt:has_pii_test"], [])])]
	deny_of(p, c) == set()
}

test_dataset_marked_pii_for_a_product_without_pii_fails if {
	p := no_pii
	c := [tagged_dataset(["PII"])]
	v := only(deny_of(p, c))
	v.msg == sprintf("catalog dataset %s is marked PII (PII) but the contract declares no PII", [urn])
	v.subject == urn
}

test_dataset_without_schema_warns_for_pii_product if {
	p := orders
	r := result(p, [dataset([])], params)
	r.deny == set()
	count(r.warn) == 1
}

test_dataset_without_schema_is_silent_for_product_without_pii if {
	p := no_pii
	r := result(p, [dataset([])], params)
	r.deny == set()
	r.warn == set()
}

test_not_applicable_without_catalog_evidence if {
	p := orders
	cfg := {"enabled": false}
	pii.applicable == false with input.product as p with data.governance.config.catalog as cfg
}

test_missing_parameters_fail_closed if {
	p := orders
	d := result(p, [good], {}).deny
	# Without the lists nothing counts as PII in the catalog: the PII column fails as well.
	msgs := {v.msg | some v in d}
	msgs & {
		"GOV-PII-004 parameter pii_tags is not set (data.governance.params)",
		"GOV-PII-004 parameter pii_terms is not set (data.governance.params)",
	} == {
		"GOV-PII-004 parameter pii_tags is not set (data.governance.params)",
		"GOV-PII-004 parameter pii_terms is not set (data.governance.params)",
	}
}
