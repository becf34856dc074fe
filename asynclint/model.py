"""The semantic model: what every rule may ask about the code around a node.

One model is built per file, during the engine's single traversal. It knows

* which qualified name an expression refers to (``t.sleep`` after ``import time as t`` is
  ``time.sleep``; a name rebound by an assignment or a parameter is no longer the import),
* the stack of enclosing scopes (module, class, def, async def, lambda, comprehension), so that a
  call in a sync def or lambda nested in a coroutine is known not to run in the coroutine,
* how the value of an expression is used (awaited, discarded, assigned, returned, passed on...),
* light types: names and ``self.`` attributes bound from known constructors or annotations,
* which callable a call reaches, through the file's own definitions and a pluggable project index,
* the file's async framework.

Scopes are resolved lazily: a function's bindings are collected the first time a rule asks about a
name inside it, by a scan of its statements (never of its expressions), so a file that asks nothing
pays nothing.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from enum import Enum
from typing import Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

import libcst as cst

from .index import EMPTY_INDEX, ProjectIndex, Symbol
from .knowledge import (
    AWAITED_TYPES,
    COROUTINE_PRESERVING_DECORATORS,
    FACTORY_TYPES,
    MEMBER_TYPES,
    THREAD_RUNNERS,
    TYPE_ALIASES,
    TypeAnswer,
    public_name,
)
from .syntax import dotted_name

_BUILTINS = frozenset(dir(builtins))
_MAX_DEPTH = 8  # how far type inference and base-class lookups follow chains


class Usage(str, Enum):
    """How the value of an expression is used by its parent."""

    AWAITED = "awaited"
    DISCARDED = "discarded"  # an expression statement: the value is dropped
    ASSIGNED = "assigned"
    RETURNED = "returned"
    YIELDED = "yielded"
    ARGUMENT = "argument"
    CONDITION = "condition"  # used only for its truth value
    OTHER = "other"  # an operand, a container element, an attribute base, ...


class BindingKind(str, Enum):
    """How a name gets bound."""

    IMPORT = "import"
    DEF = "def"
    ASYNCDEF = "asyncdef"
    CLASS = "class"
    ASSIGN = "assign"
    UNPACK = "unpack"  # an element of a tuple assigned at once (``reader, writer = ...``)
    WITH = "with"
    ASYNCWITH = "asyncwith"
    PARAM = "param"
    DECLARED = "declared"  # an annotation without a value
    OTHER = "other"  # loop targets, augmented assignments, except ... as, comprehension targets

    def __str__(self) -> str:
        return self.value


class ScopeKind(str, Enum):
    """The kinds of namespace on the model's stack."""

    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"
    LAMBDA = "lambda"
    COMPREHENSION = "comprehension"

    def __str__(self) -> str:
        return self.value


@dataclass
class Binding:
    """One way a name gets bound in a scope."""

    kind: BindingKind
    node: Optional[cst.CSTNode] = None  # the value, definition or annotation
    qualname: Optional[str] = None  # for imports: what the name refers to
    annotation: Optional[cst.BaseExpression] = None
    position: int = 0  # for unpack: which element of the value's tuple the name receives
    method: Optional[cst.FunctionDef] = None  # for self.<attr>: the method whose code binds it


class Scope:
    """A namespace on the stack. Bindings are computed on first use."""

    __slots__ = ("_attributes", "_bindings", "_globals", "kind", "node", "parent")

    def __init__(self, kind: ScopeKind, node: cst.CSTNode, parent: Optional[Scope]) -> None:
        self.kind = kind
        self.node = node
        self.parent = parent
        self._bindings: Optional[Dict[str, List[Binding]]] = None
        self._globals: frozenset = frozenset()
        self._attributes: Optional[Dict[str, List[Binding]]] = None  # class scopes: self.<attr>

    @property
    def is_async(self) -> bool:
        return isinstance(self.node, cst.FunctionDef) and self.node.asynchronous is not None

    @property
    def is_function(self) -> bool:
        return self.kind in (ScopeKind.FUNCTION, ScopeKind.LAMBDA)

    def bindings(self) -> Dict[str, List[Binding]]:
        if self._bindings is None:
            collector = _BindingCollector()
            node = self.node
            if isinstance(node, cst.Module):
                collector.block(node.body)
            elif isinstance(node, cst.ClassDef):
                collector.block(_body_of(node))
            elif isinstance(node, cst.FunctionDef):
                collector.parameters(node.params)
                collector.block(_body_of(node))
            elif isinstance(node, cst.Lambda):
                collector.parameters(node.params)
            else:  # comprehension
                for_in: Optional[cst.CompFor] = node.for_in  # type: ignore[attr-defined]
                while for_in is not None:
                    collector.target(for_in.target, Binding(BindingKind.OTHER))
                    for_in = for_in.inner_for_in
            self._bindings = collector.bindings
            self._globals = frozenset(collector.declared_global)
        return self._bindings

    def declares_global(self, name: str) -> bool:
        self.bindings()
        return name in self._globals


def _body_of(node: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    body = getattr(node, "body", None)  # a match statement has cases instead
    if isinstance(body, cst.IndentedBlock):
        return body.body
    return (
        (cst.SimpleStatementLine(body=body.body),)
        if isinstance(body, cst.SimpleStatementSuite)
        else ()
    )


class _BindingCollector:
    """Collects the bindings of one scope from its statements, without entering nested scopes."""

    def __init__(self) -> None:
        self.bindings: Dict[str, List[Binding]] = {}
        self.declared_global: set = set()

    def add(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def parameters(self, params: cst.Parameters) -> None:
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self.add(
                param.name.value, Binding(BindingKind.PARAM, param, annotation=_annotation(param))
            )
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self.add(star.name.value, Binding(BindingKind.OTHER, star))

    def target(self, target: cst.BaseExpression, binding: Binding) -> None:
        if isinstance(target, cst.Name):
            self.add(target.value, binding)
        elif isinstance(target, (cst.Tuple, cst.List)):
            unpacks = binding.kind == BindingKind.ASSIGN and not any(
                isinstance(e, cst.StarredElement) for e in target.elements
            )
            for position, element in enumerate(target.elements):
                if unpacks and isinstance(element.value, cst.Name):
                    self.add(
                        element.value.value,
                        Binding(BindingKind.UNPACK, binding.node, position=position),
                    )
                else:
                    self.target(element.value, Binding(BindingKind.OTHER, binding.node))
        elif isinstance(target, cst.StarredElement):
            self.target(target.value, Binding(BindingKind.OTHER))

    def block(self, statements: Sequence[cst.BaseStatement]) -> None:
        for statement in statements:
            self.statement(statement)

    def statement(self, statement: cst.CSTNode) -> None:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                self.small(small)
        elif isinstance(statement, cst.FunctionDef):
            kind = BindingKind.ASYNCDEF if statement.asynchronous is not None else BindingKind.DEF
            self.add(statement.name.value, Binding(kind, statement))
        elif isinstance(statement, cst.ClassDef):
            self.add(statement.name.value, Binding(BindingKind.CLASS, statement))
        elif isinstance(statement, (cst.If, cst.Else, cst.While, cst.Finally)):
            self.block(_body_of(statement))
            orelse = getattr(statement, "orelse", None)
            if orelse is not None:
                self.statement(orelse)
        elif isinstance(statement, cst.For):
            self.target(statement.target, Binding(BindingKind.OTHER))
            self.block(_body_of(statement))
            if statement.orelse is not None:
                self.statement(statement.orelse)
        elif isinstance(statement, (cst.Try, cst.TryStar)):
            self.block(_body_of(statement))
            for handler in statement.handlers:
                if handler.name is not None and isinstance(handler.name.name, cst.Name):
                    self.add(handler.name.name.value, Binding(BindingKind.OTHER))
                self.block(_body_of(handler))
            for extra in (statement.orelse, statement.finalbody):
                if extra is not None:
                    self.statement(extra)
        elif isinstance(statement, cst.With):
            for item in statement.items:
                if item.asname is not None:
                    kind = (
                        BindingKind.ASYNCWITH
                        if statement.asynchronous is not None
                        else BindingKind.WITH
                    )
                    self.target(item.asname.name, Binding(kind, item.item))
            self.block(_body_of(statement))
        elif isinstance(statement, cst.Match):
            for case in statement.cases:
                self.block(_body_of(case))

    def small(self, small: cst.BaseSmallStatement) -> None:
        if isinstance(small, cst.Assign):
            for target in small.targets:
                self.target(target.target, Binding(BindingKind.ASSIGN, small.value))
        elif isinstance(small, cst.AnnAssign):
            annotation = small.annotation.annotation
            self.target(
                small.target,
                Binding(
                    BindingKind.ASSIGN if small.value else BindingKind.DECLARED,
                    small.value,
                    annotation=annotation,
                ),
            )
        elif isinstance(small, cst.AugAssign):
            self.target(small.target, Binding(BindingKind.OTHER))
        elif isinstance(small, cst.Import):
            for alias in small.names:
                module = dotted_name(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.add(alias.asname.name.value, Binding(BindingKind.IMPORT, qualname=module))
                else:
                    root = module.split(".")[0]
                    self.add(root, Binding(BindingKind.IMPORT, qualname=root))
        elif isinstance(small, cst.ImportFrom):
            if isinstance(small.names, cst.ImportStar):
                return
            module = "." * len(small.relative) + (
                (dotted_name(small.module) or "") if small.module else ""
            )
            for alias in small.names:
                imported = dotted_name(alias.name) or ""
                local = (
                    alias.asname.name.value
                    if alias.asname and isinstance(alias.asname.name, cst.Name)
                    else imported
                )
                qualname = (
                    f"{module}.{imported}" if not module.endswith(".") else f"{module}{imported}"
                )
                self.add(local, Binding(BindingKind.IMPORT, qualname=qualname))
        elif isinstance(small, (cst.Global, cst.Nonlocal)):
            for item in small.names:
                self.declared_global.add(item.name.value)


def _annotation(param: cst.Param) -> Optional[cst.BaseExpression]:
    return param.annotation.annotation if param.annotation is not None else None


_SCOPE_KINDS = {
    cst.Module: ScopeKind.MODULE,
    cst.ClassDef: ScopeKind.CLASS,
    cst.FunctionDef: ScopeKind.FUNCTION,
    cst.Lambda: ScopeKind.LAMBDA,
    cst.ListComp: ScopeKind.COMPREHENSION,
    cst.SetComp: ScopeKind.COMPREHENSION,
    cst.DictComp: ScopeKind.COMPREHENSION,
    cst.GeneratorExp: ScopeKind.COMPREHENSION,
}

_CONDITION_PARENTS = (cst.If, cst.While, cst.Assert)


class SemanticModel:
    """Per-file knowledge shared by every rule. Positional questions refer to the node being
    visited."""

    def __init__(
        self,
        module: cst.Module,
        *,
        module_name: str = "__main__",
        framework: Optional[str] = None,
        index: ProjectIndex = EMPTY_INDEX,
        settings: Optional[Dict[str, Dict[str, str]]] = None,
        is_package: bool = False,
    ) -> None:
        self.module = module
        self.module_name = module_name
        self.is_package = is_package  # the file is a package's __init__.py
        self.index = index
        #: Ancestors of the node being visited, the node itself last.
        self.stack: List[cst.CSTNode] = []
        self.scope = Scope(ScopeKind.MODULE, module, None)
        self.module_scope = self.scope
        self._framework = framework
        self._settings = settings or {}
        self._aliases: Optional[Dict[str, List[str]]] = None
        #: Facts a rule derives from this file and asks for again (keyed by a tuple naming the
        #: question and the nodes it is about): lives as long as the file's model.
        self.memo: Dict[object, object] = {}

    def configured_catalogue(self, key: str) -> Dict[str, str]:
        """The catalogue entries the configuration adds under ``key`` (``blocking-calls``,
        ``coroutine-functions``, ``timeout-calls``): qualified name -> note; empty when none."""
        return self._settings.get(key, {})

    # -- traversal (called by the engine) -------------------------------------------------------

    def enter(self, node: cst.CSTNode) -> None:
        self.stack.append(node)
        kind = _SCOPE_KINDS.get(type(node))
        if kind is not None and kind is not ScopeKind.MODULE:
            self.scope = Scope(kind, node, self.scope)

    def leave(self, node: cst.CSTNode) -> None:
        self.stack.pop()
        if self.scope.node is node and self.scope.parent is not None:
            self.scope = self.scope.parent

    # -- where are we ---------------------------------------------------------------------------

    @property
    def parent(self) -> Optional[cst.CSTNode]:
        return self.stack[-2] if len(self.stack) > 1 else None

    def ancestors(self) -> Iterator[cst.CSTNode]:
        """The ancestors of the current node, innermost first."""
        return reversed(self.stack[:-1])

    def enclosing_function(self) -> Optional[Scope]:
        """The innermost def, async def or lambda around the current node (classes and
        comprehensions do not stop the search: their code runs in the enclosing function)."""
        scope: Optional[Scope] = self.scope
        while scope is not None and not scope.is_function:
            scope = scope.parent
        return scope

    def enclosing_def(self) -> Optional[cst.FunctionDef]:
        """The node of the innermost ``def``/``async def`` around the current node; None at module
        or class level, and when the innermost function is a lambda."""
        function = self.enclosing_function()
        if function is None or not isinstance(function.node, cst.FunctionDef):
            return None
        return function.node

    @property
    def in_coroutine(self) -> bool:
        """True when the current node runs as part of an ``async def`` body."""
        function = self.enclosing_function()
        return function is not None and function.is_async

    @property
    def await_allowed(self) -> bool:
        """``await``, ``async with`` and ``async for`` are legal at the current node: it is in an
        ``async def``'s own code, or in a comprehension there. A class body (though it runs when
        the coroutine runs), a lambda and a nested def are not (CPython: "'await' outside
        function"); neither is a comprehension in a class body."""
        scope: Optional[Scope] = self.scope
        while scope is not None:
            if scope.kind in (ScopeKind.CLASS, ScopeKind.MODULE):
                return False
            if scope.is_function:
                return scope.is_async
            scope = scope.parent
        return False

    @property
    def framework(self) -> str:
        """asyncio, trio or anyio: from configuration, else from what the file imports."""
        if self._framework is None:
            imported = {
                binding.qualname.split(".")[0]
                for bindings in self.module_scope.bindings().values()
                for binding in bindings
                if binding.kind == BindingKind.IMPORT and binding.qualname
            }
            imported.add(
                self.module_name.split(".")[0]
            )  # the frameworks' own modules import relatively
            self._framework = next((f for f in ("trio", "anyio") if f in imported), "asyncio")
        return self._framework

    # -- how is a value used --------------------------------------------------------------------

    def usage(self, node: Optional[cst.CSTNode] = None) -> Usage:
        """How the value of ``node`` (default: the current node; else one of its ancestors) is
        used."""
        position = len(self.stack) - 1 if node is None else _index_of(self.stack, node)
        while position > 0:
            child, parent = self.stack[position], self.stack[position - 1]
            if isinstance(parent, cst.Await):
                return Usage.AWAITED
            if isinstance(parent, cst.Expr):
                return Usage.DISCARDED
            if isinstance(parent, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.NamedExpr)):
                return Usage.ASSIGNED if parent.value is child else Usage.OTHER
            if isinstance(parent, cst.Return):
                return Usage.RETURNED
            if isinstance(parent, cst.Yield):
                return Usage.YIELDED
            if isinstance(parent, cst.Arg):
                return Usage.ARGUMENT
            if isinstance(parent, _CONDITION_PARENTS):
                return Usage.CONDITION if parent.test is child else Usage.OTHER
            if isinstance(parent, cst.IfExp):
                if parent.test is child:
                    return Usage.CONDITION
                position -= 1  # a branch's value is the conditional expression's value
                continue
            if isinstance(parent, cst.BooleanOperation) or (
                isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
            ):
                return Usage.CONDITION
            return Usage.OTHER
        return Usage.OTHER

    # -- names ----------------------------------------------------------------------------------

    def lookup(
        self, name: str, scope: Optional[Scope] = None
    ) -> Tuple[Optional[Scope], List[Binding]]:
        """The scope that binds ``name`` as seen from ``scope`` (default: the current one)."""
        start = scope or self.scope
        current: Optional[Scope] = start
        while current is not None:
            if current.kind == ScopeKind.CLASS and current is not start:
                current = current.parent  # class bodies are not visible from nested functions
                continue
            if current.kind != ScopeKind.MODULE and current.declares_global(name):
                current = self.module_scope
                continue
            bindings = current.bindings().get(name)
            if bindings:
                return current, bindings
            current = current.parent
        return None, []

    def qualified_name(self, node: cst.CSTNode, scope: Optional[Scope] = None) -> Optional[str]:
        """The fully qualified name an expression refers to, or None when it is not known.

        Imports resolve to what they import, module-level definitions to ``<module>.<name>``,
        unbound names to ``builtins.<name>``; a name bound any other way in the scope that
        resolves it (assignment, parameter, loop target) is a local value and gives None.
        Re-exported library names come in their public spelling (``knowledge.PUBLIC_NAMES``).
        """
        dotted = dotted_name(node)
        if dotted is None:
            return None
        root, _, rest = dotted.partition(".")
        owner, bindings = self.lookup(root, scope)
        if owner is None:
            base = f"builtins.{root}" if root in _BUILTINS else None
        else:
            base = self._qualify_binding(root, owner, bindings)
        if base is None:
            return None
        return public_name(f"{base}.{rest}" if rest else base)

    def _qualify_binding(self, name: str, owner: Scope, bindings: List[Binding]) -> Optional[str]:
        imports = [b for b in bindings if b.kind == BindingKind.IMPORT]
        if imports:
            # try/except ImportError fallbacks bind one name to several imports: the first wins.
            return self._absolute(imports[0].qualname or "")
        if all(
            b.kind in (BindingKind.DEF, BindingKind.ASYNCDEF, BindingKind.CLASS) for b in bindings
        ):
            if owner.kind == ScopeKind.MODULE:
                return f"{self.module_name}.{name}"
            if owner.kind == ScopeKind.CLASS:
                return None
            return f"{self.module_name}.<locals>.{name}"
        return None

    def _absolute(self, qualname: str) -> str:
        """Resolve a relative import against this module's package."""
        if not qualname.startswith("."):
            return qualname
        rest = qualname.lstrip(".")
        level = len(qualname) - len(rest)
        if self.is_package:
            level -= 1  # in a package's __init__, "." is the package itself
        package = self.module_name.split(".")
        anchor = package[: max(len(package) - level, 0)]
        return ".".join([*anchor, rest] if rest else anchor) or rest

    def reference(self, qualname: str) -> Tuple[str, Tuple[str, ...]]:
        """Source text that names ``qualname`` here, and the modules a fix must import for it.

        ``reference("asyncio.sleep")`` is ``("aio.sleep", ())`` after ``import asyncio as aio``,
        and ``("asyncio.sleep", ("asyncio",))`` when the module is not imported yet.
        """
        module, _, attribute = qualname.partition(".")
        for name in self._module_aliases().get(module, ()):
            owner, _ = self.lookup(name)
            if owner is self.module_scope:
                return (f"{name}.{attribute}" if attribute else name), ()
        return qualname, (module,)

    def _module_aliases(self) -> Dict[str, List[str]]:
        """Imported module -> the module-level names an import binds to it, in order (computed
        once: a fix per finding must not scan every binding of the module)."""
        if self._aliases is None:
            self._aliases = {}
            for name, bindings in self.module_scope.bindings().items():
                for qualname in {
                    b.qualname for b in bindings if b.kind == BindingKind.IMPORT and b.qualname
                }:
                    self._aliases.setdefault(qualname, []).append(name)
        return self._aliases

    # -- types ----------------------------------------------------------------------------------

    def type_of(
        self, node: cst.BaseExpression, scope: Optional[Scope] = None, _depth: int = 0
    ) -> Optional[str]:
        """The qualified class of the value of ``node`` when it is known for certain, else None.

        Sources: calls to catalogued factories and to classes (``requests.Session()``), awaited
        catalogued coroutines, members of typed values (``p.parent``, ``s.cursor()``, ``p / "x"``:
        ``knowledge.MEMBER_TYPES``), and names or ``self.<attr>`` bound only from such values: by
        assignment, annotation, ``with ... as``, or unpacking a typed tuple. Unknown stays unknown:
        nothing is guessed from names.
        """
        found = self._type_of(node, scope, _depth)
        return found if isinstance(found, str) else None

    def _type_of(self, node: cst.CSTNode, scope: Optional[Scope], depth: int):
        """Like type_of, but may answer a tuple of element types (for unpacking)."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Call):
            func = node.func
            callee = self.qualified_name(func, scope)
            if callee is not None:
                if callee in FACTORY_TYPES:
                    return FACTORY_TYPES[callee]
                callee = TYPE_ALIASES.get(callee, callee)
                symbol = self.symbol(callee)
                # The name as written (after aliases), not where the index finds it defined: type
                # catalogues and rules speak of "aiohttp.ClientSession", installed or not.
                return callee if symbol is not None and symbol.kind == "class" else None
            if isinstance(func, cst.Attribute):
                return self._member_type(func.value, func.attr.value, scope, depth, FACTORY_TYPES)
            return None
        if isinstance(node, cst.Await):
            inner = node.expression
            if isinstance(inner, cst.Call):
                callee = self.qualified_name(inner.func, scope)
                if callee in THREAD_RUNNERS and inner.args and not inner.args[0].star:
                    # ``await asyncio.to_thread(open, p)`` gives what ``open(p)`` gives
                    return self._type_of(
                        inner.with_changes(func=inner.args[0].value, args=inner.args[1:]),
                        scope,
                        depth + 1,
                    )
                if callee is not None:
                    return AWAITED_TYPES.get(callee)
                if isinstance(inner.func, cst.Attribute):
                    return self._member_type(
                        inner.func.value, inner.func.attr.value, scope, depth, AWAITED_TYPES
                    )
            return None
        if isinstance(node, cst.Name):
            owner, bindings = self.lookup(node.value, scope)
            if owner is None:
                return None
            return self._type_of_bindings(bindings, owner, depth)
        if isinstance(node, cst.Attribute):
            if isinstance(node.value, cst.Name):
                cls = self.self_class(node.value, scope)
                if cls is not None:
                    bindings = cls.attribute_bindings(node.attr.value)
                    if bindings:
                        return self._type_of_bindings(bindings, cls.scope, depth)
                    return next(
                        filter(
                            None,
                            (
                                self.index.attribute_type(base, node.attr.value)
                                for base in cls.base_names()
                            ),
                        ),
                        None,
                    )
            return self._member_type(node.value, node.attr.value, scope, depth, MEMBER_TYPES)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            return self._member_type(node.left, "__truediv__", scope, depth, MEMBER_TYPES)
        return None

    def _member_type(
        self,
        receiver: cst.BaseExpression,
        member: str,
        scope: Optional[Scope],
        depth: int,
        table: Mapping[str, TypeAnswer],
    ):
        owner_type = self.type_of(receiver, scope, depth + 1)
        if owner_type is None:
            return None
        known = table.get(f"{owner_type}.{member}")
        if known is None and table is FACTORY_TYPES:
            known = MEMBER_TYPES.get(
                f"{owner_type}.{member}"
            )  # a method listed once for call and attribute
        return known

    def _type_of_bindings(self, bindings: List[Binding], owner: Scope, depth: int) -> Optional[str]:
        types: Set[Optional[TypeAnswer]] = set()
        for binding in bindings:
            if binding.annotation is not None:
                types.add(self._annotated_type(binding.annotation, owner.parent or owner))
            elif binding.kind == BindingKind.ASSIGN and isinstance(
                binding.node, cst.BaseExpression
            ):
                # ``self.x = writer`` reads ``writer`` in the method that binds it, not the class.
                where = (
                    Scope(ScopeKind.FUNCTION, binding.method, owner)
                    if binding.method is not None
                    else owner
                )
                types.add(self._type_of(binding.node, where, depth + 1))
            elif binding.kind == BindingKind.UNPACK and binding.node is not None:
                value = binding.node
                if isinstance(value, (cst.Tuple, cst.List)) and binding.position < len(
                    value.elements
                ):
                    types.add(
                        self.type_of(value.elements[binding.position].value, owner, depth + 1)
                    )
                    continue
                elements = self._type_of(value, owner, depth + 1)
                types.add(
                    elements[binding.position]
                    if isinstance(elements, tuple) and binding.position < len(elements)
                    else None
                )
            elif binding.kind in (BindingKind.WITH, BindingKind.ASYNCWITH) and isinstance(
                binding.node, cst.BaseExpression
            ):
                manager = self.type_of(binding.node, owner, depth + 1)
                enter = "__aenter__" if binding.kind == BindingKind.ASYNCWITH else "__enter__"
                types.add(MEMBER_TYPES.get(f"{manager}.{enter}", manager) if manager else None)
            else:
                return None
        if len(types) == 1:
            found = types.pop()  # None when the one type is unknown
            return found if isinstance(found, str) else None
        return None

    def _annotated_type(self, annotation: cst.BaseExpression, scope: Scope) -> Optional[str]:
        """The class an annotation names; ``Optional[X]`` and ``X | None`` name X."""
        if isinstance(annotation, cst.Subscript):
            generic = self.qualified_name(annotation.value, scope)
            if generic in ("typing.Optional", "typing_extensions.Optional"):
                index = annotation.slice[0].slice if len(annotation.slice) == 1 else None
                return (
                    self._annotated_type(index.value, scope)
                    if isinstance(index, cst.Index)
                    else None
                )
            if generic is None or generic.startswith(("typing.", "typing_extensions.")):
                return None  # Union, Annotated, Callable...: not one class
            return TYPE_ALIASES.get(
                generic, generic
            )  # ``asyncio.Queue[bytes]`` is an asyncio.Queue
        if isinstance(annotation, cst.BinaryOperation) and isinstance(
            annotation.operator, cst.BitOr
        ):
            sides = [annotation.left, annotation.right]
            kept = [
                side for side in sides if not (isinstance(side, cst.Name) and side.value == "None")
            ]
            return self._annotated_type(kept[0], scope) if len(kept) == 1 else None
        annotated = self.qualified_name(annotation, scope)
        return TYPE_ALIASES.get(annotated, annotated) if annotated else None

    # -- callables ------------------------------------------------------------------------------

    def symbol(self, qualname: str) -> Optional[Symbol]:
        """What ``qualname`` is, from this file's own definitions or the project index."""
        prefix = self.module_name + "."
        if qualname.startswith(prefix):
            local = self._local_symbol(qualname[len(prefix) :])
            if local is not None:
                return local
        return self.index.lookup(qualname)

    def _local_symbol(self, path: str) -> Optional[Symbol]:
        name, _, member = path.partition(".")
        bindings = self.module_scope.bindings().get(name, [])
        if len(bindings) != 1:
            return None
        binding = bindings[0]
        qualname = f"{self.module_name}.{name}"
        if binding.kind in (BindingKind.DEF, BindingKind.ASYNCDEF) and not member:
            return Symbol(qualname, "function", returns_coroutine(binding), binding.node)
        if binding.kind == BindingKind.CLASS and isinstance(binding.node, cst.ClassDef):
            if not member:
                return Symbol(qualname, "class", False, binding.node)
            return self.class_info(binding.node, self.module_scope).method(member)
        return None

    def callee(self, call: cst.Call) -> Optional[Symbol]:
        """The function or method a call reaches, when it can be known without running the code."""
        func = call.func
        if isinstance(func, cst.Name):
            owner, bindings = self.lookup(func.value)
            if (
                owner is not None
                and len(bindings) == 1
                and bindings[0].kind in (BindingKind.DEF, BindingKind.ASYNCDEF)
            ):
                if owner.kind == ScopeKind.FUNCTION or owner.kind == ScopeKind.LAMBDA:
                    definition = bindings[0]
                    qualname = f"{self.module_name}.<locals>.{func.value}"
                    return Symbol(
                        qualname, "function", returns_coroutine(definition), definition.node
                    )
        if isinstance(func, cst.Attribute):
            receiver = func.value
            if isinstance(receiver, cst.Name):
                cls = self.self_class(receiver)
                if cls is not None:
                    return cls.method(func.attr.value)
            if _is_super_call(receiver):
                cls = self._enclosing_class()
                if cls is not None:
                    return cls.method(func.attr.value, skip_self=True)
            receiver_type = self.type_of(receiver)
            if receiver_type is not None:
                return self.index.lookup(f"{receiver_type}.{func.attr.value}") or self._method_of(
                    receiver_type, func.attr.value
                )
        called = self.qualified_name(func)
        return self.symbol(called) if called is not None else None

    def _method_of(self, class_qualname: str, method: str) -> Optional[Symbol]:
        symbol = self.symbol(class_qualname)
        if symbol is None or symbol.kind != "class" or not isinstance(symbol.node, cst.ClassDef):
            return None
        return self.class_info(symbol.node, self.module_scope).method(method)

    # -- classes --------------------------------------------------------------------------------

    def class_info(self, node: cst.ClassDef, scope: Scope) -> ClassInfo:
        return ClassInfo(self, node, Scope(ScopeKind.CLASS, node, scope))

    def _enclosing_class(self) -> Optional[ClassInfo]:
        function = self.enclosing_function()
        if function is None or function.parent is None or function.parent.kind != ScopeKind.CLASS:
            return None
        class_scope = function.parent
        return ClassInfo(self, class_scope.node, class_scope)  # type: ignore[arg-type]

    def self_class(self, name: cst.Name, scope: Optional[Scope] = None) -> Optional[ClassInfo]:
        """The class whose instance (or the class itself, for ``cls``) ``name`` is: the first
        parameter of a method, not rebound in its body. None outside methods."""
        current: Optional[Scope] = scope or self.scope
        while current is not None and current.kind == ScopeKind.COMPREHENSION:
            current = current.parent
        if current is None or current.kind != ScopeKind.FUNCTION or current.parent is None:
            return None
        if current.parent.kind != ScopeKind.CLASS:
            return None
        function: cst.FunctionDef = current.node  # type: ignore[assignment]
        params = (*function.params.posonly_params, *function.params.params)
        if not params or params[0].name.value != name.value:
            return None
        if any(decorator_name(d) == "staticmethod" for d in function.decorators):
            return None
        if len(current.bindings().get(name.value, [])) != 1:
            return None  # the receiver was rebound
        return ClassInfo(self, current.parent.node, current.parent)  # type: ignore[arg-type]


class ClassInfo:
    """A class defined in this file: its methods through its bases, and its ``self.`` attributes."""

    def __init__(self, model: SemanticModel, node: cst.ClassDef, scope: Scope) -> None:
        self.model = model
        self.node = node
        self.scope = scope

    def base_names(self) -> Iterator[str]:
        """The qualified names of the bases written in the class statement."""
        outer = self.scope.parent or self.model.module_scope
        for base in self.node.bases:
            if base.keyword is None:
                qualname = self.model.qualified_name(base.value, outer)
                if qualname is not None:
                    yield qualname

    def bases(self) -> Iterator[ClassInfo]:
        """The bases defined in this file."""
        for qualname in self.base_names():
            symbol = self.model.symbol(qualname)
            if symbol is not None and isinstance(symbol.node, cst.ClassDef):
                yield self.model.class_info(symbol.node, self.model.module_scope)

    def method(self, name: str, *, skip_self: bool = False, _depth: int = 0) -> Optional[Symbol]:
        if _depth > _MAX_DEPTH:
            return None
        if not skip_self:
            bindings = self.scope.bindings().get(name)
            if bindings:
                binding = bindings[-1]
                if binding.kind in (BindingKind.DEF, BindingKind.ASYNCDEF):
                    qualname = f"{self.model.module_name}.{self.node.name.value}.{name}"
                    return Symbol(qualname, "method", returns_coroutine(binding), binding.node)
                return None
        for qualname in self.base_names():
            symbol = self.model.symbol(qualname)
            if symbol is not None and isinstance(symbol.node, cst.ClassDef):
                found = self.model.class_info(symbol.node, self.model.module_scope).method(
                    name, _depth=_depth + 1
                )
            else:
                found = self.model.index.method(
                    qualname, name
                )  # a base defined in another project file
            if found is not None:
                return found
        return None

    def attribute_bindings(self, attribute: str) -> List[Binding]:
        """Every binding of ``self.<attribute>`` in the class body and its methods."""
        if self.scope._attributes is None:
            self.scope._attributes = _collect_self_attributes(self.node)
        return self.scope._attributes.get(attribute, [])


def _collect_self_attributes(node: cst.ClassDef) -> Dict[str, List[Binding]]:
    found: Dict[str, List[Binding]] = {}
    for statement in _body_of(node):
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    found.setdefault(small.target.value, []).append(
                        Binding(
                            BindingKind.ASSIGN, small.value, annotation=small.annotation.annotation
                        )
                    )
        if not isinstance(statement, cst.FunctionDef):
            continue
        params = (*statement.params.posonly_params, *statement.params.params)
        if not params:
            continue
        receiver = params[0].name.value
        for small in _small_statements(_body_of(statement)):
            if isinstance(small, cst.Assign):
                for target in small.targets:
                    _add_attribute(
                        found,
                        target.target,
                        receiver,
                        Binding(BindingKind.ASSIGN, small.value, method=statement),
                    )
            elif isinstance(small, cst.AnnAssign):
                _add_attribute(
                    found,
                    small.target,
                    receiver,
                    Binding(
                        BindingKind.ASSIGN,
                        small.value,
                        annotation=small.annotation.annotation,
                        method=statement,
                    ),
                )
            elif isinstance(small, cst.AugAssign):
                _add_attribute(found, small.target, receiver, Binding(BindingKind.OTHER))
    return found


def _add_attribute(
    found: Dict[str, List[Binding]], target: cst.BaseExpression, receiver: str, binding: Binding
) -> None:
    if (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value == receiver
    ):
        found.setdefault(target.attr.value, []).append(binding)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            _add_attribute(found, element.value, receiver, Binding(BindingKind.OTHER))


def _small_statements(statements: Sequence[cst.BaseStatement]) -> Iterator[cst.BaseSmallStatement]:
    """Every small statement in a block, through compound statements but not nested scopes."""
    pending = list(reversed(statements))
    while pending:
        statement = pending.pop()
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement) or isinstance(
            statement,
            (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler, cst.MatchCase),
        ):
            nested: List[cst.CSTNode] = list(_body_of(statement))
            for extra in ("handlers", "cases"):
                nested.extend(getattr(statement, extra, ()))
            for extra in ("orelse", "finalbody"):
                value = getattr(statement, extra, None)
                if value is not None:
                    nested.append(value)
            pending.extend(reversed(nested))  # type: ignore[arg-type]


def returns_coroutine(binding: Binding) -> bool:
    """Calling the definition returns a coroutine: an ``async def`` whose decorators, if any, are
    all known to keep it a coroutine function."""
    if binding.kind != BindingKind.ASYNCDEF or not isinstance(binding.node, cst.FunctionDef):
        return False
    return all(
        decorator_name(d) in COROUTINE_PRESERVING_DECORATORS for d in binding.node.decorators
    )


def decorator_name(decorator: cst.Decorator) -> Optional[str]:
    expression = decorator.decorator
    if isinstance(expression, cst.Call):
        expression = expression.func
    name = dotted_name(expression)
    return name.rsplit(".", 1)[-1] if name else None


def _is_super_call(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == "super"
    )


def _index_of(stack: List[cst.CSTNode], node: cst.CSTNode) -> int:
    for position in range(len(stack) - 1, -1, -1):
        if stack[position] is node:
            return position
    raise ValueError("usage() asks about the current node or one of its ancestors")


__all__ = [
    "Binding",
    "BindingKind",
    "ClassInfo",
    "Scope",
    "ScopeKind",
    "SemanticModel",
    "Usage",
    "decorator_name",
    "dotted_name",
]
