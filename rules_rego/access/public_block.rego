# GOV-ACC-002: buckets block public access on all four S3 public-access-block flags.
#
# Checked on resources whose type is in the resource_types parameter, in product bundles and in
# the unowned bundle (a public bucket nobody owns is the worst case). The collector sets
# public_access_blocked true only when block_public_acls, block_public_policy,
# ignore_public_acls and restrict_public_buckets are all true. Fails closed: null (no public
# access block, or unknown) counts as not blocked.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.access.public_block

import rego.v1

default params := {}

params := data.governance.params["GOV-ACC-002"]

buckets := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.type in params.resource_types
]

default applicable := false

applicable if count(buckets) > 0

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

state(r) := "does not set all four public access block flags" if {
	r.public_access_blocked == false
} else := "has no public access block"

deny_1 := [{
	"msg": concat("", [
		describe(r), " ", state(r), "; expected block_public_acls, block_public_policy, ",
		"ignore_public_acls and restrict_public_buckets all true",
	]),
	"subject": r.address,
	"evidence": {"type": r.type, "public_access_blocked": object.get(r, "public_access_blocked", null)},
} |
	some i in buckets
	r := input.resources[i]
	not r.public_access_blocked == true
]

deny_2 := [{"msg": concat("", ["GOV-ACC-002 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["resource_types"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(deny_1, deny_2)

deny contains v if some v in deny_list
