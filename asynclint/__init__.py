"""asynclint: finds the mistakes that stall, hang, lose or deadlock Python async code.

The public API for rule authors (``Rule``, ``Fix``, ``FixKind``, ``Usage``) is imported lazily so
that ``asynclint --version`` does not pay for loading the parser.
"""

__version__ = "0.1.0"

__all__ = [
    "Finding",
    "Fix",
    "FixKind",
    "ProjectIndex",
    "Rule",
    "SemanticModel",
    "Symbol",
    "Usage",
    "__version__",
]

_LAZY = {
    "Rule": "rule",
    "Fix": "rule",
    "FixKind": "rule",
    "Finding": "findings",
    "Usage": "model",
    "SemanticModel": "model",
    "Symbol": "index",
    "ProjectIndex": "index",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'asynclint' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"asynclint.{module}"), name)
