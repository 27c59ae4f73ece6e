# GOV-ACC-002: buckets block public access on all four S3 public-access-block flags.
#
# Checked on resources whose type is in the resource_types parameter, in product bundles and in
# the unowned bundle (a public bucket nobody owns is the worst case). The collector sets
# public_access_blocked true only when block_public_acls, block_public_policy,
# ignore_public_acls and restrict_public_buckets are all true. Fails closed: null (no public
# access block, or unknown) counts as not blocked, and a resource_types parameter that is
# missing, null or not a list is a finding of its own on every bundle (with no readable list, no
# bucket could ever be checked).
package governance.access.public_block

import rego.v1

default params := {}

params := data.governance.params["GOV-ACC-002"]

# The checked types as a set: one lookup per resource instead of a scan of the list.
types := {t | some t in params.resource_types}

# The bundle's buckets, built once per bundle and shared by applicable and deny. An array, not a
# set: a set would hash every whole resource object. The type set is bound to a local first: a
# lookup in a value is cheaper than resolving the rule once per resource.
buckets := [r |
	ts := types
	some r in input.resources
	ts[r.type]
]

# `resource_types:` left empty in governance.yaml reads as null: not set either.
types_set if params.resource_types != null

types_readable if is_array(params.resource_types)

default applicable := false

applicable if count(buckets) > 0

# A broken parameter must not make the policy silently not applicable.
applicable if not types_readable

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

state(flag) := "does not set all four public access block flags" if {
	flag == false
} else := "has no public access block"

deny contains {
	"msg": sprintf(
		"%s %s; expected block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets all true",
		[describe(r), state(flag)],
	),
	"subject": r.address,
	"evidence": {"type": r.type, "public_access_blocked": flag},
} if {
	some r in buckets

	# Blocked only when the collector said true: false, null and a missing flag all fail.
	flag := object.get(r, "public_access_blocked", null)
	flag != true
}

deny contains {"msg": "GOV-ACC-002 parameter resource_types is not set (data.governance.params)"} if not types_set

deny contains {"msg": sprintf(
	"GOV-ACC-002 parameter resource_types must be of type array, got %s (data.governance.params)",
	[type_name(params.resource_types)],
)} if {
	types_set
	not types_readable
}
