# GOV-ACC-001: the product's default access policy is DENY.
#
# access.default_policy must be "DENY" (case-insensitive, surrounding spaces ignored). Fails
# closed: no access declaration, or one without a default policy, is a violation.
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.access.default_deny

import rego.v1

default applicable := false

applicable if input.product != null

policy := input.product.access.default_policy if {
	is_string(input.product.access.default_policy)
	trim_space(input.product.access.default_policy) != ""
}

declared if is_object(input.product.access)

evidence := {
	"access": object.get(input.product, "access", null),
	"expected": "DENY",
} if {
	applicable
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
	"msg": concat("", ["default access policy is ", policy, "; expected DENY"]),
	"field": "access.default_policy",
	"evidence": evidence,
} if {
	applicable
	upper(trim_space(policy)) != "DENY"
}
