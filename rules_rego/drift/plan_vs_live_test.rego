# Tests for GOV-DRIFT-001.
package governance.drift.plan_vs_live_test

import rego.v1

import data.governance.drift.plan_vs_live

changed := {
	"kind": "changed", "type": "aws_s3_bucket", "plan_address": "aws_s3_bucket.orders",
	"subject": "arn:aws:s3:::orders", "field": "versioning", "planned": true, "live": false,
}

missing := {
	"kind": "missing", "type": "aws_s3_bucket", "plan_address": "aws_s3_bucket.gone",
	"subject": "aws_s3_bucket.gone", "field": "exists", "planned": true, "live": false,
}

result(drift) := {"deny": d, "applicable": a} if {
	d := plan_vs_live.deny with input as {"product": null, "resources": [], "drift": drift}
	a := plan_vs_live.applicable with input as {"product": null, "resources": [], "drift": drift}
}

only(s) := v if {
	count(s) == 1
	some v in s
}

test_no_drift_passes if {
	r := result([])
	r.deny == set()
	r.applicable == true
}

test_changed_field_fires if {
	f := only(result([changed]).deny)
	f.subject == "arn:aws:s3:::orders"
	f.msg == "arn:aws:s3:::orders: versioning is false live but true in the plan"
	f.evidence == {
		"type": "aws_s3_bucket", "plan_address": "aws_s3_bucket.orders",
		"field": "versioning", "planned": true, "live": false,
	}
}

test_changed_values_are_shown_as_json if {
	c := object.union(changed, {"field": "encryption.algorithm", "planned": "aws:kms", "live": null})
	only(result([c]).deny).msg == `arn:aws:s3:::orders: encryption.algorithm is null live but "aws:kms" in the plan`
}

test_changed_field_without_values_still_fires if {
	c := object.remove(changed, ["planned", "live"])
	f := only(result([c]).deny)
	f.msg == "arn:aws:s3:::orders: versioning is null live but null in the plan"
	f.evidence.planned == null
}

test_missing_resource_fires if {
	f := only(result([missing]).deny)
	f.msg == "aws_s3_bucket.gone is in the plan but was not found in the live account"
	f.subject == "aws_s3_bucket.gone"
	f.evidence == {"type": "aws_s3_bucket", "plan_address": "aws_s3_bucket.gone"}
}

test_every_difference_fires_once if {
	d := result([changed, missing, changed]).deny
	count(d) == 2
	{f.subject | some f in d} == {"arn:aws:s3:::orders", "aws_s3_bucket.gone"}
}

test_not_applicable_without_a_plan_comparison if {
	r := result(null)
	r.applicable == false
	r.deny == set()
}

test_not_applicable_when_drift_is_absent if {
	not plan_vs_live.applicable with input as {"product": null, "resources": []}
}
