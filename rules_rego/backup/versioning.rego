# GOV-BAK-002: versioning is enabled on the product's object storage.
#
# Checked on resources whose type is in the resource_types parameter (S3 and GCS buckets). Not
# applicable to a product without such resources. Fails closed: versioning null (not configured
# or unknown at plan time) counts as not enabled.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.backup.versioning

import rego.v1

default params := {}

params := data.governance.params["GOV-BAK-002"]

buckets := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.type in params.resource_types
]

default applicable := false

applicable if {
	input.product != null
	count(buckets) > 0
}

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

state(r) := "disabled or suspended" if {
	r.versioning == false
} else := "not configured"

deny_1 := [{
	"msg": concat("", [describe(r), " has versioning ", state(r), "; expected versioning enabled"]),
	"subject": r.address,
	"evidence": {"type": r.type, "versioning": object.get(r, "versioning", null)},
} |
	applicable
	some i in buckets
	r := input.resources[i]
	not r.versioning == true
]

deny_2 := [{"msg": concat("", ["GOV-BAK-002 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["resource_types"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(deny_1, deny_2)

deny contains v if some v in deny_list
