# GOV-BAK-002: versioning is enabled on the product's object storage.
#
# Checked on resources whose type is in the resource_types parameter (S3 and GCS buckets). Not
# applicable to a product without such resources. Fails closed: versioning null (not configured
# or unknown at plan time) counts as not enabled, and a product whose resource_types parameter is
# missing or null applies, so that the parameter finding is reported instead of a silent pass.
package governance.backup.versioning

import rego.v1

default params := {}

params := data.governance.params["GOV-BAK-002"]

# A set, so that checking a resource's type is one lookup.
types := {t | some t in params.resource_types}

# Positive on purpose: `not params.resource_types != null` would be undefined, not true, when the
# parameter is missing.
has_types if params.resource_types != null

has_buckets if {
	some r in input.resources
	types[r.type]
}

default applicable := false

applicable if {
	input.product != null
	has_buckets
}

applicable if {
	input.product != null
	not has_types
}

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

state(r) := "disabled or suspended" if r.versioning == false else := "not configured"

deny contains {
	"msg": sprintf("%s has versioning %s; expected versioning enabled", [describe(r), state(r)]),
	"subject": r.address,
	"evidence": {"type": r.type, "versioning": object.get(r, "versioning", null)},
} if {
	applicable
	checked := types
	some r in input.resources
	not r.versioning == true
	checked[r.type]
}

# Missing or null (`resource_types:` left empty in governance.yaml): the check cannot run.
deny contains {"msg": "GOV-BAK-002 parameter resource_types is not set (data.governance.params)"} if {
	not has_types
}
