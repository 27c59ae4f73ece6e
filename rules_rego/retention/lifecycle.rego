# GOV-RET-002: storage lifecycle expiration exists and does not outlive the declared retention.
#
# Checked on resources whose type is in the resource_types parameter (object storage and
# datasets whose lifecycle/default expiration the collectors map to lifecycle.expiration_days).
# Not applicable to a product without such resources (GOV-BAK-001 reports a product with no
# storage at all). Fails closed: a missing expiration is a violation. Expiring earlier than the
# declared retention is a warning (data the contract promises is deleted early); a product that
# declares no retention gets a warning per resource here and its failure from GOV-RET-001.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.retention.lifecycle

import rego.v1

default params := {}

params := data.governance.params["GOV-RET-002"]

targets := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.type in params.resource_types
]

default applicable := false

applicable if {
	input.product != null
	count(targets) > 0
}

retention := input.product.retention_days if is_number(input.product.retention_days)

expiration(r) := r.lifecycle.expiration_days if is_number(r.lifecycle.expiration_days)

expiration_or_null(r) := expiration(r) if {
	is_number(expiration(r))
} else := null

num(n) := sprintf("%v", [n])

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

evidence(r) := {
	"type": r.type,
	"expiration_days": expiration_or_null(r),
	"retention_days": object.get(input.product, "retention_days", null),
}

expected_text := concat("", ["expected expiration after at most the declared retention of ", num(retention), " days"]) if {
	retention
} else := "expected an expiration matching the declared retention"

deny_1 := [{
	"msg": concat("", [describe(r), " has no lifecycle expiration, so data is kept indefinitely; ", expected_text]),
	"subject": r.address,
	"evidence": evidence(r),
} |
	applicable
	some i in targets
	r := input.resources[i]
	not expiration(r)
]

deny_2 := [{
	"msg": concat("", [
		describe(r), " expires data after ", num(expiration(r)), " days, longer than the declared retention of ",
		num(retention), " days",
	]),
	"subject": r.address,
	"evidence": evidence(r),
} |
	applicable
	some i in targets
	r := input.resources[i]
	expiration(r) > retention
]

warn_1 := [{
	"msg": concat("", [
		describe(r), " expires data after ", num(expiration(r)), " days, before the declared retention of ",
		num(retention), " days ends",
	]),
	"subject": r.address,
	"evidence": evidence(r),
} |
	applicable
	some i in targets
	r := input.resources[i]
	expiration(r) < retention
]

warn_2 := [{
	"msg": concat("", [
		describe(r), " expires data after ", num(expiration(r)),
		" days; not compared with a retention because the product declares none (see GOV-RET-001)",
	]),
	"subject": r.address,
	"evidence": evidence(r),
} |
	applicable
	not retention
	some i in targets
	r := input.resources[i]
	expiration(r)
]

deny_3 := [{"msg": concat("", ["GOV-RET-002 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["resource_types"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list

# Every warn member as one array, for the engine (docs: policies/README.md, deny_list).
warn_list := array.concat(warn_1, warn_2)

warn contains v if some v in warn_list
