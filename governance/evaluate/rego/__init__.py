"""The Rego engines: real OPA, embedded in process (default) or as a server (``opa/``).

Modules: ``entry`` (the entry module that evaluates a bundle's applicable policies in one query,
and the data document), ``evaluator`` (the core both backends share: staging, batching, retries,
fail-closed outcomes), ``embedded`` (the OPA Go library through ``opa_bindings``: compile errors,
engines, time limit), ``engine`` (the embedded Engine), ``results`` (deny/warn -> findings),
``testing`` (``test_*`` rules with OPA's semantics, like ``opa test``), ``source`` (module
outline for authoring commands).
"""
