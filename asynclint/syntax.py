"""The rule author's toolbox for syntax: walking trees, finding arguments, naming code in messages,
and where the node being visited sits among its statements.

Walking: libcst's ``children`` property builds its answer by running a visitor over the node, which
costs far more than the walk itself. Here each node class's fields are read once, skipping the
fields that only hold tokens and whitespace (never an expression or statement worth looking at).

The position helpers (``statement_of``, ``enclosing_tries``...) read the model's stack of ancestors
of the node being visited; everything else is a function of the nodes it is given.
"""

from __future__ import annotations

import dataclasses
from typing import (
    TYPE_CHECKING,
    Dict,
    FrozenSet,
    Iterator,
    List,
    Optional,
    Sequence,
    Tuple,
    Union,
    cast,
)

import libcst as cst
from libcst.metadata import BaseMetadataProvider, CodeRange
from libcst.metadata.position_provider import PositionProvidingCodegenState

if TYPE_CHECKING:
    from .model import SemanticModel

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
#: Definitions whose code runs at another time than the code around them.
NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
#: Statements that repeat their body.
LOOPS = (cst.For, cst.While)


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


def walk(node: cst.CSTNode, *, into_scopes: bool) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included) in source order. With ``into_scopes=False``,
    nested defs, classes and lambdas are yielded but not entered: their code runs at another time.
    Every caller says which it means."""
    pending: List[cst.CSTNode] = [node]
    while pending:
        current = pending.pop()
        yield current
        if not into_scopes and current is not node and isinstance(current, NESTED_SCOPES):
            continue
        pending.extend(reversed(child_nodes(current)))


# -- positions ----------------------------------------------------------------------------------


class _PositionSink:
    """Stands in for libcst's PositionProvider during a position-recording code generation."""

    def __init__(self) -> None:
        self._computed: Dict[cst.CSTNode, CodeRange] = {}


def positions(module: cst.Module) -> Dict[cst.CSTNode, CodeRange]:
    """The source range of every node of the module, computed in one code generation (costly:
    the engine asks only for a file with findings, a rule only when it has something to say)."""
    sink = _PositionSink()
    state = PositionProvidingCodegenState(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        # The code generation only records into provider._computed: a plain sink will do.
        provider=cast("BaseMetadataProvider[CodeRange]", sink),
    )
    module._codegen(state)
    return sink._computed


# -- arguments ----------------------------------------------------------------------------------


def argument(
    call: cst.Call, position: Optional[int] = None, keyword: Optional[str] = None
) -> Optional[cst.Arg]:
    """The argument passed at ``position`` (0-based, positional arguments only) or as ``keyword``,
    or None when it is not passed or cannot be told: after ``*args`` the positions are unknown,
    while keywords are still found (``f(*args, timeout=5)`` passes ``timeout``)."""
    index: Optional[int] = 0
    for arg in call.args:
        if arg.keyword is not None:
            if keyword is not None and arg.keyword.value == keyword:
                return arg
        elif arg.star == "*":
            index = None  # the positions from here on are unknown
        elif not arg.star and index is not None:
            if index == position:
                return arg
            index += 1
    return None


def passes_star_args(call: cst.Call) -> bool:
    """The call unpacks a sequence (``*args``): any position may be filled."""
    return any(arg.star == "*" for arg in call.args)


def passes_star_kwargs(call: cst.Call) -> bool:
    """The call unpacks a mapping (``**kwargs``): any keyword may be passed."""
    return any(arg.star == "**" for arg in call.args)


def is_none(node: cst.BaseExpression) -> bool:
    """The literal ``None``."""
    return isinstance(node, cst.Name) and node.value == "None"


def is_true(node: cst.BaseExpression) -> bool:
    """The literal ``True``."""
    return isinstance(node, cst.Name) and node.value == "True"


def method_calls(
    node: cst.CSTNode, methods: FrozenSet[str]
) -> Iterator[Tuple[cst.Call, cst.BaseExpression]]:
    """Calls ``<receiver>.<method>(...)`` under ``node`` (not in nested scopes), with the
    receiver."""
    for child in walk(node, into_scopes=False):
        if (
            isinstance(child, cst.Call)
            and isinstance(child.func, cst.Attribute)
            and child.func.attr.value in methods
        ):
            yield child, child.func.value


# -- names for messages ---------------------------------------------------------------------------


def dotted_name(node: cst.CSTNode) -> Optional[str]:
    """``a.b.c`` for a chain of Name/Attribute nodes, else None."""
    parts: List[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def last_name(expression: cst.CSTNode) -> Optional[str]:
    """The last part of a name: ``get`` for ``requests.get``, ``f`` for ``f``; None otherwise."""
    if isinstance(expression, cst.Name):
        return expression.value
    if isinstance(expression, cst.Attribute):
        return expression.attr.value
    return None


def shown(node: cst.CSTNode) -> str:
    """Short source text for a message: the dotted name, else the code cut to 40 characters."""
    name = dotted_name(node)
    if name is not None:
        return name
    text = cst.Module([]).code_for_node(node)
    return text if len(text) <= 40 else text[:37] + "..."


def shown_object(expression: cst.BaseExpression) -> str:
    """How a message names the object an expression gives: ``asyncio.Lock()``, ``self._lock``."""
    if isinstance(expression, cst.Call):
        name = dotted_name(expression.func)
        return f"{name}()" if name else "this object"
    return dotted_name(expression) or "this object"


def decorator_names(function: cst.FunctionDef) -> List[str]:
    """The last name part of each decorator (``contextmanager`` for ``@contextlib.contextmanager``,
    ``fixture`` for ``@pytest.fixture(scope="module")``)."""
    names = []
    for decorator in function.decorators:
        expression = decorator.decorator
        if isinstance(expression, cst.Call):
            expression = expression.func
        name = dotted_name(expression)
        if name:
            names.append(name.rsplit(".", 1)[-1])
    return names


# -- statements and blocks ------------------------------------------------------------------------


def body_statements(node: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    """The statements of a compound statement's indented block (empty for a one-line body)."""
    body = getattr(node, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return body.body
    return ()


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


#: Builtins that do not fail on the values code passes them in practice.
_PLAIN_CALLS = frozenset({"len", "isinstance", "id"})


def is_plain(statement: cst.CSTNode) -> bool:
    """A statement that cannot raise in practice or leave the block: no call, await, return,
    raise, break or continue (e.g. ``acquired = True``, ``count += 1``)."""
    return not any(
        isinstance(n, (cst.Await, cst.Return, cst.Raise, cst.Break, cst.Continue, cst.Subscript))
        or (
            isinstance(n, cst.Call)
            and not (isinstance(n.func, cst.Name) and n.func.value in _PLAIN_CALLS)
        )
        for n in walk(statement, into_scopes=False)
    )


# -- where the visited node sits (read from the model's stack) ------------------------------------


def held_with_items(model: SemanticModel) -> List[Tuple[cst.With, cst.BaseExpression]]:
    """The ``with``/``async with`` items whose body holds the current node, outermost first,
    up to the enclosing function (a nested def runs later, without them)."""
    stack = model.stack
    held: List[Tuple[cst.With, cst.BaseExpression]] = []
    for position in range(len(stack) - 2, -1, -1):
        node = stack[position]
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            break
        if isinstance(node, cst.With) and stack[position + 1] is node.body:
            held.extend((node, item.item) for item in reversed(node.items))
    held.reverse()
    return held


def statement_of(
    model: SemanticModel,
) -> Tuple[Optional[cst.BaseStatement], Optional[Union[cst.IndentedBlock, cst.Module]], int]:
    """The statement holding the current node, the block that lists it, and its place there."""
    stack = model.stack
    for position in range(len(stack) - 1, 0, -1):
        node, parent = stack[position], stack[position - 1]
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and position != len(stack) - 1:
            break
        if isinstance(node, cst.BaseStatement) and isinstance(
            parent, (cst.IndentedBlock, cst.Module)
        ):
            return node, parent, _position_in(parent.body, node)
    return None, None, -1


def _position_in(statements: Sequence[cst.CSTNode], node: cst.CSTNode) -> int:
    for position, statement in enumerate(statements):
        if statement is node:
            return position
    return -1


def following_statements(
    model: SemanticModel, start: cst.BaseStatement
) -> Iterator[cst.BaseStatement]:
    """The statements that run after ``start`` (an ancestor statement of the current node): the
    rest of its block, then, when that block is the body of a ``try``, ``if`` or ``with``, what
    follows that compound statement, and so on out to the enclosing loop or function."""
    stack = model.stack
    position = _index(stack, start)
    while position >= 2:
        block = stack[position - 1]
        if not isinstance(block, cst.IndentedBlock):
            return
        statements = block.body
        yield from statements[_position_in(statements, stack[position]) + 1 :]
        position -= 2
        while position > 0 and not (
            isinstance(stack[position], cst.BaseStatement)
            and isinstance(stack[position - 1], cst.IndentedBlock)
        ):
            position -= 1
        if position <= 0 or isinstance(
            stack[position], (cst.While, cst.For, cst.FunctionDef, cst.ClassDef)
        ):
            return


def _index(stack: List[cst.CSTNode], node: cst.CSTNode) -> int:
    for position in range(len(stack) - 1, -1, -1):
        if stack[position] is node:
            return position
    return 0


def enclosing_tries(model: SemanticModel) -> Iterator[cst.Try]:
    """The ``try`` statements (up to the enclosing function) whose body holds the current node."""
    stack = model.stack
    for position in range(len(stack) - 2, -1, -1):
        node = stack[position]
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            return
        if isinstance(node, cst.Try) and stack[position + 1] is node.body:
            yield node


def in_loop(model: SemanticModel) -> bool:
    """The current node runs repeatedly: inside a for/while body (or comprehension) of its
    function."""
    for node in model.ancestors():
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            return False
        if isinstance(
            node, (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
        ):
            return True
    return False
