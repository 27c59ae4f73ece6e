# GOV-PII-001: storage holding PII is encrypted at rest with a KMS key.
#
# A product holds PII when a column is PII (flag, a "pii" tag segment, or a PII-grade column
# classification), when its classification is PII-grade, or when it says pii: true. Every
# data-bearing resource linked to such a product must use a KMS algorithm from
# data.governance.config.kms_algorithms (AWS), or name a customer-managed key (GCP CMEK).
#
# Fails closed: a PII product with no data-bearing storage linked fails (nothing proves the data
# is encrypted), and so does a resource whose encryption is missing or unknown.
package governance.pii.encrypted

import rego.v1

default params := {}

params := data.governance.params["GOV-PII-001"]

# Sets, built once per evaluation: membership is then a lookup, not a scan per resource.
kms_algorithms := {lower(a) | some a in data.governance.config.kms_algorithms}

pii_classifications := {lower(c) | some c in data.governance.config.pii_classifications}

default applicable := false

applicable if product_pii

# ------------------------------------------------------------------------------ what holds PII

# In contract order: the message lists them as the contract does.
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
	some end in [parts[0], parts[count(parts) - 1]]
	trim_space(end) == "pii"
}

pii_classification(c) if {
	is_string(c)
	lower(trim_space(c)) in pii_classifications
}

product_pii if input.product.pii == true

product_pii if count(pii_columns) > 0

product_pii if pii_classification(input.product.classification)

pii_basis := sprintf("PII columns %s", [concat(", ", pii_columns)]) if {
	count(pii_columns) > 0
} else := sprintf("classification %s", [input.product.classification]) if {
	pii_classification(input.product.classification)
} else := "declared pii: true"

# --------------------------------------------------------------------------------- the storage

has_storage if {
	some r in input.resources
	r.data_bearing == true
}

# The model's default provider is aws, so only an explicit "gcp" (or a google_ type) is GCP.
gcp(r) if r.provider == "gcp"

gcp(r) if startswith(r.type, "google_")

provider(r) := r.provider if is_string(r.provider) else := "aws"

# The encryption block as an object ({} when it is null or missing): every field then reads as
# null when absent, in messages and evidence alike.
encryption(r) := r.encryption if is_object(r.encryption) else := {}

enc(r, key) := object.get(encryption(r), key, null)

nonempty(s) if {
	is_string(s)
	trim_space(s) != ""
}

# A configured KMS algorithm (aws:kms, aws:kms:dsse ...).
kms_algorithm(e) if {
	is_string(e.algorithm)
	lower(e.algorithm) in kms_algorithms
}

kms_backed(e) if kms_algorithm(e)

# Encryption enabled with a named KMS key but no algorithm recorded (RDS, DynamoDB ...).
kms_backed(e) if {
	object.get(e, "algorithm", null) == null
	nonempty(e.kms_key)
}

customer_key_ok(_) if params.require_customer_managed_key == false

customer_key_ok(e) if nonempty(e.kms_key)

# The AWS rule: enabled, with a KMS algorithm or key, and a customer key where one is required.
aws_kms_encrypted(e) if {
	e.enabled == true
	kms_backed(e)
	customer_key_ok(e)
}

# Compliance is computed positively: a resource is compliant only when its encryption block
# shows it; null or missing fields leave kms_encrypted undefined, i.e. a finding. This runs once
# per data-bearing resource, so each body tests its cheap encryption condition first.
kms_encrypted(r) if {
	aws_kms_encrypted(r.encryption)
	not gcp(r)
}

kms_encrypted(r) if {
	nonempty(r.encryption.kms_key)
	gcp(r)
}

describe(r) := sprintf("%s %s", [r.type, r.name]) if nonempty(r.name) else := r.address

encryption_enabled(r) if r.encryption.enabled == true

problem(r) := "uses Google-managed encryption keys (no CMEK)" if {
	gcp(r)
} else := "has no encryption at rest configured" if {
	not encryption_enabled(r)
} else := sprintf("uses %s (SSE-S3)", [r.encryption.algorithm]) if {
	nonempty(r.encryption.algorithm)
	upper(r.encryption.algorithm) == "AES256"
} else := sprintf("uses %s", [r.encryption.algorithm]) if {
	nonempty(r.encryption.algorithm)
	not kms_backed(r.encryption)
} else := sprintf("uses %s with an AWS-managed key", [r.encryption.algorithm]) if {
	kms_algorithm(r.encryption)
} else := "has encryption enabled but neither a KMS algorithm nor a KMS key"

requirement(r) := "a customer-managed Cloud KMS key (CMEK)" if {
	gcp(r)
} else := sprintf("%s with a customer-managed KMS key", [algorithms(r)]) if {
	params.require_customer_managed_key == true
} else := algorithms(r)

# The configured algorithms of the resource's provider ("aws:kms", "aws:kms:dsse" for AWS), or
# all of them when none has its prefix.
algorithms(r) := concat(" or ", own) if {
	prefix := sprintf("%s:", [provider(r)])
	own := [a | some a in data.governance.config.kms_algorithms; startswith(a, prefix)]
	count(own) > 0
} else := concat(" or ", data.governance.config.kms_algorithms)

# A null or missing resource list counts as no resources linked (and still reports the finding).
linked_resources := count(input.resources) if is_array(input.resources) else := 0

# ------------------------------------------------------------------------------------ verdicts

deny contains {
	"msg": sprintf("product %s holds PII (%s) but no data-bearing storage is linked to it; encryption at rest cannot be verified", [input.product.id, pii_basis]),
	"evidence": {
		"pii_columns": pii_columns,
		"declared_storage": object.get(input.product, "storage", []),
		"linked_resources": linked_resources,
	},
} if {
	product_pii
	not has_storage
}

deny contains {
	"msg": sprintf("%s %s; PII storage requires %s", [describe(r), problem(r), requirement(r)]),
	"subject": r.address,
	"evidence": {
		"type": object.get(r, "type", null),
		"encryption_enabled": enc(r, "enabled"),
		"algorithm": enc(r, "algorithm"),
		"kms_key": enc(r, "kms_key"),
		"expected_algorithms": data.governance.config.kms_algorithms,
		"require_customer_managed_key": object.get(params, "require_customer_managed_key", null),
		"pii_basis": pii_basis,
	},
} if {
	product_pii
	some r in input.resources
	r.data_bearing == true
	not kms_encrypted(r)
}

# A parameter left empty in governance.yaml reads as null: not set either.
param_set(k) if params[k] != null

deny contains {"msg": sprintf("GOV-PII-001 parameter %s is not set (data.governance.params)", [k])} if {
	some k in ["require_customer_managed_key"]
	not param_set(k)
}
