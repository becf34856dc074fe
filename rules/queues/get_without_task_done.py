"""ASL603 get-without-task-done."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule
from asynclint.syntax import method_calls, shown

from ..primitives import ASYNC_QUEUES
from .queue_uses import GETS, TASK_DONE, method_call


class GetWithoutTaskDone(Rule):
    code = "ASL603"
    name = "get-without-task-done"
    summary = (
        "an item taken from an asyncio queue in a function that never calls `task_done()`: a "
        "future `join()` hangs"
    )
    message = (
        "an item is taken from an asyncio queue in a function that never calls task_done() on it"
    )
    rationale = """
        A consumer that takes items without ever marking them done works only as long as nobody
        joins the queue. The day someone adds `await queue.join()` (a graceful shutdown, a test
        waiting for the queue to drain), it hangs. Marking each item done in a `finally:` costs
        nothing and keeps the queue joinable.

        Flagged (opt-in): get()/get_nowait() on an asyncio queue of known type in a function that
        calls task_done() on no queue at all. A consumer that hands each item to a function that
        marks it done should carry a noqa saying so.
    """
    bad = """
        import asyncio

        async def consume(queue: asyncio.Queue):
            while True:
                handle(await queue.get())
    """
    good = """
        import asyncio

        async def consume(queue: asyncio.Queue):
            while True:
                item = await queue.get()
                try:
                    handle(item)
                finally:
                    queue.task_done()
    """
    default = False
    tokens = ("get",)

    def visit_Call(self, node: cst.Call) -> None:
        receiver = method_call(node, GETS)
        if receiver is None or self.model.type_of(receiver) not in ASYNC_QUEUES:
            return
        function = self.model.enclosing_def()
        if function is None or any(True for _ in method_calls(function, TASK_DONE)):
            return
        self.report(
            node,
            f"{shown(receiver)}.{node.func.attr.value}() takes an item that is never marked done "  # type: ignore[attr-defined]
            "here: a future join() hangs; call task_done() in a 'finally:'",
        )
