# Tests for GOV-OWN-002 (mocks bound path by path: regopy can crash on `with input as {...}`).
package governance.catalog.owners_test

import rego.v1

import data.governance.catalog.owners

on := {"enabled": true}

params := {"GOV-OWN-002": {"match_email_local_part": true}}

product(owner) := {"id": "orders", "name": "orders", "owner": owner}

dataset(urn, owner_ids) := {"urn": urn, "platform": "s3", "name": "x", "owners": owner_ids, "tags": [], "columns": [], "properties": {}}

a := "urn:li:dataset:(urn:li:dataPlatform:s3,orders-a,PROD)"

b := "urn:li:dataset:(urn:li:dataPlatform:glue,sales.orders,PROD)"

deny_with(prod, cat, pars) := d if {
	cfg := on
	d := owners.deny with input.product as prod with input.catalog as cat
		with data.governance.config.catalog as cfg with data.governance.params as pars
}

deny_of(prod, cat) := deny_with(prod, cat, params)

test_owner_listed_passes if {
	p := product("sales-data")
	c := [dataset(a, ["jdoe", "sales-data"])]
	deny_of(p, c) == set()
}

test_owner_compares_case_insensitively if {
	p := product("Sales-Data")
	c := [dataset(a, ["sales-data"])]
	deny_of(p, c) == set()
}

test_email_matches_group_by_local_part if {
	p := product("sales-data@example.com")
	c := [dataset(a, ["sales-data"])]
	deny_of(p, c) == set()
}

test_email_local_part_matching_can_be_switched_off if {
	p := product("sales-data@example.com")
	c := [dataset(a, ["sales-data"])]
	pars := {"GOV-OWN-002": {"match_email_local_part": false}}
	count(deny_with(p, c, pars)) == 1
}

test_two_different_emails_do_not_match_by_local_part if {
	p := product("jane@example.com")
	c := [dataset(a, ["jane@other.org"])]
	count(deny_of(p, c)) == 1
}

test_other_owner_fails_per_dataset if {
	p := product("sales-data")
	c := [dataset(a, ["jdoe", "datahub"]), dataset(b, ["sales-data"])]
	d := deny_of(p, c)
	count(d) == 1
	some v in d
	v.subject == a
	v.msg == concat("", ["catalog dataset ", a, " does not list the declared owner sales-data (catalog owners: jdoe, datahub)"])
	v.evidence.catalog_owners == ["jdoe", "datahub"]
}

test_dataset_without_owners_fails if {
	p := product("sales-data")
	c := [dataset(a, [])]
	some v in deny_of(p, c)
	endswith(v.msg, "(catalog owners: none)")
}

test_undeclared_owner_fails_when_catalog_has_datasets if {
	p := product(null)
	c := [dataset(a, ["jdoe"]), dataset(b, ["datahub", "jdoe"])]
	d := deny_of(p, c)
	count(d) == 1
	some v in d
	v.msg == "the product declares no owner, so its ownership in the catalog cannot be confirmed (catalog owners: datahub, jdoe)"
}

test_no_catalog_dataset_is_left_to_cat_001 if {
	p := product("sales-data")
	deny_of(p, []) == set()
}

test_not_applicable_without_catalog_evidence if {
	p := product("sales-data")
	cfg := {"enabled": false}
	owners.applicable == false with input.product as p with data.governance.config.catalog as cfg
}

test_missing_parameter_fails_closed if {
	p := product("sales-data")
	c := [dataset(a, ["sales-data"])]
	d := deny_with(p, c, {})
	count(d) == 1
	some v in d
	v.msg == "GOV-OWN-002 parameter match_email_local_part is not set (data.governance.params)"
}
