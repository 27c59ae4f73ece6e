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
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.backup.coverage

import rego.v1

default params := {}

params := data.governance.params["GOV-BAK-001"]

default applicable := false

applicable if input.product != null

continuous_interval := data.governance.config.backup.continuous_interval_hours

num(n) := sprintf("%v", [n])

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

rpo_value := rpo if {
	is_number(rpo)
} else := null

rpo_text := concat("", ["the declared RPO of ", num(rpo), " h (", input.product.backup.rpo, ")"]) if {
	is_number(input.product.backup.rpo_hours)
	nonempty(input.product.backup.rpo)
} else := concat("", ["the declared RPO of ", num(rpo), " h"]) if {
	is_number(input.product.backup.rpo_hours)
} else := concat("", ["the default RPO of ", num(rpo), " h (governance.yaml backup.default_rpo_hours)"]) if {
	is_number(rpo)
} else := "an RPO (none declared)"

# -------------------------------------------------------------------------------------- storage

# Indices into input.resources, not the resources: regopy copies every object put into a new
# collection (~20-50 us per resource), while binding rs[i] to a name does not copy.
storage := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.data_bearing == true
]

plans(r) := r.backup.plans if {
	is_array(r.backup.plans)
} else := []

# What the verdicts need of each storage resource, computed once: every helper call costs tens of
# microseconds on regopy, and the verdicts used to call covered/intervals/worst (and these each
# other) again and again. Continuous: the resource's flag, a continuous plan, or (when the
# accept_native_pitr parameter is true) the service's point-in-time recovery. "worst" holds the
# smallest interval (more than once if tied), empty when no interval is known; not min():
# regopy 1.5.2's min/max/sort order numbers as text (min([168, 24]) is 168).
facts := [{"i": i, "plans": ps, "continuous": cont, "covered": cv, "intervals": iv, "worst": ws} |
	rs := input.resources
	ix := storage
	pitr := object.get(params, "accept_native_pitr", false)
	ci := continuous_interval
	some i in ix
	r := rs[i]
	ps := plans(r)
	flags := array.concat(
		[true | r.backup.continuous == true],
		array.concat(
			[true | some p in ps; p.continuous == true],
			[true | pitr == true; r.point_in_time_recovery == true],
		),
	)
	cont := count(flags) > 0
	cv := count(ps) + count(flags) > 0
	iv := array.concat(
		[p.interval_hours | some p in ps; not p.continuous == true; is_number(p.interval_hours)],
		[ci | cont],
	)
	ws := [m | some m in iv; count([y | some y in iv; y < m]) == 0]
]

plan_names(f) := concat(", ", [p.name | some p in f.plans])

basis(f) := concat("", ["continuous backup, credited as ", num(continuous_interval), " h"]) if {
	f.continuous
} else := concat("", ["plan ", p.name, ", schedule ", p.schedule]) if {
	some p in f.plans
	p.interval_hours == f.worst[0]
	nonempty(p.schedule)
} else := "its backup plans"

evidence(f) := {
	"rpo_hours": rpo_value,
	"worst_case_interval_hours": worst_value(f),
	"continuous": f.continuous,
	"plans": [{
		"name": object.get(p, "name", null),
		"schedule": object.get(p, "schedule", null),
		"interval_hours": object.get(p, "interval_hours", null),
		"continuous": object.get(p, "continuous", false),
	} |
		some p in f.plans
	],
}

worst_value(f) := f.worst[0] if {
	count(f.worst) > 0
} else := null

describe(r) := concat(" ", [r.type, r.name]) if {
	nonempty(r.name)
} else := r.address

# ------------------------------------------------------------------------------------ verdicts

deny_1 := [{
	"msg": "no RPO declared (backup.rpo) and governance.yaml sets no backup.default_rpo_hours; backups cannot be checked against a recovery objective",
	"field": "backup.rpo",
	"evidence": {"backup": object.get(input.product, "backup", null)},
} |
	applicable
	not has_rpo
]

# Positive on purpose: OPA reads `not is_number(rpo)` as undefined, not true, when rpo is undefined.
has_rpo if is_number(rpo)

deny_2 := [{
	"msg": concat("", [
		"no data-bearing storage is linked to product ", input.product.id,
		"; backup coverage cannot be verified",
	]),
	"evidence": {
		"declared_storage": object.get(input.product, "storage", []),
		"linked_resources": count(object.get(input, "resources", [])),
	},
} |
	applicable
	count(storage) == 0
]

deny_3 := [{
	"msg": concat("", [describe(r), " is not covered by any backup plan or continuous backup; expected a backup meeting ", rpo_text]),
	"subject": r.address,
	"evidence": evidence(f),
} |
	applicable
	some f in facts
	not f.covered
	r := input.resources[f.i]
]

deny_4 := [{
	"msg": concat("", [
		describe(r), " is covered by ", plan_names(f),
		" but no schedule interval could be determined; cannot verify ", rpo_text,
	]),
	"subject": r.address,
	"evidence": evidence(f),
} |
	applicable
	some f in facts
	f.covered
	count(f.intervals) == 0
	r := input.resources[f.i]
]

deny_5 := [{
	"msg": concat("", [
		describe(r), " has a worst-case backup interval of ", num(f.worst[0]), " h (", basis(f),
		"), exceeding ", rpo_text,
	]),
	"subject": r.address,
	"evidence": evidence(f),
} |
	applicable
	limit := rpo
	some f in facts
	f.worst[0] > limit
	r := input.resources[f.i]
]

deny_6 := [{"msg": concat("", ["GOV-BAK-001 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["accept_native_pitr"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(array.concat(array.concat(array.concat(deny_1, deny_2), deny_3), deny_4), deny_5), deny_6)

deny contains v if some v in deny_list
