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

# Normalised property key -> unit. Two keys that normalise alike with different units make this
# a conflict (an evaluation error of the policy, reported as such), not a silent choice.
units := {lib.norm(k): unit |
	is_object(params.retention_properties)
	some k, unit in params.retention_properties
}

last_segment(k) := parts[count(parts) - 1] if parts := split(k, ".")

unit_of(k) := units[lib.norm(k)] if {
	lib.norm(k) in object.keys(units)
} else := units[lib.norm(last_segment(k))]

properties(d) := p if {
	p := object.get(d, "properties", {})
	is_object(p)
} else := {}

# Every retention-like property of the catalog datasets, with the unit it is read in.
stated contains {"dataset": d.urn, "key": k, "value": value, "unit": unit} if {
	some d in lib.datasets
	some k, value in properties(d)
	unit := unit_of(k)
}

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

# Days stated by a value in a unit; "unlimited" for a negative ms value; undefined if unreadable
# (a bare "m" is undefined on purpose: minutes or months?). The bodies match disjoint values.
days(v, "days") := number(v)

days(v, "days") := to_number(m[1]) * day_units[lower(m[2])] if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$`, v, 1)[0]
}

days(v, "days") := to_number(m[1]) * iso_units[m[2]] if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^P([0-9]+)([DWMY])$`, upper(trim_space(v)), 1)[0]
}

days(v, "hours") := n / 24 if {
	n := number(v)
	n >= 0
}

days(v, "ms") := n / 86400000 if {
	n := number(v)
	n >= 0
}

days(v, "ms") := "unlimited" if number(v) < 0

readable(s) if days(s.value, s.unit)

declared := input.product.retention_days if is_number(input.product.retention_days)

tolerance := params.tolerance_days if is_number(params.tolerance_days)

shown(n) := "unlimited" if n == "unlimited"

shown(n) := sprintf("%v days", [n]) if is_number(n)

differs(n) if n == "unlimited"

differs(n) if {
	is_number(n)
	abs(n - declared) > tolerance
}

where(s) := sprintf("property %s = %s on catalog dataset %s", [s.key, lib.text(s.value), s.dataset])

# One finding per dataset property: two retention properties on one dataset are two facts.
subject(s) := sprintf("%s#%s", [s.dataset, s.key])

evidence(s) := {
	"dataset": s.dataset,
	"property": s.key,
	"value": s.value,
	"unit": s.unit,
	"declared_days": object.get(input.product, "retention_days", null),
}

deny contains {
	"msg": sprintf("%s cannot be read as a retention in %v", [where(s), s.unit]),
	"subject": subject(s),
	"field": "retention_days",
	"evidence": evidence(s),
} if {
	some s in stated
	not readable(s)
}

deny contains {
	"msg": sprintf("%s states %s but the contract declares no retention_days", [where(s), shown(n)]),
	"subject": subject(s),
	"field": "retention_days",
	"evidence": object.union(evidence(s), {"catalog_days": n}),
} if {
	not declared
	some s in stated
	n := days(s.value, s.unit)
}

deny contains {
	"msg": sprintf("declared retention of %v days disagrees with %s (%s)", [declared, where(s), shown(n)]),
	"subject": subject(s),
	"field": "retention_days",
	"evidence": object.union(evidence(s), {"catalog_days": n}),
} if {
	declared
	some s in stated
	n := days(s.value, s.unit)
	differs(n)
}

deny contains e if {
	some e in lib.parameter_errors("GOV-RET-003", params, {"retention_properties": "object", "tolerance_days": "number"})
}
