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

# Undefined when neither the product nor the parameter gives one: the parameter finding below
# then fails the policy.
min_score := s if {
	s := input.product.quality.min_score
	is_number(s)
} else := params.min_score if params.min_score != null

score_source := "the product's quality.min_score" if {
	is_number(input.product.quality.min_score)
} else := "the GOV-DQ-001 min_score parameter"

# Only built for a suite that did not succeed (inside the deny/warn bodies).
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

summary(r, failing) := sprintf("%d of %d expectations passed", [count(r.expectations) - count(failing), count(r.expectations)])

types(failing) := concat(", ", [e.type | some e in failing])

evidence(r, failing) := {
	"suite": r.suite,
	"file": object.get(r, "file", null),
	"score": r.score,
	"min_score": min_score,
	"failed_expectations": failing,
	"sample": object.get(input.quality, "sample", null),
	"rows_sampled": object.get(input.quality, "rows_sampled", null),
}

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": sprintf("suite %s failed on the sample: %s (score %v, required %v by %s); failing: %s", [r.suite, summary(r, failing), r.score, min_score, score_source, types(failing)]),
	"subject": r.suite,
	"field": "quality",
	"evidence": evidence(r, failing),
} if {
	some r in results
	r.success == false
	r.score < min_score
	failing := failed(r)
}

warn contains {
	"msg": sprintf("suite %s passes on score only: %s (score %v >= %v); failing: %s", [r.suite, summary(r, failing), r.score, min_score, types(failing)]),
	"subject": r.suite,
	"field": "quality",
	"evidence": evidence(r, failing),
} if {
	some r in results
	r.success == false
	r.score >= min_score
	failing := failed(r)
}

no_sample_msg := sprintf("product declares quality suites (%s) but no sample data was found to run them: declare quality.sample or pass --samples DIR", [concat(", ", declared)])

# Written positively: `not is_object(input.quality)` is undefined on OPA when the key is absent.
has_evidence if is_object(input.quality)

deny contains {"msg": no_sample_msg, "field": "quality", "evidence": {"suites": declared}} if {
	count(declared) > 0
	not has_evidence
	params.require_sample == true
}

warn contains {"msg": no_sample_msg, "field": "quality", "evidence": {"suites": declared}} if {
	count(declared) > 0
	not has_evidence
	params.require_sample == false
}

# A parameter left empty in governance.yaml reads as null: not set either (without it a failed
# suite or a missing sample would go unreported).
param_set(k) if params[k] != null

deny contains {"msg": sprintf("GOV-DQ-001 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["min_score", "require_sample"]
	not param_set(k)
}
