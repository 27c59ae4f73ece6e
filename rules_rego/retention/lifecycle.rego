# GOV-RET-002: storage lifecycle expiration exists and does not outlive the declared retention.
#
# Checked on resources whose type is in the resource_types parameter (object storage and
# datasets whose lifecycle/default expiration the collectors map to lifecycle.expiration_days).
# Not applicable to a product without such resources (GOV-BAK-001 reports a product with no
# storage at all). Fails closed: a missing expiration is a violation, and a product whose
# resource_types parameter is missing or null applies, so that the parameter finding is reported
# instead of a silent pass. Expiring earlier than the declared retention is a warning (data the
# contract promises is deleted early); a product that declares no retention gets a warning per
# resource here and its failure from GOV-RET-001.
package governance.retention.lifecycle

import rego.v1

default params := {}

params := data.governance.params["GOV-RET-002"]

# A set, so that checking a resource's type is one lookup.
types := {t | some t in params.resource_types}

# Positive on purpose: `not params.resource_types != null` would be undefined, not true, when the
# parameter is missing.
has_types if params.resource_types != null

has_targets if {
	some r in input.resources
	types[r.type]
}

default applicable := false

applicable if {
	input.product != null
	has_targets
}

applicable if {
	input.product != null
	not has_types
}

retention := input.product.retention_days if is_number(input.product.retention_days)

has_retention if is_number(retention)

# Positive on purpose: `not is_number(r.lifecycle.expiration_days)` is undefined, not true, when
# lifecycle is null or missing, which would let storage without any expiration pass.
has_expiration(r) if is_number(r.lifecycle.expiration_days)

# Positions of the resources whose expiration equals the declared retention: the common passing
# case, settled in one pass (such a resource has an expiration, and it is neither longer nor
# shorter than the retention).
matching := {i |
	limit := retention
	some i, r in input.resources
	r.lifecycle.expiration_days == limit
}

# The targets that may produce a finding: every other resource of a checked type. The rule values
# are bound to locals first: a local lookup per resource is cheaper than a rule reference.
unsettled := [r |
	settled := matching
	checked := types
	some i, r in input.resources
	not settled[i]
	checked[r.type]
]

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

evidence(r) := {
	"type": r.type,
	"expiration_days": expiration_or_null(r),
	"retention_days": object.get(input.product, "retention_days", null),
}

expiration_or_null(r) := r.lifecycle.expiration_days if has_expiration(r) else := null

expected_text := sprintf("expected expiration after at most the declared retention of %v days", [retention]) if {
	has_retention
} else := "expected an expiration matching the declared retention"

deny contains {
	"msg": sprintf("%s has no lifecycle expiration, so data is kept indefinitely; %s", [describe(r), expected_text]),
	"subject": r.address,
	"evidence": evidence(r),
} if {
	applicable
	some r in unsettled
	not has_expiration(r)
}

deny contains {
	"msg": sprintf("%s expires data after %v days, longer than the declared retention of %v days", [describe(r), days, retention]),
	"subject": r.address,
	"evidence": evidence(r),
} if {
	applicable
	limit := retention
	some r in unsettled
	days := r.lifecycle.expiration_days
	days > limit
	is_number(days)
}

warn contains {
	"msg": sprintf("%s expires data after %v days, before the declared retention of %v days ends", [describe(r), days, retention]),
	"subject": r.address,
	"evidence": evidence(r),
} if {
	applicable
	limit := retention
	some r in unsettled
	days := r.lifecycle.expiration_days
	days < limit
	is_number(days)
}

warn contains {
	"msg": sprintf("%s expires data after %v days; not compared with a retention because the product declares none (see GOV-RET-001)", [describe(r), days]),
	"subject": r.address,
	"evidence": evidence(r),
} if {
	applicable
	not has_retention
	some r in unsettled
	days := r.lifecycle.expiration_days
	is_number(days)
}

# Missing or null (`resource_types:` left empty in governance.yaml): the check cannot run.
deny contains {"msg": "GOV-RET-002 parameter resource_types is not set (data.governance.params)"} if {
	not has_types
}
