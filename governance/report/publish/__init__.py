"""Publishing a run's outcome back to the systems it governs (``--publish``).

Unlike the renderers of ``governance.report`` (pure functions to text), publishers write to an
external catalog; the CLI calls them after the result is final. ``datahub``: compliance status,
failing policies and one assertion per policy on each catalog dataset of a product.
"""
