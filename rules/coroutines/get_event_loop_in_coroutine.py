"""ASL203 get-event-loop-in-coroutine."""

from __future__ import annotations

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.fixes import reference_expression

#: The loop getter that may create a new loop, and the one that returns the running loop.
GET_EVENT_LOOP = frozenset({"asyncio.get_event_loop"})


GET_RUNNING_LOOP = "asyncio.get_running_loop"


class GetEventLoopInCoroutine(Rule):
    code = "ASL203"
    name = "get-event-loop-in-coroutine"
    summary = "`asyncio.get_event_loop()` in a coroutine"
    fix_summary = "`asyncio.get_running_loop()`"
    message = "asyncio.get_event_loop() in a coroutine: use asyncio.get_running_loop()"
    rationale = """
        A coroutine always runs in a running event loop, and asyncio.get_running_loop() returns
        exactly that loop. asyncio.get_event_loop() goes through the event loop policy instead: it
        is deprecated outside a running loop since Python 3.10/3.12, its behaviour differs between
        versions and policies, and it hides the intent. In a coroutine the two return the same loop,
        so the replacement is safe.

        Only calls that run in the coroutine itself are flagged: not in a nested sync function or
        lambda (which may be called from a thread or before the loop starts), nor in sync
        functions, where get_event_loop() may legitimately set up a loop.
    """
    bad = """
        import asyncio

        async def fetch(url):
            loop = asyncio.get_event_loop()
            return await loop.run_in_executor(None, download, url)
    """
    good = """
        import asyncio

        async def fetch(url):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, download, url)
    """
    fix_kind = FixKind.SAFE
    tokens = ("get_event_loop",)

    def visit_Call(self, node: cst.Call) -> None:
        if (
            not self.model.in_coroutine
            or self.model.qualified_name(node.func) not in GET_EVENT_LOOP
        ):
            return
        if node.args:
            return  # get_event_loop() takes no arguments: this is not the asyncio function
        message = "Replace with asyncio.get_running_loop()"
        if isinstance(node.func, cst.Attribute):  # keep the module as the file spells it
            fix = Fix(node.func.attr, cst.Name("get_running_loop"), message, FixKind.SAFE)
        else:
            func, imports = reference_expression(self.model, GET_RUNNING_LOOP)
            fix = Fix(node.func, func, message, FixKind.SAFE, imports)
        self.report(node, fix=fix)
