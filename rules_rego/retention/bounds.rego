# GOV-RET-001: retention is declared and within the bounds for the product's classification.
#
# Bounds come from data.governance.config.retention: by_classification[<classification>] when a key
# matches the classification case-insensitively, else retention.default. A product without a
# classification gets the default bounds (the message says so). Fails closed: no retention_days
# (null or missing) is a violation, and so is a configuration without numeric bounds (then that is
# the only finding: there is nothing to compare the retention with).
package governance.retention.bounds

import rego.v1

default applicable := false

applicable if input.product != null

classification := lower(trim_space(input.product.classification)) if {
	is_string(input.product.classification)
	trim_space(input.product.classification) != ""
} else := ""

by_classification := object.get(data.governance.config.retention, "by_classification", {})

# Keys may be written in any case in governance.yaml.
matching_bounds := [b | some k, b in by_classification; lower(k) == classification]

bounds := matching_bounds[0] if {
	classification != ""
	count(matching_bounds) > 0
} else := data.governance.config.retention.default

bounds_source := sprintf("classification %s", [classification]) if {
	classification != ""
	count(matching_bounds) > 0
} else := sprintf("classification %s (default bounds)", [classification]) if {
	classification != ""
} else := "unclassified products (default bounds)"

retention := input.product.retention_days if is_number(input.product.retention_days)

# Positive on purpose: `not is_number(input.product.retention_days)` is undefined, not true, when
# the field is missing, and `not is_number(bounds.max_days)` likewise when bounds is missing.
has_retention if is_number(retention)

# Both bounds, as numbers: a null bound would compare below every number (OPA orders null first),
# so a null min_days would let any retention pass and a null max_days fail every one.
has_bounds if {
	is_number(bounds.min_days)
	is_number(bounds.max_days)
}

range_text := sprintf("%v-%v days", [bounds.min_days, bounds.max_days])

evidence := {
	"retention_days": object.get(input.product, "retention_days", null),
	"classification": object.get(input.product, "classification", null),
	"min_days": bounds.min_days,
	"max_days": bounds.max_days,
}

deny contains {
	"msg": sprintf("no retention declared; expected %s for %s", [range_text, bounds_source]),
	"field": "retention_days",
	"evidence": evidence,
} if {
	applicable
	has_bounds
	not has_retention
}

deny contains {
	"msg": sprintf("retention of %v days exceeds the maximum of %v days for %s (allowed %s)", [retention, bounds.max_days, bounds_source, range_text]),
	"field": "retention_days",
	"evidence": evidence,
} if {
	applicable
	has_bounds
	retention > bounds.max_days
}

deny contains {
	"msg": sprintf("retention of %v days is below the minimum of %v days for %s (allowed %s)", [retention, bounds.min_days, bounds_source, range_text]),
	"field": "retention_days",
	"evidence": evidence,
} if {
	applicable
	has_bounds
	retention < bounds.min_days
}

deny contains {"msg": "no retention bounds configured (data.governance.config.retention); cannot check retention"} if {
	applicable
	not has_bounds
}
