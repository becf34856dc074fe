"""ASL2xx: coroutines that are created and never run."""

from __future__ import annotations

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.fixes import awaited, can_await_here
from asynclint.model import dotted_name

from .catalogue import DROPPED_AWAITABLE_CONSEQUENCES, LIBRARY_COROUTINES


class CoroutineNeverAwaited(Rule):
    code = "ASL200"
    name = "coroutine-never-awaited"
    message = "coroutine is created and never awaited, so it never runs"
    rationale = """
        Calling an async function does not run it: it creates a coroutine object, and only awaiting
        that object (or handing it to create_task, gather, a task group...) runs its body. A call
        whose result is dropped does nothing at all, and Python warns about it only at run time,
        if ever ("coroutine ... was never awaited").

        The callee is recognised without type annotations: async functions and methods defined in
        the same file (self./cls. methods through the class and its bases), and library coroutines
        such as asyncio.sleep, asyncio.wait_for or trio.sleep. An async def under a decorator that
        may change what a call returns (a framework's worker or test decorator, say) is not
        assumed to return a coroutine; staticmethod, classmethod, abstractmethod and the like are
        known to keep it one. A dropped asyncio.gather() is flagged too: its awaitables do run,
        but nothing waits for them and their exceptions are lost.

        In a sync function the call is reported without a fix: the function itself may need to
        become async.
    """
    bad = """
        async def save(record):
            ...

        async def handle(record):
            save(record)
    """
    good = """
        async def handle(record):
            await save(record)
    """
    fix_kind = FixKind.UNSAFE
    tokens = ("async", "trio", "anyio")

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.usage() is not Usage.DISCARDED:
            return
        callee = self.model.callee(node)
        consequence = "it never runs"
        if callee is not None:
            if not callee.is_async:
                return
            shown = callee.qualname.rsplit(".", 1)[-1]
        else:
            qualname = self.model.qualified_name(node.func)
            if qualname not in LIBRARY_COROUTINES:
                return
            shown = dotted_name(node.func) or qualname
            consequence = DROPPED_AWAITABLE_CONSEQUENCES.get(qualname, consequence)
        message = f"{shown}() is never awaited: {consequence}"
        fix = None
        if can_await_here(self.model):
            fix = Fix(node, awaited(node, node, self.model), "Insert 'await'", FixKind.UNSAFE)
        self.report(node, message, fix=fix)
