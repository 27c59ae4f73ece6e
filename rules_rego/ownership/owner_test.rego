# Tests for GOV-OWN-001. Helper names are unique to this file: regopy crashes when two packages
# define functions of one name with different arities.
package governance.ownership.owner_test

import rego.v1

import data.governance.ownership.owner

mock_config := {"owner_team_pattern": `^[a-z0-9][a-z0-9._-]*[a-z0-9]$`}

own_result(who, cfg) := {"deny": d, "applicable": a} if {
	p := {"id": "orders", "name": "orders", "owner": who}
	d := owner.deny with input.product as p with data.governance.config as cfg
	a := owner.applicable with input.product as p with data.governance.config as cfg
}

own_deny(who) := d if {
	c := mock_config
	d := own_result(who, c).deny
}

own_only(s) := v if {
	count(s) == 1
	some v in s
}

test_email_owner_passes if {
	own_deny("sales-data@example.com") == set()
	own_deny("First.Last+data@sub.example.co.uk") == set()
}

test_team_id_owner_passes if {
	own_deny("finance-platform") == set()
	own_deny("logistics.data_team") == set()
}

test_free_text_owner_fails if {
	v := own_only(own_deny("Sales Team"))
	v.msg == "owner Sales Team is neither an e-mail address nor a team id matching ^[a-z0-9][a-z0-9._-]*[a-z0-9]$"
	v.field == "owner"
	v.evidence.owner == "Sales Team"
}

test_malformed_email_fails if {
	count(own_deny("sales-data@")) == 1
	count(own_deny("sales data@example.com")) == 1
	count(own_deny("@example.com")) == 1
}

test_team_id_must_match_configured_pattern if {
	count(own_deny("-leading-dash")) == 1
	c := {"owner_team_pattern": `^team-[a-z]+$`}
	count(own_result("finance-platform", c).deny) == 1
	own_result("team-finance", c).deny == set()
}

test_missing_owner_fails if {
	v := own_only(own_deny(null))
	v.msg == "no owner declared; expected an e-mail address or a team id matching ^[a-z0-9][a-z0-9._-]*[a-z0-9]$"
	v.field == "owner"
}

test_blank_owner_fails if {
	v := own_only(own_deny("   "))
	startswith(v.msg, "no owner declared")
}

test_invalid_team_pattern_fails_closed if {
	c := {"owner_team_pattern": `[unclosed`}
	d := own_result("finance-platform", c).deny
	{v.msg | some v in d} == {
		"owner finance-platform is neither an e-mail address nor a team id matching [unclosed",
		"owner_team_pattern [unclosed in governance.yaml is not a valid regular expression",
	}
	own_result("sales-data@example.com", c).deny == {{
		"msg": "owner_team_pattern [unclosed in governance.yaml is not a valid regular expression",
		"evidence": {"team_pattern": "[unclosed"},
	}}
}

test_missing_team_pattern_still_accepts_email_only if {
	own_result("sales-data@example.com", {}).deny == set()
	v := own_only(own_result("finance-platform", {}).deny)
	v.msg == "owner finance-platform is neither an e-mail address nor a team id matching <owner_team_pattern not configured>"
}

test_unowned_bundle_is_not_applicable if {
	c := mock_config
	d := owner.deny with input.product as null with data.governance.config as c
	a := owner.applicable with input.product as null with data.governance.config as c
	d == set()
	a == false
}
