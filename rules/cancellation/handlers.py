"""Which handlers catch cancellation, and which tasks a function cancels: what the ASL7xx rules
(and ASL402) share."""

from __future__ import annotations

from typing import List, Optional, Set, Tuple

import libcst as cst

from asynclint.model import SemanticModel
from asynclint.syntax import dotted_name, walk

from .catalogue import BROAD_CLASSES, CANCELLATION_CLASS_GETTERS, CANCELLATION_CLASSES


def _caught_types(handler: cst.ExceptHandler) -> List[cst.BaseExpression]:
    if handler.type is None:
        return []
    if isinstance(handler.type, cst.Tuple):
        return [element.value for element in handler.type.elements]
    return [handler.type]


def cancellation_caught(model: SemanticModel, handler) -> Optional[Tuple[str, bool]]:
    """What in ``handler``'s clause catches cancellation, and whether it catches only that:
    ``("asyncio.CancelledError", True)``, ``("BaseException", False)``, ``("bare except",
    False)``."""
    if handler.type is None:
        return "a bare except", False
    types = _caught_types(handler)
    for caught in types:
        name = cancellation_class(model, caught)
        if name is not None:
            broad = name == "BaseException"
            return name, len(types) == 1 and not broad
    return None


def cancellation_class(model: SemanticModel, expression: cst.BaseExpression) -> Optional[str]:
    """The name of the cancellation class (or BaseException) ``expression`` denotes, else None."""
    if isinstance(expression, cst.Call):
        getter = model.qualified_name(expression.func) or ""
        # anyio's own modules import it from where it is defined
        if not expression.args and (
            getter in CANCELLATION_CLASS_GETTERS
            or (getter.startswith("anyio.") and getter.endswith(".get_cancelled_exc_class"))
        ):
            return "anyio.get_cancelled_exc_class()"
        return None
    qualname = model.qualified_name(expression)
    if qualname in CANCELLATION_CLASSES:
        return qualname.replace(".exceptions", "")
    if qualname in BROAD_CLASSES:
        return "BaseException"
    return None


def cancelled_receivers(model: SemanticModel, function: cst.CSTNode) -> Set[str]:
    """Dotted names of what this function cancels: ``t`` for ``t.cancel()``, and ``tasks`` for
    ``for t in tasks: t.cancel()``."""
    key = ("cancelled_receivers", function)
    cancelled = model.memo.get(key)
    if cancelled is None:
        cancelled = model.memo[key] = _cancelled_receivers(function)
    return cancelled  # type: ignore[return-value]


def _cancelled_receivers(function: cst.CSTNode) -> Set[str]:
    cancelled: Set[str] = set()
    for node in walk(function, into_scopes=False):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "cancel"
        ):
            receiver = dotted_name(node.func.value)
            if receiver is not None:
                cancelled.add(receiver)
    for node in walk(function, into_scopes=False):
        if (
            isinstance(node, cst.For)
            and isinstance(node.target, cst.Name)
            and node.target.value in cancelled
        ):
            iterable = dotted_name(node.iter)
            if iterable is not None:
                cancelled.add(iterable)
    return cancelled
