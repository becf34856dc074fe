"""What the model knows beyond the current file: the project index.

Before rules run, one cheap pass reads every file of the project with CPython's ``ast`` (several
times faster than libcst) and keeps an *outline* of it: what its module-level names are bound to,
its functions and classes, and for each function the calls it makes, resolved to qualified names
where the file alone can tell (``requests.get``, ``pkg.io.read_config``, ``pkg.mod.Client.fetch``
for ``self.fetch()``). Outlines are small plain data, cached by the file's content hash.

The semantic model asks the index about qualified names that its own file does not define:
``lookup("pkg.client.ApiClient.fetch")`` follows re-exports (``from .client import ApiClient``
in ``pkg/__init__.py``), base classes and ``self.`` attributes across files. Rules that reason
across functions read the call sites: ``callers(qualname)`` gives every project call of a
function with the context it was made in (awaited? under which ``with`` managers? handed to
which function as an argument?).

The base ``ProjectIndex`` knows nothing, so a file can be analysed on its own.
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import os
import stat
import warnings
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    Tuple,
    TypeVar,
    Union,
)

import libcst as cst

from .guard import ast_child_fields, brackets_too_costly
from .knowledge import COROUTINE_PRESERVING_DECORATORS, FACTORY_TYPES, public_name
from .source import MAX_FILE_BYTES, SourceError, decode, read_regular
from .storage import (
    Malformed,
    check_number,
    check_optional_table,
    check_rows,
    check_table,
    check_text,
    check_texts,
    check_time,
)

if TYPE_CHECKING:
    from .storage import CacheDirectory

#: Bumped whenever the outline format changes, so stale caches are ignored.
OUTLINE_VERSION = 5
_MAX_DEPTH = 8
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class CallSite:
    """A call made by a project function, as the outline pass saw it."""

    target: str  # the callee's qualified name (``Class.method`` for self./cls. calls)
    caller: str  # the qualified name of the function making the call
    path: str
    line: int
    column: int  # 1-based
    awaited: bool = False
    managers: Tuple[
        str, ...
    ] = ()  # what the enclosing ``with``/``async with`` items name, outermost first
    wrapper: Optional[str] = (
        None  # the function the call's result is passed to directly (``asyncio.wait_for``)
    )
    returned: bool = False  # the call is the function's return value


@dataclass(frozen=True)
class CallerQuestion:
    """What bounds a coroutine at its call sites (ProjectIndex.bounded_by_callers): being handed
    to one of ``wrappers`` (qualified names such as ``asyncio.wait_for``), being awaited under one
    of ``managers`` (``asyncio.timeout``), within ``levels`` levels of callers."""

    wrappers: frozenset
    managers: frozenset
    levels: int


@dataclass(frozen=True)
class Symbol:
    """A named definition: a function, a method or a class."""

    qualname: str
    kind: str  # function | method | class
    is_async: bool = (
        False  # calling it returns a coroutine (an async def, not wrapped by a decorator)
    )
    node: Optional[cst.CSTNode] = None  # the definition, when it is in the current file
    path: Optional[str] = None  # the file it is defined in, when it comes from the index
    line: int = 0
    async_generator: bool = False
    decorators: Tuple[str, ...] = ()  # qualified (or dotted) names of the decorators
    members: frozenset = frozenset()  # for classes: the names of the methods defined in the body
    bases: Tuple[
        Optional[str], ...
    ] = ()  # for classes: qualified names of the bases (None: unresolvable)
    generator: bool = False  # for functions: the body yields (a generator or an async generator)


class ProjectIndex:
    """Knowledge about definitions outside the current file. The base class knows none."""

    def lookup(self, qualname: str) -> Optional[Symbol]:
        return None

    def calls(self, qualname: str) -> Tuple[CallSite, ...]:
        """The calls made by the function ``qualname``."""
        return ()

    def callers(self, qualname: str) -> Tuple[CallSite, ...]:
        """Every call of the function ``qualname`` made by a project function."""
        return ()

    def method(self, class_qualname: str, name: str) -> Optional[Symbol]:
        """The method ``name`` of a project class, through its bases."""
        return None

    def attribute_type(self, class_qualname: str, attribute: str) -> Optional[str]:
        """The type of ``self.<attribute>`` in a project class, when every binding agrees."""
        return None

    @property
    def fingerprint(self) -> str:
        """Changes whenever anything the index knows changes (part of the findings cache key)."""
        return ""

    def is_project(self, qualname: str) -> bool:
        """``qualname`` is defined in a file of the linted project (not in an installed library)."""
        return False

    def bounded_by_callers(self, qualname: str, question: CallerQuestion, level: int = 1) -> bool:
        """Every project call of the coroutine ``qualname`` bounds it by a timeout, and there is
        one: the call is handed to one of ``question.wrappers`` (``asyncio.wait_for``), or awaited
        under one of ``question.managers`` (``asyncio.timeout``), or awaited by a function that is
        itself bounded by all its callers, ``question.levels`` levels up at most.

        Asked on demand; each (question, function, level) is decided once (the search is
        polynomial however the callers branch) and the recursion is at most ``question.levels``
        deep, whatever the input."""
        if level > question.levels:
            return False
        key = ("bounded-by-callers", question, qualname, level)
        memo = self.memo
        if key not in memo:
            sites = self.callers(qualname)
            memo[key] = bool(sites) and all(
                self.site_bounds(site, question, level) for site in sites
            )
        return memo[key]  # type: ignore[return-value]

    def site_bounds(self, site: CallSite, question: CallerQuestion, level: int) -> bool:
        """The call ``site`` bounds the coroutine it calls (see bounded_by_callers)."""
        if site.wrapper in question.wrappers:
            return True
        if not site.awaited:
            return False
        if any(manager in question.managers for manager in site.managers):
            return True
        return self.bounded_by_callers(site.caller, question, level + 1)

    @property
    def memo(self) -> Dict[object, object]:
        """A place for rules to keep facts derived from the index (blocking chains...), computed
        once per run rather than once per file."""
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self.__dict__["_memo"] = {}
        return memo


EMPTY_INDEX = ProjectIndex()

Goal = TypeVar("Goal")


def nearest_goal(
    start: str,
    expand: Callable[[str], Tuple[Optional[Goal], Sequence[str]]],
    limit: int,
) -> Optional[Tuple[Tuple[str, ...], Goal]]:
    """Breadth-first search of a call graph from ``start``: ``expand(node)`` gives the node's goal
    (None: none) and its successors. Answers the path from ``start`` to the nearest node with a
    goal (fewest steps; among those, the first in expansion order) at most ``limit`` steps
    away, and that goal; None when there is none.

    The answer depends on ``start``, the graph and ``limit`` only, never on which questions were
    asked before: rules memoise it per start (``ProjectIndex.memo``) and memoise ``expand``'s
    facts per node, but never a partial answer cut short by the limit or by a cycle."""
    parents: Dict[str, Optional[str]] = {start: None}
    frontier = [start]
    for depth in range(limit + 1):
        following: List[str] = []
        for node in frontier:
            goal, successors = expand(node)
            if goal is not None:
                path = [node]
                while parents[path[-1]] is not None:
                    path.append(parents[path[-1]])  # type: ignore[arg-type]
                return tuple(reversed(path)), goal
            if depth < limit:
                for successor in successors:
                    if successor not in parents:
                        parents[successor] = node
                        following.append(successor)
        frontier = following
    return None


# -- outlines -----------------------------------------------------------------------------------


@dataclass
class FunctionOutline:
    qualname: str  # relative to the module: ``f``, ``Class.method``
    kind: str
    line: int
    is_async: bool
    async_generator: bool
    decorators: Tuple[str, ...]
    calls: List[Tuple] = field(
        default_factory=list
    )  # (target, line, column, awaited, managers, wrapper, returned)
    generator: bool = False


@dataclass
class ClassOutline:
    qualname: str
    line: int
    bases: Tuple[str, ...]
    decorators: Tuple[str, ...]
    members: frozenset
    attributes: Dict[
        str, Optional[str]
    ]  # self.<attr> -> its constructor's type, None when unknown or mixed


@dataclass
class ModuleOutline:
    name: str
    path: str
    names: Dict[
        str, str
    ]  # module-level name -> what it refers to (imports; aliases of other names)
    functions: Dict[str, FunctionOutline]
    classes: Dict[str, ClassOutline]
    stars: Tuple[str, ...] = ()  # modules whose names ``from m import *`` brings in
    digest: str = ""  # sha1 of the UTF-8 text the outline was made from


def outline(source: bytes, path: str, module: str) -> Optional[ModuleOutline]:
    """The outline of one file, or None when CPython cannot parse it (or parsing it would cost too
    much: see asynclint.guard, which the engine applies too)."""
    try:
        if brackets_too_costly(decode(source, path).text):
            return None
    except SourceError:
        return None
    try:
        with warnings.catch_warnings():  # invalid escapes and the like: the user's business
            warnings.simplefilter("ignore")
            tree = ast.parse(source, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    built = _Outliner(path, module).build(tree)
    try:
        text = source.decode("utf-8-sig")
        built.digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    except UnicodeDecodeError:
        # another declared encoding: an overlay will outline the file again, which is only slower
        pass
    return built


def _dotted(node: ast.AST) -> Optional[str]:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _absolute(module: str, is_package: bool, level: int, name: str) -> str:
    if not level:
        return name
    package = module.split(".") if is_package else module.split(".")[:-1]
    anchor = package[: max(len(package) - (level - 1), 0)]
    return ".".join([*anchor, name] if name else anchor)


class _Outliner:
    def __init__(self, path: str, module: str) -> None:
        self.path = path
        self.module = module
        self.is_package = os.path.basename(path) == "__init__.py"
        self.names: Dict[str, str] = {}
        self.shadowed: set = (
            set()
        )  # module names bound by plain assignment: values, not definitions
        self.aliases: List[
            str
        ] = []  # module names assigned another name: ``Client = _impl.Client``
        self.stars: List[str] = []
        self.functions: Dict[str, FunctionOutline] = {}
        self.classes: Dict[str, ClassOutline] = {}

    def build(self, tree: ast.Module) -> ModuleOutline:
        self._bind_module_names(tree.body)
        for statement in tree.body:
            self._definition(statement, None)
        return ModuleOutline(
            self.module, self.path, self.names, self.functions, self.classes, tuple(self.stars)
        )

    # -- module-level names ---------------------------------------------------------------------

    def _bind_module_names(self, body: Sequence[ast.stmt]) -> None:
        for statement in _flatten(body):
            if isinstance(statement, ast.Import):
                for alias in statement.names:
                    if alias.asname:
                        self.names.setdefault(alias.asname, alias.name)
                    else:
                        root = alias.name.split(".")[0]
                        self.names.setdefault(root, root)
            elif isinstance(statement, ast.ImportFrom):
                base = _absolute(
                    self.module, self.is_package, statement.level, statement.module or ""
                )
                for alias in statement.names:
                    if alias.name == "*":
                        self.stars.append(base)
                        continue
                    self.names.setdefault(
                        alias.asname or alias.name, f"{base}.{alias.name}" if base else alias.name
                    )
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.names.setdefault(statement.name, f"{self.module}.{statement.name}")
            elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                for target in targets:
                    if isinstance(target, ast.Name):
                        assigned = statement.value
                        aliased = _dotted(assigned) if assigned is not None else None
                        if aliased is not None and target.id not in self.names:
                            self.names[target.id] = (
                                aliased  # resolved below, once every name is known
                            )
                            self.aliases.append(target.id)
                        else:
                            self.shadowed.add(target.id)
        for (
            name
        ) in self.aliases:  # ``Client = _impl.Client``: resolve through the module's own names
            root, _, rest = self.names[name].partition(".")
            if root != name and root in self.names:
                base = self.names[root]
                self.names[name] = f"{base}.{rest}" if rest else base
        for name in self.shadowed:
            self.names.pop(name, None)

    def resolve(self, dotted: Optional[str], local: Dict[str, Optional[str]]) -> Optional[str]:
        if dotted is None:
            return None
        root, _, rest = dotted.partition(".")
        if root in local:
            base = local[root]
        elif root in self.names:
            base = self.names[root]
        elif root in _BUILTINS:
            base = f"builtins.{root}"
        else:
            return None
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    # -- definitions ----------------------------------------------------------------------------

    def _definition(self, statement: ast.stmt, cls: Optional[ClassOutline]) -> None:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self._function(statement, cls)
        elif isinstance(statement, ast.ClassDef) and cls is None:
            self._class(statement)
        elif isinstance(statement, (ast.If, ast.Try)) and cls is None:
            for block in (statement.body, statement.orelse, getattr(statement, "finalbody", [])):
                for inner in block:
                    self._definition(inner, None)
            for handler in getattr(statement, "handlers", []):
                for inner in handler.body:
                    self._definition(inner, None)

    def _decorators(self, node, local) -> Tuple[str, ...]:
        names = []
        for decorator in node.decorator_list:
            expression = decorator.func if isinstance(decorator, ast.Call) else decorator
            dotted = _dotted(expression)
            names.append(self.resolve(dotted, local) or dotted or "?")
        return tuple(names)

    def _class(self, node: ast.ClassDef) -> None:
        bases = tuple(self.resolve(_dotted(base), {}) or "?" for base in node.bases)
        members = frozenset(
            s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        outline = ClassOutline(
            node.name, node.lineno, bases, self._decorators(node, {}), members, {}
        )
        self.classes[node.name] = outline
        attributes: Dict[str, set] = {}
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                attributes.setdefault(statement.target.id, set()).add(
                    self._annotation_type(statement.annotation)
                )
            elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for name, kind in self._function(statement, outline):
                    attributes.setdefault(name, set()).add(kind)
        outline.attributes = {
            name: (kinds.pop() if len(kinds) == 1 else None) for name, kinds in attributes.items()
        }

    def _annotation_type(self, annotation: ast.expr) -> Optional[str]:
        if (
            isinstance(annotation, ast.Subscript)
            and self.resolve(_dotted(annotation.value), {}) == "typing.Optional"
        ):
            return self._annotation_type(annotation.slice)
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [
                s
                for s in (annotation.left, annotation.right)
                if not (isinstance(s, ast.Constant) and s.value is None)
            ]
            return self._annotation_type(sides[0]) if len(sides) == 1 else None
        return self.resolve(_dotted(annotation), {})

    def _value_type(
        self, value: Optional[ast.expr], local: Dict[str, Optional[str]]
    ) -> Optional[str]:
        if isinstance(value, ast.Call):
            callee = self.resolve(_dotted(value.func), local)
            if callee is None:
                return None
            return _factory_type(callee)
        return None

    def _function(self, node, cls: Optional[ClassOutline]) -> List[Tuple[str, Optional[str]]]:
        """Outline one function; returns the ``self.<attr>`` bindings it makes (name, type)."""
        is_async = isinstance(node, ast.AsyncFunctionDef)
        decorators = self._decorators(node, {})
        qualname = f"{cls.qualname}.{node.name}" if cls else node.name
        preserving = all(
            d.rsplit(".", 1)[-1] in COROUTINE_PRESERVING_DECORATORS for d in decorators
        )
        walker = _BodyWalker(self, cls, node, decorators)
        walker.run()
        self.functions[qualname] = FunctionOutline(
            qualname,
            "method" if cls else "function",
            node.lineno,
            is_async and preserving and not walker.yields,
            is_async and walker.yields,
            decorators,
            walker.calls,
            walker.yields,
        )
        return walker.attributes


def _flatten(body: Sequence[ast.stmt]) -> Iterable[ast.stmt]:
    """Module-level statements, through ``if``/``try`` blocks (TYPE_CHECKING, import fallbacks)."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            yield from _flatten(statement.body)
            yield from _flatten(statement.orelse)
        elif isinstance(statement, ast.Try):
            yield from _flatten(statement.body)
            for handler in statement.handlers:
                yield from _flatten(handler.body)
            yield from _flatten(statement.orelse)
            yield from _flatten(statement.finalbody)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)


def _factory_type(callee: str) -> Optional[str]:
    """The type of what calling ``callee`` gives: a catalogued factory's, else the callee itself
    (a class constructs itself; whether it is one is checked at lookup). A factory of a tuple
    (``trio.open_memory_channel``) gives no one type."""
    found = FACTORY_TYPES.get(public_name(callee), callee)
    return found if isinstance(found, str) else None


class _BodyWalker:
    """One pass over a function body (not entering nested functions, lambdas or classes): the calls
    it makes with their context, the local names it binds, the ``self.`` attributes it sets, and
    whether it yields. Calls are resolved at the end, once every local binding is known."""

    def __init__(
        self, outliner: _Outliner, cls: Optional[ClassOutline], node, decorators: Tuple[str, ...]
    ) -> None:
        self.outliner = outliner
        self.node = node
        self.yields = False
        self.raw_calls: List[
            Tuple
        ] = []  # (dotted, line, column, awaited, manager dotteds, wrapper dotted, returned)
        self.kinds: Dict[str, set] = {}  # local name -> the types of its bindings (None: unknown)
        self.raw_attributes: List[Tuple[str, Union[str, ast.expr, None]]] = []
        arguments = node.args
        params = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        self.receiver = None
        if cls is not None and params and not any(d.endswith("staticmethod") for d in decorators):
            self.receiver = params[0].arg
        self.local: Dict[str, Optional[str]] = {}
        for param in params:
            self.local[param.arg] = (
                outliner._annotation_type(param.annotation)
                if param.annotation is not None
                else None
            )
        for extra in (arguments.vararg, arguments.kwarg):
            if extra is not None:
                self.local[extra.arg] = None
        if self.receiver is not None and cls is not None:
            self.local[self.receiver] = f"{outliner.module}.{cls.qualname}"
        self.calls: List[Tuple] = []
        self.attributes: List[Tuple[str, Optional[str]]] = []

    def run(self) -> None:
        self._walk(self.node.body)
        for name, found in self.kinds.items():
            if name == self.receiver:
                continue
            if self.local.get(name) is not None:
                found = found | {self.local[name]}
            self.local[name] = found.pop() if len(found) == 1 else None
        resolve = self.outliner.resolve
        for dotted, line, column, awaited, managers, wrapper, returned in self.raw_calls:
            target = resolve(dotted, self.local) if dotted else None
            if target is None:
                continue
            resolved_managers = tuple(resolve(m, self.local) or "?" if m else "?" for m in managers)
            own_wrapper = (
                (resolve(wrapper, self.local) or f"?.{wrapper.rsplit('.', 1)[-1]}")
                if wrapper
                else None
            )
            self.calls.append(
                (target, line, column, awaited, resolved_managers, own_wrapper, returned)
            )
        for name, value in self.raw_attributes:
            kind = value if isinstance(value, str) or value is None else self._value_type(value)
            self.attributes.append((name, kind))

    def _value_type(self, value: ast.expr) -> Optional[str]:
        if isinstance(value, ast.Call):
            callee = self.outliner.resolve(_dotted(value.func), self.local)
            if callee is not None:
                return _factory_type(callee)
        return None

    # -- bindings -------------------------------------------------------------------------------

    def _bind(self, target: ast.AST, value: Optional[ast.expr]) -> None:
        if isinstance(target, ast.Name):
            kind = None
            if isinstance(value, ast.Call):
                dotted = _dotted(value.func)
                # Resolved against module names only: a local constructor is rare and unknowable
                # here.
                callee = (
                    self.outliner.resolve(dotted, {})
                    if dotted and dotted.split(".")[0] not in self.local
                    else None
                )
                kind = _factory_type(callee) if callee else None
            self.kinds.setdefault(target.id, set()).add(kind)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._bind(element, None)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, None)
        elif (
            isinstance(target, ast.Attribute)
            and self.receiver is not None
            and isinstance(target.value, ast.Name)
            and target.value.id == self.receiver
        ):
            self.raw_attributes.append((target.attr, value))

    # -- the walk -------------------------------------------------------------------------------

    def _walk(self, statements: Sequence[ast.stmt]) -> None:
        """Visit the statements and everything under them, depth first in source order, with an
        explicit stack: a chain of 10,000 ``a + a + ...`` must not exhaust Python's."""
        pending: List[Tuple] = [(statement, (), None, False, False) for statement in statements]
        pending.reverse()
        while pending:
            children: List[Tuple] = []
            node, managers, wrapper, awaited, returned = pending.pop()
            self._visit(node, managers, wrapper, awaited, returned, children.append)
            pending.extend(reversed(children))

    def _visit(
        self,
        node: Any,
        managers: Tuple,
        wrapper: Optional[str],
        awaited: bool,
        returned: bool,
        visit: Callable[[Tuple], None],
    ) -> None:
        """One node's own work; its children are handed to ``visit`` as (node, context...)."""
        # ``node`` is Any: its fields are read after an exact type check (faster than isinstance).
        node_type = type(node)
        if node_type in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            self.kinds.setdefault(node.name, set()).add(None)
            for decorator in node.decorator_list:
                visit((decorator, managers, None, False, False))
            return
        if node_type is ast.Lambda:
            return
        if node_type is ast.Call:
            dotted = _dotted(node.func)
            self.raw_calls.append(
                (dotted, node.lineno, node.col_offset + 1, awaited, managers, wrapper, returned)
            )
            visit((node.func, managers, None, False, False))
            own = dotted or (
                f"?.{node.func.attr}" if isinstance(node.func, ast.Attribute) else None
            )
            for argument in node.args:
                visit(
                    (
                        argument.value if type(argument) is ast.Starred else argument,
                        managers,
                        own,
                        False,
                        False,
                    )
                )
            for keyword in node.keywords:
                visit((keyword.value, managers, own, False, False))
            return
        if node_type is ast.Await:
            visit((node.value, managers, wrapper, True, returned))
            return
        if node_type is ast.Return:
            if node.value is not None:
                visit((node.value, managers, None, False, True))
            return
        if node_type in (ast.With, ast.AsyncWith):
            inner = managers
            for item in node.items:
                expression = item.context_expr
                visit((expression, inner, None, False, False))
                if item.optional_vars is not None:
                    self._bind(item.optional_vars, expression)
                inner = (
                    *inner,
                    _dotted(expression.func if isinstance(expression, ast.Call) else expression),
                )
            for statement in node.body:
                visit((statement, inner, None, False, False))
            return
        if node_type is ast.Assign:
            for target in node.targets:
                self._bind(target, node.value)
        elif node_type is ast.AnnAssign:
            annotated = self.outliner._annotation_type(node.annotation)
            target = node.target
            if isinstance(target, ast.Name):
                self.kinds.setdefault(target.id, set()).add(annotated)
            else:
                self._bind(target, None)
                if self.raw_attributes and self.raw_attributes[-1][0] == getattr(
                    target, "attr", None
                ):
                    self.raw_attributes[-1] = (target.attr, annotated)
        elif node_type in (ast.AugAssign, ast.For, ast.AsyncFor, ast.comprehension, ast.NamedExpr):
            self._bind(node.target, node.value if node_type is ast.NamedExpr else None)
        elif node_type in (ast.Import, ast.ImportFrom):
            for alias in node.names:
                self.kinds.setdefault((alias.asname or alias.name).split(".")[0], set()).add(None)
        elif node_type is ast.ExceptHandler and node.name:
            self.kinds.setdefault(node.name, set()).add(None)
        elif node_type in (ast.Yield, ast.YieldFrom):
            self.yields = True
        for name in ast_child_fields(node_type):
            value = getattr(node, name)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        visit((item, managers, None, False, False))
            elif isinstance(value, ast.AST):
                visit((value, managers, None, False, False))


# -- the index over outlines ------------------------------------------------------------------


class OutlineIndex(ProjectIndex):
    """The project index: lookups over the outlines of every linted file."""

    def __init__(
        self, outlines: Iterable[ModuleOutline], libraries: Optional[LibraryIndex] = None
    ) -> None:
        self.libraries = libraries
        self.modules: Dict[str, ModuleOutline] = {}
        for module in outlines:
            self.modules.setdefault(module.name, module)
        self._callers: Optional[Dict[str, List[CallSite]]] = None
        self._fingerprint: Optional[str] = None
        self._project_fingerprint: Optional[str] = None  # set by build_index from content hashes

    # -- resolution -----------------------------------------------------------------------------

    def _split(self, qualname: str) -> Optional[Tuple[ModuleOutline, List[str]]]:
        parts = qualname.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            name = ".".join(parts[:cut])
            module = self.modules.get(name)
            if module is None and self.libraries is not None:
                module = self.libraries.module(name)
            if module is not None:
                return module, parts[cut:]
        return None

    def resolve(self, qualname: str) -> Optional[Tuple[ModuleOutline, str, List[str]]]:
        """(module, definition name, remaining attribute path) for a project definition, through
        re-exports and aliases; None when the name is not defined in the project.

        Memoised per name, and only per name: every question is answered from depth 0 and never
        from another question's partial answer (an alias three hops into a chain has less depth
        left than the same alias asked directly), so the answer does not depend on which
        question came first."""
        memo = self.__dict__.setdefault("_resolved", {})
        if qualname not in memo:
            memo[qualname] = self._resolve_step(qualname, 0, set())
        return memo[qualname]

    def _resolve_step(
        self, qualname: str, depth: int, active: set
    ) -> Optional[Tuple[ModuleOutline, str, List[str]]]:
        if depth > _MAX_DEPTH or qualname in active:
            return None  # too deep, or an alias cycle: nothing, for this question
        active.add(qualname)
        found = self._resolve(qualname, depth, active)
        active.discard(qualname)
        return found

    def _resolve(
        self, qualname: str, depth: int, active: set
    ) -> Optional[Tuple[ModuleOutline, str, List[str]]]:
        split = self._split(qualname)
        if split is None:
            return None
        module, path = split
        return self._resolve_in(module, path[0], path[1:], qualname, depth, active)

    def _resolve_in(
        self,
        module: ModuleOutline,
        head: str,
        rest: List[str],
        qualname: str,
        depth: int,
        active: set,
        seen: Optional[set] = None,
    ) -> Optional[Tuple[ModuleOutline, str, List[str]]]:
        if head in module.classes or head in module.functions:
            return module, head, rest
        target = module.names.get(head)
        if target is None:
            # ``from .x import *``: only into a module that exists, each module once per question.
            if depth > _MAX_DEPTH:
                return None
            seen = seen if seen is not None else {module.name}
            for star in module.stars:
                if star in seen:
                    continue  # already searched for this name: nothing there
                seen.add(star)
                starred = self.modules.get(star) or (
                    self.libraries.module(star) if self.libraries else None
                )
                if starred is not None:
                    found = self._resolve_in(starred, head, rest, qualname, depth + 1, active, seen)
                    if found is not None:
                        return found
            return None
        if target == qualname:
            return None
        return self._resolve_step(".".join([target, *rest]), depth + 1, active)

    def lookup(self, qualname: str, _depth: int = 0) -> Optional[Symbol]:
        if _depth > _MAX_DEPTH:
            return None
        found = self.resolve(qualname)
        if found is None:
            return None
        module, head, rest = found
        if not rest:
            if head in module.functions:
                return self._function_symbol(module, module.functions[head])
            cls = module.classes[head]
            return Symbol(
                f"{module.name}.{head}",
                "class",
                False,
                None,
                module.path,
                cls.line,
                decorators=cls.decorators,
                members=cls.members,
                bases=tuple(None if base == "?" else base for base in cls.bases),
            )
        if head in module.classes and len(rest) >= 1:
            method = self.method(f"{module.name}.{head}", rest[0])
            if method is not None and len(rest) == 1:
                return method
            attribute = self.attribute_type(f"{module.name}.{head}", rest[0], _depth)
            if attribute is not None:
                return (
                    self.lookup(".".join([attribute, *rest[1:]]), _depth + 1) if rest[1:] else None
                )
        return None

    def _function_symbol(self, module: ModuleOutline, function: FunctionOutline) -> Symbol:
        return Symbol(
            f"{module.name}.{function.qualname}",
            function.kind,
            function.is_async,
            None,
            module.path,
            function.line,
            function.async_generator,
            function.decorators,
            generator=function.generator,
        )

    def _class(self, class_qualname: str) -> Optional[Tuple[ModuleOutline, ClassOutline]]:
        found = self.resolve(class_qualname)
        if found is None or found[2] or found[1] not in found[0].classes:
            return None
        return found[0], found[0].classes[found[1]]

    def mro(self, class_qualname: str) -> List[Tuple[ModuleOutline, ClassOutline]]:
        """The project classes ``class_qualname`` is built from, itself first (depth-first
        bases)."""
        order: List[Tuple[ModuleOutline, ClassOutline]] = []
        pending = [class_qualname]
        seen = set()
        while pending and len(order) <= _MAX_DEPTH * 4:
            name = pending.pop(0)
            found = self._class(name)
            if found is None:
                continue
            key = f"{found[0].name}.{found[1].qualname}"
            if key in seen:
                continue
            seen.add(key)
            order.append(found)
            pending[0:0] = [base for base in found[1].bases if base != "?"]
        return order

    def bases(self, class_qualname: str) -> Tuple[str, ...]:
        """Every base class name of a project class, through its project bases (library bases
        included)."""
        names: List[str] = []
        for _, cls in self.mro(class_qualname):
            names.extend(cls.bases)
        return tuple(names)

    def method(self, class_qualname: str, name: str) -> Optional[Symbol]:
        for module, cls in self.mro(class_qualname):
            function = module.functions.get(f"{cls.qualname}.{name}")
            if function is not None:
                return self._function_symbol(module, function)
        return None

    def attribute_type(self, class_qualname: str, attribute: str, _depth: int = 0) -> Optional[str]:
        for _, cls in self.mro(class_qualname):
            if attribute in cls.attributes:
                kind = cls.attributes[attribute]
                if kind is None:
                    return None
                # lookup() may ask attribute_type() again (``self.a = B.b()`` where B's ``b`` is
                # typed by A's ``a``): the depth goes along, so a cycle ends.
                symbol = self.lookup(kind, _depth + 1)
                if kind in FACTORY_TYPES.values() or (
                    symbol is not None and symbol.kind == "class"
                ):
                    return symbol.qualname if symbol is not None else kind
                return None
        return None

    def is_project(self, qualname: str) -> bool:
        found = self.resolve(qualname)
        return found is not None and self.modules.get(found[0].name) is found[0]

    def imported_libraries(self) -> List[str]:
        """The top-level names the project imports that are not its own modules."""
        project = {name.split(".")[0] for name in self.modules}
        imported = {
            value.split(".")[0]
            for module in list(self.modules.values())
            for value in [*module.names.values(), *module.stars]
        }
        return sorted(name for name in imported - project if name and name not in _BUILTINS)

    def load_imported_libraries(self) -> None:
        """Read the outlines of every library name the project imports (and what they re-export)."""
        if self.libraries is None:
            return
        project = {name.split(".")[0] for name in self.modules}
        imported = {
            value for module in list(self.modules.values()) for value in module.names.values()
        }
        for qualname in sorted(imported):
            if qualname.split(".")[0] not in project:
                if self.libraries.module(qualname) is None:  # ``import x`` names a module
                    self.lookup(qualname)  # ``from x import y`` names a definition (or a module)

    # -- call sites -----------------------------------------------------------------------------

    def calls(self, qualname: str) -> Tuple[CallSite, ...]:
        found = self.resolve(qualname)
        if found is None:
            return ()
        module, head, rest = found
        function = module.functions.get(".".join([head, *rest]))
        if function is None:
            return ()
        return tuple(self._site(module, function, call) for call in function.calls)

    def callers(self, qualname: str) -> Tuple[CallSite, ...]:
        if self._callers is None:
            self._callers = {}
            for module in self.modules.values():
                for function in module.functions.values():
                    for call in function.calls:
                        site = self._site(module, function, call)
                        self._callers.setdefault(self._canonical(site.target), []).append(site)
        return tuple(self._callers.get(self._canonical(qualname), ()))

    def _canonical(self, qualname: str) -> str:
        symbol = self.lookup(qualname)
        return symbol.qualname if symbol is not None else qualname

    @staticmethod
    def _site(module: ModuleOutline, function: FunctionOutline, call: Tuple) -> CallSite:
        target, line, column, awaited, managers, wrapper, returned = call
        return CallSite(  # library names in their public spelling, as the model gives them
            public_name(target),
            f"{module.name}.{function.qualname}",
            module.path,
            line,
            column,
            awaited,
            tuple(public_name(manager) for manager in managers),
            public_name(wrapper) if wrapper is not None else None,
            returned,
        )

    @property
    def fingerprint(self) -> str:
        """The project's outlines and the library modules read so far (asked for once the
        libraries the project imports are read: the findings cache keys its entries with it)."""
        if self._fingerprint is None:
            digest = hashlib.sha1()
            if self._project_fingerprint is not None:
                digest.update(self._project_fingerprint.encode())
            else:
                import json

                for name in sorted(self.modules):
                    digest.update(json.dumps(outline_to_data(self.modules[name])).encode())
            if self.libraries is not None:
                digest.update(self.libraries.fingerprint().encode())
            self._fingerprint = digest.hexdigest()
        return self._fingerprint


class FileOverlay(OutlineIndex):
    """The project index as seen from one file whose text the index may not hold (a new file, an
    editor buffer, standard input): that file's own outline, read when first needed, stands in
    for the project's version of its module."""

    def __init__(self, base: ProjectIndex, text: str, path: str, module: str) -> None:
        self.base = base
        self.text = text
        self.path = path
        self.module_name = module
        self.libraries = getattr(base, "libraries", None)
        self._fingerprint = base.fingerprint
        self._modules: Optional[Dict[str, ModuleOutline]] = None

    @property
    def modules(self) -> Dict[str, ModuleOutline]:  # type: ignore[override]
        if self._modules is None:
            import collections

            own = outline(self.text.encode("utf-8", "surrogatepass"), self.path, self.module_name)
            project = getattr(self.base, "modules", {})
            self._modules = collections.ChainMap({self.module_name: own} if own else {}, project)  # type: ignore[assignment]
        return self._modules  # type: ignore[return-value]

    def callers(self, qualname: str) -> Tuple[CallSite, ...]:
        own = self.modules.get(self.module_name)
        sites = [site for site in self.base.callers(qualname) if site.path != self.path]
        if own is not None and own.path == self.path:
            for function in own.functions.values():
                for call in function.calls:
                    site = self._site(own, function, call)
                    if self._canonical(site.target) == self._canonical(qualname):
                        sites.append(site)
        return tuple(sites)

    @property
    def memo(self) -> Dict[object, object]:
        # Private: facts derived through this file's text must not leak into other files' runs.
        return ProjectIndex.memo.fget(self)  # type: ignore[attr-defined]


def overlay(base: ProjectIndex, text: str, path: str, module: str) -> ProjectIndex:
    """The index for linting ``text`` as ``path``: the project's, with this text's outline."""
    known = getattr(base, "modules", {}).get(module)
    if (
        known is not None
        and known.path == path
        and known.digest == hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    ):
        return base
    return FileOverlay(base, text, path, module)


# -- outlines as data ----------------------------------------------------------------------------
#
# One encoding for every outline that is stored: the outline cache, the library cache and the
# library knowledge shipped with asynclint. Plain JSON values (lists, strings, integers), read
# back through a decoder that checks every shape, type and size: whatever it does not recognise
# is rejected (``Malformed``), and the caller rebuilds the outline instead.


def outline_to_data(module: ModuleOutline) -> list:
    """``module`` as JSON-ready data (read back by ``outline_from_data``)."""
    functions = [
        [
            f.qualname,
            1 if f.kind == "method" else 0,
            f.line,
            f.is_async | f.async_generator << 1 | f.generator << 2,
            list(f.decorators),
            [
                [target, line, column, awaited | returned << 1, list(managers), wrapper]
                for target, line, column, awaited, managers, wrapper, returned in f.calls
            ],
        ]
        for f in module.functions.values()
    ]
    classes = [
        [c.qualname, c.line, list(c.bases), list(c.decorators), sorted(c.members), c.attributes]
        for c in module.classes.values()
    ]
    return [
        module.name,
        module.path,
        module.names,
        functions,
        classes,
        list(module.stars),
        module.digest,
    ]


def outline_from_data(data: object) -> ModuleOutline:
    """The outline ``outline_to_data`` made; ``Malformed`` for anything else."""
    if type(data) is not list or len(data) != 7:
        raise Malformed("module expected")
    name, path, names, functions, classes, stars, digest = data
    module = ModuleOutline(
        check_text(name), check_text(path), check_table(names), {}, {}, check_texts(stars)
    )
    module.digest = check_text(digest)
    for qualname, kind, line, flags, decorators, calls in check_rows(functions, 6):
        flags = check_number(flags)
        if kind not in (0, 1) or type(kind) is not int or flags > 7:
            raise Malformed("function expected")
        module.functions[check_text(qualname)] = FunctionOutline(
            qualname,
            "method" if kind else "function",
            check_number(line),
            bool(flags & 1),
            bool(flags & 2),
            check_texts(decorators),
            [
                (
                    check_text(target),
                    check_number(at_line),
                    check_number(column),
                    bool(check_number(call_flags) & 1),
                    check_texts(managers),
                    None if wrapper is None else check_text(wrapper),
                    bool(call_flags & 2),
                )
                for target, at_line, column, call_flags, managers, wrapper in check_rows(calls, 6)
            ],
            bool(flags & 4),
        )
    for qualname, line, bases, decorators, members, attributes in check_rows(classes, 6):
        module.classes[check_text(qualname)] = ClassOutline(
            qualname,
            check_number(line),
            check_texts(bases),
            check_texts(decorators),
            frozenset(check_texts(members)),
            check_optional_table(attributes),
        )
    return module


def _optional_outline(data: object) -> Optional[ModuleOutline]:
    return None if data is None else outline_from_data(data)


def _optional_data(module: Optional[ModuleOutline]) -> Optional[list]:
    return None if module is None else outline_to_data(module)


def cache_directory(directory: Union[str, CacheDirectory, None]) -> Optional[CacheDirectory]:
    """The trusted cache directory at ``directory`` (None: no cache)."""
    if directory is None or not isinstance(directory, str):
        return directory
    from .storage import CacheDirectory

    return CacheDirectory(directory)


# -- building, with a cache by content hash ----------------------------------------------------


class OutlineCache:
    """Outlines by (content hash, path, module name), kept in ``<cache dir>/outlines-v<N>.json``
    (a sealed file: see ``asynclint.storage``)."""

    def __init__(self, directory: Union[str, CacheDirectory, None]) -> None:
        self.store = cache_directory(directory)
        self.name = f"outlines-v{OUTLINE_VERSION}.json"
        self.entries: Dict[Tuple[str, str, str], Optional[ModuleOutline]] = {}
        self.used: Dict[Tuple[str, str, str], Optional[ModuleOutline]] = {}
        if self.store is not None:
            self.entries = self._decode(self.store.read(self.name, "outlines"))

    @staticmethod
    def _decode(stored: object) -> Dict[Tuple[str, str, str], Optional[ModuleOutline]]:
        entries: Dict[Tuple[str, str, str], Optional[ModuleOutline]] = {}
        try:
            for digest, path, module, found in check_rows(stored, 4):
                entries[(check_text(digest), check_text(path), check_text(module))] = (
                    _optional_outline(found)
                )
        except Malformed:
            return {}  # rebuilt
        return entries

    def save(self) -> None:
        if self.store is None or self.used.keys() == self.entries.keys():
            return
        rows = [[*key, _optional_data(found)] for key, found in self.used.items()]
        self.store.write(self.name, "outlines", rows)  # the cache is an optimisation


def outline_file(
    task: Tuple[str, str, Optional[bytes]],
) -> Tuple[Tuple[str, str, str], Optional[ModuleOutline]]:
    path, module, data = task
    if data is None:
        try:
            data, _ = read_regular(path, MAX_FILE_BYTES)
        except SourceError:
            return ("", path, module), None
    key = (hashlib.sha1(data).hexdigest(), path, module)
    return key, outline(data, path, module)


def build_index(
    files: Sequence[Tuple[str, str]],
    cache: Optional[OutlineCache] = None,
    jobs: int = 1,
    libraries: Optional[LibraryIndex] = None,
) -> OutlineIndex:
    """The index of ``files`` (path, module name), reusing cached outlines of unchanged contents."""
    cache = cache or OutlineCache(None)
    outlines: List[Optional[ModuleOutline]] = []
    missing: List[Tuple[str, str, bytes, Tuple[str, str, str]]] = []
    for path, module in files:
        try:
            data, _ = read_regular(path, MAX_FILE_BYTES)
        except SourceError:
            continue  # the engine reports it when it reads the file
        key = (hashlib.sha1(data).hexdigest(), path, module)
        if key in cache.entries:
            cache.used[key] = cache.entries[key]
            outlines.append(cache.entries[key])
        else:
            missing.append((path, module, data, key))
    if missing:
        tasks = [(path, module, data) for path, module, data, _ in missing]
        for key, found in _map(outline_file, tasks, jobs):
            cache.used[key] = found
            outlines.append(found)
    index = OutlineIndex((o for o in outlines if o is not None), libraries)
    index._project_fingerprint = hashlib.sha1(repr(sorted(cache.used)).encode()).hexdigest()
    return index


def _map(function, tasks, jobs: int):
    if jobs <= 1 or len(tasks) < 64:
        return [function(task) for task in tasks]
    from .workers import map_isolated

    return map_isolated(
        function,
        tasks,
        jobs,
        _outline_lost,
        chunk=max(1, min(64, len(tasks) // (jobs * 8))),
    )


def _outline_lost(task: Tuple[str, str, Optional[bytes]], reason: str):
    """A file whose outline worker died: no outline (the engine reports the file itself)."""
    path, module, _ = task
    return ("", path, module), None


# -- installed libraries ------------------------------------------------------------------------


#: Library modules larger than this are not outlined (the largest in the standard library is ~250
#: KB).
_MAX_LIBRARY_FILE = 8 * 1024 * 1024


def library_outline(module: ModuleOutline) -> ModuleOutline:
    """What the index keeps of a library module: its definitions, not the calls its functions make
    (rules follow calls through project functions only) nor its digest."""
    for function in module.functions.values():
        function.calls = []
    module.digest = ""
    return module


class LibraryIndex:
    """Outlines of the modules of installed packages and of the standard library, found on the
    running interpreter's path without importing them (a ``.pyi`` stub beside a module wins),
    read only when a lookup reaches them. A package that is not installed is read from the
    outlines shipped with asynclint, when it ships them: an installed package always wins.

    Outlines of installed modules are cached per top-level package, each entry stamped with the
    path, size and modification time of the file it was made from: a library edited in place (an
    editable install, a package without metadata) is outlined again."""

    def __init__(
        self,
        directory: Union[str, CacheDirectory, None],
        search_path: Optional[Sequence[str]] = None,
        shipped: Optional[ShippedOutlines] = None,
    ) -> None:
        root = cache_directory(directory)
        self.store = root.subdirectory(f"libraries-v{OUTLINE_VERSION}") if root else None
        self.search_path = list(search_path) if search_path is not None else None
        self.shipped = shipped if shipped is not None else SHIPPED
        self.found: Dict[str, Optional[ModuleOutline]] = {}
        self.stamps: Dict[str, object] = {}  # module -> what its outline was made from
        self.stores: Dict[str, Dict[str, Tuple[Tuple[str, int, int], Optional[ModuleOutline]]]] = {}
        self.dirty: set = set()
        self._installed: Dict[str, Optional[str]] = {}  # top-level name -> its file, or None

    def module(self, name: str) -> Optional[ModuleOutline]:
        if name in self.found:
            return self.found[name]
        self.found[name] = None
        path = locate(name, self.search_path)
        if path is not None:
            found = self._read_installed(name, path)
        elif self.installed(name.split(".")[0]) is None:
            found = self.shipped.module(name)
            if found is not None:
                self.stamps[name] = self.shipped.describe(name.split(".")[0])
        else:
            found = None  # not a module of the installed version, whatever a shipped one has
        self.found[name] = found
        return found

    def installed(self, top: str) -> Optional[str]:
        """The file of the installed top-level module ``top``, None when it is not installed."""
        if top not in self._installed:
            self._installed[top] = locate(top, self.search_path)
        return self._installed[top]

    def _read_installed(self, name: str, path: str) -> Optional[ModuleOutline]:
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_LIBRARY_FILE:
            return None
        stamp = (path, info.st_size, info.st_mtime_ns)
        self.stamps[name] = stamp
        store_key = _store_key(name, path)
        store = self._store(store_key)
        entry = store.get(name)
        if entry is not None and entry[0] == stamp:
            return entry[1]
        try:
            data, _ = read_regular(path, _MAX_LIBRARY_FILE)
            found = outline(data, path, name)
        except SourceError:  # not a regular file, or too large
            found = None
        if found is not None:
            library_outline(found)
        store[name] = (stamp, found)
        self.dirty.add(store_key)
        return found

    def _store(self, key: str) -> Dict[str, Tuple[Tuple[str, int, int], Optional[ModuleOutline]]]:
        store = self.stores.get(key)
        if store is None:
            store = {}
            if self.store is not None:
                try:
                    for name, path, size, mtime, found in check_rows(
                        self.store.read(f"{key}.json", "library"), 5
                    ):
                        stamp = (check_text(path), check_number(size), check_time(mtime))
                        store[check_text(name)] = (stamp, _optional_outline(found))
                except Malformed:  # missing, forged or damaged: rebuilt
                    store = {}
            self.stores[key] = store
        return store

    def save(self) -> None:
        if self.store is None:
            return
        for key in sorted(self.dirty):
            rows = [
                [name, *stamp, _optional_data(found)]
                for name, (stamp, found) in sorted(self.stores[key].items())
            ]
            self.store.write(f"{key}.json", "library", rows)  # the cache is an optimisation
        self.dirty.clear()

    def fingerprint(self) -> str:
        """Changes when a library module read so far changes (or another one is read)."""
        described = repr(sorted((name, repr(self.stamps.get(name))) for name in self.found))
        return hashlib.sha1(described.encode("utf-8", "surrogateescape")).hexdigest()

    def source(self, top: str) -> Tuple[str, str]:
        """Where the outlines of the top-level package ``top`` come from: (``stdlib``,
        ``installed``, ``shipped`` or ``missing``, a description)."""
        path = self.installed(top)
        if path is not None:
            stdlib = sysconfig_stdlib()
            if os.path.realpath(path).startswith(stdlib + os.sep):
                return "stdlib", stdlib
            return "installed", f"{_distribution_version(top)} ({path})"
        if self.shipped.has(top):
            return "shipped", self.shipped.describe(top)
        import sys
        from importlib.machinery import PathFinder

        try:
            compiled = top in sys.builtin_module_names or bool(
                PathFinder.find_spec(top, self.search_path)
            )
        except (ImportError, ValueError, OSError):
            compiled = False
        return ("compiled", "") if compiled else ("missing", "")


def _store_key(name: str, path: str) -> str:
    """The cache file of a module: its top-level package and the directory holding it (two
    environments with different versions of a package keep separate files)."""
    parts = name.split(".")
    root = os.path.dirname(path)
    if os.path.splitext(os.path.basename(path))[0] == "__init__":
        root = os.path.dirname(root)
    for _ in parts[1:]:
        root = os.path.dirname(root)
    top = "".join(c if c.isalnum() or c in "_-" else "_" for c in parts[0])[:100]
    return f"{top}-{hashlib.sha1(os.fsencode(root)).hexdigest()[:12]}"


def _distribution_version(top: str) -> str:
    """The version of the distribution that installs ``top``, for ``--show-settings``."""
    try:
        from importlib import metadata

        names = metadata.packages_distributions().get(top, [])
        if names:
            return f"{names[0]} {metadata.version(names[0])}"
    except Exception:  # Python 3.9 has no packages_distributions; broken metadata says nothing
        pass
    return f"{top} (no distribution metadata)"


def sysconfig_stdlib() -> str:
    import sysconfig

    return os.path.realpath(sysconfig.get_paths()["stdlib"])


# -- library knowledge shipped with asynclint ----------------------------------------------------


class ShippedOutlines:
    """Outlines of libraries' async surface, generated by ``scripts/build_knowledge.py`` from
    pinned releases and installed with asynclint (``asynclint/library_outlines/``): what the index
    knows of a library that is not installed. Read lazily, one package at a time."""

    def __init__(self, directory: Optional[str]) -> None:
        self.directory = directory
        self._catalogue: Optional[Dict[str, Tuple[str, str, str]]] = None
        self._files: Dict[str, Dict[str, object]] = {}
        self._modules: Dict[str, Optional[ModuleOutline]] = {}

    @property
    def catalogue(self) -> Dict[str, Tuple[str, str, str]]:
        """top-level package -> (data file, distribution, version)."""
        if self._catalogue is None:
            self._catalogue = {}
            if self.directory is not None:
                try:
                    self._catalogue = _read_catalogue(self.directory)
                except (OSError, ValueError):
                    pass  # no knowledge shipped: libraries that are not installed are unknown
        return self._catalogue

    def has(self, top: str) -> bool:
        return top in self.catalogue

    def describe(self, top: str) -> str:
        _, distribution, version = self.catalogue[top]
        return f"{distribution} {version}"

    def module(self, name: str) -> Optional[ModuleOutline]:
        if name in self._modules:
            return self._modules[name]
        found = None
        entry = self.catalogue.get(name.split(".")[0])
        if entry is not None:
            data = self._file(entry[0]).get(name)
            try:
                found = _optional_outline(data)
            except Malformed:
                found = None
        self._modules[name] = found
        return found

    def _file(self, filename: str) -> Dict[str, object]:
        loaded = self._files.get(filename)
        if loaded is None:
            loaded = {}
            try:
                import gzip
                import json

                assert self.directory is not None
                with gzip.open(os.path.join(self.directory, filename), "rb") as handle:
                    stored = json.loads(handle.read(256 * 1024 * 1024))
                if type(stored) is dict and stored.get("format") == OUTLINE_VERSION:
                    modules = stored.get("modules")
                    if type(modules) is dict:
                        loaded = modules
            except (OSError, ValueError, RecursionError, EOFError):
                pass
            self._files[filename] = loaded
        return loaded


def _read_catalogue(directory: str) -> Dict[str, Tuple[str, str, str]]:
    import json

    with open(os.path.join(directory, "catalogue.json"), "rb") as handle:
        stored = json.loads(handle.read(1024 * 1024))
    if type(stored) is not dict or stored.get("format") != OUTLINE_VERSION:
        return {}  # made for another outline format: regenerate with scripts/build_knowledge.py
    catalogue = {}
    for entry in check_rows(stored.get("libraries"), 4):
        filename, distribution, version, tops = entry
        if check_text(filename) != os.path.basename(filename) or not filename.endswith(".json.gz"):
            raise Malformed("a file name expected")
        for top in check_texts(tops):
            catalogue[top] = (filename, check_text(distribution), check_text(version))
    return catalogue


SHIPPED = ShippedOutlines(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "library_outlines")
)
NO_SHIPPED = ShippedOutlines(None)


def library_search_path() -> List[str]:
    """Where libraries are looked for: this interpreter's path, plus the site-packages of the
    active virtual environment (``$VIRTUAL_ENV``) or of ``./.venv`` when asynclint runs from
    another environment (a pre-commit hook, a tool installed with pipx)."""
    import glob
    import sys

    path = [entry for entry in sys.path if entry and os.path.isdir(entry)]
    for environment in (os.environ.get("VIRTUAL_ENV"), os.path.join(os.getcwd(), ".venv")):
        if environment and os.path.isdir(environment):
            for site in sorted(
                glob.glob(os.path.join(environment, "lib", "python3*", "site-packages"))
            ):
                if site not in path:
                    path.append(site)
    return path


def locate(module: str, search_path: Optional[Sequence[str]] = None) -> Optional[str]:
    """The source (or stub) file of a module, found like the import system would, without
    importing anything; None for built-in, frozen, compiled-only or missing modules."""
    from importlib.machinery import PathFinder

    parts = module.split(".")
    locations: Optional[List[str]] = list(search_path) if search_path is not None else None
    spec = None
    for position in range(len(parts)):
        name = ".".join(parts[: position + 1])
        try:
            spec = PathFinder.find_spec(name, locations)
        except (ImportError, ValueError, OSError):
            return None
        if spec is None:
            if position == 0:  # a stub-only distribution: <package>-stubs
                stub = (
                    PathFinder.find_spec(f"{name}-stubs", locations)
                    if name.isidentifier()
                    else None
                )
                if stub is None or not stub.submodule_search_locations:
                    return None
                spec = stub
            else:
                return None
        if position < len(parts) - 1:
            locations = list(spec.submodule_search_locations or [])
            if not locations:
                return None
    origin = getattr(spec, "origin", None)
    if not origin or not os.path.isfile(origin):
        return None
    stub = os.path.splitext(origin)[0] + ".pyi"
    if os.path.isfile(stub):
        return stub
    return origin if origin.endswith((".py", ".pyi")) else None
