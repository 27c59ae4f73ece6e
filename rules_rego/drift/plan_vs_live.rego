# GOV-DRIFT-001: live resources match the Terraform plan.
#
# input.drift is null unless the run compared a plan with a live scan; then it lists every
# difference (kind "changed": a field differs; kind "missing": planned as existing, not found).
# The comparison itself is done in Python (governance.collect.aws.drift): joins stay out of Rego.
package governance.drift.plan_vs_live

import rego.v1

default applicable := false

applicable if input.drift != null

deny_1 := [{
	"msg": concat("", [d.plan_address, " is in the plan but was not found in the live account"]),
	"subject": d.subject,
	"evidence": {"type": d.type, "plan_address": d.plan_address},
} |
	drift := input.drift
	some d in drift
	d.kind == "missing"
]

deny_2 := [{
	"msg": concat("", [d.subject, ": ", d.field, " is ", json.marshal(d.live), " live but ", json.marshal(d.planned), " in the plan"]),
	"subject": d.subject,
	"evidence": {"type": d.type, "plan_address": d.plan_address, "field": d.field, "planned": d.planned, "live": d.live},
} |
	drift := input.drift
	some d in drift
	d.kind == "changed"
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(deny_1, deny_2)

deny contains v if some v in deny_list
