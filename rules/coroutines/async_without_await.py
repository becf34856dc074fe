"""ASL205 async-without-await."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.model import BindingKind, ClassInfo, ScopeKind
from asynclint.syntax import child_nodes, last_name

from .protocols import LIBRARY_SUPPORT

#: Frameworks that load plugin modules and await their module-level functions by name:
#: root module -> prefix of those functions' names.
FRAMEWORK_HOOK_PREFIXES = {
    # integrations: async_setup_entry, async_get_config_entry_diagnostics...
    "homeassistant": "async_",
}


class AsyncWithoutAwait(Rule):
    code = "ASL205"
    name = "async-without-await"
    summary = (
        "an `async def` that never awaits, `async for`s or `async with`s (not overrides, protocol"
        " methods, decorated functions or stubs)"
    )
    message = "async function never awaits; it could be a plain function"
    rationale = """
        An async def whose body never awaits, and has no 'async for' or 'async with', gains nothing
        from being a coroutine: each call costs a coroutine object and a trip through the event
        loop, every caller must await it, and a reader expects it to wait on something. Often it is
        a sign that an 'await' was forgotten, or that the function should be a plain def.

        Not flagged, because the async signature is required from outside: methods that override a
        method of a base class (or whose base classes are not all known), methods overridden in a
        subclass of the same file, protocol methods (__aenter__, __aexit__, __anext__...), decorated
        functions (route handlers, fixtures, callbacks registered by a framework), functions the
        file hands on uncalled (a callback, a table entry) or calls without awaiting on the spot
        (the coroutine itself is wanted: return f(), wait_for(f(), 1)), functions defined twice
        (an if/else or try/except ImportError alternative), module-level async_* functions of Home
        Assistant integrations (the loader awaits them by name), async generators, and stubs whose
        body is only a docstring, pass, ... or raise.
    """
    options = """
        Interfaces that expect async callables (handlers, hooks) are common and
        cannot always be seen from the file.
    """
    bad = """
        async def get_setting(name):
            return SETTINGS[name]
    """
    good = """
        def get_setting(name):
            return SETTINGS[name]
    """
    default = False
    tokens = ("async",)

    def __init__(self, run) -> None:
        super().__init__(run)
        self._overridden: Optional[set] = None
        self._uses: Optional[set] = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None or node.decorators:
            return
        name = node.name.value
        if name.startswith("__") and name.endswith("__"):
            return
        if _is_stub(node) or _awaits(node):
            return
        if name in self._value_uses() or self._redefined(name) or self._framework_hook(name):
            return
        if self._required_by_class(node):
            return
        self.report(node.name, f"async def {name}() never awaits; it could be a plain def")

    def _value_uses(self) -> set:
        if self._uses is None:
            self._uses = _names_used_as_awaitables(self.model.module)
        return self._uses

    def _redefined(self, name: str) -> bool:
        """Defined more than once in its scope (if/else, try/except ImportError): the other
        definition, which may await, fixes the signature."""
        owner = self.model.scope.parent
        return owner is not None and len(owner.bindings().get(name, [])) > 1

    def _framework_hook(self, name: str) -> bool:
        if self.model.scope.parent is not self.model.module_scope:
            return False
        imported = {self.model.module_name.split(".")[0]}
        imported.update(
            (binding.qualname or "").lstrip(".").split(".")[0]
            for bindings in self.model.module_scope.bindings().values()
            for binding in bindings
            if binding.kind == BindingKind.IMPORT
        )
        return any(
            root in imported and name.startswith(prefix)
            for root, prefix in FRAMEWORK_HOOK_PREFIXES.items()
        )

    def _required_by_class(self, node: cst.FunctionDef) -> bool:
        scope = self.model.scope.parent  # the function's own scope is current; its owner is next
        if scope is None or scope.kind != ScopeKind.CLASS:
            return False
        cls = ClassInfo(self.model, scope.node, scope)
        name = node.name.value
        if (id(scope.node), name) in self._overridden_methods():
            return True
        outer = scope.parent or self.model.module_scope
        for base in cls.node.bases:
            if base.keyword is not None:
                continue
            expression = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            qualname = self.model.qualified_name(expression, outer)
            if qualname in LIBRARY_SUPPORT:
                continue  # object, ABC, Generic, Protocol...: they define no such method
            symbol = self.model.symbol(qualname) if qualname else None
            if symbol is None or not isinstance(symbol.node, cst.ClassDef):
                return True  # an unknown base may declare it async
            if self.model.class_info(symbol.node, self.model.module_scope).method(name) is not None:
                return True
            if self._has_unknown_bases(symbol.node):
                return True
        return False

    def _has_unknown_bases(self, node: cst.ClassDef, depth: int = 0) -> bool:
        if depth > 8:
            return True
        for base in node.bases:
            if base.keyword is not None:
                continue
            expression = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            qualname = self.model.qualified_name(expression, self.model.module_scope)
            if qualname in LIBRARY_SUPPORT:
                continue
            symbol = self.model.symbol(qualname) if qualname else None
            if symbol is None or not isinstance(symbol.node, cst.ClassDef):
                return True
            if self._has_unknown_bases(symbol.node, depth + 1):
                return True
        return False

    def _overridden_methods(self) -> set:
        """(id of a module-level class, method name) for methods that a subclass in this file
        redefines."""
        if self._overridden is None:
            self._overridden = set()
            classes = {
                f"{self.model.module_name}.{statement.name.value}": statement
                for statement in _module_statements(self.model.module)
                if isinstance(statement, cst.ClassDef)
            }
            for statement in classes.values():
                own = {s.name.value for s in _class_functions(statement)}
                for base in statement.bases:
                    if base.keyword is not None:
                        continue
                    expression = (
                        base.value.value if isinstance(base.value, cst.Subscript) else base.value
                    )
                    base_node = classes.get(
                        self.model.qualified_name(expression, self.model.module_scope) or ""
                    )
                    if base_node is not None:
                        self._overridden.update((id(base_node), method) for method in own)
        return self._overridden


def _module_statements(module: cst.Module):
    return module.body


def _class_functions(node: cst.ClassDef):
    if isinstance(node.body, cst.IndentedBlock):
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef):
                yield statement


def _is_stub(node: cst.FunctionDef) -> bool:
    """Only a docstring, pass, ... or raise: an interface (or a stand-in), not an implementation."""
    body = node.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        smalls = (
            statement.body
            if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
            else None
        )
        if smalls is None:
            return False
        for small in smalls:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and isinstance(
                small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString)
            ):
                continue
            if isinstance(small, cst.Raise):
                continue  # raise NotImplementedError, or an implementation that only refuses
            return False
    return True


def _awaits(function: cst.FunctionDef) -> bool:
    """The function's own body awaits, yields (an async generator) or uses async for/with."""
    pending = list(child_nodes(function.body))
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.Await, cst.Yield)):
            return True
        if isinstance(node, (cst.For, cst.With, cst.CompFor)) and node.asynchronous is not None:
            return True
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        pending.extend(child_nodes(node))
    return False


def _names_used_as_awaitables(module: cst.Module) -> set:
    """Names (last parts) of functions the file uses other than by awaiting a call at once:
    passed, stored or returned uncalled (``watch(f)``, ``{"a": f}``), or called without awaiting
    the result on the spot (``return f()``, ``wait_for(f(), 1)``). Such a function must stay a
    coroutine function for whoever receives it. Matched by name, which errs towards silence."""
    used: set = set()
    pending: List[Tuple[cst.CSTNode, Optional[cst.CSTNode]]] = [(module, None)]
    while pending:
        node, parent = pending.pop()
        children: list = []
        if isinstance(node, cst.Call):
            called = last_name(node.func)
            if called is not None and not isinstance(parent, cst.Await):
                used.add(called)
            if isinstance(node.func, cst.Attribute):
                children.append(node.func.value)
            elif not isinstance(node.func, cst.Name):
                children.append(node.func)
            children.extend(node.args)
        elif isinstance(node, cst.Name):
            used.add(node.value)
        elif isinstance(node, cst.Attribute):
            used.add(node.attr.value)
            children.append(node.value)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            pass
        else:
            skipped = _DEFINITION_NAMES.get(type(node))
            children = [
                child
                for child in child_nodes(node)
                if skipped is None or child is not getattr(node, skipped)
            ]
        pending.extend((child, node) for child in children)
    return used


#: Fields that name what a node defines, rather than use.
_DEFINITION_NAMES = {
    cst.FunctionDef: "name",
    cst.ClassDef: "name",
    cst.Param: "name",
    cst.Arg: "keyword",
}
