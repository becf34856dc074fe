"""What the ASL3xx rules share: whether an await is bounded by a timeout.

A coroutine that awaits a remote peer, or a primitive another task is supposed to set, waits as long
as the other side takes. These rules find the awaits that no timeout bounds, the clients configured
so that nothing ever times out, and the timeout scopes that cannot fire.

What counts as a timeout is data (``TIMEOUT_SCOPES``, ``WAIT_FOR_TIMEOUT`` in rules/catalogue.py),
so is what counts as a network operation (``NETWORK_FUNCTIONS``, ``NETWORK_METHODS``, extended by
the ``timeout-calls`` configuration table). An await is bounded when a timeout scope of the same
coroutine encloses it (``async with asyncio.timeout(5)``, ``with trio.fail_after(5)``, any depth of
nesting), when it is wrapped in ``asyncio.wait_for(..., finite)``, or when the call passes a timeout
argument itself.

ASL300 and ASL303 also respect timeouts that callers impose: an await in a coroutine whose every
known call site is bounded is not reported. The call sites come from the current file and, when the
project index can list them (``call_sites(qualname)``), from the rest of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.index import CallerQuestion
from asynclint.model import Binding, BindingKind, ScopeKind
from asynclint.syntax import argument, is_none, passes_star_args, passes_star_kwargs

from ..catalogue import AWAIT_THROUGH, TIMEOUT_SCOPES, WAIT_FOR_TIMEOUT, Deadline
from .catalogue import REMOTE_TIMEOUT_SCOPES, SCOPE_ADVICE, UNBOUNDED_WHEN_ALL_NONE

#: Whether callers' timeouts are looked at (off only to measure what they change), and whether
#: the callers in other files, from the project index, count too.
INTERPROCEDURAL = True
CROSS_FILE = True
#: How many levels of callers are followed.
CALLER_DEPTH = 4
#: What the project index is asked about the callers in other files: wrapped in wait_for, or
#: awaited under a timeout scope (the index does not record a scope's arguments, so scopes that
#: bound only when given a deadline, such as CancelScope, do not count).
CALLER_QUESTION = CallerQuestion(frozenset(WAIT_FOR_TIMEOUT), REMOTE_TIMEOUT_SCOPES, CALLER_DEPTH)

# -- helpers shared by the family -------------------------------------------------------------


def deadline_argument(call: cst.Call, where: Deadline) -> Optional[cst.Arg]:
    """The argument of ``call`` at ``where``, or None when it is not passed (or its position is
    hidden by ``*args``)."""
    return argument(call, where.position, where.keyword)


def gives_deadline(call: cst.Call, where: Deadline) -> bool:
    """The call is given a deadline: the argument is passed and is not the literal None.
    ``*args``/``**kwargs`` may carry one: assumed given."""
    arg = deadline_argument(call, where)
    if arg is None:
        return passes_star_kwargs(call) or (where.position is not None and passes_star_args(call))
    return not is_none(arg.value)


def call_has_timeout(
    call: cst.Call, keywords: Iterable[str], position: Optional[int] = None
) -> bool:
    """The call passes a non-None timeout through one of ``keywords`` (or ``position``)."""
    if passes_star_kwargs(call):
        return True
    names = set(keywords)
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names and not is_none(arg.value):
            return True
    if position is not None:
        positional = [arg for arg in call.args if arg.keyword is None]
        if any(arg.star for arg in positional[: position + 1]):
            return True
        if len(positional) > position and not is_none(positional[position].value):
            return True
    return False


def call_has_any_timeout(call: cst.Call) -> bool:
    """For user-catalogued calls: any keyword naming a timeout or deadline with a non-None value."""
    if passes_star_kwargs(call):
        return True
    return any(
        arg.keyword is not None
        and ("timeout" in arg.keyword.value or "deadline" in arg.keyword.value)
        and not is_none(arg.value)
        for arg in call.args
    )


def _unwrap_await(node: Optional[cst.CSTNode]) -> Optional[cst.CSTNode]:
    return node.expression if isinstance(node, cst.Await) else node


class TimeoutRule(Rule):
    """What the ASL3xx rules share: timeout scopes, wait_for, and the callers' timeouts."""

    # -- is the current node bounded by a timeout of its own coroutine? --

    def scope_call(self, expression: cst.BaseExpression) -> Optional[Tuple[str, cst.Call]]:
        """The timeout scope an expression creates: a call to one with a deadline, or a name bound
        only to such calls. None for anything else (including a scope given no deadline)."""
        if isinstance(expression, cst.Call):
            qualname = self.model.qualified_name(expression.func)
            where = TIMEOUT_SCOPES.get(qualname or "")
            if where is not None and gives_deadline(expression, where):
                return qualname, expression
            return None
        if isinstance(expression, cst.Name):
            owner, bindings = self.model.lookup(expression.value)
            if owner is None or not bindings:
                return None
            found = None
            for binding in bindings:
                if binding.kind != BindingKind.ASSIGN or not isinstance(binding.node, cst.Call):
                    return None
                found = self.scope_call(binding.node)
                if found is None:
                    return None
            return found
        return None

    def wait_for_bounds(self, call: cst.Call, argument_node: cst.Arg) -> bool:
        qualname = self.model.qualified_name(call.func)
        where = WAIT_FOR_TIMEOUT.get(qualname or "")
        if where is None or not gives_deadline(call, where):
            return False
        positional = [arg for arg in call.args if arg.keyword is None]
        first = (
            positional[0]
            if positional
            else next(
                (
                    arg
                    for arg in call.args
                    if arg.keyword is not None and arg.keyword.value == "fut"
                ),
                None,
            )
        )
        return argument_node is first

    def bounded_here(self, node: Optional[cst.CSTNode] = None) -> bool:
        """A timeout of the enclosing coroutine bounds ``node`` (default: the current node): a
        timeout scope around it, or an ``asyncio.wait_for(..., finite)`` that awaits it. A nested
        def or lambda ends the search: its body runs when it is called."""
        function = self.model.enclosing_function()
        if function is None:
            return False
        stack = self.model.stack
        position = len(stack) - 1
        if node is not None:
            while position >= 0 and stack[position] is not node:
                position -= 1
        while position > 0:
            child, parent = stack[position], stack[position - 1]
            if parent is function.node:
                return False
            if isinstance(parent, cst.With) and child is parent.body:
                if any(self.scope_call(item.item) is not None for item in parent.items):
                    return True
            elif (
                isinstance(parent, cst.Call)
                and isinstance(child, cst.Arg)
                and self.wait_for_bounds(parent, child)
            ):
                return True
            position -= 1
        return False

    def awaited_directly(self, node: cst.CSTNode) -> bool:
        """``await node`` or ``async with node``, where node is the current node."""
        parent = self.model.parent
        if isinstance(parent, cst.Await):
            return parent.expression is node
        if isinstance(parent, cst.WithItem) and parent.item is node:
            stack = self.model.stack
            return (
                len(stack) >= 3
                and isinstance(stack[-3], cst.With)
                and stack[-3].asynchronous is not None
            )
        return False

    def scope_advice(self) -> str:
        return SCOPE_ADVICE.get(self.model.framework, SCOPE_ADVICE["asyncio"])

    def all_fields_none(self, call: cst.Call) -> bool:
        fields = UNBOUNDED_WHEN_ALL_NONE.get(self.model.qualified_name(call.func) or "")
        if fields is None or passes_star_args(call) or passes_star_kwargs(call):
            return False
        positional = [arg for arg in call.args if arg.keyword is None]
        given = [arg.value for arg in positional[: len(fields)]]
        given += [
            arg.value
            for arg in call.args
            if arg.keyword is not None and arg.keyword.value in fields
        ]
        return all(is_none(value) for value in given)

    # -- receivers: how the object a method is called on was created --

    def creations(self, receiver: cst.BaseExpression) -> Optional[List[cst.Call]]:
        """The calls that created ``receiver`` (a name or ``self.<attr>``), when every binding of it
        is a call, awaited or entered; None when any binding is something else or unknown."""
        bindings: Sequence[Binding]
        if isinstance(receiver, cst.Name):
            owner, bindings = self.model.lookup(receiver.value)
            if owner is None:
                return None
        elif isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
            cls = self.model.self_class(receiver.value)
            if cls is None:
                return None
            bindings = cls.attribute_bindings(receiver.attr.value)
        elif isinstance(receiver, cst.Call):
            return [receiver]
        else:
            return None
        calls = []
        for binding in bindings:
            value = (
                _unwrap_await(binding.node)
                if binding.kind in (BindingKind.ASSIGN, BindingKind.WITH, BindingKind.ASYNCWITH)
                else None
            )
            if binding.kind == BindingKind.DECLARED:
                continue  # `self.session: ClientSession` declares, another binding assigns
            if not isinstance(value, cst.Call):
                return None
            calls.append(value)
        return calls or None


# -- call sites of coroutines, for the callers' timeouts -------------------------------------------


@dataclass(frozen=True)
class LocalSite:
    """A call of one of this file's coroutines, seen during the traversal."""

    bounded: bool  # awaited under a timeout of the calling coroutine, or through wait_for
    awaited: bool  # awaited by the calling coroutine (directly, or through gather/shield)
    caller: Optional[cst.FunctionDef]  # the calling coroutine, when it is an async def
    caller_qualname: Optional[str]


class CallSites:
    """Call sites of this file's coroutines, recorded during the traversal.

    Keyed by the definition node. A reference that is not a call (a handler registered with a
    framework, a callback) or a call whose target is not certain counts as an unbounded site of
    every function of that name, so that doubt always leads to reporting.
    """

    def __init__(self) -> None:
        self.sites: Dict[int, List[LocalSite]] = {}
        self.escaped: Set[str] = set()

    def add(self, definition: cst.FunctionDef, site: LocalSite) -> None:
        self.sites.setdefault(id(definition), []).append(site)

    def escape(self, name: str) -> None:
        self.escaped.add(name)


class CallerAwareRule(TimeoutRule):
    """A rule whose findings are dropped when every caller of the enclosing coroutine bounds it.

    A caller bounds the coroutine when it awaits the call under a timeout scope or through
    asyncio.wait_for, or when it awaits the call and is itself bounded by all its own callers
    (followed up to ``CALLER_DEPTH`` levels; a cycle proves nothing). Findings are held until the
    end of the module, when every call site in the file has been seen. The other files' call sites
    come from the project index (``callers(qualname)``).
    """

    def __init__(self, run) -> None:
        super().__init__(run)
        self._pending: List[Tuple[cst.CSTNode, str, Optional[cst.FunctionDef], Optional[str]]] = []
        self._sites = CallSites()
        self._coroutine_names: Optional[Set[str]] = None
        self._verdicts: Dict[Tuple[int, int], bool] = {}

    def hold(self, node: cst.CSTNode, message: str) -> None:
        function = self.model.enclosing_function()
        definition = (
            function.node
            if function is not None and isinstance(function.node, cst.FunctionDef)
            else None
        )
        self._pending.append(
            (node, message, definition, self._qualname_of(function) if function else None)
        )

    def _qualname_of(self, function) -> Optional[str]:
        parts = []
        scope = function
        while scope is not None and scope.kind != ScopeKind.MODULE:
            if scope.kind in (ScopeKind.CLASS, ScopeKind.FUNCTION):
                parts.append(scope.node.name.value)
            else:
                return None
            if scope.kind == ScopeKind.FUNCTION and scope is not function:
                return None  # a function nested in a function: not reachable by qualname
            scope = scope.parent
        return ".".join([self.model.module_name, *reversed(parts)])

    def coroutine_names(self) -> Set[str]:
        """Names of the async defs at module level and in module-level classes."""
        if self._coroutine_names is None:
            names: Set[str] = set()
            for bindings in self.model.module_scope.bindings().values():
                for binding in bindings:
                    if binding.kind == BindingKind.ASYNCDEF and isinstance(
                        binding.node, cst.FunctionDef
                    ):
                        names.add(binding.node.name.value)
                    elif binding.kind == BindingKind.CLASS and isinstance(
                        binding.node, cst.ClassDef
                    ):
                        body = binding.node.body
                        for statement in body.body if isinstance(body, cst.IndentedBlock) else ():
                            if (
                                isinstance(statement, cst.FunctionDef)
                                and statement.asynchronous is not None
                            ):
                                names.add(statement.name.value)
            self._coroutine_names = names
        return self._coroutine_names

    def leave_Call(self, node: cst.Call) -> None:
        """Record the call sites of this file's coroutines (on leave, so that a subclass's own
        ``visit_Call`` needs no ``super()`` call)."""
        func = node.func
        name = (
            func.value
            if isinstance(func, cst.Name)
            else func.attr.value
            if isinstance(func, cst.Attribute)
            else None
        )
        if name is None or name not in self.coroutine_names():
            return
        callee = self.model.callee(node)
        if (
            callee is None
            or not isinstance(callee.node, cst.FunctionDef)
            or callee.node.name.value != name
        ):
            self._sites.escape(name)
            return
        bounded, awaited = self.call_context(node)
        function = self.model.enclosing_function()
        caller = function.node if function is not None and function.is_async else None
        self._sites.add(
            callee.node,
            LocalSite(bounded, awaited, caller, self._qualname_of(function) if caller else None),
        )

    def call_context(self, call: cst.Call) -> Tuple[bool, bool]:
        """(bounded, awaited): the coroutine this call creates is awaited by the calling coroutine,
        and under one of its timeouts."""
        stack = self.model.stack
        position = len(stack) - 1
        node: cst.CSTNode = call
        while position > 0:
            parent = stack[position - 1]
            if isinstance(parent, cst.Await) or (
                isinstance(parent, cst.WithItem) and parent.item is node
            ):
                awaited = self.model.in_coroutine
                return awaited and self.bounded_here(parent), awaited
            if (
                isinstance(parent, cst.Arg)
                and position >= 2
                and isinstance(stack[position - 2], cst.Call)
            ):
                outer = stack[position - 2]
                if self.wait_for_bounds(outer, parent):
                    return True, True
                if self.model.qualified_name(outer.func) in AWAIT_THROUGH:
                    node, position = outer, position - 2
                    continue
            return False, False
        return False, False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.coroutine_names():
            return
        parent = self.model.parent
        if isinstance(parent, cst.Call) and parent.func is node:
            return
        if isinstance(parent, cst.FunctionDef) and parent.name is node:
            return
        if isinstance(parent, cst.Attribute):
            if parent.value is node:
                return  # `name.x`: the function's attribute, not the function
            grandparent = self.model.stack[-3] if len(self.model.stack) >= 3 else None
            if isinstance(grandparent, cst.Call) and grandparent.func is parent:
                return  # a method call, seen by visit_Call
        if isinstance(parent, (cst.ImportAlias, cst.ClassDef)):
            return
        self._sites.escape(node.value)

    def leave_Module(self, node: cst.Module) -> None:
        for finding, message, definition, qualname in self._pending:
            if (
                INTERPROCEDURAL
                and definition is not None
                and self.callers_bound(definition, qualname, 0)
            ):
                continue
            self.report(finding, message)

    def callers_bound(
        self, definition: cst.FunctionDef, qualname: Optional[str], depth: int
    ) -> bool:
        """Every known call site of this file's coroutine bounds it, and there is one, within
        ``CALLER_DEPTH`` levels of callers. Each (definition, level) is decided once: the answer
        does not depend on the order of questions, and the search is polynomial (and at most
        CALLER_DEPTH deep). The callers in other files are the project index's question."""
        key = (id(definition), depth)
        if key in self._verdicts:
            return self._verdicts[key]
        verdict = definition.name.value not in self._sites.escaped and depth <= CALLER_DEPTH
        if verdict:
            verdicts = [
                site.bounded
                or (
                    site.awaited
                    and site.caller is not None
                    and self.callers_bound(site.caller, site.caller_qualname, depth + 1)
                )
                for site in self._sites.sites.get(id(definition), ())
            ]
            if qualname is not None and CROSS_FILE:
                own_module = self.model.module_name + "."
                index = self.model.index
                verdicts.extend(
                    index.site_bounds(site, CALLER_QUESTION, depth)
                    for site in index.callers(qualname)
                    if not site.caller.startswith(
                        own_module
                    )  # this file's were seen more precisely
                )
            verdict = bool(verdicts) and all(verdicts)
        self._verdicts[key] = verdict
        return verdict
