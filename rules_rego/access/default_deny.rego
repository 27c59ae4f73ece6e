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

deny_1 := [{
	"msg": "no access declaration; expected access.default_policy DENY",
	"field": "access",
	"evidence": evidence,
} |
	applicable
	not declared
]

deny_2 := [{
	"msg": "access declares no default_policy; expected DENY",
	"field": "access.default_policy",
	"evidence": evidence,
} |
	applicable
	declared
	not policy
]

deny_3 := [{
	"msg": concat("", ["default access policy is ", policy, "; expected DENY"]),
	"field": "access.default_policy",
	"evidence": evidence,
} |
	applicable
	upper(trim_space(policy)) != "DENY"
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list
