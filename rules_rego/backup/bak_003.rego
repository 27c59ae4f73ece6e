# GOV-BAK-003: the newest recovery point of each live data-bearing resource is younger than the RPO.
#
# Live evidence only: applies to a product with at least one linked resource whose source is
# "live" and that is data-bearing (plan-only runs cannot see recovery points). The collector puts
# the age of the newest usable recovery point (AWS Backup, or the latest restorable time of native
# point-in-time recovery) in backup.last_recovery_point_age_hours.
# RPO: product.backup.rpo_hours, else data.governance.config.backup.default_rpo_hours; the
# grace_hours parameter (default 0) tolerates backup jobs still running at scan time.
# Fails closed: no RPO, or no recovery point at all, is a failure, never a pass.
package governance.backup.recovery_point_age

import rego.v1

default params := {}

params := data.governance.params["GOV-BAK-003"]

# Live, data-bearing resources: the only ones whose recovery points the collector can see.
has_live if {
	some r in input.resources
	r.source == "live"
	r.data_bearing == true
}

default applicable := false

applicable if {
	input.product != null
	has_live
}

rpo := input.product.backup.rpo_hours if {
	is_number(input.product.backup.rpo_hours)
} else := data.governance.config.backup.default_rpo_hours if {
	is_number(data.governance.config.backup.default_rpo_hours)
}

grace := params.grace_hours if {
	is_number(params.grace_hours)
} else := 0

rpo_text := sprintf("the declared RPO of %v h", [rpo]) if {
	is_number(input.product.backup.rpo_hours)
} else := sprintf("the default RPO of %v h (governance.yaml backup.default_rpo_hours)", [rpo])

age(r) := r.backup.last_recovery_point_age_hours if {
	is_number(r.backup.last_recovery_point_age_hours)
}

describe(r) := sprintf("%s %s", [r.type, r.name]) if {
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

# Positive on purpose: OPA reads `not is_number(x)` as undefined, not true, when x is undefined.
has_rpo if is_number(rpo)

has_age(r) if is_number(age(r))

deny contains {
	"msg": "no RPO declared (backup.rpo) and governance.yaml sets no backup.default_rpo_hours; the age of the latest recovery point cannot be judged",
	"field": "backup.rpo",
	"evidence": {"backup": object.get(input.product, "backup", null)},
} if {
	applicable
	not has_rpo
}

deny contains {
	"msg": sprintf("%s has no recovery point (AWS Backup or point-in-time recovery); %s cannot be met", [describe(r), rpo_text]),
	"subject": r.address,
	"evidence": evidence(r),
} if {
	applicable
	has_rpo
	some r in input.resources
	r.source == "live"
	r.data_bearing == true
	not has_age(r)
}

deny contains {
	"msg": sprintf("%s's latest recovery point is %v h old, older than %s", [describe(r), a, rpo_text]),
	"subject": r.address,
	"evidence": evidence(r),
} if {
	applicable
	limit := rpo + grace
	some r in input.resources
	r.source == "live"
	r.data_bearing == true
	a := age(r)
	a > limit
}

deny contains {"msg": sprintf("GOV-BAK-003 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["grace_hours"]
	not k in object.keys(params)
}
