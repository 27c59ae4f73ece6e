# GOV-OWN-001: the product declares an owner that can be reached.
#
# The owner must be an e-mail address or a team id matching
# data.governance.config.owner_team_pattern. Fails closed: a missing or blank owner is a
# violation, and so is an owner_team_pattern that is not a valid regular expression (no owner can
# match it, so every product fails, and a separate finding names the pattern).
# Messages are built with concat (see pii/encrypted.rego: sprintf quotes computed strings on regopy).
package governance.ownership.owner

import rego.v1

default applicable := false

applicable if input.product != null

email_pattern := `^[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$`

team_pattern := data.governance.config.owner_team_pattern

owner := trim_space(input.product.owner) if {
	is_string(input.product.owner)
	trim_space(input.product.owner) != ""
}

valid if regex.match(email_pattern, owner)

# regex.is_valid first: with strict built-in errors (the engine's setting) an invalid pattern
# would make regex.match an evaluation error instead of the finding below.
valid if {
	regex.is_valid(team_pattern)
	regex.match(team_pattern, owner)
}

evidence := {
	"owner": object.get(input.product, "owner", null),
	"team_pattern": object.get(data.governance.config, "owner_team_pattern", null),
} if {
	applicable
}

deny_1 := [{
	"msg": concat("", ["no owner declared; expected an e-mail address or a team id matching ", pattern_text]),
	"field": "owner",
	"evidence": evidence,
} |
	applicable
	not owner
]

deny_2 := [{
	"msg": concat("", ["owner ", owner, " is neither an e-mail address nor a team id matching ", pattern_text]),
	"field": "owner",
	"evidence": evidence,
} |
	applicable
	owner
	not valid
]

deny_3 := [{
	"msg": concat("", ["owner_team_pattern ", team_pattern, " in governance.yaml is not a valid regular expression"]),
	"evidence": {"team_pattern": team_pattern},
} |
	applicable
	is_string(team_pattern)
	not regex.is_valid(team_pattern)
]

pattern_text := team_pattern if {
	is_string(team_pattern)
} else := "<owner_team_pattern not configured>"

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list
