# GOV-PII-002: PII columns are masked outside production.
#
# A product whose environment is not in data.governance.config.production_environments (compared
# case-insensitively) must declare masked: true on every PII column, unless its id or name is in
# the excluded_products parameter (products whose non-production copies hold synthetic data or no
# copy at all). Fails closed: a missing environment counts as non-production, masked: null counts
# as not masked, and a PII-grade product that declares no columns cannot show its masking.
# Messages are built with concat (see encrypted.rego: sprintf quotes computed strings on regopy).
package governance.pii.masked

import rego.v1

default params := {}

params := data.governance.params["GOV-PII-002"]

pii_classifications := [lower(c) | some c in data.governance.config.pii_classifications]

production_environments := [lower(e) | some e in data.governance.config.production_environments]

default applicable := false

applicable if {
	product_pii
	not production
	not excluded
}

# -------------------------------------------------------------------------------------- facts

production if {
	nonempty(input.product.environment)
	lower(trim_space(input.product.environment)) in production_environments
}

excluded if {
	some name in params.excluded_products
	lower(name) in {lower(input.product.id), lower(input.product.name)}
}

environment := input.product.environment if {
	nonempty(input.product.environment)
} else := "<not declared> (treated as non-production)"

nonempty(s) if {
	is_string(s)
	trim_space(s) != ""
}

pii_column(c) if c.pii == true

pii_column(c) if {
	some t in c.tags
	pii_tag(t)
}

pii_column(c) if pii_classification(c.classification)

pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	trim_space(parts[0]) == "pii"
}

pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	trim_space(parts[count(parts) - 1]) == "pii"
}

pii_classification(c) if {
	is_string(c)
	lower(trim_space(c)) in pii_classifications
}

columns := input.product.columns if {
	is_array(input.product.columns)
} else := []

product_pii if input.product.pii == true

product_pii if pii_classification(input.product.classification)

product_pii if {
	some c in columns
	pii_column(c)
}

masked_state(c) := "masked: false" if {
	c.masked == false
} else := "masked: not declared" if {
	not c.masked == true
}

# ------------------------------------------------------------------------------------ verdicts

deny_1 := [{
	"msg": concat("", [
		"column ", c.name, " is PII but not masked (", masked_state(c),
		") in non-production environment ", environment, "; expected masked: true",
	]),
	"subject": c.name,
	"field": concat("", ["columns.", c.name]),
	"evidence": {
		"column": c.name,
		"masked": object.get(c, "masked", null),
		"environment": object.get(input.product, "environment", null),
		"production_environments": data.governance.config.production_environments,
	},
} |
	applicable
	some c in columns
	pii_column(c)
	not c.masked == true
]

deny_2 := [{
	"msg": concat("", [
		"product ", input.product.id, " is PII-grade but declares no columns; masking in non-production environment ",
		environment, " cannot be verified",
	]),
	"field": "columns",
	"evidence": {
		"classification": object.get(input.product, "classification", null),
		"environment": object.get(input.product, "environment", null),
	},
} |
	applicable
	count(columns) == 0
]

deny_3 := [{"msg": concat("", ["GOV-PII-002 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["excluded_products"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list
