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

declared(f) := v if {
	v := input.product[manifest_field[f]]
	is_string(v)
	trim_space(v) != ""
}

matches(f, value) if fold(value) == fold(declared(f))

matches("product", value) if fold(value) == fold(input.product.id)

tags(r) := r.tags if {
	is_object(r.tags)
} else := {}

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

deny contains {
	"msg": concat("", [
		describe(r), " tag ", k, " is ", value, " but the manifest declares ", manifest_field[f], " ",
		declared(f),
	]),
	"subject": r.address,
	"field": manifest_field[f],
	"evidence": {"tag": k, "tag_value": value, "declared": declared(f)},
} if {
	not unowned
	rs := input.resources
	some r in rs
	some f in params.fields
	declared(f)
	some k, value in tags(r)
	norm(k) in tag_keys[f]
	is_string(value)
	trim_space(value) != ""
	not matches(f, value)
}

deny contains {"msg": concat("", [
	"GOV-TAG-002 parameter fields names unknown field ", f, "; known fields: ",
	concat(", ", sort([k | some k in object.keys(tag_keys)])),
])} if {
	some f in params.fields
	not tag_keys[f]
}

deny contains {"msg": concat("", ["GOV-TAG-002 parameter ", k, " is not set (data.governance.params)"])} if {
	some k in ["fields"]
	not k in object.keys(params)
}
