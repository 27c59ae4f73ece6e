# Tests for GOV-OWN-002.
package governance.catalog.owners_test

import rego.v1

import data.governance.catalog.owners

on := {"catalog": {"enabled": true}}

params := {"GOV-OWN-002": {"match_email_local_part": true}}

product(owner) := {"id": "orders", "name": "orders", "owner": owner}

dataset(urn, owner_ids) := {"urn": urn, "platform": "s3", "name": "x", "owners": owner_ids, "tags": [], "columns": [], "properties": {}}

a := "urn:li:dataset:(urn:li:dataPlatform:s3,orders-a,PROD)"

b := "urn:li:dataset:(urn:li:dataPlatform:glue,sales.orders,PROD)"

deny_with(prod, cat, pars) := d if {
	d := owners.deny with input as {"product": prod, "catalog": cat}
		with data.governance.config as on
		with data.governance.params as pars
}

deny_of(prod, cat) := deny_with(prod, cat, params)

only(d) := v if {
	count(d) == 1
	some v in d
}

test_owner_listed_passes if {
	deny_of(product("sales-data"), [dataset(a, ["jdoe", "sales-data"])]) == set()
}

test_owner_compares_case_insensitively if {
	deny_of(product("Sales-Data"), [dataset(a, ["sales-data"])]) == set()
}

test_declared_owner_is_trimmed if {
	deny_of(product("  sales-data "), [dataset(a, ["sales-data"])]) == set()
}

test_email_matches_group_by_local_part if {
	deny_of(product("sales-data@example.com"), [dataset(a, ["sales-data"])]) == set()
}

test_email_local_part_matching_can_be_switched_off if {
	pars := {"GOV-OWN-002": {"match_email_local_part": false}}
	v := only(deny_with(product("sales-data@example.com"), [dataset(a, ["sales-data"])], pars))
	v.subject == a
}

test_two_different_emails_do_not_match_by_local_part if {
	v := only(deny_of(product("jane@example.com"), [dataset(a, ["jane@other.org"])]))
	v.subject == a
}

test_other_owner_fails_per_dataset if {
	c := [dataset(a, ["jdoe", "datahub"]), dataset(b, ["sales-data"])]
	v := only(deny_of(product("sales-data"), c))
	v.subject == a
	v.field == "owner"
	v.msg == sprintf("catalog dataset %s does not list the declared owner sales-data (catalog owners: jdoe, datahub)", [a])
	v.evidence == {"declared_owner": "sales-data", "catalog_owners": ["jdoe", "datahub"], "platform": "s3"}
}

test_dataset_without_owners_fails if {
	v := only(deny_of(product("sales-data"), [dataset(a, [])]))
	endswith(v.msg, "(catalog owners: none)")
}

test_dataset_with_null_or_missing_owners_fails if {
	no_list := object.remove(dataset(a, []), ["owners"])
	d := deny_of(product("sales-data"), [dataset(b, null), no_list])
	{v.subject | some v in d} == {a, b}
	every v in d {
		endswith(v.msg, "(catalog owners: none)")
		v.evidence.catalog_owners == []
	}
}

test_undeclared_owner_fails_when_catalog_has_datasets if {
	c := [dataset(a, ["jdoe"]), dataset(b, ["datahub", "jdoe"])]
	v := only(deny_of(product(null), c))
	v.msg == "the product declares no owner, so its ownership in the catalog cannot be confirmed (catalog owners: datahub, jdoe)"
	v.field == "owner"
	v.evidence == {"declared_owner": null, "catalog_owners": ["datahub", "jdoe"]}
}

test_blank_or_missing_owner_counts_as_undeclared if {
	c := [dataset(a, ["jdoe"])]
	v := only(deny_of(product("   "), c))
	startswith(v.msg, "the product declares no owner")
	w := only(deny_of({"id": "orders", "name": "orders"}, c))
	startswith(w.msg, "the product declares no owner")
}

test_no_catalog_dataset_is_left_to_cat_001 if {
	deny_of(product("sales-data"), []) == set()
	deny_of(product(null), []) == set()
}

test_not_applicable_without_catalog_evidence if {
	not owners.applicable with input as {"product": product("sales-data"), "catalog": []}
		with data.governance.config as {"catalog": {"enabled": false}}
}

test_applicable_to_a_product_with_catalog_evidence if {
	owners.applicable with input as {"product": product("sales-data"), "catalog": []}
		with data.governance.config as on
}

test_missing_parameter_fails_closed if {
	v := only(deny_with(product("sales-data"), [dataset(a, ["sales-data"])], {}))
	v.msg == "GOV-OWN-002 parameter match_email_local_part is not set (data.governance.params)"
}

test_null_parameter_fails_closed if {
	pars := {"GOV-OWN-002": {"match_email_local_part": null}}
	v := only(deny_with(product("sales-data"), [dataset(a, ["sales-data"])], pars))
	v.msg == "GOV-OWN-002 parameter match_email_local_part is not set (data.governance.params)"
}

test_mistyped_parameter_fails_closed if {
	pars := {"GOV-OWN-002": {"match_email_local_part": "yes"}}
	v := only(deny_with(product("sales-data"), [dataset(a, ["sales-data"])], pars))
	v.msg == "GOV-OWN-002 parameter match_email_local_part must be of type boolean, got string (data.governance.params)"
}
