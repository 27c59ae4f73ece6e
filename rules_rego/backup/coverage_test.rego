# Tests for GOV-BAK-001. Mocks are bound to locals named unlike the input keys they replace.
package governance.backup.coverage_test

import rego.v1

import data.governance.backup.coverage

mock_config := {"backup": {"default_rpo_hours": null, "continuous_interval_hours": 0.0833}}

default_params := {"GOV-BAK-001": {"accept_native_pitr": true}}

orders := {
	"id": "orders",
	"name": "orders",
	"backup": {"rpo": "PT24H", "rto": "PT4H", "rpo_hours": 24, "rto_hours": 4},
	"storage": ["mesh-sales-orders-prod"],
}

daily := {"name": "mesh-daily", "schedule": "cron(0 5 ? * * *)", "interval_hours": 24, "continuous": false}

weekly := {"name": "customer-weekly", "schedule": "cron(0 3 ? * SUN *)", "interval_hours": 168, "continuous": false}

cov_bucket(plan_list, cont) := {
	"address": "aws_s3_bucket.orders",
	"type": "aws_s3_bucket",
	"name": "mesh-sales-orders-prod",
	"data_bearing": true,
	"backup": {"plans": plan_list, "continuous": cont, "last_recovery_point_age_hours": null},
}

cov_result(prod, res, cfg, pars) := {"deny": d, "applicable": a} if {
	d := coverage.deny with input.product as prod with input.resources as res with data.governance.config as cfg
		with data.governance.params as pars
	a := coverage.applicable with input.product as prod with input.resources as res
		with data.governance.config as cfg
		with data.governance.params as pars
}

cov_deny(prod, res) := cov_result(prod, res, c, p).deny if {
	c := mock_config
	p := default_params
}

cov_only(s) := v if {
	count(s) == 1
	some v in s
}

cov_with_rpo(hours, text) := object.union(orders, {"backup": {"rpo": text, "rpo_hours": hours}})

test_daily_plan_meets_daily_rpo if {
	p := orders
	cov_deny(p, [cov_bucket([daily], false)]) == set()
}

test_weekly_plan_exceeds_hourly_rpo if {
	p := cov_with_rpo(1, "PT1H")
	v := cov_only(cov_deny(p, [cov_bucket([weekly], false)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has a worst-case backup interval of 168 h (plan customer-weekly, schedule cron(0 3 ? * SUN *)), exceeding the declared RPO of 1 h (PT1H)"
	v.subject == "aws_s3_bucket.orders"
	v.evidence.worst_case_interval_hours == 168
	v.evidence.rpo_hours == 1
}

test_most_frequent_plan_bounds_the_interval if {
	p := orders
	cov_deny(p, [cov_bucket([weekly, daily], false)]) == set()
}

test_continuous_backup_meets_hourly_rpo if {
	p := cov_with_rpo(1, "PT1H")
	cont_plan := {"name": "mesh-continuous", "schedule": "cron(0 */6 ? * * *)", "interval_hours": 6, "continuous": true}
	cov_deny(p, [cov_bucket([cont_plan], false)]) == set()
	cov_deny(p, [cov_bucket([], true)]) == set()
}

test_continuous_credit_is_configurable if {
	p := cov_with_rpo(0.05, "PT3M")
	c := mock_config
	pars := default_params
	v := cov_only(cov_result(p, [cov_bucket([], true)], c, pars).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has a worst-case backup interval of 0.0833 h (continuous backup, credited as 0.0833 h), exceeding the declared RPO of 0.05 h (PT3M)"
}

test_uncovered_storage_fails if {
	p := orders
	v := cov_only(cov_deny(p, [cov_bucket([], false)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod is not covered by any backup plan or continuous backup; expected a backup meeting the declared RPO of 24 h (PT24H)"
}

test_resource_without_backup_field_fails if {
	p := orders
	r := {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table", "data_bearing": true}
	v := cov_only(cov_deny(p, [r]))
	startswith(v.msg, "aws_dynamodb_table.t is not covered by any backup plan")
}

test_native_pitr_counts_when_accepted if {
	p := cov_with_rpo(1, "PT1H")
	table := {"address": "aws_dynamodb_table.t", "type": "aws_dynamodb_table", "data_bearing": true, "point_in_time_recovery": true, "backup": null}
	rds := {"address": "aws_db_instance.d", "type": "aws_db_instance", "data_bearing": true, "backup_retention_days": 7, "point_in_time_recovery": true, "backup": null}
	cov_deny(p, [table, rds]) == set()
	c := mock_config
	d := cov_result(p, [table, rds], c, {"GOV-BAK-001": {"accept_native_pitr": false}}).deny
	{v.subject | some v in d} == {"aws_dynamodb_table.t", "aws_db_instance.d"}
}

test_unknown_schedule_interval_fails if {
	p := orders
	odd := {"name": "odd", "schedule": "rate(unknown)", "interval_hours": null, "continuous": false}
	v := cov_only(cov_deny(p, [cov_bucket([odd], false)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod is covered by odd but no schedule interval could be determined; cannot verify the declared RPO of 24 h (PT24H)"
}

test_no_rpo_and_no_default_fails if {
	p := object.union(orders, {"backup": null})
	v := cov_only(cov_deny(p, [cov_bucket([daily], false)]))
	v.msg == "no RPO declared (backup.rpo) and governance.yaml sets no backup.default_rpo_hours; backups cannot be checked against a recovery objective"
	v.field == "backup.rpo"
}

test_default_rpo_applies_when_none_declared if {
	p := object.union(orders, {"backup": null})
	c := {"backup": {"default_rpo_hours": 12, "continuous_interval_hours": 0.0833}}
	pars := default_params
	v := cov_only(cov_result(p, [cov_bucket([daily], false)], c, pars).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has a worst-case backup interval of 24 h (plan mesh-daily, schedule cron(0 5 ? * * *)), exceeding the default RPO of 12 h (governance.yaml backup.default_rpo_hours)"
}

test_no_storage_linked_fails if {
	p := orders
	key := {"address": "aws_kms_key.orders", "type": "aws_kms_key", "data_bearing": false}
	v := cov_only(cov_deny(p, [key]))
	v.msg == "no data-bearing storage is linked to product orders; backup coverage cannot be verified"
	v.evidence.linked_resources == 1
}

test_unowned_bundle_is_not_applicable if {
	c := mock_config
	r := cov_result(null, [cov_bucket([], false)], c, default_params)
	r.deny == set()
	r.applicable == false
}

test_missing_parameter_fails_closed if {
	p := orders
	c := mock_config
	v := cov_only(cov_result(p, [cov_bucket([daily], false)], c, {}).deny)
	v.msg == "GOV-BAK-001 parameter accept_native_pitr is not set (data.governance.params)"
}

test_snapshot_retention_alone_is_not_coverage if {
	p := cov_with_rpo(1, "PT1H")
	redshift := {"address": "aws_redshift_cluster.w", "type": "aws_redshift_cluster", "data_bearing": true, "backup_retention_days": 7, "point_in_time_recovery": null, "backup": null}
	v := cov_only(cov_deny(p, [redshift]))
	startswith(v.msg, "aws_redshift_cluster.w is not covered by any backup plan")
}

test_product_without_backup_field_fails_closed if {
	p := object.remove(orders, ["backup"])
	v := cov_only(cov_deny(p, [cov_bucket([daily], false)]))
	v.field == "backup.rpo"
	v.evidence == {"backup": null}
}

test_null_rpo_hours_fails_closed if {
	p := cov_with_rpo(null, "PT24H")
	v := cov_only(cov_deny(p, [cov_bucket([daily], false)]))
	v.field == "backup.rpo"
}

test_no_rpo_still_reports_uncovered_storage if {
	p := object.remove(orders, ["backup"])
	d := cov_deny(p, [cov_bucket([], false)])
	count(d) == 2
	some v in d
	v.msg == "aws_s3_bucket mesh-sales-orders-prod is not covered by any backup plan or continuous backup; expected a backup meeting an RPO (none declared)"
	v.evidence == {"rpo_hours": null, "worst_case_interval_hours": null, "continuous": false, "plans": []}
}

test_null_backup_field_fails if {
	p := orders
	r := {"address": "aws_s3_bucket.raw", "type": "aws_s3_bucket", "data_bearing": true, "backup": null}
	v := cov_only(cov_deny(p, [r]))
	startswith(v.msg, "aws_s3_bucket.raw is not covered by any backup plan")
}

test_storage_linked_passes_the_storage_check if {
	p := orders
	key := {"address": "aws_kms_key.orders", "type": "aws_kms_key", "data_bearing": false}
	cov_deny(p, [key, cov_bucket([daily], false)]) == set()
}

# A continuous plan's own schedule is not its interval: the continuous credit is.
test_continuous_plan_is_credited_not_its_schedule if {
	p := cov_with_rpo(0.05, "PT3M")
	cont_plan := {"name": "mesh-continuous", "schedule": "cron(0 0 ? * * *)", "interval_hours": 0.01, "continuous": true}
	v := cov_only(cov_deny(p, [cov_bucket([cont_plan], false)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has a worst-case backup interval of 0.0833 h (continuous backup, credited as 0.0833 h), exceeding the declared RPO of 0.05 h (PT3M)"
	v.evidence.continuous == true
}

test_plan_with_unknown_interval_beside_a_known_one_passes if {
	p := orders
	odd := {"name": "odd", "schedule": "rate(unknown)", "interval_hours": null, "continuous": false}
	cov_deny(p, [cov_bucket([odd, daily], false)]) == set()
}

test_tied_plans_name_the_first_listed if {
	p := cov_with_rpo(1, "PT1H")
	other := object.union(daily, {"name": "second-daily"})
	v := cov_only(cov_deny(p, [cov_bucket([daily, other], false)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has a worst-case backup interval of 24 h (plan mesh-daily, schedule cron(0 5 ? * * *)), exceeding the declared RPO of 1 h (PT1H)"
	count(v.evidence.plans) == 2
}

test_whole_input_mock_only_failing_storage_is_reported if {
	ok := cov_bucket([daily], false)
	bad := object.union(cov_bucket([weekly], false), {"address": "aws_s3_bucket.raw", "name": "raw"})
	bundle := {"product": orders, "resources": [ok, bad]}
	findings := coverage.deny with input as bundle with data.governance.config as mock_config with data.governance.params as default_params
	{v.subject | some v in findings} == {"aws_s3_bucket.raw"}
}
