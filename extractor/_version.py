"""Single source of the package version (read by pyproject and reported in every Report)."""

__version__ = "0.1.0"
