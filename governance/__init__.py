"""Policy-as-code governance for data-mesh platforms: one verdict per data product."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("datamesh-governance")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"
