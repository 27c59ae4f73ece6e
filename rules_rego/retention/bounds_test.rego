# Tests for GOV-RET-001. Mocks are bound to locals named unlike the input keys they replace.
package governance.retention.bounds_test

import rego.v1

import data.governance.retention.bounds

mock_config := {"retention": {
	"default": {"min_days": 30, "max_days": 365},
	"by_classification": {"Restricted": {"min_days": 90, "max_days": 730}},
}}

base := {"id": "orders", "name": "orders", "classification": "internal", "retention_days": 180}

ret_result(prod, cfg) := {"deny": d, "applicable": a} if {
	d := bounds.deny with input.product as prod with data.governance.config as cfg
	a := bounds.applicable with input.product as prod with data.governance.config as cfg
}

ret_deny(prod) := ret_result(prod, c).deny if {
	c := mock_config
}

ret_only(d) := v if {
	count(d) == 1
	some v in d
}

test_within_default_bounds_passes if {
	p := base
	ret_deny(p) == set()
}

test_bounds_are_inclusive if {
	low := object.union(base, {"retention_days": 30})
	high := object.union(base, {"retention_days": 365})
	ret_deny(low) == set()
	ret_deny(high) == set()
}

test_above_default_maximum_fails if {
	p := object.union(base, {"retention_days": 400})
	v := ret_only(ret_deny(p))
	v.msg == "retention of 400 days exceeds the maximum of 365 days for classification internal (default bounds) (allowed 30-365 days)"
	v.field == "retention_days"
	v.evidence.max_days == 365
}

test_below_minimum_fails if {
	p := object.union(base, {"retention_days": 7})
	v := ret_only(ret_deny(p))
	v.msg == "retention of 7 days is below the minimum of 30 days for classification internal (default bounds) (allowed 30-365 days)"
}

test_missing_retention_fails if {
	p := object.union(base, {"retention_days": null})
	v := ret_only(ret_deny(p))
	v.msg == "no retention declared; expected 30-365 days for classification internal (default bounds)"
	v.field == "retention_days"
}

test_absent_retention_field_fails if {
	p := {"id": "orders", "name": "orders"}
	v := ret_only(ret_deny(p))
	v.msg == "no retention declared; expected 30-365 days for unclassified products (default bounds)"
}

test_classification_override_matches_case_insensitively if {
	p := object.union(base, {"classification": "RESTRICTED", "retention_days": 700})
	ret_deny(p) == set()
}

test_classification_override_minimum_fires if {
	p := object.union(base, {"classification": "restricted", "retention_days": 60})
	v := ret_only(ret_deny(p))
	v.msg == "retention of 60 days is below the minimum of 90 days for classification restricted (allowed 90-730 days)"
}

test_no_classification_uses_default_bounds if {
	p := object.union(base, {"classification": null, "retention_days": 700})
	v := ret_only(ret_deny(p))
	contains(v.msg, "for unclassified products (default bounds)")
}

test_missing_bounds_configuration_fails_closed if {
	p := base
	v := ret_only(ret_result(p, {}).deny)
	v.msg == "no retention bounds configured (data.governance.config.retention); cannot check retention"
}

test_unowned_bundle_is_not_applicable if {
	r := ret_result(null, {})
	r.deny == set()
	r.applicable == false
}

test_missing_default_bounds_fails_closed if {
	p := base
	cfg := {"retention": {"by_classification": {}}}
	v := ret_only(ret_result(p, cfg).deny)
	v.msg == "no retention bounds configured (data.governance.config.retention); cannot check retention"
}

test_null_default_bounds_fail_closed if {
	p := base
	cfg := {"retention": {"default": null, "by_classification": {}}}
	v := ret_only(ret_result(p, cfg).deny)
	v.msg == "no retention bounds configured (data.governance.config.retention); cannot check retention"
}

test_null_max_days_fails_closed if {
	p := base
	cfg := {"retention": {"default": {"min_days": 30, "max_days": null}}}
	v := ret_only(ret_result(p, cfg).deny)
	v.msg == "no retention bounds configured (data.governance.config.retention); cannot check retention"
}

test_null_min_days_fails_closed if {
	p := object.union(base, {"retention_days": 10})
	cfg := {"retention": {"default": {"min_days": null, "max_days": 365}}}
	v := ret_only(ret_result(p, cfg).deny)
	v.msg == "no retention bounds configured (data.governance.config.retention); cannot check retention"
}

test_classification_bounds_cover_a_missing_default if {
	p := object.union(base, {"classification": "restricted", "retention_days": 365})
	cfg := {"retention": {"by_classification": {"restricted": {"min_days": 90, "max_days": 730}}}}
	ret_result(p, cfg).deny == set()
}

test_whole_input_mock_above_classification_maximum_fails if {
	bundle := {"product": object.union(base, {"classification": "Restricted", "retention_days": 800}), "resources": []}
	findings := bounds.deny with input as bundle with data.governance.config as mock_config
	v := ret_only(findings)
	v.msg == "retention of 800 days exceeds the maximum of 730 days for classification restricted (allowed 90-730 days)"
	v.evidence == {"retention_days": 800, "classification": "Restricted", "min_days": 90, "max_days": 730}
}
