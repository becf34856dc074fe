"""Walking libcst trees fast: the engine's traversal and the rules' scans of a function body.

libcst's ``children`` property builds its answer by running a visitor over the node, which costs
far more than the walk itself. Here each node class's fields are read once, skipping the fields
that only hold tokens and whitespace (never an expression or statement worth looking at).
"""

from __future__ import annotations

import dataclasses
from typing import Dict, Iterator, List, Tuple

import libcst as cst

TOKEN_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "leading_lines",
        "lines_after_decorators",
        "header",
        "footer",
        "trailing_whitespace",
        "equal",
        "colon",
        "dot",
        "star",
        "operator",
        "asynchronous",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "whitespace",
        "newline",
        "indent",
        "walrus",
        "arrow",
        "first_line",
        "default_comma",
    }
)
_FIELDS: Dict[type, Tuple[str, ...]] = {}
NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


def child_fields(node_type: type) -> Tuple[str, ...]:
    """The names of a node class's fields that may hold child nodes, in source order."""
    fields = _FIELDS.get(node_type)
    if fields is None:
        fields = _FIELDS[node_type] = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in TOKEN_FIELDS and not f.name.startswith("whitespace")
        )
    return fields


def child_nodes(node: cst.CSTNode) -> List[cst.CSTNode]:
    """The node's children that are nodes (not tokens or whitespace), in source order."""
    found: List[cst.CSTNode] = []
    for name in child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (tuple, list)):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
    return found


def walk(node: cst.CSTNode, *, into_scopes: bool = True) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included) in source order; with ``into_scopes=False``,
    nested defs, classes and lambdas are yielded but not entered (their code runs at another time)."""
    pending: List[cst.CSTNode] = [node]
    while pending:
        current = pending.pop()
        yield current
        if not into_scopes and current is not node and isinstance(current, NESTED_SCOPES):
            continue
        pending.extend(reversed(child_nodes(current)))
