# GOV-ENC-002: automatic rotation is enabled on the product's KMS keys.
#
# Checked on resources whose type is in the resource_types parameter (aws_kms_key; a collector
# may map google_kms_crypto_key rotation_period to key_rotation too). Not applicable to a product
# without such keys. Fails closed: key_rotation null (not configured, or unknown) counts as off,
# and a resource_types parameter that is missing, null or not a list is a finding of its own on
# every product bundle (with no readable list, no key could ever be checked).
package governance.encryption.key_rotation

import rego.v1

default params := {}

params := data.governance.params["GOV-ENC-002"]

# The checked types as a set: one lookup per resource instead of a scan of the list.
types := {t | some t in params.resource_types}

# The product's keys, built once per bundle and shared by applicable and deny. An array, not a
# set: a set would hash every whole resource object. The type set is bound to a local first: a
# lookup in a value is cheaper than resolving the rule once per resource.
keys := [r |
	ts := types
	some r in input.resources
	ts[r.type]
]

# `resource_types:` left empty in governance.yaml reads as null: not set either.
types_set if params.resource_types != null

types_readable if is_array(params.resource_types)

default applicable := false

applicable if {
	input.product != null
	count(keys) > 0
}

# A broken parameter must not make the policy silently not applicable.
applicable if {
	input.product != null
	not types_readable
}

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

state(rotation) := "disabled" if rotation == false else := "not configured"

deny contains {
	"msg": sprintf("%s has automatic key rotation %s; expected rotation enabled", [describe(r), state(rotation)]),
	"subject": r.address,
	"evidence": {"type": r.type, "key_rotation": rotation},
} if {
	input.product != null
	some r in keys

	# Rotating only when the collector said true: false, null and a missing flag all fail.
	rotation := object.get(r, "key_rotation", null)
	rotation != true
}

deny contains {"msg": "GOV-ENC-002 parameter resource_types is not set (data.governance.params)"} if not types_set

deny contains {"msg": sprintf(
	"GOV-ENC-002 parameter resource_types must be of type array, got %s (data.governance.params)",
	[type_name(params.resource_types)],
)} if {
	types_set
	not types_readable
}
