"""kg: a linked-data publisher for parliamentary written questions."""

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it)


class BrokenInstall(Exception):
    """A file kg ships (a module, a template, reference data) is missing or unreadable."""
