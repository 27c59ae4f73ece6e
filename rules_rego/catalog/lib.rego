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
datasets := d if {
	d := input.catalog
	is_array(d)
} else := []

# Compare keys the way people spell them: case, '-', '_', '.' and spaces fold.
norm(s) := regex.replace(lower(s), `[\s_.\-]+`, "")

# DataHub's URN for a column, used as the subject of column findings.
field_urn(dataset_urn, column) := concat("", ["urn:li:schemaField:(", dataset_urn, ",", column, ")"])

text(v) := v if is_string(v)

text(v) := sprintf("%v", [v]) if not is_string(v)

joined(items) := "none" if count(items) == 0

joined(items) := concat(", ", items) if count(items) > 0
