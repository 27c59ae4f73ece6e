# Tests for GOV-PII-003.
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
	bundle := {"product": prod, "quality": q}
	d := pii_undeclared.deny with input as bundle with data.governance.config as mock_config
		with data.governance.params as pars
	a := pii_undeclared.applicable with input as bundle with data.governance.config as mock_config
		with data.governance.params as pars
}

deny_of(q) := result(orders, q, default_params).deny

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
	pars := {"GOV-PII-003": {"ignored_kinds": ["person_name"]}}
	d := result(orders, quality([{"column": "notes", "kinds": ["person_name"], "share": 0.9}]), pars).deny
	d == set()
}

test_ignored_kind_leaves_the_other_kinds if {
	pars := {"GOV-PII-003": {"ignored_kinds": ["person_name"]}}
	d := result(orders, quality([{"column": "notes", "kinds": ["email", "person_name"], "share": 0.9}]), pars).deny
	only(d).evidence.kinds == ["email"]
}

test_product_without_columns_fails_every_detection if {
	p := {"id": "bare", "name": "bare", "columns": []}
	d := result(p, quality([email_in("email", 1)]), default_params).deny
	count(d) == 1
}

test_no_detection_passes_and_is_applicable if {
	r := result(orders, quality([]), default_params)
	r.deny == set()
	r.applicable == true
}

test_without_quality_evidence_not_applicable if {
	result(orders, null, default_params).applicable == false
}

test_unowned_bundle_not_applicable if {
	result(null, quality([email_in("x", 1)]), default_params).applicable == false
}

test_missing_parameter_fails_closed if {
	d := result(orders, quality([]), {}).deny
	only(d).msg == "GOV-PII-003 parameter ignored_kinds is not set (data.governance.params)"
}

test_share_is_shown_rounded_to_one_decimal if {
	v := only(deny_of(quality([email_in("notes", 0.0049)])))
	contains(v.msg, "(0.5% of sampled non-null values)")
}

test_detection_with_only_ignored_kinds_passes_but_other_columns_fail if {
	pars := {"GOV-PII-003": {"ignored_kinds": ["person_name"]}}
	q := quality([{"column": "notes", "kinds": ["person_name"], "share": 0.9}, email_in("extra", 0.5)])
	only(result(orders, q, pars).deny).subject == "extra"
}

test_quality_without_detections_passes if {
	r := result(orders, {"sample": "s.csv", "rows_sampled": 3}, default_params)
	r.deny == set()
	r.applicable == true
}

test_null_parameter_fails_closed if {
	d := result(orders, quality([]), {"GOV-PII-003": {"ignored_kinds": null}}).deny
	only(d).msg == "GOV-PII-003 parameter ignored_kinds is not set (data.governance.params)"
}
