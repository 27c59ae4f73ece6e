# GOV-RET-003: a retention the catalog states agrees with the retention the contract declares.
#
# Catalog properties (custom or structured) whose key is listed in the retention_properties
# parameter are read with the unit given there: days (a number, "90", "90d", "90 days", "12w",
# "1y", "6 months", "P90D", "P1Y"; a month is 30 days, a year 365), hours, or ms (Kafka's
# retention.ms; -1 means unlimited). Keys compare ignoring case and '.', '_', '-' and spaces, on the
# whole key or on its last dotted segment (io.acryl.privacy.retentionTime -> retentionTime).
# Fails when a value cannot be read, when the contract declares no retention_days although the
# catalog states one, or when the two differ by more than tolerance_days. No retention property
# in the catalog passes: there is nothing to disagree with (GOV-RET-001 requires the declaration).
package governance.catalog.retention

import rego.v1

import data.governance.catalog.lib

default params := {}

params := data.governance.params["GOV-RET-003"]

default applicable := false

applicable if {
	is_string(input.product.id)
	lib.enabled
}

units := {lib.norm(k): params.retention_properties[k] | some k in object.keys(params.retention_properties)}

last_segment(k) := parts[count(parts) - 1] if {
	parts := split(k, ".")
}

unit_of(k) := units[lib.norm(k)]

unit_of(k) := units[lib.norm(last_segment(k))] if not units[lib.norm(k)]

# (dataset, key, value, unit) for every retention-like property.
stated := [{"dataset": d.urn, "key": k, "value": d.properties[k], "unit": unit_of(k)} |
	some d in lib.datasets
	some k in object.keys(d.properties)
	unit_of(k)
]

day_units := {
	"d": 1, "day": 1, "days": 1, "w": 7, "week": 7, "weeks": 7, "mo": 30, "month": 30,
	"months": 30, "y": 365, "yr": 365, "year": 365, "years": 365,
}

iso_units := {"D": 1, "W": 7, "M": 30, "Y": 365}

number(v) := v if is_number(v)

number(v) := to_number(trim_space(v)) if {
	is_string(v)
	regex.match(`^\s*-?[0-9]+(\.[0-9]+)?\s*$`, v)
}

# Days stated by a value in a unit; "unlimited" for a negative ms value; undefined if unreadable.
days(v, "days") := number(v)

days(v, "days") := to_number(m[1]) * day_units[lower(m[2])] if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$`, v, 1)[0]
}

days(v, "days") := to_number(m[1]) * iso_units[m[2]] if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^P([0-9]+)([DWMY])$`, upper(trim_space(v)), 1)[0]
}

days(v, "hours") := number(v) / 24 if number(v) >= 0

days(v, "ms") := number(v) / 86400000 if number(v) >= 0

days(v, "ms") := "unlimited" if number(v) < 0

declared := input.product.retention_days if is_number(input.product.retention_days)

tolerance := params.tolerance_days

shown(n) := "unlimited" if n == "unlimited"

shown(n) := concat("", [sprintf("%v", [n]), " days"]) if is_number(n)

differs(n) if n == "unlimited"

differs(n) if {
	is_number(n)
	abs(n - declared) > tolerance
}

where(s) := concat("", ["property ", s.key, " = ", lib.text(s.value), " on catalog dataset ", s.dataset])

# One finding per dataset property: two retention properties on one dataset are two facts.
subject(s) := concat("#", [s.dataset, s.key])

evidence(s) := {"dataset": s.dataset, "property": s.key, "value": s.value, "unit": s.unit, "declared_days": object.get(input.product, "retention_days", null)}

deny_1 := [{
	"msg": concat("", [where(s), " cannot be read as a retention in ", s.unit]),
	"subject": subject(s),
	"field": "retention_days",
	"evidence": evidence(s),
} |
	some s in stated
	not days(s.value, s.unit)
]

deny_2 := [{
	"msg": concat("", [where(s), " states ", shown(n), " but the contract declares no retention_days"]),
	"subject": subject(s),
	"field": "retention_days",
	"evidence": object.union(evidence(s), {"catalog_days": n}),
} |
	some s in stated
	n := days(s.value, s.unit)
	not declared
]

deny_3 := [{
	"msg": concat("", [
		"declared retention of ", sprintf("%v", [declared]), " days disagrees with ", where(s),
		" (", shown(n), ")",
	]),
	"subject": subject(s),
	"field": "retention_days",
	"evidence": object.union(evidence(s), {"catalog_days": n}),
} |
	some s in stated
	n := days(s.value, s.unit)
	declared
	differs(n)
]

deny_4 := [{"msg": concat("", ["GOV-RET-003 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["retention_properties", "tolerance_days"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(array.concat(deny_1, deny_2), deny_3), deny_4)

deny contains v if some v in deny_list
