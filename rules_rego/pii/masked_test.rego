# Tests for GOV-PII-002.
package governance.pii.masked_test

import rego.v1

import data.governance.pii.masked

mock_config := {
	"production_environments": ["prod", "production"],
	"pii_classifications": ["pii", "sensitive", "restricted", "confidential"],
}

default_params := {"GOV-PII-002": {"excluded_products": []}}

mask_col(name, pii, m) := {"name": name, "pii": pii, "masked": m, "tags": [], "classification": null}

dev_product := {
	"id": "customer-profile",
	"name": "customer-profile",
	"environment": "dev",
	"classification": "internal",
	"pii": true,
	"columns": [mask_col("email", true, true), mask_col("segment", false, null)],
}

mask_result(prod, pars) := {"deny": d, "applicable": a} if {
	bundle := {"product": prod, "resources": []}
	d := masked.deny with input as bundle with data.governance.config as mock_config
		with data.governance.params as pars
	a := masked.applicable with input as bundle with data.governance.config as mock_config
		with data.governance.params as pars
}

mask_deny(prod) := mask_result(prod, default_params).deny

mask_only(d) := v if {
	count(d) == 1
	some v in d
}

mask_with_columns(cols) := object.union(dev_product, {"columns": cols})

test_masked_pii_columns_pass if {
	mask_deny(dev_product) == set()
}

test_unmasked_pii_column_fails if {
	p := mask_with_columns([mask_col("email", true, false), mask_col("segment", false, false)])
	v := mask_only(mask_deny(p))
	v.msg == "column email is PII but not masked (masked: false) in non-production environment dev; expected masked: true"
	v.subject == "email"
	v.field == "columns.email"
}

test_undeclared_masking_fails if {
	p := mask_with_columns([{"name": "phone", "pii": true}])
	v := mask_only(mask_deny(p))
	v.msg == "column phone is PII but not masked (masked: not declared) in non-production environment dev; expected masked: true"
}

test_pii_tag_without_flag_fails if {
	p := mask_with_columns([{"name": "phone", "pii": false, "masked": null, "tags": ["PII"]}])
	count(mask_deny(p)) == 1
}

test_each_unmasked_column_is_one_finding if {
	p := mask_with_columns([mask_col("email", true, false), mask_col("phone", true, null), mask_col("name", true, true)])
	d := mask_deny(p)
	{v.subject | some v in d} == {"email", "phone"}
}

test_production_is_not_applicable if {
	p := object.union(mask_with_columns([mask_col("email", true, false)]), {"environment": "Production"})
	r := mask_result(p, default_params)
	r.deny == set()
	r.applicable == false
}

test_missing_environment_counts_as_non_production if {
	p := object.union(mask_with_columns([mask_col("email", true, false)]), {"environment": null})
	v := mask_only(mask_deny(p))
	contains(v.msg, "in non-production environment <not declared> (treated as non-production)")
}

test_excluded_product_is_not_applicable if {
	p := mask_with_columns([mask_col("email", true, false)])
	r := mask_result(p, {"GOV-PII-002": {"excluded_products": ["Customer-Profile"]}})
	r.deny == set()
	r.applicable == false
}

test_non_pii_product_is_not_applicable if {
	p := object.union(mask_with_columns([mask_col("segment", false, false)]), {"pii": false})
	mask_result(p, default_params).applicable == false
}

test_pii_grade_product_without_columns_fails if {
	p := object.union(dev_product, {"columns": [], "pii": false, "classification": "Restricted"})
	v := mask_only(mask_deny(p))
	v.msg == "product customer-profile is PII-grade but declares no columns; masking in non-production environment dev cannot be verified"
}

test_unowned_bundle_is_not_applicable if {
	r := mask_result(null, default_params)
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	v := mask_only(mask_result(dev_product, {}).deny)
	v.msg == "GOV-PII-002 parameter excluded_products is not set (data.governance.params)"
}

test_absent_environment_counts_as_non_production if {
	p := object.remove(mask_with_columns([mask_col("email", true, false)]), ["environment"])
	v := mask_only(mask_deny(p))
	v.evidence.environment == null
	contains(v.msg, "in non-production environment <not declared> (treated as non-production)")
}

test_production_environment_compares_trimmed_and_case_insensitively if {
	p := object.union(mask_with_columns([mask_col("email", true, false)]), {"environment": " PROD "})
	mask_result(p, default_params).applicable == false
}

test_excluded_product_matches_by_id if {
	p := object.union(mask_with_columns([mask_col("email", true, false)]), {"name": "Customer Profile"})
	mask_result(p, {"GOV-PII-002": {"excluded_products": ["customer-profile"]}}).applicable == false
}

test_other_masked_value_counts_as_not_declared if {
	p := mask_with_columns([mask_col("email", true, "yes")])
	contains(mask_only(mask_deny(p)).msg, "(masked: not declared)")
}

test_null_parameter_fails_closed if {
	v := mask_only(mask_result(dev_product, {"GOV-PII-002": {"excluded_products": null}}).deny)
	v.msg == "GOV-PII-002 parameter excluded_products is not set (data.governance.params)"
}
