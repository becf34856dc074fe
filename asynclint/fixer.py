"""Applying fixes to a module: node replacements by identity, then the imports they need."""

from __future__ import annotations

import io
from typing import Dict, List, Sequence, Set, Tuple, Union

import libcst as cst

from .rule import Fix


class _Replacer(cst.CSTTransformer):
    """Replaces target nodes. A target inside another target waits for the next pass."""

    def __init__(self, fixes: Sequence[Fix]) -> None:
        super().__init__()
        self.targets: Dict[int, Fix] = {}
        for fix in fixes:
            self.targets.setdefault(id(fix.node), fix)
        self.inside = 0
        self.applied: List[Fix] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if id(node) in self.targets:
            self.inside += 1
        return super().on_visit(node)

    def on_leave(
        self, original: cst.CSTNode, updated: cst.CSTNode
    ) -> Union[cst.CSTNode, cst.RemovalSentinel]:
        fix = self.targets.get(id(original))
        if fix is None:
            return super().on_leave(original, updated)
        self.inside -= 1
        if self.inside:
            return updated  # nested in another target: the next pass applies it
        self.applied.append(fix)
        return fix.replacement


def apply(module: cst.Module, fixes: Sequence[Fix]) -> Tuple[str, int]:
    replacer = _Replacer(fixes)
    fixed = module.visit(replacer)
    needed: List[str] = []
    for fix in replacer.applied:
        needed.extend(m for m in fix.imports if m not in needed)
    if needed:
        fixed = add_imports(fixed, needed)
    return fixed.code, len(replacer.applied)


def text_edits(before: str, after: str) -> List[dict]:
    """Minimal edits that turn ``before`` into ``after``: 1-based line and column ranges (end
    exclusive) with their new content, in the order an editor applies them (last first is safe
    too: they never overlap)."""
    import difflib

    old_lines = io.StringIO(
        before, newline=""
    ).readlines()  # \n, \r\n and \r only, as positions count
    new_lines = io.StringIO(after, newline="").readlines()
    edits = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_block, new_block = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        prefix = 0
        while (
            prefix < min(len(old_block), len(new_block)) and old_block[prefix] == new_block[prefix]
        ):
            prefix += 1
        suffix = 0
        while (
            suffix < min(len(old_block), len(new_block)) - prefix
            and old_block[-1 - suffix] == new_block[-1 - suffix]
        ):
            suffix += 1
        start = _advance(i1 + 1, 1, old_block[:prefix])
        end = _advance(i1 + 1, 1, old_block[: len(old_block) - suffix])
        edits.append(
            {
                "start": {"line": start[0], "column": start[1]},
                "end": {"line": end[0], "column": end[1]},
                "content": new_block[prefix : len(new_block) - suffix],
            }
        )
    return edits


def _advance(line: int, column: int, text: str) -> Tuple[int, int]:
    newlines = text.count("\n")
    if newlines:
        return line + newlines, len(text) - text.rfind("\n")
    return line, column + len(text)


def _imported_modules(module: cst.Module) -> Set[str]:
    """Modules bound under their own name by a top-level ``import x`` statement."""
    bound: Set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:
                        if alias.asname is None:
                            bound.add(cst.Module([]).code_for_node(alias.name).split(".")[0])
    return bound


def is_header(statement: cst.BaseStatement, position: int) -> bool:
    """Docstring (first statement only), ``from __future__`` and other imports."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            continue
        if (
            position == 0
            and isinstance(small, cst.Expr)
            and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))
        ):
            continue
        return False
    return True


def add_imports(module: cst.Module, names: Sequence[str]) -> cst.Module:
    """Add ``import name`` for each module not yet imported, after the module's header."""
    missing = [name for name in names if name not in _imported_modules(module)]
    if not missing:
        return module
    body = list(module.body)
    insert_at = 0
    while insert_at < len(body) and is_header(body[insert_at], insert_at):
        insert_at += 1
    new_statements = [
        cst.SimpleStatementLine(body=[cst.Import(names=[cst.ImportAlias(name=_dotted(name))])])
        for name in missing
    ]
    return module.with_changes(body=[*body[:insert_at], *new_statements, *body[insert_at:]])


def _dotted(name: str) -> Union[cst.Name, cst.Attribute]:
    parts = name.split(".")
    node: Union[cst.Name, cst.Attribute] = cst.Name(parts[0])
    for part in parts[1:]:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node
