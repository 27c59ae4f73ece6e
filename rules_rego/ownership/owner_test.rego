# Tests for GOV-OWN-001.
package governance.ownership.owner_test

import rego.v1

import data.governance.ownership.owner

mock_config := {"owner_team_pattern": `^[a-z0-9][a-z0-9._-]*[a-z0-9]$`}

product(who) := {"id": "orders", "name": "orders", "owner": who}

result_of(prod, cfg) := {"deny": d, "applicable": a} if {
	d := owner.deny with input as {"product": prod, "resources": []} with data.governance.config as cfg
	a := owner.applicable with input as {"product": prod, "resources": []} with data.governance.config as cfg
}

result(who, cfg) := result_of(product(who), cfg)

deny_of(who) := result(who, mock_config).deny

only(s) := v if {
	count(s) == 1
	some v in s
}

test_email_owner_passes if {
	deny_of("sales-data@example.com") == set()
	deny_of("First.Last+data@sub.example.co.uk") == set()
	result("sales-data@example.com", mock_config).applicable == true
}

test_team_id_owner_passes if {
	deny_of("finance-platform") == set()
	deny_of("logistics.data_team") == set()
}

test_owner_is_trimmed_before_matching if {
	deny_of("  finance-platform ") == set()
}

test_free_text_owner_fails if {
	v := only(deny_of("Sales Team"))
	v.msg == "owner Sales Team is neither an e-mail address nor a team id matching ^[a-z0-9][a-z0-9._-]*[a-z0-9]$"
	v.field == "owner"
	v.evidence == {"owner": "Sales Team", "team_pattern": `^[a-z0-9][a-z0-9._-]*[a-z0-9]$`}
}

test_free_text_owner_is_quoted_trimmed_with_raw_evidence if {
	v := only(deny_of(" Sales Team  "))
	startswith(v.msg, "owner Sales Team is neither")
	v.evidence.owner == " Sales Team  "
}

test_malformed_email_fails if {
	count(deny_of("sales-data@")) == 1
	count(deny_of("sales data@example.com")) == 1
	count(deny_of("@example.com")) == 1
}

test_team_id_must_match_configured_pattern if {
	count(deny_of("-leading-dash")) == 1
	c := {"owner_team_pattern": `^team-[a-z]+$`}
	count(result("finance-platform", c).deny) == 1
	result("team-finance", c).deny == set()
}

test_missing_owner_fails if {
	v := only(deny_of(null))
	v.msg == "no owner declared; expected an e-mail address or a team id matching ^[a-z0-9][a-z0-9._-]*[a-z0-9]$"
	v.field == "owner"
	v.evidence.owner == null
}

test_absent_owner_field_fails if {
	v := only(result_of({"id": "orders", "name": "orders"}, mock_config).deny)
	startswith(v.msg, "no owner declared;")
	v.evidence.owner == null
}

test_blank_owner_fails if {
	v := only(deny_of("   "))
	startswith(v.msg, "no owner declared")
}

test_non_string_owner_fails if {
	v := only(deny_of(["sales-data@example.com"]))
	startswith(v.msg, "no owner declared")
	v.evidence.owner == ["sales-data@example.com"]
}

test_invalid_team_pattern_fails_closed if {
	c := {"owner_team_pattern": `[unclosed`}
	d := result("finance-platform", c).deny
	{v.msg | some v in d} == {
		"owner finance-platform is neither an e-mail address nor a team id matching [unclosed",
		"owner_team_pattern [unclosed in governance.yaml is not a valid regular expression",
	}
	result("sales-data@example.com", c).deny == {{
		"msg": "owner_team_pattern [unclosed in governance.yaml is not a valid regular expression",
		"evidence": {"team_pattern": "[unclosed"},
	}}
}

test_missing_team_pattern_still_accepts_email_only if {
	result("sales-data@example.com", {}).deny == set()
	v := only(result("finance-platform", {}).deny)
	v.msg == "owner finance-platform is neither an e-mail address nor a team id matching <owner_team_pattern not configured>"
	v.evidence == {"owner": "finance-platform", "team_pattern": null}
}

test_non_string_team_pattern_accepts_email_only if {
	c := {"owner_team_pattern": 42}
	result("sales-data@example.com", c).deny == set()
	v := only(result("finance-platform", c).deny)
	endswith(v.msg, "matching <owner_team_pattern not configured>")
}

test_unowned_bundle_is_not_applicable if {
	r := result_of(null, mock_config)
	r.deny == set()
	r.applicable == false
}
