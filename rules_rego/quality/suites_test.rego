# Tests for GOV-DQ-001.
package governance.quality.suites_test

import rego.v1

import data.governance.quality.suites

default_params := {"GOV-DQ-001": {"min_score": 1.0, "require_sample": false}}

product(q) := {"id": "shipments", "name": "shipments", "columns": [], "quality": q}

declaring := product({"suites": ["shipments_quality"], "min_score": null, "sample": null, "pipeline": null})

expectation(type, column, ok) := {
	"type": type, "column": column, "success": ok,
	"element_count": 10, "unexpected_count": 0, "unexpected_percent": 0.0,
}

passing_suite := {
	"suite": "shipments_quality", "file": "examples/samples/shipments_quality.json",
	"success": true, "score": 1.0,
	"expectations": [expectation("expect_column_values_to_not_be_null", "shipment_id", true)],
}

failing_suite := {
	"suite": "shipments_quality", "file": "examples/samples/shipments_quality.json",
	"success": false, "score": 0.75,
	"expectations": [
		expectation("expect_column_values_to_not_be_null", "shipment_id", true),
		expectation("expect_column_values_to_be_unique", "shipment_id", true),
		expectation("expect_table_row_count_to_be_between", null, true),
		object.union(expectation("expect_column_values_to_be_in_set", "destination_city", false), {"unexpected_count": 3, "unexpected_percent": 30.0}),
	],
}

evidence(results) := {"sample": "examples/samples/shipments.csv", "rows_sampled": 10, "suites": results, "pii_detected": []}

result(prod, q, pars) := {"deny": d, "warn": w, "applicable": a} if {
	bundle := {"product": prod, "quality": q}
	d := suites.deny with input as bundle with data.governance.params as pars
	w := suites.warn with input as bundle with data.governance.params as pars
	a := suites.applicable with input as bundle with data.governance.params as pars
}

run(q) := result(declaring, q, default_params)

only(s) := v if {
	count(s) == 1
	some v in s
}

test_passing_suite_passes if {
	r := run(evidence([passing_suite]))
	r.deny == set()
	r.warn == set()
	r.applicable == true
}

test_failing_suite_fails_with_counts if {
	v := only(run(evidence([failing_suite])).deny)
	v.msg == "suite shipments_quality failed on the sample: 3 of 4 expectations passed (score 0.75, required 1 by the GOV-DQ-001 min_score parameter); failing: expect_column_values_to_be_in_set"
	v.subject == "shipments_quality"
	v.field == "quality"
	v.evidence.failed_expectations == [{
		"type": "expect_column_values_to_be_in_set", "column": "destination_city",
		"element_count": 10, "unexpected_count": 3, "unexpected_percent": 30.0,
	}]
}

test_product_min_score_lets_a_suite_pass_with_a_warning if {
	p := product({"suites": ["shipments_quality"], "min_score": 0.7, "sample": null, "pipeline": null})
	r := result(p, evidence([failing_suite]), default_params)
	r.deny == set()
	only(r.warn).msg == "suite shipments_quality passes on score only: 3 of 4 expectations passed (score 0.75 >= 0.7); failing: expect_column_values_to_be_in_set"
}

test_product_min_score_above_the_score_fails if {
	p := product({"suites": ["shipments_quality"], "min_score": 0.95, "sample": null, "pipeline": null})
	v := only(result(p, evidence([failing_suite]), default_params).deny)
	v.evidence.min_score == 0.95
	contains(v.msg, "required 0.95 by the product's quality.min_score")
}

test_parameter_min_score_applies_without_a_product_value if {
	pars := {"GOV-DQ-001": {"min_score": 0.5, "require_sample": false}}
	r := result(declaring, evidence([failing_suite]), pars)
	r.deny == set()
	count(r.warn) == 1
}

test_each_failing_suite_is_one_violation if {
	other := object.union(failing_suite, {"suite": "defaults"})
	d := run(evidence([failing_suite, other, passing_suite])).deny
	{v.subject | some v in d} == {"shipments_quality", "defaults"}
}

test_declared_suites_without_sample_warn if {
	r := run(null)
	r.deny == set()
	only(r.warn).msg == "product declares quality suites (shipments_quality) but no sample data was found to run them: declare quality.sample or pass --samples DIR"
	r.applicable == true
}

test_declared_suites_without_sample_fail_when_required if {
	pars := {"GOV-DQ-001": {"min_score": 1.0, "require_sample": true}}
	r := result(declaring, null, pars)
	contains(only(r.deny).msg, "no sample data was found")
	r.warn == set()
}

test_product_without_suites_or_results_not_applicable if {
	result(product(null), evidence([]), default_params).applicable == false
}

test_default_suite_results_make_it_applicable if {
	r := result(product(null), evidence([failing_suite]), default_params)
	r.applicable == true
	count(r.deny) == 1
}

test_unowned_bundle_not_applicable if {
	result(null, evidence([failing_suite]), default_params).applicable == false
}

test_missing_parameter_fails_closed if {
	d := result(declaring, evidence([passing_suite]), {}).deny
	{v.msg | some v in d} == {
		"GOV-DQ-001 parameter min_score is not set (data.governance.params)",
		"GOV-DQ-001 parameter require_sample is not set (data.governance.params)",
	}
}

test_bundle_without_quality_key_warns_for_declared_suites if {
	r := suites.warn with input as {"product": declaring} with data.governance.params as default_params
	contains(only(r).msg, "no sample data was found to run them")
}

test_null_min_score_parameter_fails_closed if {
	pars := {"GOV-DQ-001": {"min_score": null, "require_sample": false}}
	r := result(declaring, evidence([failing_suite]), pars)
	only(r.deny).msg == "GOV-DQ-001 parameter min_score is not set (data.governance.params)"
	r.warn == set()
}

test_null_require_sample_parameter_fails_closed if {
	pars := {"GOV-DQ-001": {"min_score": 1.0, "require_sample": null}}
	r := result(declaring, null, pars)
	only(r.deny).msg == "GOV-DQ-001 parameter require_sample is not set (data.governance.params)"
	r.warn == set()
}

test_product_min_score_needs_no_parameter if {
	p := product({"suites": ["shipments_quality"], "min_score": 0.5, "sample": null, "pipeline": null})
	r := result(p, evidence([failing_suite]), {"GOV-DQ-001": {"min_score": null, "require_sample": false}})
	count(r.warn) == 1
}
