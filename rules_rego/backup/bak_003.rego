# GOV-BAK-003: the newest recovery point of each live data-bearing resource is younger than the RPO.
#
# Live evidence only: applies to a product with at least one linked resource whose source is
# "live" and that is data-bearing (plan-only runs cannot see recovery points). The collector puts
# the age of the newest usable recovery point (AWS Backup, or the latest restorable time of native
# point-in-time recovery) in backup.last_recovery_point_age_hours.
# RPO: product.backup.rpo_hours, else data.governance.config.backup.default_rpo_hours; the
# grace_hours parameter (default 0) tolerates backup jobs still running at scan time.
# Fails closed: no RPO, or no recovery point at all, is a failure, never a pass.
# Messages use concat, not sprintf with strings (regopy 1.5.2 quotes computed strings in sprintf).
package governance.backup.recovery_point_age

import rego.v1

default params := {}

params := data.governance.params["GOV-BAK-003"]

num(n) := sprintf("%v", [n])

live := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.source == "live"
	r.data_bearing == true
]

default applicable := false

applicable if {
	input.product != null
	count(live) > 0
}

rpo := input.product.backup.rpo_hours if {
	is_number(input.product.backup.rpo_hours)
} else := data.governance.config.backup.default_rpo_hours if {
	is_number(data.governance.config.backup.default_rpo_hours)
}

grace := params.grace_hours if {
	is_number(params.grace_hours)
} else := 0

rpo_text := concat("", ["the declared RPO of ", num(rpo), " h"]) if {
	is_number(input.product.backup.rpo_hours)
} else := concat("", ["the default RPO of ", num(rpo), " h (governance.yaml backup.default_rpo_hours)"])

age(r) := r.backup.last_recovery_point_age_hours if {
	is_number(r.backup.last_recovery_point_age_hours)
}

describe(r) := concat(" ", [r.type, r.name]) if {
	is_string(r.name)
	r.name != ""
} else := r.address

# backup may be absent or null: object.get on null is a type error, so normalise first.
backup_of(r) := r.backup if {
	is_object(r.backup)
} else := {}

plan_names(r) := [p.name | some p in object.get(backup_of(r), "plans", [])]

evidence(r) := {
	"rpo_hours": rpo,
	"grace_hours": grace,
	"last_recovery_point_age_hours": object.get(backup_of(r), "last_recovery_point_age_hours", null),
	"plans": plan_names(r),
	"point_in_time_recovery": object.get(r, "point_in_time_recovery", null),
	"account": object.get(r, "account", null),
	"region": object.get(r, "region", null),
}

deny_1 := [{
	"msg": "no RPO declared (backup.rpo) and governance.yaml sets no backup.default_rpo_hours; the age of the latest recovery point cannot be judged",
	"field": "backup.rpo",
	"evidence": {"backup": object.get(input.product, "backup", null)},
} |
	applicable
	not has_rpo
]

# Positive on purpose: OPA reads `not is_number(x)` as undefined, not true, when x is undefined.
has_rpo if is_number(rpo)

has_age(r) if is_number(age(r))

deny_2 := [{
	"msg": concat("", [describe(r), " has no recovery point (AWS Backup or point-in-time recovery); ", rpo_text, " cannot be met"]),
	"subject": r.address,
	"evidence": evidence(r),
} |
	applicable
	is_number(rpo)
	some i in live
	r := input.resources[i]
	not has_age(r)
]

deny_3 := [{
	"msg": concat("", [describe(r), "'s latest recovery point is ", num(age(r)), " h old, older than ", rpo_text]),
	"subject": r.address,
	"evidence": evidence(r),
} |
	applicable
	is_number(rpo)
	some i in live
	r := input.resources[i]
	age(r) > rpo + grace
]

deny_4 := [{"msg": concat("", ["GOV-BAK-003 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["grace_hours"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(array.concat(deny_1, deny_2), deny_3), deny_4)

deny contains v if some v in deny_list
