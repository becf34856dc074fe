"""ASL303 unbounded-primitive-wait."""

from __future__ import annotations

import libcst as cst

from asynclint.syntax import dotted_name, is_none, passes_star_kwargs

from .bounds import CallerAwareRule, deadline_argument
from .catalogue import AWAITED_PRIMITIVES, PRIMITIVE_FUNCTIONS, PRIMITIVE_WAITS


class UnboundedPrimitiveWait(CallerAwareRule):
    code = "ASL303"
    name = "unbounded-primitive-wait"
    summary = (
        "`await event.wait()`, `queue.get()`, `cond.wait()`, a memory channel `receive()`, "
        "`asyncio.wait()` without `timeout=` or a bare future, with no timeout around it"
    )
    message = "wait on a primitive with no timeout"
    rationale = """
        An event that is never set, a queue nobody puts into, a future nobody resolves: a wait on a
        primitive ends only when another task acts, and when that task has crashed, was never
        started or took another branch, the waiter hangs without an error anywhere.

        Reported (opt-in: a worker that waits for its next job forever is often the design):
        await event.wait(), await condition.wait()/wait_for(), await queue.get(), trio and anyio
        memory channel receive(), await asyncio.wait(...) without timeout=, and await of a future
        created by loop.create_future(), on receivers whose type is certain, with no timeout scope
        of the same coroutine around them and not inside asyncio.wait_for(..., finite). As for
        ASL300, a coroutine whose every caller in the file bounds it is not reported.
    """
    bad = """
        import asyncio

        async def wait_ready(ready: asyncio.Event):
            await ready.wait()
    """
    good = """
        import asyncio

        async def wait_ready(ready: asyncio.Event):
            async with asyncio.timeout(30):
                await ready.wait()
    """
    default = False
    tokens = ("async",)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.model.in_coroutine or not self.awaited_directly(node):
            return
        qualname = self.model.qualified_name(node.func)
        where = PRIMITIVE_FUNCTIONS.get(qualname or "")
        if where is not None:
            given = deadline_argument(node, where)
            if given is not None and not is_none(given.value):
                return
            if passes_star_kwargs(node):
                return
            shown = dotted_name(node.func) or qualname
        elif isinstance(node.func, cst.Attribute):
            receiver_type = self.model.type_of(node.func.value)
            kind = (
                PRIMITIVE_WAITS.get(f"{receiver_type}.{node.func.attr.value}")
                if receiver_type
                else None
            )
            if kind is None:
                return
            shown = f"{kind} {node.func.attr.value}()"
        else:
            return
        if not self.bounded_here():
            self.hold(
                node,
                f"{shown} waits with no timeout: if nothing ever acts on it, this coroutine hangs; "
                f"wrap it in '{self.scope_advice()}'",
            )

    def visit_Await(self, node: cst.Await) -> None:
        expression = node.expression
        if not isinstance(expression, (cst.Name, cst.Attribute)) or not self.model.in_coroutine:
            return
        if self.model.type_of(expression) in AWAITED_PRIMITIVES and not self.bounded_here():
            self.hold(
                node,
                f"awaiting the future '{dotted_name(expression) or ''}' with no timeout: if "
                "nothing "
                f"resolves it, this coroutine hangs; wrap it in '{self.scope_advice()}'",
            )
