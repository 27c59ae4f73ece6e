# GOV-TAG-001: required tags are present; every data-bearing resource belongs to a data product.
#
# Product bundles: every linked resource (except types in the exempt_types parameter) carries
# each tag in data.governance.config.required_tags with a non-empty value. Keys compare the way
# linking compares them (case-insensitive; '_', '-', '.' and spaces ignored), so GCP's lowercase
# label "data_product" satisfies "DataProduct", and any accepted spelling of the linking tags
# (config.tag_keys.product / .domain) satisfies the product / domain tag.
# Unowned bundle: every data-bearing resource is a violation ("not claimed by any data product"),
# with the tags it lacks. Non-data-bearing unowned resources are out of scope.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.tags.required

import rego.v1

default params := {}

params := data.governance.params["GOV-TAG-001"]

unowned if object.get(input, "product", null) == null

default applicable := false

applicable if {
	not unowned
	count(checked) > 0
}

applicable if {
	unowned
	count(unclaimed) > 0
}

# Indices into input.resources, not the resources: regopy copies every object put into a new
# collection (~20-50 us per resource), while binding rs[i] to a name does not copy.
checked := [i |
	rs := input.resources
	exempt := params.exempt_types
	some i
	r := rs[i]
	not r.type in exempt
]

unclaimed := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.data_bearing == true
]

# -------------------------------------------------------------------------------- tag matching

norm(k) := lower(regex.replace(k, `[\s_.-]+`, ""))

product_keys := {norm(k) | some k in data.governance.config.tag_keys.product}

domain_keys := {norm(k) | some k in data.governance.config.tag_keys.domain}

# The normalised keys that satisfy a required tag: its own spelling, plus every accepted spelling
# of the linking tags when it is one of them.
accepted(t) := product_keys | {norm(t)} if {
	norm(t) in product_keys
} else := domain_keys | {norm(t)} if {
	norm(t) in domain_keys
} else := {norm(t)}

tags(r) := r.tags if {
	is_object(r.tags)
} else := {}

# Each required tag with the keys that satisfy it, computed once per evaluation. Per resource the
# keys are normalised once too: regex.replace per tag and required tag made a chunk of 250
# unowned resources cost seconds on regopy.
required := [{"tag": t, "keys": accepted(t)} | some t in data.governance.config.required_tags]

# Normalised keys of r's tags, {key: normalised key}: precomputed by the embedded engine
# (normalised_tag_keys, docs: policies/README.md), else computed here (other engines, hand-built
# inputs). Saves a regex.replace per tag per resource.
key_norms(r) := r.normalised_tag_keys if {
	is_object(r.normalised_tag_keys)
} else := {k: norm(k) | some k in object.keys(tags(r))}

# The normalised keys of r's tags that hold a non-blank string, as a set: precomputed by the
# embedded engine (filled_tag_keys, docs: policies/README.md), else computed here. The head is
# bound last: regopy 1.5.2 returned [] for `[n[k] | some k ...]` on the first call in a query.
present_keys(r) := {k | some k in r.filled_tag_keys} if {
	is_array(r.filled_tag_keys)
} else := {nk |
	t := tags(r)
	n := key_norms(r)
	some k in object.keys(t)
	v := t[k]
	is_string(v)
	trim_space(v) != ""
	nk := n[k]
}

# The required tags' own spellings: a resource carrying all of them misses nothing. Most
# resources take this path (one set difference); the others check each required tag's accepted
# keys against the present ones (set intersections run natively; per-key Rego loops cost ~10 us
# a step on regopy).
primary_keys := {norm(t) | some t in data.governance.config.required_tags}

missing_tags(present) := [] if {
	count(primary_keys - present) == 0
} else := [q.tag | some q in required; count(q.keys & present) == 0]

product_tag_values(t, n) := [v | some k in object.keys(t); n[k] in product_keys; v := t[k]]

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

claim_detail(values) := concat("", [" (its product tag names ", concat(", ", values), ", which matches no declared data product)"]) if {
	count(values) > 0
} else := ""

missing_detail(m) := concat("", ["; missing required tags: ", concat(", ", m)]) if {
	count(m) > 0
} else := ""

# ------------------------------------------------------------------------------------ verdicts

# Arrays, not `deny contains` sets: sets of k objects cost O(k^2) on regopy and this policy can
# report every resource of a bundle.
owned_violations := [{
	"msg": concat("", [describe(r), " is missing required tags: ", concat(", ", m)]),
	"subject": r.address,
	"evidence": {
		"missing": m,
		"required": data.governance.config.required_tags,
		"present": sort([k | some k in object.keys(t)]),
	},
} |
	not unowned
	rs := input.resources
	ix := checked
	some i in ix
	r := rs[i]
	m := missing_tags(present_keys(r))
	count(m) > 0
	t := tags(r)
]

unowned_violations := [{
	"msg": concat("", [describe(r), " is not claimed by any data product", claim_detail(values), missing_detail(m)]),
	"subject": r.address,
	"evidence": {
		"data_bearing": true,
		"product_tag": values,
		"missing": m,
		"present": sort([k | some k in object.keys(t)]),
	},
} |
	unowned
	rs := input.resources
	ix := unclaimed
	some i in ix
	r := rs[i]
	t := tags(r)
	m := missing_tags(present_keys(r))
	values := product_tag_values(t, key_norms(r))
]

# Every violation, for the engine (duplicates are dropped there, as in the set).
deny_list := array.concat(
	array.concat(owned_violations, unowned_violations),
	[v | some v in parameter_errors],
)

deny contains v if some v in deny_list

parameter_errors contains {"msg": concat("", ["GOV-TAG-001 parameter ", k, " is not set (data.governance.params)"])} if {
	some k in ["exempt_types"]
	not k in object.keys(params)
}
