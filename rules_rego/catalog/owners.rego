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

# The declared owner, trimmed; undefined when the contract names none (or only blanks).
owner := o if {
	is_string(input.product.owner)
	o := trim_space(input.product.owner)
	o != ""
}

local_part(s) := split(s, "@")[0]

same(a, b) if lower(a) == lower(b)

# Only when exactly one side is an e-mail address: two mailboxes on different domains are
# different owners even when their local parts agree.
same(a, b) if {
	params.match_email_local_part == true
	contains(a, "@") != contains(b, "@")
	lower(local_part(a)) == lower(local_part(b))
}

owned(d) if {
	some o in lib.list_of(d, "owners")
	same(o, owner)
}

deny contains {
	"msg": sprintf("catalog dataset %s does not list the declared owner %s (catalog owners: %s)", [d.urn, owner, lib.joined(owners)]),
	"subject": d.urn,
	"field": "owner",
	"evidence": {"declared_owner": owner, "catalog_owners": owners, "platform": object.get(d, "platform", null)},
} if {
	owner
	some d in lib.datasets
	not owned(d)
	owners := lib.list_of(d, "owners")
}

deny contains {
	"msg": sprintf("the product declares no owner, so its ownership in the catalog cannot be confirmed (catalog owners: %s)", [lib.joined(all_owners)]),
	"field": "owner",
	"evidence": {"declared_owner": null, "catalog_owners": all_owners},
} if {
	count(lib.datasets) > 0
	not owner
}

# Every owner any dataset lists, each once, in order (stable messages).
all_owners := sort({o | some d in lib.datasets; some o in lib.list_of(d, "owners")})

deny contains e if some e in lib.parameter_errors("GOV-OWN-002", params, {"match_email_local_part": "boolean"})
