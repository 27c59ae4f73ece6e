package bench.tags

import rego.v1

required := data.governance.config.required_tags

deny contains {"msg": sprintf("%s lacks tag %s", [r.address, t]), "subject": r.address} if {
	resources := input.resources
	some r in resources
	some t in required
	not r.tags[t]
}
