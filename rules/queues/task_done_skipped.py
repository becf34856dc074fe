"""ASL601 task-done-skipped."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.syntax import (
    body_statements,
    dotted_name,
    enclosing_tries,
    following_statements,
    is_plain,
    method_calls,
    shown,
    statement_of,
    walk,
)

from ..primitives import JOINABLE_QUEUES, identity, same_object
from .queue_uses import GETS, TASK_DONE, QueueFacts, method_call


class TaskDoneSkipped(Rule):
    code = "ASL601"
    name = "task-done-skipped"
    summary = (
        "a consumer of a joined queue whose `task_done()` is not in a `finally`: an exception, "
        "`continue` or `return` skips it and `join()` hangs"
    )
    fix_summary = "the rest of the loop body in `try:`, `task_done()` in `finally:`"
    message = "a consumer can skip task_done() for an item of a joined queue, so join() hangs"
    rationale = """
        join() returns only when task_done() was called once for every item taken. A consumer
        that calls task_done() at the end of its loop body skips it whenever the processing
        raises, or a continue or return leaves the body early: the count never reaches zero and
        the join() elsewhere hangs, typically at shutdown. Mark the item done in a `finally:`
        right after taking it.

        Flagged: get()/get_nowait() on a joinable queue of known type that is joined in the file,
        in a function that calls task_done() on that queue, but not from a `finally` (of a try
        enclosing the get, or of the next statement that can fail) and not right after the get
        with nothing that can fail in between. A consumer that leaves task_done() to another
        function is not judged (see ASL603).

        The fix, offered when task_done() is the last statement of the loop body that takes the
        item and the function's only task_done() on the queue, moves the statements between the
        get and it into `try:` with `finally: queue.task_done()`.
    """
    bad = """
        import asyncio


        class Runner:
            def __init__(self):
                self.jobs = asyncio.Queue()

            async def worker(self):
                while True:
                    job = await self.jobs.get()
                    await self.run(job)
                    self.jobs.task_done()

            async def drain(self):
                await self.jobs.join()
    """
    good = """
        import asyncio


        class Runner:
            def __init__(self):
                self.jobs = asyncio.Queue()

            async def worker(self):
                while True:
                    job = await self.jobs.get()
                    try:
                        await self.run(job)
                    finally:
                        self.jobs.task_done()

            async def drain(self):
                await self.jobs.join()
    """
    fix_kind = FixKind.SAFE
    tokens = ("task_done",)

    def visit_Module(self, node: cst.Module) -> None:
        self._facts = QueueFacts()
        self._candidates: List[Tuple[cst.Call, str, cst.BaseExpression, Optional[Fix]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._facts.record(self, node)
        receiver = method_call(node, GETS)
        if receiver is None or self.model.type_of(receiver) not in JOINABLE_QUEUES:
            return
        queue = identity(self.model, receiver)
        function = self.model.enclosing_def()
        if queue is None or function is None:
            return
        done = [
            call
            for call, other in method_calls(function, TASK_DONE)
            if same_object(self.model, receiver, other)
        ]
        if not done or self._guaranteed(receiver):
            return
        self._candidates.append((node, queue, receiver, self._fix(receiver, done)))

    def leave_Module(self, node: cst.Module) -> None:
        for call, queue, receiver, fix in self._candidates:
            if queue not in self._facts.joined:
                continue
            text = shown(receiver)
            self.report(
                call,
                f"an item taken from {text} can miss {text}.task_done() (an exception, continue or "
                f"return before it), and {text}.join() then hangs; call it in a 'finally:'",
                fix=fix,
            )

    def _guaranteed(self, queue: cst.BaseExpression) -> bool:
        if any(self._marks_done(try_node, queue) for try_node in enclosing_tries(self.model)):
            return True
        statement, _, _ = statement_of(self.model)
        if statement is None:
            return False
        for following in following_statements(self.model, statement):
            if self._is_task_done(following, queue):
                return True
            if is_plain(following):
                continue
            if isinstance(following, cst.With) and self._is_task_done(
                body_statements(following)[0], queue
            ):
                return True  # with contextlib.suppress(ValueError): queue.task_done()
            if isinstance(following, cst.Try) and self._marks_done(following, queue):
                return True
            break
        return self._delegated(statement, queue)

    def _delegated(self, statement: cst.CSTNode, queue: cst.BaseExpression) -> bool:
        """``item = await q.get()`` and ``item`` handed to a function of this file that calls
        task_done() on the same queue (as written): that function marks it done."""
        if not (
            isinstance(statement, cst.SimpleStatementLine)
            and isinstance(statement.body[0], cst.Assign)
        ):
            return False
        target = statement.body[0].targets[0].target
        function = self.model.enclosing_def()
        if not isinstance(target, cst.Name) or function is None:
            return False
        text = dotted_name(queue)
        for call in walk(function, into_scopes=False):
            if not isinstance(call, cst.Call) or not any(
                isinstance(arg.value, cst.Name) and arg.value.value == target.value
                for arg in call.args
            ):
                continue
            callee = self.model.callee(call)
            if (
                callee is not None
                and isinstance(callee.node, cst.FunctionDef)
                and any(
                    dotted_name(receiver) == text
                    for _, receiver in method_calls(callee.node, TASK_DONE)
                )
            ):
                return True
        return False

    def _marks_done(self, try_node: cst.Try, queue: cst.BaseExpression) -> bool:
        return try_node.finalbody is not None and any(
            same_object(self.model, queue, receiver)
            for _, receiver in method_calls(try_node.finalbody, TASK_DONE)
        )

    def _is_task_done(self, statement: cst.CSTNode, queue: cst.BaseExpression) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return False
        receiver = method_call(small.value, TASK_DONE)
        return receiver is not None and same_object(self.model, queue, receiver)

    def _fix(self, queue: cst.BaseExpression, done: List[cst.Call]) -> Optional[Fix]:
        if len(done) != 1:
            return None
        statement, block, place = statement_of(self.model)
        if statement is None or not isinstance(block, cst.IndentedBlock):
            return None
        loop = self._owner_of(block)
        if not isinstance(loop, (cst.While, cst.For)):
            return None
        statements = list(block.body)
        last = statements[-1]
        if place >= len(statements) - 2 or not self._is_task_done(last, queue):
            return None
        guarded = cst.Try(
            body=cst.IndentedBlock(body=statements[place + 1 : -1]),
            finalbody=cst.Finally(
                body=cst.IndentedBlock(body=[last.with_changes(leading_lines=())])
            ),
        )
        replacement = block.with_changes(body=[*statements[: place + 1], guarded])
        return Fix(
            block, replacement, f"Call {shown(queue)}.task_done() in a 'finally:'", FixKind.SAFE
        )

    def _owner_of(self, block: cst.CSTNode) -> Optional[cst.CSTNode]:
        stack = self.model.stack
        for position in range(len(stack) - 1, 0, -1):
            if stack[position] is block:
                return stack[position - 1]
        return None
