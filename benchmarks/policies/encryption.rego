package bench.encryption

import rego.v1

kms := data.governance.config.kms_algorithms

default applicable := false

applicable if input.product.pii == true

deny contains {"msg": sprintf("%s is not encrypted with KMS", [r.address]), "subject": r.address} if {
	resources := input.resources
	some r in resources
	r.data_bearing
	not r.encryption.algorithm in kms
}
