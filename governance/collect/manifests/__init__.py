"""Readers of data-product manifests and data contracts, one module per format.

Every reader turns one parsed YAML document into the one ``Product`` model policies see:

* ``flat``  the flat ``dataproduct.yaml`` of the seed articles, extended with governance fields;
* ``k8s``   the Kubernetes-style ``kind: DataProduct`` manifest (``apiVersion: <group>/<version>``);
* ``odcs``  Open Data Contract Standard v3.0.x / v3.1.x (``odcs_v2`` for the legacy v2.2.x layout);
* ``dcs``   the Data Contract Specification (``dataContractSpecification: 0.9.x / 1.x``).

``common`` holds what they share: positions, pydantic error conversion, PII and storage rules.
"""
