# GOV-TAG-002: tag values agree with the manifest.
#
# For each field named in the fields parameter (domain, product, owner, classification,
# environment), a resource tag with that key (compared as in GOV-TAG-001; the accepted spellings
# of the linking tags count for domain and product) must hold the manifest's value. Values compare
# case-insensitively and ignoring punctuation, because GCP label values cannot hold '@' or '.'
# (an owner sales-data@example.com is written sales-data_example_com). The product tag may name
# the product's name or its id. Absent tags are GOV-TAG-001's finding and an undeclared manifest
# field is the finding of the policy for that field, so neither is reported here.
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

filled(v) if {
	is_string(v)
	trim_space(v) != ""
}

# Field -> the product field it is read from (and where its finding points in the manifest).
manifest_field := {
	"domain": "domain",
	"product": "name",
	"owner": "owner",
	"classification": "classification",
	"environment": "environment",
}

product_tags := {norm(k) | some k in data.governance.config.tag_keys.product} | {"dataproduct"}

domain_tags := {norm(k) | some k in data.governance.config.tag_keys.domain} | {"domain"}

# Field -> the normalised tag keys that carry it.
field_tags := {
	"domain": domain_tags,
	"product": product_tags,
	"owner": {"owner"},
	"classification": {"classification"},
	"environment": {"environment"},
}

# Field -> the manifest's value, for the fields named in the parameter that the manifest declares.
declared := {f: v |
	some f in params.fields
	v := input.product[manifest_field[f]]
	filled(v)
}

# Field -> the folded values a tag may hold (the product tag may name the product's name or id).
expected := {f: accepted_values(f, v) | some f, v in declared}

accepted_values("product", v) := {fold(v), fold(input.product.id)} if {
	is_string(input.product.id)
} else := {fold(v)}

accepted_values(f, v) := {fold(v)} if f != "product"

# ---------------------------------------------------------------- per-bundle tables of tag values

# The tag objects of the bundle, each once: the resources of a product mostly share their tags
# (provider default_tags), so values are compared per distinct tag object and each resource costs
# one lookup.
tag_sets := {t |
	t := input.resources[_].tags
	is_object(t)
}

tag_keys contains k if {
	some t in tag_sets
	some k, _ in t
}

# Tag spelling seen in this bundle -> the compared fields it names (a regular expression per
# distinct key, not per tag of every resource).
watched := {k: fs |
	some k in tag_keys
	nk := norm(k)
	fs := {f | some f, _ in declared; nk in field_tags[f]}
	count(fs) > 0
}

# Every value a watched tag holds, folded once.
watched_values contains v if {
	some t in tag_sets
	some k, _ in watched
	v := t[k]
	filled(v)
}

folds := {v: fold(v) | some v in watched_values}

# Tag object -> the tags in it that contradict the manifest, with the field each contradicts.
# Usually empty: then no resource is looked at.
mismatched := {t: ms |
	some t in tag_sets
	ms := [{"tag": k, "field": f} |
		some k, fs in watched
		folded := folds[t[k]]
		some f in fs
		not folded in expected[f]
	]
	count(ms) > 0
}

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": sprintf("%s tag %s is %s but the manifest declares %s %s", [describe(r), m.tag, value, field, declared[m.field]]),
	"subject": r.address,
	"field": field,
	"evidence": {"tag": m.tag, "tag_value": value, "declared": declared[m.field]},
} if {
	count(mismatched) > 0
	some r in input.resources
	some m in mismatched[r.tags]
	value := r.tags[m.tag]
	field := manifest_field[m.field]
}

deny contains {"msg": sprintf("GOV-TAG-002 parameter fields names unknown field %s; known fields: %s", [f, known])} if {
	some f in params.fields
	not manifest_field[f]
	known := concat(", ", sort(object.keys(manifest_field)))
}

# `fields:` left empty in governance.yaml reads as null: not set either (and compares nothing).
fields_set if params.fields != null

deny contains {"msg": "GOV-TAG-002 parameter fields is not set (data.governance.params)"} if not fields_set
