# Tests for GOV-CAT-001.
package governance.catalog.registered_test

import rego.v1

import data.governance.catalog.registered

on := {"catalog": {"enabled": true}}

orders := {"id": "orders", "name": "orders", "catalog_urns": [], "storage": ["mesh-sales-orders"]}

orders_declaring(urns) := object.union(orders, {"catalog_urns": urns})

dataset(urn) := {"urn": urn, "platform": "s3", "name": "x", "owners": [], "tags": [], "columns": [], "properties": {}}

s3_orders := "urn:li:dataset:(urn:li:dataPlatform:s3,mesh-sales-orders/orders,PROD)"

glue_orders := "urn:li:dataset:(urn:li:dataPlatform:glue,sales.orders,PROD)"

result(prod, cat, cfg) := {"deny": d, "applicable": a} if {
	d := registered.deny with input as {"product": prod, "catalog": cat} with data.governance.config as cfg
	a := registered.applicable with input as {"product": prod, "catalog": cat} with data.governance.config as cfg
}

test_product_with_a_catalog_dataset_passes if {
	r := result(orders, [dataset(s3_orders)], on)
	r.applicable == true
	r.deny == set()
}

test_product_without_catalog_dataset_fails if {
	d := result(orders, [], on).deny
	count(d) == 1
	some v in d
	v.msg == "data product orders is not registered in the catalog: no dataset matched its declared URNs, a data_product property, its storage locations or its name"
	v.field == "catalog_urns"
	v.evidence == {"declared_urns": [], "storage": ["mesh-sales-orders"], "catalog_datasets": 0}
}

test_bundle_without_catalog_key_fails_as_unregistered if {
	d := registered.deny with input as {"product": orders} with data.governance.config as on
	count(d) == 1
	some v in d
	startswith(v.msg, "data product orders is not registered in the catalog")
}

test_product_without_catalog_urns_key_fails_as_unregistered if {
	p := object.remove(orders, ["catalog_urns"])
	d := result(p, [], on).deny
	count(d) == 1
	some v in d
	v.evidence.declared_urns == []
}

test_declared_urn_found_passes if {
	p := orders_declaring([s3_orders])
	result(p, [dataset(s3_orders)], on).deny == set()
}

test_declared_urn_matches_case_insensitively if {
	p := orders_declaring([upper(s3_orders)])
	result(p, [dataset(s3_orders)], on).deny == set()
}

test_declared_urn_missing_fails_once_per_urn if {
	p := orders_declaring([s3_orders, glue_orders])
	d := result(p, [dataset(s3_orders)], on).deny
	count(d) == 1
	some v in d
	v.msg == sprintf("declared catalog URN %s is not in the catalog", [glue_orders])
	v.subject == glue_orders
	v.field == "catalog_urns"
	v.evidence.catalog_datasets == 1
}

test_declared_urns_with_empty_catalog_name_each_urn if {
	p := orders_declaring([s3_orders, glue_orders])
	d := result(p, [], on).deny
	{v.subject | some v in d} == {s3_orders, glue_orders}
	every v in d {
		startswith(v.msg, "declared catalog URN ")
	}
}

test_not_applicable_without_catalog_evidence if {
	result(orders, [], {"catalog": {"enabled": false}}).applicable == false
}

test_not_applicable_when_config_has_no_catalog_section if {
	result(orders, [], {}).applicable == false
}

test_not_applicable_when_enabled_is_not_the_boolean_true if {
	result(orders, [], {"catalog": {"enabled": "true"}}).applicable == false
}

test_unowned_bundle_not_applicable if {
	result(null, [], on).applicable == false
}
