# Tests for GOV-ACC-001.
package governance.access.default_deny_test

import rego.v1

import data.governance.access.default_deny

orders := {"id": "orders", "name": "orders", "access": {"default_policy": "DENY", "allowed_consumers": ["domain:finance"]}}

result(prod) := {"deny": d, "applicable": a} if {
	d := default_deny.deny with input as {"product": prod, "resources": []}
	a := default_deny.applicable with input as {"product": prod, "resources": []}
}

only(s) := v if {
	count(s) == 1
	some v in s
}

# object.union merges nested objects: drop the declared access first so `access` replaces it.
with_access(access) := object.union(object.remove(orders, ["access"]), {"access": access})

test_deny_passes if {
	r := result(orders)
	r.deny == set()
	r.applicable == true
}

test_deny_is_case_insensitive if {
	result(with_access({"default_policy": " deny ", "allowed_consumers": []})).deny == set()
}

test_allow_fails if {
	access := {"default_policy": "ALLOW", "allowed_consumers": []}
	v := only(result(with_access(access)).deny)
	v.msg == "default access policy is ALLOW; expected DENY"
	v.field == "access.default_policy"
	v.evidence == {"access": access, "expected": "DENY"}
}

test_unknown_policy_value_fails if {
	v := only(result(with_access({"default_policy": "open-to-domain", "allowed_consumers": []})).deny)
	v.msg == "default access policy is open-to-domain; expected DENY"
}

test_policy_is_quoted_as_written if {
	v := only(result(with_access({"default_policy": " allow "})).deny)
	v.msg == "default access policy is  allow ; expected DENY"
}

test_missing_access_declaration_fails if {
	v := only(result(object.remove(orders, ["access"])).deny)
	v.msg == "no access declaration; expected access.default_policy DENY"
	v.field == "access"
	v.evidence == {"access": null, "expected": "DENY"}
}

test_null_access_declaration_fails if {
	v := only(result(with_access(null)).deny)
	v.msg == "no access declaration; expected access.default_policy DENY"
}

test_access_without_default_policy_fails if {
	v := only(result(with_access({"default_policy": null, "allowed_consumers": ["domain:finance"]})).deny)
	v.msg == "access declares no default_policy; expected DENY"
	v.field == "access.default_policy"
}

test_access_with_default_policy_missing_fails if {
	v := only(result(with_access({"allowed_consumers": []})).deny)
	v.msg == "access declares no default_policy; expected DENY"
}

test_blank_default_policy_fails if {
	only(result(with_access({"default_policy": "  ", "allowed_consumers": []})).deny).msg == "access declares no default_policy; expected DENY"
}

test_non_string_default_policy_fails if {
	only(result(with_access({"default_policy": true})).deny).msg == "access declares no default_policy; expected DENY"
}

test_unowned_bundle_is_not_applicable if {
	r := result(null)
	r.deny == set()
	r.applicable == false
}
