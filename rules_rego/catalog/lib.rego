# Shared helpers of the catalog policies (GOV-CAT-001, GOV-OWN-002, GOV-PII-004, GOV-RET-003).
#
# Fail-closed switch: catalog policies apply only when catalog evidence was requested for the run
# (data.governance.config.catalog.enabled, set by the CLI when a catalog source or a DataHub file
# is given, or set in governance.yaml to require a catalog on every run). Without it, every run
# without a catalog would fail GOV-CAT-001; with it, a run whose catalog could not be read is an
# error of the run (exit 2), and an empty catalog fails GOV-CAT-001 for every product.
package governance.catalog.lib

import rego.v1

default enabled := false

enabled if data.governance.config.catalog.enabled == true

# The product bundle's catalog datasets (input.catalog), [] when absent.
datasets := input.catalog if is_array(input.catalog) else := []

# A list field of a dataset or column (owners, tags, glossary_terms, columns), [] when it is
# missing or null: an absent list must read as "nothing listed" (a finding), never drop one.
list_of(x, key) := v if {
	v := object.get(x, key, [])
	is_array(v)
} else := []

# Compare keys the way people spell them: case, '-', '_', '.' and spaces fold.
norm(s) := regex.replace(lower(s), `[\s_.\-]+`, "")

# DataHub's URN for a column, used as the subject of column findings.
field_urn(dataset_urn, column) := sprintf("urn:li:schemaField:(%v,%v)", [dataset_urn, column])

# A value as message text: strings as they are, anything else as Rego prints it.
text(v) := v if is_string(v) else := sprintf("%v", [v])

joined(items) := concat(", ", items) if count(items) > 0 else := "none"

# Findings for a policy's parameters (fail closed: a check whose parameter cannot be read must
# not pass silently): one per parameter that is missing or null, one per parameter whose value is
# not of the type the policy reads it as. `types` maps each parameter to "array", "boolean",
# "number" or "object".
parameter_errors(id, params, types) := unset | mistyped if {
	unset := {e |
		some k, _ in types
		not param_set(params, k)
		e := {"msg": sprintf("%s parameter %s is not set (data.governance.params)", [id, k])}
	}
	mistyped := {e |
		some k, t in types
		param_set(params, k)
		not type_ok(params[k], t)
		e := {"msg": sprintf("%s parameter %s must be of type %s, got %s (data.governance.params)", [id, k, t, type_name(params[k])])}
	}
}

# `key:` left empty in governance.yaml reads as null: not set either.
param_set(params, key) if params[key] != null

type_ok(value, "array") if is_array(value)

type_ok(value, "boolean") if is_boolean(value)

type_ok(value, "number") if is_number(value)

type_ok(value, "object") if is_object(value)
