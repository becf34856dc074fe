"""Rule packs: found through the ``asynclint.rules`` entry-point group, never imported by name.

An entry point names either an iterable of Rule subclasses or a callable that returns one. The
built-in pack registers itself exactly as a third-party pack would.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Dict, Iterable, Tuple, Type

from .findings import ENGINE_DIAGNOSTICS
from .rule import Rule

ENTRY_POINT_GROUP = "asynclint.rules"


class RulePackError(Exception):
    pass


def _entry_points():
    from importlib import metadata

    if sys.version_info >= (3, 10):
        return metadata.entry_points(group=ENTRY_POINT_GROUP)
    return metadata.entry_points().get(ENTRY_POINT_GROUP, [])  # pragma: no cover - Python 3.9


@cache
def load_rules() -> Tuple[Type[Rule], ...]:
    """Every registered rule class, sorted by code. Raises RulePackError on a broken pack."""
    found: Dict[str, Type[Rule]] = {}
    for entry_point in _entry_points():
        try:
            loaded = entry_point.load()
            rules: Iterable = (
                loaded() if callable(loaded) and not isinstance(loaded, type) else loaded
            )
            rules = list(rules)
        except Exception as error:
            raise RulePackError(
                f"rule pack {entry_point.name!r} ({entry_point.value}) failed to load: {error}"
            ) from error
        for rule in rules:
            if not (isinstance(rule, type) and issubclass(rule, Rule)):
                raise RulePackError(
                    f"rule pack {entry_point.name!r} yields {rule!r}, which is not a Rule subclass"
                )
            try:
                rule.check_metadata()
            except ValueError as error:
                raise RulePackError(f"rule pack {entry_point.name!r}: {error}") from None
            other = found.get(rule.code)
            if other is not None and other is not rule:
                raise RulePackError(
                    f"rule code {rule.code} is registered twice ({other.__module__}, "
                    f"{rule.__module__})"
                )
            found[rule.code] = rule
    return tuple(found[code] for code in sorted(found))


def all_codes() -> Tuple[str, ...]:
    return tuple(sorted(ENGINE_DIAGNOSTICS)) + tuple(rule.code for rule in load_rules())
