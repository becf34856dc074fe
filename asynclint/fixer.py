"""Applying fixes to a module: node replacements by identity, then the imports and module-level
definitions they need."""

from __future__ import annotations

import io
from typing import Any, Dict, List, Sequence, Set, Tuple, TypeVar, Union, cast

import libcst as cst

from .rule import Fix
from .syntax import dotted_name, is_header, walk

_NodeT = TypeVar("_NodeT", bound=cst.CSTNode)


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
        self, original: _NodeT, updated: _NodeT
    ) -> Union[_NodeT, cst.RemovalSentinel, cst.FlattenSentinel[_NodeT]]:
        fix = self.targets.get(id(original))
        if fix is None:
            return super().on_leave(original, updated)
        self.inside -= 1
        if self.inside:
            return updated  # nested in another target: the next pass applies it
        self.applied.append(fix)
        # A fix may put a node of another type in place (libcst accepts it; its types cannot say).
        return cast(Any, fix.replacement)


def apply(module: cst.Module, fixes: Sequence[Fix]) -> Tuple[str, int]:
    """The module's code with ``fixes`` applied, and how many were (a fix nested in another waits
    for the next pass; a fix whose definitions clash with the module is refused)."""
    states: Dict[Tuple[str, str], str] = {}
    for fix in fixes:
        for name, value in fix.definitions:
            if (name, value) not in states:
                states[(name, value)] = _definition_state(module, name, value)
    fixes = [
        fix
        for fix in fixes
        if all(states[definition] != "conflict" for definition in fix.definitions)
    ]
    replacer = _Replacer(fixes)
    fixed = module.visit(replacer)
    needed: List[str] = []
    definitions: List[Tuple[str, str]] = []
    for fix in replacer.applied:
        needed.extend(m for m in fix.imports if m not in needed)
        definitions.extend(
            d for d in fix.definitions if d not in definitions and states[d] == "absent"
        )
    if needed:
        fixed = add_imports(fixed, needed)
    if definitions:
        fixed = add_definitions(fixed, definitions)
    return fixed.code, len(replacer.applied)


def _definition_state(module: cst.Module, name: str, value: str) -> str:
    """present: the module binds ``name = value`` at its top level; absent: the name occurs
    nowhere; conflict: it means something else somewhere."""
    if not any(isinstance(n, cst.Name) and n.value == name for n in walk(module, into_scopes=True)):
        return "absent"
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, (cst.Assign, cst.AnnAssign))
                    and small.value is not None
                    and _binds(small, name)
                    and module.code_for_node(small.value) == value
                ):
                    return "present"
    return "conflict"


def _binds(statement: Union[cst.Assign, cst.AnnAssign], name: str) -> bool:
    targets = (
        [t.target for t in statement.targets]
        if isinstance(statement, cst.Assign)
        else [statement.target]
    )
    return any(dotted_name(target) == name for target in targets)


def add_definitions(module: cst.Module, definitions: Sequence[Tuple[str, str]]) -> cst.Module:
    """Add ``name = value`` for each definition after the module's header (docstring and
    imports), separated from what follows as PEP 8 wants."""
    body = list(module.body)
    position = 0
    while position < len(body) and is_header(body[position], position):
        position += 1
    statements = [cst.parse_statement(f"{name} = {value}\n") for name, value in definitions]
    if position < len(body):
        following = body[position]
        leading = list(following.leading_lines)
        blank = 0
        while blank < len(leading) and leading[blank].comment is None:
            blank += 1
        statements[0] = statements[0].with_changes(
            leading_lines=leading[:blank] or [cst.EmptyLine()]
        )
        separation = (
            [cst.EmptyLine(), cst.EmptyLine()]
            if isinstance(following, (cst.FunctionDef, cst.ClassDef))
            else [cst.EmptyLine()]
        )
        body[position] = following.with_changes(leading_lines=[*separation, *leading[blank:]])
    body[position:position] = statements
    return module.with_changes(body=body)


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
