# Tests for GOV-RET-003.
package governance.catalog.retention_test

import rego.v1

import data.governance.catalog.retention

on := {"enabled": true}

params := {"GOV-RET-003": {
	"retention_properties": {"retention_days": "days", "retentionTime": "days", "retention.ms": "ms", "retention_hours": "hours"},
	"tolerance_days": 0,
}}

product(days) := {"id": "orders", "name": "orders", "retention_days": days}

urn := "urn:li:dataset:(urn:li:dataPlatform:kafka,orders,PROD)"

dataset(props) := {"urn": urn, "platform": "kafka", "name": "orders", "owners": [], "tags": [], "columns": [], "properties": props}

deny_with(prod, props, pars) := d if {
	cfg := on
	cat := [dataset(props)]
	d := retention.deny with input.product as prod with input.catalog as cat
		with data.governance.config.catalog as cfg with data.governance.params as pars
}

deny_of(days, props) := deny_with(product(days), props, params)

only(d) := v if {
	count(d) == 1
	some v in d
}

test_equal_days_pass if {
	deny_of(180, {"retention_days": "180"}) == set()
}

test_number_value_passes if {
	deny_of(180, {"retention_days": 180}) == set()
}

test_units_and_iso_durations_pass if {
	deny_of(7, {"retention_days": "1 week"}) == set()
	deny_of(365, {"retention_days": "P1Y"}) == set()
	deny_of(90, {"retention_days": "90d"}) == set()
	deny_of(180, {"retention_days": "6 Months"}) == set()
}

test_kafka_retention_ms_passes if {
	deny_of(7, {"retention.ms": "604800000", "retention.bytes": "-1"}) == set()
}

test_structured_property_last_segment_matches if {
	deny_of(30, {"io.acryl.privacy.retentionTime": 30}) == set()
}

test_hours_pass if {
	deny_of(2, {"retention_hours": "48"}) == set()
}

test_disagreeing_retention_fails if {
	v := only(deny_of(180, {"retention.ms": "604800000"}))
	v.msg == sprintf("declared retention of 180 days disagrees with property retention.ms = 604800000 on catalog dataset %s (7 days)", [urn])
	v.subject == sprintf("%s#retention.ms", [urn])
	v.field == "retention_days"
	v.evidence.catalog_days == 7
	v.evidence.declared_days == 180
}

test_unlimited_kafka_retention_fails if {
	v := only(deny_of(30, {"retention.ms": "-1"}))
	endswith(v.msg, "(unlimited)")
}

test_unreadable_value_fails if {
	v := only(deny_of(30, {"retention_days": "forever"}))
	v.msg == sprintf("property retention_days = forever on catalog dataset %s cannot be read as a retention in days", [urn])
}

test_ambiguous_m_unit_is_unreadable if {
	count(deny_of(30, {"retention_days": "6m"})) == 1
}

test_catalog_retention_without_declared_retention_fails if {
	v := only(deny_of(null, {"retention_days": "30"}))
	endswith(v.msg, "states 30 days but the contract declares no retention_days")
}

test_tolerance_accepts_small_differences if {
	pars := {"GOV-RET-003": object.union(params["GOV-RET-003"], {"tolerance_days": 1})}
	p := product(30)
	deny_with(p, {"retention_days": "31"}, pars) == set()
	count(deny_with(p, {"retention_days": "32"}, pars)) == 1
}

test_no_retention_property_passes if {
	deny_of(30, {"retention.bytes": "-1", "classification": "pii"}) == set()
}

test_not_applicable_without_catalog_evidence if {
	p := product(30)
	cfg := {"enabled": false}
	retention.applicable == false with input.product as p with data.governance.config.catalog as cfg
}

test_missing_parameters_fail_closed if {
	d := deny_with(product(30), {"retention_days": "30"}, {})
	count(d) == 2
}
