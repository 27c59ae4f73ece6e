# GOV-BAK-001: a backup plan covers the product's data-bearing storage and its worst-case interval
# meets the RPO.
#
# RPO: product.backup.rpo_hours, else data.governance.config.backup.default_rpo_hours; with
# neither, the product fails ("no RPO declared"). Coverage of a resource: the backup plans that
# select it (resource.backup.plans), continuous backup (backup.continuous or a continuous plan),
# and, when the accept_native_pitr parameter is true, the service's own point-in-time recovery
# (point_in_time_recovery: DynamoDB PITR, RDS/Aurora automated backups as the collector maps them;
# backup_retention_days alone does not count, since Redshift's automated snapshots are periodic).
# Worst-case interval: the smallest interval among the covering schedules (the most frequent one
# bounds the gap); continuous backup counts as config.backup.continuous_interval_hours.
# Fails closed: a product with no data-bearing storage linked fails (nothing proves a backup),
# and plans whose schedule interval is unknown do not count as meeting the RPO.
package governance.backup.coverage

import rego.v1

default params := {}

params := data.governance.params["GOV-BAK-001"]

default applicable := false

applicable if input.product != null

continuous_interval := data.governance.config.backup.continuous_interval_hours

nonempty(s) if {
	is_string(s)
	trim_space(s) != ""
}

# ------------------------------------------------------------------------------------------ RPO

rpo := input.product.backup.rpo_hours if {
	is_number(input.product.backup.rpo_hours)
} else := data.governance.config.backup.default_rpo_hours if {
	is_number(data.governance.config.backup.default_rpo_hours)
}

# Positive on purpose: OPA reads `not is_number(rpo)` as undefined, not true, when rpo is
# undefined, so the missing-RPO finding would never fire.
has_rpo if is_number(rpo)

rpo_value := rpo if has_rpo else := null

rpo_text := sprintf("the declared RPO of %v h (%s)", [rpo, input.product.backup.rpo]) if {
	is_number(input.product.backup.rpo_hours)
	nonempty(input.product.backup.rpo)
} else := sprintf("the declared RPO of %v h", [rpo]) if {
	is_number(input.product.backup.rpo_hours)
} else := sprintf("the default RPO of %v h (governance.yaml backup.default_rpo_hours)", [rpo]) if {
	has_rpo
} else := "an RPO (none declared)"

# -------------------------------------------------------------------------------------- storage

storage_count := count([r | some r in input.resources; r.data_bearing == true])

has_storage if storage_count > 0

# Positions of the data-bearing resources that a scheduled plan within the RPO covers: the common
# passing case, settled in one pass without a function call or a collection per resource (such a
# resource is covered, has an interval, and its worst case is at most that plan's).
scheduled_within_rpo := {i |
	limit := rpo
	some i, r in input.resources
	r.data_bearing == true
	some p in r.backup.plans
	p.interval_hours <= limit
	is_number(p.interval_hours)
	not p.continuous == true
	is_array(r.backup.plans)
}

# Every other data-bearing resource (none when all are settled): the verdicts below check these
# in full.
unsettled := [r |
	settled := scheduled_within_rpo
	some i, r in input.resources
	r.data_bearing == true
	not settled[i]
] if {
	count(scheduled_within_rpo) < storage_count
} else := []

# A null or missing backup (or plans) field reads as no plans: a finding, never a type error.
plans(r) := r.backup.plans if is_array(r.backup.plans) else := []

continuous(r) if r.backup.continuous == true

continuous(r) if {
	is_array(r.backup.plans)
	some p in r.backup.plans
	p.continuous == true
}

continuous(r) if {
	params.accept_native_pitr == true
	r.point_in_time_recovery == true
}

# Any plan covers (even one whose interval is unknown); a continuous plan is one of them.
covered(r) if {
	is_array(r.backup.plans)
	count(r.backup.plans) > 0
}

covered(r) if r.backup.continuous == true

covered(r) if {
	params.accept_native_pitr == true
	r.point_in_time_recovery == true
}

# The intervals a resource's coverage guarantees: each scheduled (non-continuous) plan's, and the
# configured credit for continuous backup. A plan whose interval is unknown adds none.
intervals(r) := {p.interval_hours |
	some p in plans(r)
	not p.continuous == true
	is_number(p.interval_hours)
} | {continuous_interval | continuous(r)}

# The smallest interval bounds the gap between two recovery points; undefined with no interval.
worst(r) := min(iv) if {
	iv := intervals(r)
	count(iv) > 0
}

has_interval(r) if is_number(worst(r))

# ----------------------------------------------------------------------------------- messages

describe(r) := sprintf("%s %s", [r.type, r.name]) if nonempty(r.name) else := r.address

plan_names(r) := concat(", ", [p.name | some p in plans(r)])

# What the worst-case interval w rests on (cont: whether r is backed up continuously). Among tied
# plans the first one listed is named.
basis(_, _, true) := sprintf("continuous backup, credited as %v h", [continuous_interval])

basis(r, w, false) := sprintf("plan %s, schedule %s", [p.name, p.schedule]) if {
	p := [q | some q in plans(r); q.interval_hours == w; is_string(q.name); nonempty(q.schedule)][0]
} else := "its backup plans"

# The facts a verdict used; the worst-case interval (null if none) and the continuous flag are
# passed in, as each verdict already knows them.
evidence(r, interval, cont) := {
	"rpo_hours": rpo_value,
	"worst_case_interval_hours": interval,
	"continuous": cont,
	"plans": [{
		"name": object.get(p, "name", null),
		"schedule": object.get(p, "schedule", null),
		"interval_hours": object.get(p, "interval_hours", null),
		"continuous": object.get(p, "continuous", false),
	} |
		some p in plans(r)
	],
}

continuous_flag(r) if continuous(r) else := false

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": "no RPO declared (backup.rpo) and governance.yaml sets no backup.default_rpo_hours; backups cannot be checked against a recovery objective",
	"field": "backup.rpo",
	"evidence": {"backup": object.get(input.product, "backup", null)},
} if {
	applicable
	not has_rpo
}

deny contains {
	"msg": sprintf("no data-bearing storage is linked to product %v; backup coverage cannot be verified", [input.product.id]),
	"evidence": {
		"declared_storage": object.get(input.product, "storage", []),
		"linked_resources": count(object.get(input, "resources", [])),
	},
} if {
	applicable
	not has_storage
}

deny contains {
	"msg": sprintf("%s is not covered by any backup plan or continuous backup; expected a backup meeting %s", [describe(r), rpo_text]),
	"subject": r.address,
	"evidence": evidence(r, null, false),
} if {
	applicable
	some r in unsettled
	not covered(r)
}

deny contains {
	"msg": sprintf("%s is covered by %s but no schedule interval could be determined; cannot verify %s", [describe(r), plan_names(r), rpo_text]),
	"subject": r.address,
	"evidence": evidence(r, null, continuous_flag(r)),
} if {
	applicable
	some r in unsettled
	covered(r)
	not has_interval(r)
}

deny contains {
	"msg": sprintf("%s has a worst-case backup interval of %v h (%s), exceeding %s", [describe(r), w, basis(r, w, cont), rpo_text]),
	"subject": r.address,
	"evidence": evidence(r, w, cont),
} if {
	applicable
	limit := rpo
	some r in unsettled
	w := worst(r)
	w > limit
	cont := continuous_flag(r)
}

deny contains {"msg": sprintf("GOV-BAK-001 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["accept_native_pitr"]
	not k in object.keys(params)
}
