# GOV-RET-001: retention is declared and within the bounds for the product's classification.
#
# Bounds come from data.governance.config.retention: by_classification[<classification>] when a key
# matches the classification case-insensitively, else retention.default. A product without a
# classification gets the default bounds (the message says so). Fails closed: no retention_days
# (null or missing) is a violation.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.retention.bounds

import rego.v1

default applicable := false

applicable if input.product != null

classification := lower(trim_space(input.product.classification)) if {
	is_string(input.product.classification)
	trim_space(input.product.classification) != ""
} else := ""

by_classification := object.get(data.governance.config.retention, "by_classification", {})

# Keys may be written in any case in governance.yaml; object.keys avoids a two-variable
# comprehension (a parse error on regopy).
matching_bounds := [by_classification[k] | some k in object.keys(by_classification); lower(k) == classification]

bounds := matching_bounds[0] if {
	classification != ""
	count(matching_bounds) > 0
} else := data.governance.config.retention.default

bounds_source := concat("", ["classification ", classification]) if {
	classification != ""
	count(matching_bounds) > 0
} else := concat("", ["classification ", classification, " (default bounds)"]) if {
	classification != ""
} else := "unclassified products (default bounds)"

retention := input.product.retention_days if is_number(input.product.retention_days)

num(n) := sprintf("%v", [n])

range_text := concat("", [num(bounds.min_days), "-", num(bounds.max_days), " days"])

evidence := {
	"retention_days": object.get(input.product, "retention_days", null),
	"classification": object.get(input.product, "classification", null),
	"min_days": bounds.min_days,
	"max_days": bounds.max_days,
} if {
	applicable
}

deny_1 := [{
	"msg": concat("", ["no retention declared; expected ", range_text, " for ", bounds_source]),
	"field": "retention_days",
	"evidence": evidence,
} |
	applicable
	not retention
]

deny_2 := [{
	"msg": concat("", [
		"retention of ", num(retention), " days exceeds the maximum of ", num(bounds.max_days),
		" days for ", bounds_source, " (allowed ", range_text, ")",
	]),
	"field": "retention_days",
	"evidence": evidence,
} |
	applicable
	retention > bounds.max_days
]

deny_3 := [{
	"msg": concat("", [
		"retention of ", num(retention), " days is below the minimum of ", num(bounds.min_days),
		" days for ", bounds_source, " (allowed ", range_text, ")",
	]),
	"field": "retention_days",
	"evidence": evidence,
} |
	applicable
	retention < bounds.min_days
]

deny_4 := [{"msg": "no retention bounds configured (data.governance.config.retention); cannot check retention"} |
	applicable
	not has_bounds
]

# Positive on purpose: OPA reads `not is_number(bounds.max_days)` as undefined (not true) when
# bounds or max_days is missing, which would let a missing configuration pass.
has_bounds if is_number(bounds.max_days)

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(array.concat(deny_1, deny_2), deny_3), deny_4)

deny contains v if some v in deny_list
