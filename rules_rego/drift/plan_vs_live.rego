# GOV-DRIFT-001: live resources match the Terraform plan.
#
# input.drift is null unless the run compared a plan with a live scan; then it lists every
# difference (kind "changed": a field differs; kind "missing": planned as existing, not found).
# The comparison itself is done in Python (governance.collect.aws.drift), where the plan and the
# live scan are both at hand; this policy only reports what it found.
package governance.drift.plan_vs_live

import rego.v1

default applicable := false

applicable if input.drift != null

deny contains {
	"msg": sprintf("%s is in the plan but was not found in the live account", [d.plan_address]),
	"subject": d.subject,
	"evidence": {"type": d.type, "plan_address": d.plan_address},
} if {
	some d in input.drift
	d.kind == "missing"
}

# Values are shown as JSON (true, "AES256", null) so that a string and a boolean read apart. An
# absent value reads as null: a difference must not be dropped because one side was not sent.
deny contains {
	"msg": sprintf("%s: %s is %s live but %s in the plan", [d.subject, d.field, json.marshal(live), json.marshal(planned)]),
	"subject": d.subject,
	"evidence": {"type": d.type, "plan_address": d.plan_address, "field": d.field, "planned": planned, "live": live},
} if {
	some d in input.drift
	d.kind == "changed"
	planned := object.get(d, "planned", null)
	live := object.get(d, "live", null)
}
