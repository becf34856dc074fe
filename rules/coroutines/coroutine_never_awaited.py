"""ASL200 coroutine-never-awaited."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.fixes import awaited, can_await_here
from asynclint.model import ScopeKind
from asynclint.syntax import child_nodes, dotted_name

from ..catalogue import DROPPED_AWAITABLE_CONSEQUENCES, LIBRARY_COROUTINES


class CoroutineNeverAwaited(Rule):
    code = "ASL200"
    name = "coroutine-never-awaited"
    summary = "a coroutine is created and dropped, so it never runs"
    fix_summary = "insert `await`"
    message = "coroutine is created and never awaited, so it never runs"
    rationale = """
        Calling an async function does not run it: it creates a coroutine object, and only awaiting
        that object (or handing it to create_task, gather, a task group...) runs its body. A
        coroutine that is lost does nothing at all, and Python warns about it only at run time, if
        ever ("coroutine ... was never awaited"). It is lost when the call is:

        - a statement of its own, also inside a comprehension or a conditional expression;
        - returned from a coroutine: the caller awaits the outer coroutine and gets the inner one
          back, unrun (returning it from a sync function is a factory, and fine);
        - assigned to a name that is never used afterwards, or unpacked (a coroutine is not a
          tuple: this raises at run time, after the coroutine was created and dropped);
        - used as a truth value: a coroutine object is always true, so `if conn.is_ready():`
          takes the same branch whatever the peer says.

        The callee is recognised without type annotations: async functions and methods of the
        same file and of every other file of the linted project (through imports, re-exports,
        self./cls./super() and base classes, and attributes whose class is known, such as
        self.client = ApiClient()), library coroutines such as asyncio.sleep or trio.sleep, and
        the functions listed under `coroutine-functions` in the configuration. An async def under
        a decorator that may change what a call returns (a framework's worker or test decorator)
        is not assumed to return a coroutine; staticmethod, classmethod, abstractmethod and the
        like keep it one. A dropped asyncio.gather() is flagged too: its awaitables run, but
        nothing waits for them and their exceptions are lost.
    """
    not_flagged = """
        A coroutine awaited, passed to any function, stored in a container or an
        attribute, yielded, or assigned to a name used later. In a coroutine the fix inserts
        `await`; in a sync function the call is reported without a fix: the function itself may
        need to become async.
    """
    bad = """
        async def save(record):
            ...

        async def handle(record):
            save(record)
            if record.is_valid():   # is_valid is async too
                ...
    """
    good = """
        async def handle(record):
            await save(record)
            if await record.is_valid():
                ...
    """
    fix_kind = FixKind.UNSAFE
    tokens = ("async", "trio", "anyio")

    def __init__(self, run) -> None:
        super().__init__(run)
        self._reads: Dict[int, Dict[str, int]] = {}  # per function node: the names it mentions

    def visit_Call(self, node: cst.Call) -> None:
        usage = self.model.usage()
        if usage in (Usage.AWAITED, Usage.ARGUMENT, Usage.YIELDED):
            return  # the common cases, answered before anything costs
        described = self._describe(node)  # cheaper than following the value: asked first
        if described is None:
            return
        lost = self._how_lost(node)
        if lost is None:
            return
        shown, consequence = described
        message = (
            f"{shown}() is never awaited: {consequence}"
            if lost == "dropped"
            else f"{shown}() {lost}"
        )
        fix = None
        if can_await_here(self.model):
            fix = Fix(node, awaited(node, node, self.model), "Insert 'await'", FixKind.UNSAFE)
        self.report(node, message, fix=fix)

    def _how_lost(self, node: cst.Call) -> Optional[str]:
        """How the coroutine a call creates is lost ("dropped", or the message's tail), or None."""
        usage = self.model.usage()
        if usage is Usage.DISCARDED:
            return "dropped"
        if usage is Usage.OTHER and self._is_discarded_comprehension_element(node):
            return "dropped"
        if usage is Usage.CONDITION:
            return "is used as a truth value without 'await': a coroutine object is always true"
        if usage is Usage.RETURNED:
            function = self.model.enclosing_function()
            if function is not None and function.is_async and not _is_generator(function.node):
                return (
                    "is returned from a coroutine without 'await': the caller gets an unrun "
                    "coroutine"
                )
            return None
        if usage is Usage.ASSIGNED:
            return self._assigned_and_lost(node)
        return None

    def _is_discarded_comprehension_element(self, node: cst.Call) -> bool:
        parent = self.model.parent
        if isinstance(parent, (cst.ListComp, cst.SetComp, cst.GeneratorExp)) and parent.elt is node:
            return self.model.usage(parent) is Usage.DISCARDED
        return False

    def _assigned_and_lost(self, node: cst.Call) -> Optional[str]:
        statement = self.model.parent
        if not isinstance(statement, (cst.Assign, cst.AnnAssign)) or statement.value is not node:
            return None
        targets = (
            [t.target for t in statement.targets]
            if isinstance(statement, cst.Assign)
            else [statement.target]
        )
        if any(isinstance(t, (cst.Tuple, cst.List)) for t in targets):
            return (
                "is unpacked without 'await': a coroutine is not a tuple, so this raises TypeError"
            )
        names = [t.value for t in targets if isinstance(t, cst.Name)]
        if len(names) != len(targets):
            return None  # stored in an attribute or a container: it may be awaited elsewhere
        function = self.model.enclosing_function()
        if function is None or function.kind != ScopeKind.FUNCTION:
            return None  # module and class level names are used from elsewhere
        loads = self._reads.get(id(function.node))
        if loads is None:
            loads = self._reads[id(function.node)] = _names_read(function.node)
        if any(loads.get(name, 0) for name in names):
            return None
        return f"is assigned to '{names[0]}', which is never used: the coroutine never runs"

    def _describe(self, node: cst.Call) -> Optional[Tuple[str, str]]:
        """(how to name the callee, what is lost) when the call creates a coroutine."""
        qualname = self.model.qualified_name(node.func)
        if qualname is not None and (
            qualname in LIBRARY_COROUTINES
            or qualname in self.model.configured_catalogue("coroutine-functions")
        ):
            shown = dotted_name(node.func) or qualname
            return shown, DROPPED_AWAITABLE_CONSEQUENCES.get(qualname, "it never runs")
        callee = self.model.callee(node)
        if callee is None or not callee.is_async:
            return None
        return callee.qualname.rsplit(".", 1)[-1], "it never runs"


def _is_generator(function: cst.CSTNode) -> bool:
    """An async generator: `return` there cannot carry a value, so this is defensive only."""
    return bool(_names_read(function).get("\0yield"))


def _names_read(function: cst.CSTNode) -> Dict[str, int]:
    """How often each name is mentioned in a function (nested functions included: a closure's
    use is a use), not counting plain assignment targets; ``"\0yield"`` counts yields."""
    counts: Dict[str, int] = {}
    pending: List[cst.CSTNode] = [function.body]  # type: ignore[attr-defined]
    while pending:
        node = pending.pop()
        if isinstance(node, cst.Name):
            counts[node.value] = counts.get(node.value, 0) + 1
            continue
        if isinstance(node, (cst.Yield,)):
            counts["\0yield"] = counts.get("\0yield", 0) + 1
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if not isinstance(target.target, cst.Name):
                    pending.append(target.target)
            pending.append(node.value)
            continue
        if isinstance(node, cst.AnnAssign):
            if not isinstance(node.target, cst.Name):
                pending.append(node.target)
            if node.value is not None:
                pending.append(node.value)
            continue
        pending.extend(child_nodes(node))
    return counts
