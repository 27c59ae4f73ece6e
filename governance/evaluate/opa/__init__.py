"""The OPA server engine: the same policies and findings as the embedded engine, evaluated by OPA.

Modules: ``entry`` (the generated entry module, shared with bundles), ``transport`` (the REST
calls through opa-python-client, errors converted to ``EngineError``), ``engine`` (the Engine).
opa-python-client (and requests) are imported only when the engine is built.
"""
