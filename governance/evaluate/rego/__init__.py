"""The embedded Rego engine (regopy), isolated in worker processes.

Modules: ``source`` (tokeniser, module outline), ``lint`` (constructs regopy gets wrong),
``check`` (load-time lint and compile check), ``program`` (entry module and data document),
``process`` (worker processes), ``pool`` (scheduling, timeouts, crash attribution), ``worker``
and ``session`` (the child side and its regopy wrapper), ``results`` (deny/warn -> findings),
``engine`` (the Engine), ``regotest`` (``test_*`` rules, like ``opa test``).
Nothing here imports regopy in the parent process: only ``session`` does, inside workers.
"""
