# Tests for GOV-DRIFT-001 (path-level `with input.drift as`: whole-input mocking crashes regopy).
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

test_no_drift_passes if {
	d := plan_vs_live.deny with input.drift as []
	count(d) == 0
	plan_vs_live.applicable with input.drift as []
}

test_changed_field_fires if {
	d := plan_vs_live.deny with input.drift as [changed]
	count(d) == 1
	some f in d
	f.subject == "arn:aws:s3:::orders"
	f.msg == "arn:aws:s3:::orders: versioning is false live but true in the plan"
}

test_missing_resource_fires if {
	d := plan_vs_live.deny with input.drift as [missing]
	count(d) == 1
	some f in d
	f.msg == "aws_s3_bucket.gone is in the plan but was not found in the live account"
}

test_not_applicable_without_a_plan_comparison if {
	not plan_vs_live.applicable with input.drift as null
}
