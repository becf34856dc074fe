"""ASL100 blocking-sleep."""

from __future__ import annotations

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.fixes import awaited, can_await_here, reference_expression

from ..catalogue import ASYNC_SLEEP, BLOCKING_SLEEPS


class BlockingSleep(Rule):
    code = "ASL100"
    name = "blocking-sleep"
    summary = "`time.sleep()` in a coroutine blocks the event loop"
    fix_summary = "`await asyncio.sleep()` / `trio.sleep()` / `anyio.sleep()`"
    message = "time.sleep() in a coroutine blocks the event loop"
    rationale = """
        time.sleep() suspends the whole thread, and with it the event loop: every other task, timer
        and network callback waits until it returns. In a coroutine, sleep by awaiting the
        framework's sleep, which suspends only the current task.

        A call inside a sync function or lambda nested in the coroutine is not flagged (it runs
        when that function is called), nor is time.sleep passed uncalled to asyncio.to_thread or
        run_in_executor, where it blocks a worker thread as intended.
    """
    bad = """
        import time

        async def poll(client):
            while not await client.ready():
                time.sleep(0.5)
    """
    good = """
        import asyncio

        async def poll(client):
            while not await client.ready():
                await asyncio.sleep(0.5)
    """
    fix_kind = FixKind.SAFE
    tokens = ("async",)

    def visit_Call(self, node: cst.Call) -> None:
        if (
            not self.model.in_coroutine
            or self.model.qualified_name(node.func) not in BLOCKING_SLEEPS
        ):
            return
        replacement_name = ASYNC_SLEEP[self.model.framework]
        message = f"time.sleep() blocks the event loop; use 'await {replacement_name}(...)'"
        fix = None
        if can_await_here(self.model):
            func, imports = reference_expression(self.model, replacement_name)
            fix = Fix(
                node,
                awaited(node.with_changes(func=func), node, self.model),
                f"Replace with 'await {replacement_name}(...)'",
                FixKind.SAFE,
                imports,
            )
        self.report(node, message, fix=fix)
