# GOV-PII-002: PII columns are masked outside production.
#
# A product whose environment is not in data.governance.config.production_environments (compared
# case-insensitively) must declare masked: true on every PII column, unless its id or name is in
# the excluded_products parameter (products whose non-production copies hold synthetic data or no
# copy at all). Fails closed: a missing environment counts as non-production, masked: null counts
# as not masked, and a PII-grade product that declares no columns cannot show its masking.
package governance.pii.masked

import rego.v1

default params := {}

params := data.governance.params["GOV-PII-002"]

pii_classifications := {lower(c) | some c in data.governance.config.pii_classifications}

production_environments := {lower(e) | some e in data.governance.config.production_environments}

default applicable := false

applicable if {
	product_pii
	not production
	not excluded
}

# -------------------------------------------------------------------------------------- facts

# Only a declared production environment makes the product production: a missing or blank one
# leaves `production` undefined, i.e. non-production.
production if {
	nonempty(input.product.environment)
	lower(trim_space(input.product.environment)) in production_environments
}

product_names := {lower(input.product.id), lower(input.product.name)}

excluded if {
	some name in params.excluded_products
	lower(name) in product_names
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

# "pii", "PII", "pii:email", "security:pii": the first or last segment is pii (as the collector).
pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	some end in [parts[0], parts[count(parts) - 1]]
	trim_space(end) == "pii"
}

pii_classification(c) if {
	is_string(c)
	lower(trim_space(c)) in pii_classifications
}

columns := input.product.columns if is_array(input.product.columns) else := []

product_pii if input.product.pii == true

product_pii if pii_classification(input.product.classification)

product_pii if {
	some c in columns
	pii_column(c)
}

# Only masked: true counts; false, null, a missing flag or any other value is not masked.
masked(c) if c.masked == true

masked_state(c) := "masked: false" if c.masked == false else := "masked: not declared"

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": sprintf("column %s is PII but not masked (%s) in non-production environment %s; expected masked: true", [c.name, masked_state(c), environment]),
	"subject": c.name,
	"field": sprintf("columns.%s", [c.name]),
	"evidence": {
		"column": c.name,
		"masked": object.get(c, "masked", null),
		"environment": object.get(input.product, "environment", null),
		"production_environments": data.governance.config.production_environments,
	},
} if {
	applicable
	some c in columns
	pii_column(c)
	not masked(c)
}

deny contains {
	"msg": sprintf("product %s is PII-grade but declares no columns; masking in non-production environment %s cannot be verified", [input.product.id, environment]),
	"field": "columns",
	"evidence": {
		"classification": object.get(input.product, "classification", null),
		"environment": object.get(input.product, "environment", null),
	},
} if {
	applicable
	count(columns) == 0
}

# A parameter left empty in governance.yaml reads as null: not set either.
param_set(k) if params[k] != null

deny contains {"msg": sprintf("GOV-PII-002 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["excluded_products"]
	not param_set(k)
}
