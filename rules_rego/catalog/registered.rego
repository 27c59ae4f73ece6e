# GOV-CAT-001: every data product is registered in the catalog.
#
# input.catalog holds the catalog datasets linking matched to the product (declared URN,
# data_product property, storage location, or name; see docs/catalog.md). The product fails when
# none matched, and for each URN it declares (catalog.urn / catalog.urns) that the catalog does not
# hold: a declared URN that does not resolve is a broken link for every consumer.
# Applies to products only, and only when catalog evidence was requested (lib.enabled).
package governance.catalog.registered

import rego.v1

import data.governance.catalog.lib

default applicable := false

applicable if {
	is_string(input.product.id)
	lib.enabled
}

declared := u if {
	u := input.product.catalog_urns
	is_array(u)
} else := []

# Case-insensitive, as linking matches declared URNs.
found := {lower(d.urn) | some d in lib.datasets}

evidence := {
	"declared_urns": declared,
	"storage": object.get(input.product, "storage", []),
	"catalog_datasets": count(lib.datasets),
}

deny_1 := [{
	"msg": concat("", [
		"data product ", input.product.id, " is not registered in the catalog: no dataset matched ",
		"its declared URNs, a data_product property, its storage locations or its name",
	]),
	"field": "catalog_urns",
	"evidence": evidence,
} |
	count(lib.datasets) == 0
	count(declared) == 0
]

deny_2 := [{
	"msg": concat("", ["declared catalog URN ", urn, " is not in the catalog"]),
	"subject": urn,
	"field": "catalog_urns",
	"evidence": evidence,
} |
	some urn in declared
	not lower(urn) in found
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(deny_1, deny_2)

deny contains v if some v in deny_list
