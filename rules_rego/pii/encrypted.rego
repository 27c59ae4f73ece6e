# GOV-PII-001: storage holding PII is encrypted at rest with a KMS key.
#
# A product holds PII when a column is PII (flag, a "pii" tag segment, or a PII-grade column
# classification), when its classification is PII-grade, or when it says pii: true. Every
# data-bearing resource linked to such a product must use a KMS algorithm from
# data.governance.config.kms_algorithms (AWS), or name a customer-managed key (GCP CMEK).
#
# Fails closed: a PII product with no data-bearing storage linked fails (nothing proves the data
# is encrypted), and so does a resource whose encryption is missing or unknown.
# Head values use helpers with `else` defaults: an undefined value in a deny head would silently
# drop the violation. Messages are built with concat, not sprintf: on regopy 1.5.2, sprintf("..%s..")
# wraps strings computed by lower/upper/concat/replace in literal quotes (and breaks the output JSON).
package governance.pii.encrypted

import rego.v1

default params := {}

params := data.governance.params["GOV-PII-001"]

kms_algorithms := [lower(a) | some a in data.governance.config.kms_algorithms]

pii_classifications := [lower(c) | some c in data.governance.config.pii_classifications]

default applicable := false

applicable if product_pii

# ------------------------------------------------------------------------------ what holds PII

pii_columns := [c.name | some c in input.product.columns; pii_column(c)]

pii_column(c) if c.pii == true

pii_column(c) if {
	some t in c.tags
	pii_tag(t)
}

pii_column(c) if pii_classification(c.classification)

# "pii", "PII", "pii:email", "security:pii": the first or last segment is pii (as the collector).
pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	trim_space(parts[0]) == "pii"
}

pii_tag(t) if {
	parts := regex.split(`[:/]`, lower(t))
	trim_space(parts[count(parts) - 1]) == "pii"
}

pii_classification(c) if {
	is_string(c)
	lower(trim_space(c)) in pii_classifications
}

product_pii if input.product.pii == true

product_pii if count(pii_columns) > 0

product_pii if pii_classification(input.product.classification)

pii_basis := concat("", ["PII columns ", concat(", ", pii_columns)]) if {
	count(pii_columns) > 0
} else := concat("", ["classification ", input.product.classification]) if {
	pii_classification(input.product.classification)
} else := "declared pii: true"

# --------------------------------------------------------------------------------- the storage

storage := [i |
	rs := input.resources
	some i
	r := rs[i]
	r.data_bearing == true
]

# The model's default provider is aws.
provider(r) := r.provider if {
	is_string(r.provider)
} else := "aws"

gcp(r) if provider(r) == "gcp"

gcp(r) if startswith(r.type, "google_")

enc(r, key) := v if {
	v := r.encryption[key]
} else := null

nonempty(s) if {
	is_string(s)
	trim_space(s) != ""
}

kms_backed(r) if {
	alg := enc(r, "algorithm")
	is_string(alg)
	lower(alg) in kms_algorithms
}

# Encryption enabled with a named KMS key but no algorithm recorded (RDS, DynamoDB ...).
kms_backed(r) if {
	enc(r, "algorithm") == null
	nonempty(enc(r, "kms_key"))
}

customer_key_ok(_) if params.require_customer_managed_key == false

customer_key_ok(r) if nonempty(enc(r, "kms_key"))

kms_encrypted(r) if {
	gcp(r)
	nonempty(enc(r, "kms_key"))
}

kms_encrypted(r) if {
	not gcp(r)
	enc(r, "enabled") == true
	kms_backed(r)
	customer_key_ok(r)
}

describe(r) := concat(" ", [r.type, r.name]) if {
	nonempty(r.name)
} else := r.address

problem(r) := "uses Google-managed encryption keys (no CMEK)" if {
	gcp(r)
} else := "has no encryption at rest configured" if {
	not enc(r, "enabled") == true
} else := concat("", ["uses ", enc(r, "algorithm"), " (SSE-S3)"]) if {
	nonempty(enc(r, "algorithm"))
	upper(enc(r, "algorithm")) == "AES256"
} else := concat("", ["uses ", enc(r, "algorithm")]) if {
	nonempty(enc(r, "algorithm"))
	not kms_backed(r)
} else := concat("", ["uses ", enc(r, "algorithm"), " with an AWS-managed key"]) if {
	kms_backed(r)
} else := "has encryption enabled but neither a KMS algorithm nor a KMS key"

requirement(r) := "a customer-managed Cloud KMS key (CMEK)" if {
	gcp(r)
} else := concat("", [algorithms(r), " with a customer-managed KMS key"]) if {
	params.require_customer_managed_key == true
} else := algorithms(r)

# The configured algorithms of the resource's provider ("aws:kms", "aws:kms:dsse" for AWS), or
# all of them when none has its prefix.
algorithms(r) := concat(" or ", own) if {
	own := [a | some a in data.governance.config.kms_algorithms; startswith(a, concat("", [provider(r), ":"]))]
	count(own) > 0
} else := concat(" or ", data.governance.config.kms_algorithms)

# ------------------------------------------------------------------------------------ verdicts

deny_1 := [{
	"msg": concat("", [
		"product ", input.product.id, " holds PII (", pii_basis,
		") but no data-bearing storage is linked to it; encryption at rest cannot be verified",
	]),
	"evidence": {
		"pii_columns": pii_columns,
		"declared_storage": object.get(input.product, "storage", []),
		"linked_resources": count(object.get(input, "resources", [])),
	},
} |
	product_pii
	count(storage) == 0
]

deny_2 := [{
	"msg": concat("", [describe(r), " ", problem(r), "; PII storage requires ", requirement(r)]),
	"subject": r.address,
	"evidence": {
		"type": r.type,
		"encryption_enabled": enc(r, "enabled"),
		"algorithm": enc(r, "algorithm"),
		"kms_key": enc(r, "kms_key"),
		"expected_algorithms": data.governance.config.kms_algorithms,
		"require_customer_managed_key": object.get(params, "require_customer_managed_key", null),
		"pii_basis": pii_basis,
	},
} |
	product_pii
	some i in storage
	r := input.resources[i]
	not kms_encrypted(r)
]

deny_3 := [{"msg": concat("", ["GOV-PII-001 parameter ", k, " is not set (data.governance.params)"])} |
	some k in ["require_customer_managed_key"]
	not k in object.keys(params)
]

# Every deny member as one array, for the engine (docs: policies/README.md, deny_list).
deny_list := array.concat(array.concat(deny_1, deny_2), deny_3)

deny contains v if some v in deny_list
