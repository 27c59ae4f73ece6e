# GOV-OWN-001: the product declares an owner that can be reached.
#
# The owner must be an e-mail address or a team id matching
# data.governance.config.owner_team_pattern. Fails closed: a missing or blank owner is a
# violation, and so is an owner_team_pattern that is not a valid regular expression (no owner can
# match it, so every product fails, and a separate finding names the pattern).
package governance.ownership.owner

import rego.v1

default applicable := false

applicable if input.product != null

email_pattern := `^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`

team_pattern := data.governance.config.owner_team_pattern

# The declared owner, trimmed; undefined when the contract names none (or only blanks).
owner := o if {
	is_string(input.product.owner)
	o := trim_space(input.product.owner)
	o != ""
}

# Checked before matching: with strict built-in errors (the engine's setting) an invalid pattern
# would make regex.match an evaluation error instead of the finding below.
team_pattern_valid if regex.is_valid(team_pattern)

reachable if regex.match(email_pattern, owner)

reachable if {
	team_pattern_valid
	regex.match(team_pattern, owner)
}

pattern_text := team_pattern if is_string(team_pattern) else := "<owner_team_pattern not configured>"

evidence := {
	"owner": object.get(input.product, "owner", null),
	"team_pattern": object.get(data.governance.config, "owner_team_pattern", null),
}

deny contains {
	"msg": sprintf("no owner declared; expected an e-mail address or a team id matching %s", [pattern_text]),
	"field": "owner",
	"evidence": evidence,
} if {
	applicable
	not owner
}

deny contains {
	"msg": sprintf("owner %s is neither an e-mail address nor a team id matching %s", [owner, pattern_text]),
	"field": "owner",
	"evidence": evidence,
} if {
	applicable
	owner
	not reachable
}

deny contains {
	"msg": sprintf("owner_team_pattern %s in governance.yaml is not a valid regular expression", [team_pattern]),
	"evidence": {"team_pattern": team_pattern},
} if {
	applicable
	is_string(team_pattern)
	not team_pattern_valid
}
