"""ASL600 join-without-task-done."""

from __future__ import annotations

from typing import List, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.syntax import shown

from ..primitives import JOINABLE_QUEUES, identity
from .queue_uses import QueueFacts, method_call


class JoinWithoutTaskDone(Rule):
    code = "ASL600"
    name = "join-without-task-done"
    summary = (
        "`queue.join()` on a joinable queue (asyncio, `queue`, `multiprocessing`) whose items "
        "nothing marks done: it never returns"
    )
    message = "queue.join() waits for task_done() calls that never happen: it hangs forever"
    rationale = """
        A joinable queue (asyncio.Queue and its Lifo/Priority variants, queue.Queue,
        multiprocessing.JoinableQueue) counts the items put and not yet marked done; join() waits
        until that count is zero. If no consumer ever calls task_done(), the count never drops and
        join() never returns, as soon as one item has been put.

        Flagged: join() on a queue of known type (constructed, annotated or set on self in the
        file) when nothing in the file marks its items done: no task_done() on the same queue
        (directly or through a local alias), and the queue is never passed to a call, stored
        elsewhere, returned or yielded, where other code (a worker given the queue) could.
    """
    bad = """
        import asyncio

        urls = asyncio.Queue()


        async def worker():
            while True:
                url = await urls.get()
                await fetch(url)


        async def crawl(start):
            for url in start:
                urls.put_nowait(url)
            workers = [asyncio.create_task(worker()) for _ in range(4)]
            await urls.join()
            for task in workers:
                task.cancel()
    """
    good = """
        import asyncio

        urls = asyncio.Queue()


        async def worker():
            while True:
                url = await urls.get()
                try:
                    await fetch(url)
                finally:
                    urls.task_done()


        async def crawl(start):
            for url in start:
                urls.put_nowait(url)
            workers = [asyncio.create_task(worker()) for _ in range(4)]
            await urls.join()
            for task in workers:
                task.cancel()
    """
    tokens = ("join",)

    def visit_Module(self, node: cst.Module) -> None:
        self._facts = QueueFacts()
        self._joins: List[Tuple[cst.Call, str, cst.BaseExpression]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._facts.record(self, node)
        receiver = method_call(node, frozenset({"join"}))
        if receiver is not None and self.model.type_of(receiver) in JOINABLE_QUEUES:
            queue = identity(self.model, receiver)
            if queue is not None:
                self._joins.append((node, queue, receiver))

    def visit_Assign(self, node: cst.Assign) -> None:
        self._facts.escape(self, node.value)

    def visit_Return(self, node: cst.Return) -> None:
        self._facts.escape(self, node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        self._facts.escape(self, node.value if isinstance(node.value, cst.BaseExpression) else None)

    def leave_Module(self, node: cst.Module) -> None:
        facts = self._facts
        for call, queue, receiver in self._joins:
            if queue in facts.task_done or queue in facts.escaped:
                continue
            text = shown(receiver)
            self.report(
                call,
                f"{text}.join() never returns: nothing calls {text}.task_done() for the items "
                "taken from it; mark each item done after processing it (in a finally)",
            )
