# GOV-TAG-002: tag values agree with the manifest.
#
# For each field named in the fields parameter (domain, product, owner, classification,
# environment), a resource tag with that key (compared as in GOV-TAG-001; the accepted spellings
# of the linking tags count for domain and product) must hold the manifest's value. Values compare
# case-insensitively and ignoring punctuation, because GCP label values cannot hold '@' or '.'
# (an owner sales-data@example.com is written sales-data_example_com). The product tag may name
# the product's name or its id. Absent tags are GOV-TAG-001's finding and an undeclared manifest
# field is the finding of the policy for that field, so neither is reported here.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.tags.consistent

import rego.v1

default params := {}

params := data.governance.params["GOV-TAG-002"]

unowned if object.get(input, "product", null) == null

default applicable := false

applicable if {
	not unowned
	count(input.resources) > 0
}

norm(k) := lower(regex.replace(k, `[\s_.-]+`, ""))

fold(v) := lower(regex.replace(v, `[^A-Za-z0-9]+`, ""))

product_keys := [norm(k) | some k in data.governance.config.tag_keys.product]

domain_keys := [norm(k) | some k in data.governance.config.tag_keys.domain]

# array.concat, not set union: `|` inside an object literal reads as an object comprehension.
tag_keys := {
	"domain": array.concat(domain_keys, ["domain"]),
	"product": array.concat(product_keys, ["dataproduct"]),
	"owner": ["owner"],
	"classification": ["classification"],
	"environment": ["environment"],
}

# The product field each comparison reads (and where its finding points in the manifest).
manifest_field := {
	"domain": "domain",
	"product": "name",
	"owner": "owner",
	"classification": "classification",
	"environment": "environment",
}

# Field -> the manifest's value, for the fields named in the parameter that the manifest declares
# (one comprehension: a helper call per field cost more than the whole loop on regopy).
declared_value := {f: v |
	fields := params.fields
	mf := manifest_field
	some f in fields
	v := input.product[mf[f]]
	is_string(v)
	trim_space(v) != ""
}

tags(r) := r.tags if {
	is_object(r.tags)
} else := {}

# Normalised keys of r's tags, {key: normalised key}: precomputed by the embedded engine
# (normalised_tag_keys, docs: policies/README.md), else computed here (other engines, hand-built
# inputs). Saves a regex.replace per tag per resource.
key_norms(r) := r.normalised_tag_keys if {
	is_object(r.normalised_tag_keys)
} else := {k: norm(k) | some k in object.keys(tags(r))}

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

# The fields compared on this bundle: named in the parameter and declared in the manifest.
compared := [f | some f in params.fields; declared_value[f]]

# Per-bundle lookup tables, so that the per-tag loop below calls no function: normalised tag key
# -> the compared fields it names.
key_fields := {nk: fs |
	some f in compared
	some nk in tag_keys[f]
	fs := [g | some g in compared; nk in tag_keys[g]]
}

# Field -> the folded values a tag may hold (the product tag may name the product's name or id).
expected := {f: vs |
	some f in compared
	vs := accepted_values(f)
}

accepted_values(f) := [fold(declared_value[f]), fold(input.product.id)] if {
	f == "product"
	is_string(input.product.id)
} else := [fold(declared_value[f])]

# Folded values of r's tags that hold a non-blank string, {key: folded value}: precomputed by the
# embedded engine (folded_tag_values, docs: policies/README.md), else computed here.
folded_values(r) := r.folded_tag_values if {
	is_object(r.folded_tag_values)
} else := {k: fold(v) |
	t := tags(r)
	some k in object.keys(t)
	v := t[k]
	is_string(v)
	trim_space(v) != ""
}

# An array, not a `deny contains` set: sets of k objects cost O(k^2) on regopy and this policy can
# report one violation per tag of every resource.
tag_violations := [{
	"msg": concat("", [
		describe(r), " tag ", k, " is ", value, " but the manifest declares ", manifest_field[f], " ",
		declared_value[f],
	]),
	"subject": r.address,
	"field": manifest_field[f],
	"evidence": {"tag": k, "tag_value": value, "declared": declared_value[f]},
} |
	not unowned
	kf := key_fields
	ex := expected
	rs := input.resources
	some r in rs
	fv := folded_values(r)
	n := key_norms(r)
	some k in object.keys(fv)
	fs := kf[n[k]]
	folded := fv[k]
	some f in fs
	not folded in ex[f]
	value := r.tags[k]
]

# Every violation, for the engine (duplicates are dropped there, as in the set).
deny_list := array.concat(tag_violations, [v | some v in parameter_errors])

deny contains v if some v in deny_list

parameter_errors contains {"msg": concat("", [
	"GOV-TAG-002 parameter fields names unknown field ", f, "; known fields: ",
	concat(", ", sort([k | some k in object.keys(tag_keys)])),
])} if {
	some f in params.fields
	not tag_keys[f]
}

parameter_errors contains {"msg": concat("", ["GOV-TAG-002 parameter ", k, " is not set (data.governance.params)"])} if {
	some k in ["fields"]
	not k in object.keys(params)
}
