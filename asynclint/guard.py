"""What a text must pass before libcst parses it: CPython's verdict, a nesting depth and a cost.

libcst's native parser is not safe on every text CPython accepts: a few thousand terms of
``a + a + ...`` or ``a or a or ...``, or a dotted name of that many parts, overflow its stack
(the process dies with SIGSEGV, beyond any ``try``); nested brackets cost memory and time in
proportion to the tokens inside them times their depth (16 KB of nested lists took 1.4 GiB). So
every text is screened first, with CPython's own parser (several times cheaper than libcst's):

* brackets are measured first, from the text (CPython's parser also spends memory per token
  times bracket depth: 7.9 MB of lists nested 100 deep took it over 5 GiB);
* a text CPython rejects is reported as CPython reports it (ASL001) and never reaches libcst;
* the syntax tree's nesting, as libcst will build it (``a or b or c`` and ``for`` clauses of a
  comprehension nest there, dotted imports are attribute chains), is at most ``MAX_NESTING``:
  libcst survives about 6,900 levels on an 8 MiB stack, so this is a wide margin;
* the parse cost, the sum of every node's depth plus the bracket depth of every character
  inside brackets (a quarter each), is at most ``MAX_PARSE_COST``: libcst's memory grows with it
  (at most about 2 KiB a unit, measured on crafted texts), so the limit keeps one file's parse
  under about 2 GiB and 20 s. The largest hand-written file of a 14,500-file corpus costs
  430,000; only a 2.9 MB generated file goes over.

A text over a limit gets one ASL007 diagnostic. The verdict depends on the text alone.
"""

from __future__ import annotations

import ast
import re
import warnings
from typing import Any, Dict, List, Optional, Tuple

from .source import SourceError

MAX_NESTING = 200
MAX_PARSE_COST = 1_000_000

_FIELDS: Dict[type, Tuple[str, ...]] = {}
#: Fields of CPython's AST nodes that never hold a node worth visiting.
_SKIPPED = frozenset(
    {"ctx", "op", "ops", "type_comment", "kind", "type_ignores", "is_async", "level", "conversion"}
)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)

#: Strings and comments (whose brackets do not count) and brackets, leftmost first.
_BRACKETS = re.compile(
    r'"""(?:\\[\s\S]|[^\\])*?"""'
    r"|'''(?:\\[\s\S]|[^\\])*?'''"
    r'|"(?:\\[\s\S]|[^"\\\r\n])*"'
    r"|'(?:\\[\s\S]|[^'\\\r\n])*'"
    r"|#[^\r\n]*"
    r"|[()\[\]{}]"
)
#: Only space, line continuations and comments between two string literals: one concatenation.
#: Each alternative matches in one way only (a comment runs to the end of its line), so a gap that
#: does not match fails in linear time: ``#[^\r\n]*`` alone split "# a # b" several ways, and
#: comment lines full of '#' made the match exponential.
_BETWEEN_STRINGS = re.compile(
    r"(?:[ \t\f\r\n]|\\\r?\n|\\\r|#[^\r\n]*(?![^\r\n]))*[rRbBuUfFtT]{0,2}"
)


def ast_child_fields(node_type: Any) -> Tuple[str, ...]:
    """The fields of a CPython AST node class that may hold child nodes (cached)."""
    fields = _FIELDS.get(node_type)
    if fields is None:
        fields = _FIELDS[node_type] = tuple(
            name for name in node_type._fields if name not in _SKIPPED
        )
    return fields


def screen(text: str, path: str) -> Optional[SourceError]:
    """None when libcst may parse ``text``; else the diagnostic to report instead (ASL001 when
    CPython rejects the code, ASL007 when it is nested too deeply or costs too much)."""
    # Brackets first, from the text alone: CPython's parser also spends memory in proportion to
    # the tokens inside brackets times their depth (7.9 MB of lists nested 100 deep: over 5 GiB).
    brackets, strings = _bracket_cost(text, 4 * MAX_PARSE_COST)
    if brackets > 4 * MAX_PARSE_COST:
        return _too_costly(brackets // 4)
    if strings > MAX_NESTING:
        return SourceError(
            "ASL007",
            f"{strings} string literals concatenated in a row, over the limit of {MAX_NESTING}; "
            "skipped",
        )
    try:
        with warnings.catch_warnings():  # invalid escapes and the like: the user's business
            warnings.simplefilter("ignore")
            tree = compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return SourceError(
            "ASL001", f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1
        )
    except (RecursionError, MemoryError):
        return SourceError("ASL007", "nested too deeply for CPython's parser; skipped")
    except ValueError as error:  # NUL bytes and the like; decoding reports them first
        return SourceError("ASL001", f"syntax error: {error}")
    return measure(tree, brackets // 4)


def brackets_too_costly(text: str) -> bool:
    """The first, cheapest part of the screen, for those that parse with CPython alone (the
    project index): the brackets would cost CPython's parser too much."""
    return _bracket_cost(text, 4 * MAX_PARSE_COST)[0] > 4 * MAX_PARSE_COST


def compiles(text: str, path: str) -> Optional[SourceError]:
    """None when CPython compiles ``text`` all the way to byte code (which also rejects what its
    parser accepts: ``await`` outside an async function, ``return`` outside a function...), and
    the text passes the screen; else why not. The judge of every fixed text."""
    problem = screen(text, path)
    if problem is not None:
        return problem
    try:
        with warnings.catch_warnings():  # the compiler's warnings are about the user's code
            warnings.simplefilter("ignore")
            compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        return SourceError(
            "ASL001", f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1
        )
    except (RecursionError, MemoryError, ValueError) as error:
        return SourceError("ASL001", f"does not compile: {type(error).__name__}")
    return None


def measure(tree: ast.AST, cost: int = 0) -> Optional[SourceError]:
    """Apply the nesting and cost limits to a parsed module (``cost``: what its brackets cost)."""
    deepest = 0
    where: Optional[ast.AST] = None
    pending: List[Tuple[ast.AST, int]] = [(tree, 1)]
    pop, push = pending.pop, pending.append
    while pending:
        node, depth = pop()
        cost += depth
        node_type = type(node)
        if node_type is ast.BoolOp:
            depth += len(node.values) - 1  # type: ignore[attr-defined]
        elif node_type in _COMPREHENSIONS:
            depth += len(node.generators) - 1  # type: ignore[attr-defined]
        elif node_type is ast.alias:
            depth += node.name.count(".")  # type: ignore[attr-defined]
        elif node_type is ast.ImportFrom and node.module:  # type: ignore[attr-defined]
            depth += node.module.count(".")  # type: ignore[attr-defined]
        if depth > deepest:
            deepest, where = depth, node
        depth += 1
        for name in ast_child_fields(node_type):
            value = getattr(node, name)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        push((item, depth))
            elif isinstance(value, ast.AST):
                push((value, depth))
    if deepest > MAX_NESTING:
        line = getattr(where, "lineno", 1)
        return SourceError(
            "ASL007", f"code nested over {MAX_NESTING} levels deep; skipped", line, 1
        )
    if cost > MAX_PARSE_COST:
        return _too_costly(cost)
    return None


def _too_costly(cost: int) -> SourceError:
    return SourceError(
        "ASL007",
        f"too costly to analyse (nesting times size is {cost:,}, over the limit of "
        f"{MAX_PARSE_COST:,}); skipped",
    )


def _bracket_cost(text: str, limit: int) -> Tuple[int, int]:
    """(the sum over characters inside brackets of their bracket depth, the longest run of
    string literals concatenated by juxtaposition); the scan stops once the sum passes ``limit``."""
    depth = cost = last = 0
    run = longest = 0
    string_end = -1
    for match in _BRACKETS.finditer(text):
        token = match.group()
        start = match.start()
        if len(token) == 1 and token in "()[]{}":
            cost += (start - last) * depth
            last = start
            if cost > limit:
                break
            if token in "([{":
                depth += 1
            elif depth:
                depth -= 1
            run = 0
        elif token[0] != "#":
            if run and _BETWEEN_STRINGS.fullmatch(text, string_end, start):
                run += 1
            else:
                run = 1
            longest = max(longest, run)
            string_end = match.end()
    return cost, longest


__all__ = [
    "MAX_NESTING",
    "MAX_PARSE_COST",
    "ast_child_fields",
    "brackets_too_costly",
    "compiles",
    "measure",
    "screen",
]
