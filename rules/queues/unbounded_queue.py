"""ASL602 unbounded-queue."""

from __future__ import annotations

from typing import List, Set, Tuple

import libcst as cst

from asynclint import Rule, Usage
from asynclint.syntax import in_loop, shown

from ..primitives import ASYNC_QUEUES, identity
from .queue_uses import PUTS, method_call


class UnboundedQueue(Rule):
    code = "ASL602"
    name = "unbounded-queue"
    summary = "an `asyncio.Queue()` without `maxsize` filled in a loop: no backpressure"
    message = "an unbounded asyncio.Queue is fed by a loop: nothing slows the producer down"
    rationale = """
        asyncio.Queue() without maxsize never makes put() wait. A producer that puts in a loop
        faster than the consumers take grows the queue, and memory, without bound, and hides
        the overload until the process dies. Give the queue a maxsize so that `await put()`
        pushes back on the producer (or drop or reject items deliberately with put_nowait()
        and QueueFull).

        Flagged (opt-in): the construction of an asyncio queue without a positive maxsize, when
        the file puts into the same queue (by identity) inside a loop. Queues meant to be
        unbounded (a small, known number of items) are fine: silence them with noqa.
    """
    bad = """
        import asyncio


        class Consumer:
            def __init__(self):
                self.pending = asyncio.Queue()

            async def receive(self, stream):
                async for message in stream:
                    await self.pending.put(message)
    """
    good = """
        import asyncio


        class Consumer:
            def __init__(self):
                self.pending = asyncio.Queue(maxsize=1000)

            async def receive(self, stream):
                async for message in stream:
                    await self.pending.put(message)
    """
    default = False
    tokens = ("Queue",)

    def visit_Module(self, node: cst.Module) -> None:
        self._unbounded: List[Tuple[cst.Call, str]] = []
        self._fed_in_loop: Set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        receiver = method_call(node, PUTS)
        if receiver is not None:
            if in_loop(self.model) and self.model.type_of(receiver) in ASYNC_QUEUES:
                queue = identity(self.model, receiver)
                if queue is not None:
                    self._fed_in_loop.add(queue)
            return
        if self.model.usage() is not Usage.ASSIGNED or _bounded(node):
            return
        if self.model.type_of(node) not in ASYNC_QUEUES:
            return
        assign = self.model.parent
        targets = []
        if isinstance(assign, cst.Assign):
            targets = [t.target for t in assign.targets]
        elif isinstance(assign, cst.AnnAssign):
            targets = [assign.target]
        for target in targets:
            queue = identity(self.model, target)
            if queue is not None:
                self._unbounded.append((node, queue))

    def leave_Module(self, node: cst.Module) -> None:
        for call, queue in self._unbounded:
            if queue in self._fed_in_loop:
                self.report(
                    call,
                    f"{shown(call.func)}() has no maxsize and is filled in a loop: a producer "
                    "faster "
                    "than its consumers grows it without bound; give it a maxsize",
                )


def _bounded(call: cst.Call) -> bool:
    """Constructed with a maxsize that is not a literal 0 or negative."""
    for position, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value != "maxsize":
            continue
        if arg.keyword is None and position != 0:
            continue
        value = arg.value
        if isinstance(value, cst.Integer) and int(value.value, 0) == 0:
            return False
        if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
            return False
        return True
    return False
