# GOV-DQ-001: the product's data-quality suites pass on its sample data.
#
# input.quality.suites holds one result per suite run on the sample (declared suites, configured
# default suites, and the contract's quality rules mapped to expectations): success, score (share
# of expectations that passed) and per-expectation counts. A suite that did not succeed fails
# unless its score reaches the product's quality.min_score, else the min_score parameter (1.0:
# every expectation must pass). Suites that could not run at all never get here: they are run
# errors (exit 2), not results.
#
# Declared suites without quality evidence (no sample found) are a warning, or a failure when the
# require_sample parameter is true: nothing was checked, so nothing may pass.
package governance.quality.suites

import rego.v1

default params := {}

params := data.governance.params["GOV-DQ-001"]

declared := s if {
	s := input.product.quality.suites
	is_array(s)
} else := []

results := r if {
	r := input.quality.suites
	is_array(r)
} else := []

default applicable := false

applicable if {
	is_string(input.product.id)
	count(results) > 0
}

applicable if {
	is_string(input.product.id)
	count(declared) > 0
}

min_score := s if {
	s := input.product.quality.min_score
	is_number(s)
} else := params.min_score

score_source := "the product's quality.min_score" if {
	is_number(input.product.quality.min_score)
} else := "the GOV-DQ-001 min_score parameter"

failed(r) := [{
	"type": e.type,
	"column": object.get(e, "column", null),
	"element_count": object.get(e, "element_count", null),
	"unexpected_count": object.get(e, "unexpected_count", null),
	"unexpected_percent": object.get(e, "unexpected_percent", null),
} |
	some e in r.expectations
	e.success == false
]

summary(r) := concat("", [
	format_int(count(r.expectations) - count(failed(r)), 10), " of ",
	format_int(count(r.expectations), 10), " expectations passed",
])

failed_types(r) := concat(", ", [e.type | some e in failed(r)])

evidence(r) := {
	"suite": r.suite,
	"file": object.get(r, "file", null),
	"score": r.score,
	"min_score": min_score,
	"failed_expectations": failed(r),
	"sample": object.get(input.quality, "sample", null),
	"rows_sampled": object.get(input.quality, "rows_sampled", null),
}

# ------------------------------------------------------------------------------------ verdicts

deny_1 := [{
	"msg": concat("", [
		"suite ", r.suite, " failed on the sample: ", summary(r), " (score ", sprintf("%v", [r.score]),
		", required ", sprintf("%v", [min_score]), " by ", score_source, "); failing: ", failed_types(r),
	]),
	"subject": r.suite,
	"field": "quality",
	"evidence": evidence(r),
} |
	some r in results
	r.success == false
	r.score < min_score
]

warn_1 := [{
	"msg": concat("", [
		"suite ", r.suite, " passes on score only: ", summary(r), " (score ", sprintf("%v", [r.score]),
		" >= ", sprintf("%v", [min_score]), "); failing: ", failed_types(r),
	]),
	"subject": r.suite,
	"field": "quality",
	"evidence": evidence(r),
} |
	some r in results
	r.success == false
	r.score >= min_score
]

no_sample_msg := concat("", [
	"product declares quality suites (", concat(", ", declared),
	") but no sample data was found to run them: declare quality.sample or pass --samples DIR",
])

no_evidence if not is_object(input.quality)

deny_2 := [{"msg": no_sample_msg, "field": "quality", "evidence": {"suites": declared}} |
	count(declared) > 0
	no_evidence
	params.require_sample == true
]

warn_2 := [{"msg": no_sample_msg, "field": "quality", "evidence": {"suites": declared}} |
	count(declared) > 0
	no_evidence
	params.require_sample == false
]

deny_3 := [{"msg": concat("", ["GOV-DQ-001 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["min_score", "require_sample"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list

# Every warn member as one array, for the engine (docs: policies/README.md, deny_list).
warn_list := array.concat(warn_1, warn_2)

warn contains v if some v in warn_list
