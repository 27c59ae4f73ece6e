# Tests for GOV-CAT-001. Mocks are bound path by path (`with input.product`, `with input.catalog`):
# regopy can crash on `with input as {...}`.
package governance.catalog.registered_test

import rego.v1

import data.governance.catalog.registered

on := {"enabled": true}

orders := {"id": "orders", "name": "orders", "catalog_urns": [], "storage": ["mesh-sales-orders"]}

orders_declaring(urns) := object.union(orders, {"catalog_urns": urns})

dataset(urn) := {"urn": urn, "platform": "s3", "name": "x", "owners": [], "tags": [], "columns": [], "properties": {}}

s3_orders := "urn:li:dataset:(urn:li:dataPlatform:s3,mesh-sales-orders/orders,PROD)"

result(prod, cat, cfg) := {"deny": d, "applicable": a} if {
	d := registered.deny with input.product as prod with input.catalog as cat
		with data.governance.config.catalog as cfg
	a := registered.applicable with input.product as prod with input.catalog as cat
		with data.governance.config.catalog as cfg
}

test_product_with_a_catalog_dataset_passes if {
	p := orders
	c := [dataset(s3_orders)]
	r := result(p, c, on)
	r.applicable == true
	r.deny == set()
}

test_product_without_catalog_dataset_fails if {
	p := orders
	d := result(p, [], on).deny
	count(d) == 1
	some v in d
	contains(v.msg, "data product orders is not registered in the catalog")
	v.field == "catalog_urns"
	v.evidence.storage == ["mesh-sales-orders"]
}

test_declared_urn_found_passes if {
	p := orders_declaring([s3_orders])
	c := [dataset(s3_orders)]
	result(p, c, on).deny == set()
}

test_declared_urn_matches_case_insensitively if {
	p := orders_declaring([upper(s3_orders)])
	c := [dataset(s3_orders)]
	result(p, c, on).deny == set()
}

test_declared_urn_missing_fails_once_per_urn if {
	missing := "urn:li:dataset:(urn:li:dataPlatform:glue,sales.orders,PROD)"
	p := orders_declaring([s3_orders, missing])
	c := [dataset(s3_orders)]
	d := result(p, c, on).deny
	count(d) == 1
	some v in d
	v.msg == concat("", ["declared catalog URN ", missing, " is not in the catalog"])
	v.subject == missing
}

test_declared_urns_with_empty_catalog_name_each_urn if {
	p := orders_declaring([s3_orders])
	d := result(p, [], on).deny
	{v.subject | some v in d} == {s3_orders}
}

test_not_applicable_without_catalog_evidence if {
	p := orders
	result(p, [], {"enabled": false}).applicable == false
}

test_not_applicable_when_config_has_no_catalog_section if {
	p := orders
	result(p, [], {}).applicable == false
}

test_unowned_bundle_not_applicable if {
	result(null, [], on).applicable == false
}
