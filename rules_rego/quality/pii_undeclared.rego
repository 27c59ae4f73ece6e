# GOV-PII-003: PII found in the product's sample data is declared PII in its contract.
#
# input.quality.pii_detected lists, per sampled column, the PII kinds found and the share of
# non-null values matching them (never the values). A detection fails unless the contract declares
# that column as PII: pii: true, a pii tag segment, or a PII-grade classification (the same test as
# GOV-PII-001). Columns are matched case-insensitively. Kinds in the ignored_kinds parameter do not
# count. Applies only to products that have quality evidence (a sample was read).
# Messages use concat, not sprintf on computed strings (regopy 1.5.2 quotes them).
package governance.quality.pii_undeclared

import rego.v1

default params := {}

params := data.governance.params["GOV-PII-003"]

pii_classifications := [lower(c) | some c in data.governance.config.pii_classifications]

default applicable := false

applicable if {
	is_string(input.product.id)
	is_object(input.quality)
}

detections := d if {
	d := input.quality.pii_detected
	is_array(d)
} else := []

ignored := k if {
	k := params.ignored_kinds
	is_array(k)
} else := []

counted_kinds(d) := [k | some k in d.kinds; not k in ignored]

# ------------------------------------------------------------------------- what the contract says

declared(name) if {
	some c in input.product.columns
	lower(c.name) == lower(name)
}

declared_pii(name) if {
	some c in input.product.columns
	lower(c.name) == lower(name)
	pii_column(c)
}

pii_column(c) if c.pii == true

pii_column(c) if {
	some t in c.tags
	pii_tag(t)
}

pii_column(c) if {
	is_string(c.classification)
	lower(trim_space(c.classification)) in pii_classifications
}

pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	trim_space(parts[0]) == "pii"
}

pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	trim_space(parts[count(parts) - 1]) == "pii"
}

# Head values need an `else`: an undefined value in a deny head would drop the violation.
column_declared(name) := true if declared(name) else := false

reason(name) := "the contract declares it without marking it PII" if {
	declared(name)
} else := "the contract does not declare this column"

# 0.125 -> "12.5%"
percent(x) := concat("", [format_int(floor(t / 10), 10), ".", format_int(t % 10, 10), "%"]) if {
	t := round(x * 1000)
}

# ------------------------------------------------------------------------------------ verdicts

deny_1 := [{
	"msg": concat("", [
		"column ", d.column, " holds ", concat(", ", kinds), " (", percent(d.share),
		" of sampled non-null values) but ", reason(d.column),
	]),
	"subject": d.column,
	"field": concat(".", ["columns", d.column]),
	"evidence": {
		"kinds": kinds,
		"share": d.share,
		"declared_column": column_declared(d.column),
		"sample": object.get(input.quality, "sample", null),
		"rows_sampled": object.get(input.quality, "rows_sampled", null),
	},
} |
	some d in detections
	kinds := counted_kinds(d)
	count(kinds) > 0
	not declared_pii(d.column)
]

deny_2 := [{"msg": concat("", ["GOV-PII-003 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["ignored_kinds"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(deny_1, deny_2)

deny contains v if some v in deny_list
