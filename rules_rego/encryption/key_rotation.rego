# GOV-ENC-002: automatic rotation is enabled on the product's KMS keys.
#
# Checked on resources whose type is in the resource_types parameter (aws_kms_key; a collector
# may map google_kms_crypto_key rotation_period to key_rotation too). Not applicable to a product
# without such keys. Fails closed: key_rotation null (not configured, or unknown) counts as off.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.encryption.key_rotation

import rego.v1

default params := {}

params := data.governance.params["GOV-ENC-002"]

keys := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.type in params.resource_types
]

default applicable := false

applicable if {
	input.product != null
	count(keys) > 0
}

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

state(r) := "disabled" if {
	r.key_rotation == false
} else := "not configured"

deny_1 := [{
	"msg": concat("", [describe(r), " has automatic key rotation ", state(r), "; expected rotation enabled"]),
	"subject": r.address,
	"evidence": {"type": r.type, "key_rotation": object.get(r, "key_rotation", null)},
} |
	applicable
	some i in keys
	r := input.resources[i]
	not r.key_rotation == true
]

deny_2 := [{"msg": concat("", ["GOV-ENC-002 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["resource_types"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(deny_1, deny_2)

deny contains v if some v in deny_list
