# Tests for GOV-BAK-003.
package governance.backup.recovery_point_age_test

import rego.v1

import data.governance.backup.recovery_point_age as bak

cfg_none := {"backup": {"default_rpo_hours": null, "continuous_interval_hours": 0.0833}}

pars_default := {"GOV-BAK-003": {"grace_hours": 0}}

orders := {
	"id": "orders",
	"name": "orders",
	"backup": {"rpo": "PT24H", "rpo_hours": 24},
}

live_bucket(age_hours) := {
	"address": "arn:aws:s3:::mesh-sales-orders-prod",
	"type": "aws_s3_bucket",
	"source": "live",
	"name": "mesh-sales-orders-prod",
	"account": "123456789012",
	"region": "eu-west-1",
	"data_bearing": true,
	"backup": {
		"plans": [{"name": "daily/r", "interval_hours": 24}],
		"continuous": false,
		"last_recovery_point_age_hours": age_hours,
	},
}

result(prod, res, cfg, pars) := {"deny": d, "applicable": a} if {
	d := bak.deny with input.product as prod with input.resources as res
		with data.governance.config as cfg
		with data.governance.params as pars
	a := bak.applicable with input.product as prod with input.resources as res
		with data.governance.config as cfg
		with data.governance.params as pars
}

deny_of(prod, res) := result(prod, res, c, p).deny if {
	c := cfg_none
	p := pars_default
}

only(s) := v if {
	count(s) == 1
	some v in s
}

test_recent_recovery_point_passes if {
	p := orders
	r := result(p, [live_bucket(5.5)], cfg_none, pars_default)
	r.applicable == true
	r.deny == set()
}

test_stale_recovery_point_fails if {
	p := orders
	v := only(deny_of(p, [live_bucket(30)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod's latest recovery point is 30 h old, older than the declared RPO of 24 h"
	v.subject == "arn:aws:s3:::mesh-sales-orders-prod"
	v.evidence.last_recovery_point_age_hours == 30
	v.evidence.rpo_hours == 24
	v.evidence.plans == ["daily/r"]
}

test_age_equal_to_rpo_passes if {
	p := orders
	deny_of(p, [live_bucket(24)]) == set()
}

test_missing_recovery_point_fails if {
	p := orders
	v := only(deny_of(p, [live_bucket(null)]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has no recovery point (AWS Backup or point-in-time recovery); the declared RPO of 24 h cannot be met"
}

test_resource_without_backup_field_fails if {
	p := orders
	table := {"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/t", "type": "aws_dynamodb_table", "source": "live", "data_bearing": true}
	v := only(deny_of(p, [table]))
	v.subject == "arn:aws:dynamodb:eu-west-1:123456789012:table/t"
	startswith(v.msg, "arn:aws:dynamodb:eu-west-1:123456789012:table/t has no recovery point")
}

test_null_backup_fails_without_a_type_error if {
	p := orders
	table := {"address": "arn:aws:dynamodb:eu-west-1:123456789012:table/t", "type": "aws_dynamodb_table", "source": "live", "data_bearing": true, "backup": null}
	v := only(deny_of(p, [table]))
	v.evidence.plans == []
	v.evidence.last_recovery_point_age_hours == null
}

test_grace_hours_tolerate_running_jobs if {
	p := orders
	c := cfg_none
	deny_with_grace := result(p, [live_bucket(25)], c, {"GOV-BAK-003": {"grace_hours": 2}}).deny
	deny_with_grace == set()
	count(deny_of(p, [live_bucket(25)])) == 1
}

test_default_rpo_applies_when_none_declared if {
	p := object.union(orders, {"backup": null})
	c := {"backup": {"default_rpo_hours": 12, "continuous_interval_hours": 0.0833}}
	v := only(result(p, [live_bucket(13)], c, pars_default).deny)
	v.msg == "aws_s3_bucket mesh-sales-orders-prod's latest recovery point is 13 h old, older than the default RPO of 12 h (governance.yaml backup.default_rpo_hours)"
}

test_no_rpo_fails_closed if {
	p := object.union(orders, {"backup": null})
	v := only(deny_of(p, [live_bucket(1)]))
	v.field == "backup.rpo"
	startswith(v.msg, "no RPO declared (backup.rpo)")
}

test_plan_evidence_is_not_applicable if {
	p := orders
	planned := object.union(live_bucket(null), {"source": "plan", "address": "aws_s3_bucket.orders"})
	r := result(p, [planned], cfg_none, pars_default)
	r.applicable == false
	r.deny == set()
}

test_live_key_alone_is_not_applicable if {
	p := orders
	key := {"address": "arn:aws:kms:eu-west-1:123456789012:key/k", "type": "aws_kms_key", "source": "live", "data_bearing": false}
	result(p, [key], cfg_none, pars_default).applicable == false
}

test_only_stale_resources_fail if {
	p := orders
	fresh := object.union(live_bucket(2), {"address": "arn:aws:s3:::fresh", "name": "fresh"})
	stale := object.union(live_bucket(48), {"address": "arn:aws:s3:::stale", "name": "stale"})
	{v.subject | some v in deny_of(p, [fresh, stale])} == {"arn:aws:s3:::stale"}
}

test_unowned_bundle_is_not_applicable if {
	r := result(null, [live_bucket(null)], cfg_none, pars_default)
	r.applicable == false
	r.deny == set()
}

test_missing_parameter_fails_closed if {
	p := orders
	c := cfg_none
	v := only(result(p, [live_bucket(1)], c, {}).deny)
	v.msg == "GOV-BAK-003 parameter grace_hours is not set (data.governance.params)"
}

test_product_without_backup_field_fails_closed if {
	p := {"id": "orders", "name": "orders"}
	v := only(deny_of(p, [live_bucket(1)]))
	v.field == "backup.rpo"
	v.evidence == {"backup": null}
}

test_null_rpo_hours_fails_closed if {
	p := object.union(orders, {"backup": {"rpo": "PT24H", "rpo_hours": null}})
	v := only(deny_of(p, [live_bucket(1)]))
	v.field == "backup.rpo"
}

test_backup_without_recovery_point_key_fails if {
	p := orders
	bucket := object.remove(live_bucket(1), ["backup"])
	no_key := object.union(bucket, {"backup": {"plans": [], "continuous": false}})
	v := only(deny_of(p, [no_key]))
	v.msg == "aws_s3_bucket mesh-sales-orders-prod has no recovery point (AWS Backup or point-in-time recovery); the declared RPO of 24 h cannot be met"
	v.evidence.last_recovery_point_age_hours == null
}

test_whole_input_mock_stale_and_fresh if {
	bundle := {"product": orders, "resources": [live_bucket(3), object.union(live_bucket(40), {"address": "arn:aws:s3:::old", "name": "old"})]}
	findings := bak.deny with input as bundle with data.governance.config as cfg_none with data.governance.params as pars_default
	{v.subject | some v in findings} == {"arn:aws:s3:::old"}
}
