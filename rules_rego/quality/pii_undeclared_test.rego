# Tests for GOV-PII-003. Mocks are bound to locals and applied path by path (`with input.product`,
# `with input.quality`): regopy can crash on `with input as {...}`.
package governance.quality.pii_undeclared_test

import rego.v1

import data.governance.quality.pii_undeclared

mock_config := {"pii_classifications": ["pii", "sensitive", "restricted", "confidential"]}

default_params := {"GOV-PII-003": {"ignored_kinds": []}}

orders := {
	"id": "orders",
	"name": "orders",
	"pii": true,
	"columns": [
		{"name": "order_id", "pii": false, "tags": [], "classification": null},
		{"name": "customer_email", "pii": true, "tags": [], "classification": null},
		{"name": "notes", "pii": false, "tags": [], "classification": null},
		{"name": "phone", "pii": false, "tags": ["security:PII"], "classification": null},
		{"name": "iban", "pii": false, "tags": [], "classification": "Restricted"},
	],
}

quality(detections) := {"sample": "examples/samples/orders.csv", "rows_sampled": 40, "suites": [], "pii_detected": detections}

email_in(column, share) := {"column": column, "kinds": ["email"], "share": share}

result(prod, q, pars) := {"deny": d, "applicable": a} if {
	c := mock_config
	d := pii_undeclared.deny with input.product as prod
		with input.quality as q
		with data.governance.config as c
		with data.governance.params as pars
	a := pii_undeclared.applicable with input.product as prod
		with input.quality as q
		with data.governance.config as c
		with data.governance.params as pars
}

deny_of(q) := result(p, q, pars).deny if {
	p := orders
	pars := default_params
}

only(d) := v if {
	count(d) == 1
	some v in d
}

test_declared_pii_column_passes if {
	deny_of(quality([email_in("customer_email", 1)])) == set()
}

test_column_declared_without_pii_fails if {
	v := only(deny_of(quality([email_in("notes", 0.125)])))
	v.msg == "column notes holds email (12.5% of sampled non-null values) but the contract declares it without marking it PII"
	v.subject == "notes"
	v.field == "columns.notes"
	v.evidence.declared_column == true
	v.evidence.share == 0.125
	v.evidence.rows_sampled == 40
}

test_column_missing_from_contract_fails if {
	v := only(deny_of(quality([{"column": "contact", "kinds": ["email", "phone"], "share": 1}])))
	v.msg == "column contact holds email, phone (100.0% of sampled non-null values) but the contract does not declare this column"
	v.evidence.declared_column == false
}

test_column_names_match_case_insensitively if {
	deny_of(quality([email_in("Customer_Email", 0.9)])) == set()
}

test_pii_tag_counts_as_declared if {
	deny_of(quality([{"column": "phone", "kinds": ["phone"], "share": 0.8}])) == set()
}

test_pii_grade_classification_counts_as_declared if {
	deny_of(quality([{"column": "iban", "kinds": ["iban"], "share": 1}])) == set()
}

test_one_violation_per_undeclared_column if {
	d := deny_of(quality([email_in("notes", 0.2), email_in("customer_email", 1), email_in("extra", 0.5)]))
	{v.subject | some v in d} == {"notes", "extra"}
}

test_ignored_kind_does_not_count if {
	p := orders
	pars := {"GOV-PII-003": {"ignored_kinds": ["person_name"]}}
	d := result(p, quality([{"column": "notes", "kinds": ["person_name"], "share": 0.9}]), pars).deny
	d == set()
}

test_ignored_kind_leaves_the_other_kinds if {
	p := orders
	pars := {"GOV-PII-003": {"ignored_kinds": ["person_name"]}}
	d := result(p, quality([{"column": "notes", "kinds": ["email", "person_name"], "share": 0.9}]), pars).deny
	only(d).evidence.kinds == ["email"]
}

test_product_without_columns_fails_every_detection if {
	p := {"id": "bare", "name": "bare", "columns": []}
	pars := default_params
	d := result(p, quality([email_in("email", 1)]), pars).deny
	count(d) == 1
}

test_no_detection_passes_and_is_applicable if {
	p := orders
	pars := default_params
	r := result(p, quality([]), pars)
	r.deny == set()
	r.applicable == true
}

test_without_quality_evidence_not_applicable if {
	p := orders
	pars := default_params
	result(p, null, pars).applicable == false
}

test_unowned_bundle_not_applicable if {
	pars := default_params
	result(null, quality([email_in("x", 1)]), pars).applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	d := result(p, quality([]), {}).deny
	only(d).msg == "GOV-PII-003 parameter ignored_kinds is not set (data.governance.params)"
}
