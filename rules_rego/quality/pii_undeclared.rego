# GOV-PII-003: PII found in the product's sample data is declared PII in its contract.
#
# input.quality.pii_detected lists, per sampled column, the PII kinds found and the share of
# non-null values matching them (never the values). A detection fails unless the contract declares
# that column as PII: pii: true, a pii tag segment, or a PII-grade classification (the same test as
# GOV-PII-001). Columns are matched case-insensitively. Kinds in the ignored_kinds parameter do not
# count. Applies only to products that have quality evidence (a sample was read).
package governance.quality.pii_undeclared

import rego.v1

default params := {}

params := data.governance.params["GOV-PII-003"]

pii_classifications := {lower(c) | some c in data.governance.config.pii_classifications}

default applicable := false

applicable if {
	is_string(input.product.id)
	is_object(input.quality)
}

detections := d if {
	d := input.quality.pii_detected
	is_array(d)
} else := []

ignored := {k | some k in params.ignored_kinds} if is_array(params.ignored_kinds) else := set()

# In detection order: the message lists the kinds as the sample scan reported them.
counted_kinds(d) := [k | some k in d.kinds; not k in ignored]

# ------------------------------------------------------------------------- what the contract says

# Lookup tables of the contract's column names (lower-cased), built once per bundle.
declared_names := {lower(c.name) | some c in input.product.columns}

declared_pii_names := {lower(c.name) | some c in input.product.columns; pii_column(c)}

declared(name) if lower(name) in declared_names

declared_pii(name) if lower(name) in declared_pii_names

pii_column(c) if c.pii == true

pii_column(c) if {
	some t in c.tags
	pii_tag(t)
}

pii_column(c) if {
	is_string(c.classification)
	lower(trim_space(c.classification)) in pii_classifications
}

# "pii", "PII", "pii:email", "security:pii": the first or last segment is pii (as the collector).
pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	some end in [parts[0], parts[count(parts) - 1]]
	trim_space(end) == "pii"
}

# A value in a finding must always be defined: an undefined one would drop the finding.
column_declared(name) := true if declared(name) else := false

reason(name) := "the contract declares it without marking it PII" if {
	declared(name)
} else := "the contract does not declare this column"

# 0.125 -> "12.5%" (one decimal, rounded half away from zero).
percent(x) := sprintf("%d.%d%%", [floor(t / 10), t % 10]) if t := round(x * 1000)

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": sprintf("column %s holds %s (%s of sampled non-null values) but %s", [d.column, concat(", ", kinds), percent(d.share), reason(d.column)]),
	"subject": d.column,
	"field": sprintf("columns.%s", [d.column]),
	"evidence": {
		"kinds": kinds,
		"share": d.share,
		"declared_column": column_declared(d.column),
		"sample": object.get(input.quality, "sample", null),
		"rows_sampled": object.get(input.quality, "rows_sampled", null),
	},
} if {
	some d in detections
	kinds := counted_kinds(d)
	count(kinds) > 0
	not declared_pii(d.column)
}

# A parameter left empty in governance.yaml reads as null: not set either.
param_set(k) if params[k] != null

deny contains {"msg": sprintf("GOV-PII-003 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["ignored_kinds"]
	not param_set(k)
}
