# GOV-PII-004: PII in the catalog and PII in the contract agree, column by column.
#
# A catalog column is PII when one of its tags or glossary terms says so:
# * a tag whose whole name or one of its segments (split on ':', '/', '.') is in pii_tags
#   (security:pii, PII, test_db.schema.security:pii, classification:pii ...);
# * a glossary term whose id or last dotted segment is in pii_terms (PII, Classification.PII,
#   DataHub's classifier terms Email_Address, Phone_Number ...), compared case-insensitively.
# Fails for: a catalog PII column the contract does not declare PII (or does not declare at all);
# a contract PII column a catalog dataset shows without a PII tag/term, or does not show at all;
# a dataset tagged/termed PII as a whole while the contract declares no PII. A dataset without a
# schema cannot be cross-checked: a warning when the product has PII columns.
package governance.catalog.pii

import rego.v1

import data.governance.catalog.lib

default params := {}

params := data.governance.params["GOV-PII-004"]

default applicable := false

applicable if {
	is_string(input.product.id)
	lib.enabled
}

pii_tags := [lower(t) | some t in params.pii_tags]

pii_terms := [lower(t) | some t in params.pii_terms]

pii_tag(t) if lower(t) in pii_tags

pii_tag(t) if {
	some part in regex.split(`[:/.]`, lower(t))
	part in pii_tags
}

pii_term(t) if lower(t) in pii_terms

pii_term(t) if {
	parts := split(lower(t), ".")
	parts[count(parts) - 1] in pii_terms
}

catalog_pii(c) if {
	some t in c.tags
	pii_tag(t)
}

catalog_pii(c) if {
	some t in c.glossary_terms
	pii_term(t)
}

markers(c) := array.concat(
	[t | some t in c.tags; pii_tag(t)],
	[t | some t in c.glossary_terms; pii_term(t)],
)

columns := c if {
	c := input.product.columns
	is_array(c)
} else := []

declared(name) if {
	some c in columns
	lower(c.name) == lower(name)
}

declared_pii(name) if {
	some c in columns
	lower(c.name) == lower(name)
	c.pii == true
}

has_column(d, name) if {
	some c in d.columns
	lower(c.name) == lower(name)
}

marked_pii(d, name) if {
	some c in d.columns
	lower(c.name) == lower(name)
	catalog_pii(c)
}

reason(name) := "the contract declares it without marking it PII" if declared(name)

reason(name) := "the contract does not declare this column" if not declared(name)

# ------------------------------------------------------------------- catalog says PII, contract not

deny_1 := [{
	"msg": concat("", [
		"column ", c.name, " is PII in catalog dataset ", d.urn, " (", concat(", ", markers(c)),
		") but ", reason(c.name),
	]),
	"subject": lib.field_urn(d.urn, c.name),
	"field": concat(".", ["columns", c.name]),
	"evidence": {"dataset": d.urn, "column": c.name, "catalog_markers": markers(c), "declared_pii": false},
} |
	some d in lib.datasets
	some c in d.columns
	catalog_pii(c)
	not declared_pii(c.name)
]

# ------------------------------------------------------------------- contract says PII, catalog not

deny_2 := [{
	"msg": concat("", [
		"column ", c.name, " is declared PII but catalog dataset ", d.urn,
		" has no PII tag or glossary term on it",
	]),
	"subject": lib.field_urn(d.urn, c.name),
	"field": concat(".", ["columns", c.name]),
	"evidence": {"dataset": d.urn, "column": c.name, "declared_pii": true, "in_catalog_schema": true},
} |
	some c in columns
	c.pii == true
	some d in lib.datasets
	has_column(d, c.name)
	not marked_pii(d, c.name)
]

deny_3 := [{
	"msg": concat("", [
		"column ", c.name, " is declared PII but is missing from the schema of catalog dataset ", d.urn,
	]),
	"subject": lib.field_urn(d.urn, c.name),
	"field": concat(".", ["columns", c.name]),
	"evidence": {"dataset": d.urn, "column": c.name, "declared_pii": true, "in_catalog_schema": false},
} |
	some c in columns
	c.pii == true
	some d in lib.datasets
	count(d.columns) > 0
	not has_column(d, c.name)
]

# --------------------------------------------------------------------------------- dataset level

deny_4 := [{
	"msg": concat("", [
		"catalog dataset ", d.urn, " is marked PII (", concat(", ", markers(d)),
		") but the contract declares no PII",
	]),
	"subject": d.urn,
	"field": "columns",
	"evidence": {"dataset": d.urn, "catalog_markers": markers(d), "declared_pii": false},
} |
	some d in lib.datasets
	catalog_pii(d)
	input.product.pii != true
]

warn_1 := [{
	"msg": concat("", [
		"catalog dataset ", d.urn, " has no schema: the product's PII columns cannot be ",
		"cross-checked against it",
	]),
	"subject": d.urn,
	"evidence": {"dataset": d.urn},
} |
	some d in lib.datasets
	count(d.columns) == 0
	some c in columns
	c.pii == true
]

deny_5 := [{"msg": concat("", ["GOV-PII-004 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["pii_tags", "pii_terms"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(array.concat(array.concat(deny_1, deny_2), deny_3), deny_4), deny_5)

deny contains v if some v in deny_list

# Every warn member as one array, for the engine (docs: policies/README.md, deny_list).
warn_list := warn_1

warn contains v if some v in warn_list
