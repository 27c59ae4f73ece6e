package bench.retention

import rego.v1

tolerance := data.governance.params["BENCH-RET-001"].tolerance_days

deny contains {"msg": "retention_days is not declared", "field": "retention_days"} if {
	input.product.retention_days == null
}

deny contains {
	"msg": sprintf("%s expires after %d days, retention is %d", [r.address, days, retention]),
	"subject": r.address,
} if {
	retention := input.product.retention_days
	is_number(retention)
	resources := input.resources
	some r in resources
	r.type == "aws_s3_bucket"
	days := r.lifecycle.expiration_days
	is_number(days)
	days > retention + tolerance
}
