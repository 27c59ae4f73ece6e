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

checked := [r |
	rs := input.resources
	some r in rs
	not r.type in params.exempt_types
]

unclaimed := [r |
	rs := input.resources
	some r in rs
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

# Normalised keys of the tags that have a value (n: key_norms of the resource).
# The head is bound last: regopy 1.5.2 returned [] for `[n[k] | some k ...; is_string(t[k]) ...]`
# on the first call in a query.
filled_keys(t, n) := [nk | some k in object.keys(t); v := t[k]; is_string(v); trim_space(v) != ""; nk := n[k]]

# Normalised key -> the required tags it satisfies (computed once per evaluation).
satisfied_by := {nk: ts |
	some q in required
	some nk in q.keys
	ts := [p.tag | some p in required; nk in p.keys]
}

# The required tags none of whose accepted keys is among keys: one lookup per key instead of a
# scan of every required tag's keys per key.
missing_from(keys) := [q.tag |
	sb := satisfied_by
	met := [s | some k in keys; some s in sb[k]]
	some q in required
	not q.tag in met
]

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
	rs := checked
	some r in rs
	t := tags(r)
	m := missing_from(filled_keys(t, key_norms(r)))
	count(m) > 0
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
	rs := unclaimed
	some r in rs
	t := tags(r)
	n := key_norms(r)
	m := missing_from(filled_keys(t, n))
	values := product_tag_values(t, n)
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
