"""Building blocks for fixes, so that rules describe the change rather than the syntax."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from .model import Scope, SemanticModel

# An awaited expression followed by `.x`, `[i]` or `(...)` needs parentheses: `(await f()).x`.
_TRAILERS = (cst.Attribute, cst.Subscript, cst.Call)


def awaited(
    expression: cst.BaseExpression, original: cst.CSTNode, model: SemanticModel
) -> cst.Await:
    """``await <expression>``, parenthesised where it replaces ``original`` as a trailed primary."""
    parent = _parent_of(original, model)
    bare = (
        expression.with_changes(lpar=(), rpar=())
        if isinstance(expression, (cst.Call, cst.Name, cst.Attribute))
        else expression
    )
    node = cst.Await(
        expression=bare,
        lpar=list(getattr(original, "lpar", ())),
        rpar=list(getattr(original, "rpar", ())),
    )
    needs_parens = (
        isinstance(parent, _TRAILERS)
        and getattr(parent, "value", getattr(parent, "func", None)) is original
    )
    if needs_parens and not node.lpar:
        node = node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def _parent_of(node: cst.CSTNode, model: SemanticModel) -> Optional[cst.CSTNode]:
    stack = model.stack
    for position in range(len(stack) - 1, 0, -1):
        if stack[position] is node:
            return stack[position - 1]
    return None


def reference_expression(model: SemanticModel, qualname: str):
    """An expression naming ``qualname`` in this file, and the imports it needs."""
    text, imports = model.reference(qualname)
    return cst.parse_expression(text), imports


def can_await_here(model: SemanticModel) -> bool:
    """An ``await`` (or ``async with``, ``async for``) may be inserted at the current node: CPython
    allows it there (``model.await_allowed``: not in a class body, a lambda or a nested def), and
    it does not change what kind of thing the enclosing code is (a generator expression would
    silently become an async generator)."""
    if not model.await_allowed:
        return False
    scope: Optional[Scope] = model.scope
    while scope is not None and not scope.is_function:
        if isinstance(scope.node, cst.GeneratorExp):
            return False
        scope = scope.parent
    return True
