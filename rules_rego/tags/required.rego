# GOV-TAG-001: required tags are present; every data-bearing resource belongs to a data product.
#
# Product bundles: every linked resource (except types in the exempt_types parameter) carries
# each tag in data.governance.config.required_tags with a non-empty value. Keys compare the way
# linking compares them (case-insensitive; '_', '-', '.' and spaces ignored), so GCP's lowercase
# label "data_product" satisfies "DataProduct", and any accepted spelling of the linking tags
# (config.tag_keys.product / .domain) satisfies the product / domain tag.
# Unowned bundle: every data-bearing resource is a violation ("not claimed by any data product"),
# with the tags it lacks. Non-data-bearing unowned resources are out of scope.
package governance.tags.required

import rego.v1

default params := {}

params := data.governance.params["GOV-TAG-001"]

required_tags := data.governance.config.required_tags

unowned if object.get(input, "product", null) == null

default applicable := false

applicable if {
	not unowned
	some r in input.resources
	checked(r)
}

applicable if {
	unowned
	some r in input.resources
	unclaimed(r)
}

# A missing (or null) exempt_types exempts nothing: the parameter error below is reported
# alongside the findings instead of the policy going quiet on product bundles.
exempt_types := object.get(params, "exempt_types", [])

checked(r) if not r.type in exempt_types

unclaimed(r) if r.data_bearing == true

# -------------------------------------------------------------------------------- tag matching

norm(k) := lower(regex.replace(k, `[\s_.-]+`, ""))

filled(v) if {
	is_string(v)
	trim_space(v) != ""
}

product_keys := {norm(k) | some k in data.governance.config.tag_keys.product}

domain_keys := {norm(k) | some k in data.governance.config.tag_keys.domain}

# Required tag -> the normalised keys that satisfy it: its own spelling, plus every accepted
# spelling of the linking tags when it is one of them.
required_keys := {t: accepted(norm(t)) | some t in required_tags}

accepted(nt) := product_keys | {nt} if {
	nt in product_keys
} else := domain_keys | {nt} if {
	nt in domain_keys
} else := {nt}

# The tag objects of the bundle, each once. The resources of a product mostly share their tags
# (provider default_tags), so the checks below run per distinct tag object and each resource is
# one lookup. A resource without a tags key is looked up as null, so it still fails.
tag_sets := {object.get(r, "tags", null) | some r in input.resources}

# Every tag key of the bundle, normalised once, so the regular expression runs per distinct key,
# not per tag of every resource.
tag_keys contains k if {
	some t in tag_sets
	is_object(t)
	some k, _ in t
}

norms := {k: norm(k) | some k in tag_keys}

# The normalised keys of a tag object that hold a non-blank string.
present_keys(t) := {norms[k] | some k, v in t; filled(v)}

# Tag object -> the required tags it lacks, in config order (as the message lists them).
missing_of := {t: m |
	some t in tag_sets
	present := present_keys(t)
	m := [req | some req in required_tags; count(required_keys[req] & present) == 0]
}

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

present(t) := sort(object.keys(t)) if is_object(t) else := []

# The values of the product tag (any accepted spelling, blank or not).
product_tag_values(t) := [v | is_object(t); some k, v in t; norms[k] in product_keys]

claim_detail(values) := sprintf(" (its product tag names %s, which matches no declared data product)", [concat(", ", values)]) if {
	count(values) > 0
} else := ""

missing_detail(m) := sprintf("; missing required tags: %s", [concat(", ", m)]) if {
	count(m) > 0
} else := ""

# What the findings of the resources sharing a tag object have in common, built per tag object:
# in product bundles only for the tag objects that lack a required tag (usually none, and then
# no resource is looked at); in the unowned bundle for all of them.
incomplete := {t: {"missing": m, "text": concat(", ", m), "present": present(t)} |
	not unowned
	some t, m in missing_of
	count(m) > 0
}

unclaimed_facts := {t: {"detail": detail, "missing": m, "present": present(t), "product_tag": values} |
	unowned
	some t, m in missing_of
	values := product_tag_values(t)
	detail := sprintf("%s%s", [claim_detail(values), missing_detail(m)])
}

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": sprintf("%s is missing required tags: %s", [describe(r), f.text]),
	"subject": r.address,
	"evidence": {
		"missing": f.missing,
		"required": required_tags,
		"present": f.present,
	},
} if {
	count(incomplete) > 0
	some r in input.resources
	f := incomplete[object.get(r, "tags", null)]
	checked(r)
}

deny contains {
	"msg": sprintf("%s is not claimed by any data product%s", [describe(r), f.detail]),
	"subject": r.address,
	"evidence": {
		"data_bearing": true,
		"product_tag": f.product_tag,
		"missing": f.missing,
		"present": f.present,
	},
} if {
	unowned
	some r in input.resources
	unclaimed(r)
	f := unclaimed_facts[object.get(r, "tags", null)]
}

# `exempt_types:` left empty in governance.yaml reads as null: not set either.
param_set(k) if params[k] != null

deny contains {"msg": sprintf("GOV-TAG-001 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["exempt_types"]
	not param_set(k)
}
