# Tests for GOV-ACC-001. Helper names are unique to this file: regopy crashes when two packages
# define functions of one name with different arities.
package governance.access.default_deny_test

import rego.v1

import data.governance.access.default_deny

orders := {"id": "orders", "name": "orders", "access": {"default_policy": "DENY", "allowed_consumers": ["domain:finance"]}}

acc_result(prod) := {"deny": d, "applicable": a} if {
	d := default_deny.deny with input.product as prod
	a := default_deny.applicable with input.product as prod
}

acc_only(s) := v if {
	count(s) == 1
	some v in s
}

acc_with(access) := object.union(orders, {"access": access})

test_deny_passes if {
	p := orders
	r := acc_result(p)
	r.deny == set()
	r.applicable == true
}

test_deny_is_case_insensitive if {
	p := acc_with({"default_policy": " deny ", "allowed_consumers": []})
	acc_result(p).deny == set()
}

test_allow_fails if {
	p := acc_with({"default_policy": "ALLOW", "allowed_consumers": []})
	v := acc_only(acc_result(p).deny)
	v.msg == "default access policy is ALLOW; expected DENY"
	v.field == "access.default_policy"
	v.evidence.expected == "DENY"
}

test_unknown_policy_value_fails if {
	p := acc_with({"default_policy": "open-to-domain", "allowed_consumers": []})
	v := acc_only(acc_result(p).deny)
	v.msg == "default access policy is open-to-domain; expected DENY"
}

test_missing_access_declaration_fails if {
	p := object.remove(orders, ["access"])
	v := acc_only(acc_result(p).deny)
	v.msg == "no access declaration; expected access.default_policy DENY"
	v.field == "access"
}

test_null_access_declaration_fails if {
	p := acc_with(null)
	v := acc_only(acc_result(p).deny)
	v.msg == "no access declaration; expected access.default_policy DENY"
}

test_access_without_default_policy_fails if {
	p := acc_with({"default_policy": null, "allowed_consumers": ["domain:finance"]})
	v := acc_only(acc_result(p).deny)
	v.msg == "access declares no default_policy; expected DENY"
	v.field == "access.default_policy"
}

test_blank_default_policy_fails if {
	p := acc_with({"default_policy": "  ", "allowed_consumers": []})
	acc_only(acc_result(p).deny).msg == "access declares no default_policy; expected DENY"
}

test_unowned_bundle_is_not_applicable if {
	r := acc_result(null)
	r.deny == set()
	r.applicable == false
}
