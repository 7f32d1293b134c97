"""kg: a linked-data publisher for parliamentary written questions."""

__version__ = "0.1.0"
