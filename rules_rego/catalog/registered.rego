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

declared := input.product.catalog_urns if is_array(input.product.catalog_urns) else := []

# Case-insensitive, as linking matches declared URNs.
found := {lower(d.urn) | some d in lib.datasets}

resolves(urn) if lower(urn) in found

evidence := {
	"declared_urns": declared,
	"storage": object.get(input.product, "storage", []),
	"catalog_datasets": count(lib.datasets),
}

# Nothing linked and nothing declared: the product is not in the catalog at all. With declared
# URNs the rule below names each one instead.
deny contains {
	"msg": sprintf(
		"data product %s is not registered in the catalog: no dataset matched its declared URNs, a data_product property, its storage locations or its name",
		[input.product.id],
	),
	"field": "catalog_urns",
	"evidence": evidence,
} if {
	count(lib.datasets) == 0
	count(declared) == 0
}

deny contains {
	"msg": sprintf("declared catalog URN %v is not in the catalog", [urn]),
	"subject": urn,
	"field": "catalog_urns",
	"evidence": evidence,
} if {
	some urn in declared
	not resolves(urn)
}
