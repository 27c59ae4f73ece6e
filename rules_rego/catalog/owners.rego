# GOV-OWN-002: the catalog knows the product's declared owner.
#
# Every catalog dataset of the product must list the owner the contract declares among its owners
# (DataHub ownership, the Glue table owner). Owners compare case-insensitively; with the parameter
# match_email_local_part (default true) an e-mail address also matches a team id equal to its
# local part (sales-data@example.com ~ sales-data), the usual split between contracts (a mailbox)
# and catalogs (a group). A product that declares no owner fails when it has catalog datasets:
# ownership cannot be confirmed. No dataset at all is GOV-CAT-001's finding, not this one's.
package governance.catalog.owners

import rego.v1

import data.governance.catalog.lib

default params := {}

params := data.governance.params["GOV-OWN-002"]

default applicable := false

applicable if {
	is_string(input.product.id)
	lib.enabled
}

owner := trim_space(input.product.owner) if {
	is_string(input.product.owner)
	trim_space(input.product.owner) != ""
}

local_part(s) := split(s, "@")[0]

same(a, b) if lower(a) == lower(b)

same(a, b) if {
	params.match_email_local_part == true
	contains(a, "@") != contains(b, "@")
	lower(local_part(a)) == lower(local_part(b))
}

owned(d) if {
	some o in d.owners
	same(o, owner)
}

deny_1 := [{
	"msg": concat("", [
		"catalog dataset ", d.urn, " does not list the declared owner ", owner,
		" (catalog owners: ", lib.joined(d.owners), ")",
	]),
	"subject": d.urn,
	"field": "owner",
	"evidence": {"declared_owner": owner, "catalog_owners": d.owners, "platform": d.platform},
} |
	some d in lib.datasets
	owner
	not owned(d)
]

deny_2 := [{
	"msg": concat("", [
		"the product declares no owner, so its ownership in the catalog cannot be confirmed ",
		"(catalog owners: ", lib.joined(all_owners), ")",
	]),
	"field": "owner",
	"evidence": {"declared_owner": null, "catalog_owners": all_owners},
} |
	count(lib.datasets) > 0
	not owner
]

# sort() of a set stays a set on regopy: sort an array built from the set instead.
owner_set := {o | some d in lib.datasets; some o in d.owners}

all_owners := sort([o | some o in owner_set])

deny_3 := [{"msg": concat("", ["GOV-OWN-002 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["match_email_local_part"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list
