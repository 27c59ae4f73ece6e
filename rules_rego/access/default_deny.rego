# GOV-ACC-001: the product's default access policy is DENY.
#
# access.default_policy must be "DENY" (case-insensitive, surrounding spaces ignored). Fails
# closed: no access declaration, or one without a default policy (missing, null, blank or not a
# string), is a violation.
package governance.access.default_deny

import rego.v1

default applicable := false

applicable if input.product != null

declared if is_object(input.product.access)

# The declared default policy as written; undefined when there is none to read.
policy := p if {
	p := input.product.access.default_policy
	is_string(p)
	trim_space(p) != ""
}

denies if upper(trim_space(policy)) == "DENY"

evidence := {
	"access": object.get(input.product, "access", null),
	"expected": "DENY",
}

deny contains {
	"msg": "no access declaration; expected access.default_policy DENY",
	"field": "access",
	"evidence": evidence,
} if {
	applicable
	not declared
}

deny contains {
	"msg": "access declares no default_policy; expected DENY",
	"field": "access.default_policy",
	"evidence": evidence,
} if {
	applicable
	declared
	not policy
}

deny contains {
	"msg": sprintf("default access policy is %s; expected DENY", [policy]),
	"field": "access.default_policy",
	"evidence": evidence,
} if {
	applicable
	policy
	not denies
}
