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

pii_tags := {lower(t) | some t in params.pii_tags}

pii_terms := {lower(t) | some t in params.pii_terms}

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

# The tags and glossary terms that make a catalog column or dataset PII, in catalog order;
# empty when nothing does.
markers(x) := [m |
	some list in ["tags", "glossary_terms"]
	some m in lib.list_of(x, list)
	marker(list, m)
]

marker("tags", t) if pii_tag(t)

marker("glossary_terms", t) if pii_term(t)

# ------------------------------------------------------------------------------ lookup tables

columns := input.product.columns if is_array(input.product.columns) else := []

declared_names := {lower(c.name) | some c in columns}

declared_pii := [c | some c in columns; c.pii == true]

declared_pii_names := {lower(c.name) | some c in declared_pii}

# Per catalog dataset (by position in input.catalog): the lower-cased names of its schema's
# columns, and of those the catalog marks PII.
schema_names[i] := {lower(c.name) | some c in lib.list_of(d, "columns")} if some i, d in lib.datasets

schema_pii_names[i] := {lower(c.name) | some c in lib.list_of(d, "columns"); count(markers(c)) > 0} if {
	some i, d in lib.datasets
}

is_declared_pii(name) if lower(name) in declared_pii_names

in_schema(i, name) if lower(name) in schema_names[i]

marked_in_schema(i, name) if lower(name) in schema_pii_names[i]

reason(name) := "the contract declares it without marking it PII" if {
	lower(name) in declared_names
} else := "the contract does not declare this column"

product_pii if input.product.pii == true

# ------------------------------------------------------------------- catalog says PII, contract not

deny contains {
	"msg": sprintf("column %s is PII in catalog dataset %s (%s) but %s", [c.name, d.urn, concat(", ", m), reason(c.name)]),
	"subject": lib.field_urn(d.urn, c.name),
	"field": sprintf("columns.%s", [c.name]),
	"evidence": {"dataset": d.urn, "column": c.name, "catalog_markers": m, "declared_pii": false},
} if {
	some d in lib.datasets
	some c in lib.list_of(d, "columns")
	m := markers(c)
	count(m) > 0
	not is_declared_pii(c.name)
}

# ------------------------------------------------------------------- contract says PII, catalog not

deny contains {
	"msg": sprintf("column %s is declared PII but catalog dataset %s has no PII tag or glossary term on it", [c.name, d.urn]),
	"subject": lib.field_urn(d.urn, c.name),
	"field": sprintf("columns.%s", [c.name]),
	"evidence": {"dataset": d.urn, "column": c.name, "declared_pii": true, "in_catalog_schema": true},
} if {
	some c in declared_pii
	some i, d in lib.datasets
	in_schema(i, c.name)
	not marked_in_schema(i, c.name)
}

deny contains {
	"msg": sprintf("column %s is declared PII but is missing from the schema of catalog dataset %s", [c.name, d.urn]),
	"subject": lib.field_urn(d.urn, c.name),
	"field": sprintf("columns.%s", [c.name]),
	"evidence": {"dataset": d.urn, "column": c.name, "declared_pii": true, "in_catalog_schema": false},
} if {
	some c in declared_pii
	some i, d in lib.datasets
	count(lib.list_of(d, "columns")) > 0
	not in_schema(i, c.name)
}

# --------------------------------------------------------------------------------- dataset level

deny contains {
	"msg": sprintf("catalog dataset %s is marked PII (%s) but the contract declares no PII", [d.urn, concat(", ", m)]),
	"subject": d.urn,
	"field": "columns",
	"evidence": {"dataset": d.urn, "catalog_markers": m, "declared_pii": false},
} if {
	not product_pii
	some d in lib.datasets
	m := markers(d)
	count(m) > 0
}

warn contains {
	"msg": sprintf("catalog dataset %s has no schema: the product's PII columns cannot be cross-checked against it", [d.urn]),
	"subject": d.urn,
	"evidence": {"dataset": d.urn},
} if {
	count(declared_pii) > 0
	some d in lib.datasets
	count(lib.list_of(d, "columns")) == 0
}

deny contains e if some e in lib.parameter_errors("GOV-PII-004", params, {"pii_tags": "array", "pii_terms": "array"})
