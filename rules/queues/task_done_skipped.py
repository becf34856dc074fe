"""ASL6xx: queues whose join() hangs, and producers without backpressure."""

from __future__ import annotations

from typing import List, Optional, Set, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.model import dotted_name

from ..primitives import (
    ASYNC_QUEUES,
    JOINABLE_QUEUES,
    body_statements,
    enclosing_function_node,
    enclosing_tries,
    following_statements,
    identity,
    in_loop,
    is_plain,
    method_calls,
    same_object,
    shown,
    statement_of,
    walk,
)

_GETS = frozenset({"get", "get_nowait"})
_PUTS = frozenset({"put", "put_nowait"})
_TASK_DONE = frozenset({"task_done"})


def _method_call(node: cst.Call, methods: frozenset) -> Optional[cst.BaseExpression]:
    """The receiver of ``<receiver>.<method>(...)`` for one of ``methods``, else None."""
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value in methods:
        return func.value
    return None


class _QueueFacts:
    """What a file says about its queues, by identity (see primitives.identity)."""

    def __init__(self) -> None:
        self.joined: Set[str] = set()
        self.task_done: Set[Optional[str]] = (
            set()
        )  # None: a task_done() on a queue of unknown identity
        self.escaped: Set[str] = set()  # passed to a call: whoever receives it may call task_done()

    def record(self, rule: Rule, node: cst.Call) -> None:
        model = rule.model
        receiver = _method_call(node, frozenset({"join"}))
        if receiver is not None and model.type_of(receiver) in JOINABLE_QUEUES:
            queue = identity(model, receiver)
            if queue is not None:
                self.joined.add(queue)
        receiver = _method_call(node, _TASK_DONE)
        if receiver is not None:
            self.task_done.add(identity(model, receiver))
        for arg in node.args:
            self.escape(rule, arg.value)

    def escape(self, rule: Rule, value: Optional[cst.BaseExpression]) -> None:
        """``value`` is passed, stored, returned or yielded: code elsewhere may mark its items done."""
        if (
            isinstance(value, (cst.Name, cst.Attribute))
            and rule.model.type_of(value) in JOINABLE_QUEUES
        ):
            queue = identity(rule.model, value)
            if queue is not None:
                self.escaped.add(queue)


class JoinWithoutTaskDone(Rule):
    code = "ASL600"
    name = "join-without-task-done"
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
        async def crawl(urls):
            queue = asyncio.Queue()
            for url in urls:
                queue.put_nowait(url)
            workers = [asyncio.create_task(fetch_all(queue)) for _ in range(4)]
            await queue.join()
    """
    good = """
        async def fetch_all(queue):
            while True:
                url = await queue.get()
                try:
                    await fetch(url)
                finally:
                    queue.task_done()
    """
    tokens = ("join",)

    def visit_Module(self, node: cst.Module) -> None:
        self._facts = _QueueFacts()
        self._joins: List[Tuple[cst.Call, str, cst.BaseExpression]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._facts.record(self, node)
        receiver = _method_call(node, frozenset({"join"}))
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


class TaskDoneSkipped(Rule):
    code = "ASL601"
    name = "task-done-skipped"
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
        async def worker(self):
            while True:
                job = await self.jobs.get()
                await self.run(job)
                self.jobs.task_done()
    """
    good = """
        async def worker(self):
            while True:
                job = await self.jobs.get()
                try:
                    await self.run(job)
                finally:
                    self.jobs.task_done()
    """
    fix_kind = FixKind.SAFE
    tokens = ("task_done",)

    def visit_Module(self, node: cst.Module) -> None:
        self._facts = _QueueFacts()
        self._candidates: List[Tuple[cst.Call, str, cst.BaseExpression, Optional[Fix]]] = []

    def visit_Call(self, node: cst.Call) -> None:
        self._facts.record(self, node)
        receiver = _method_call(node, _GETS)
        if receiver is None or self.model.type_of(receiver) not in JOINABLE_QUEUES:
            return
        queue = identity(self.model, receiver)
        function = enclosing_function_node(self.model)
        if queue is None or function is None:
            return
        done = [
            call
            for call, other in method_calls(function, _TASK_DONE)
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
        function = enclosing_function_node(self.model)
        if not isinstance(target, cst.Name) or function is None:
            return False
        text = dotted_name(queue)
        for call in walk(function):
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
                    for _, receiver in method_calls(callee.node, _TASK_DONE)
                )
            ):
                return True
        return False

    def _marks_done(self, try_node: cst.Try, queue: cst.BaseExpression) -> bool:
        return try_node.finalbody is not None and any(
            same_object(self.model, queue, receiver)
            for _, receiver in method_calls(try_node.finalbody, _TASK_DONE)
        )

    def _is_task_done(self, statement: cst.CSTNode, queue: cst.BaseExpression) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
            return False
        receiver = _method_call(small.value, _TASK_DONE)
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


class UnboundedQueue(Rule):
    code = "ASL602"
    name = "unbounded-queue"
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
        self.pending = asyncio.Queue()
        ...
        async for message in stream:
            await self.pending.put(message)
    """
    good = """
        self.pending = asyncio.Queue(maxsize=1000)
    """
    default = False
    tokens = ("Queue",)

    def visit_Module(self, node: cst.Module) -> None:
        self._unbounded: List[Tuple[cst.Call, str]] = []
        self._fed_in_loop: Set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        receiver = _method_call(node, _PUTS)
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
                    f"{shown(call.func)}() has no maxsize and is filled in a loop: a producer faster "
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


class GetWithoutTaskDone(Rule):
    code = "ASL603"
    name = "get-without-task-done"
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
        async def consume(queue: asyncio.Queue):
            while True:
                handle(await queue.get())
    """
    good = """
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
        receiver = _method_call(node, _GETS)
        if receiver is None or self.model.type_of(receiver) not in ASYNC_QUEUES:
            return
        function = enclosing_function_node(self.model)
        if function is None or any(True for _ in method_calls(function, _TASK_DONE)):
            return
        self.report(
            node,
            f"{shown(receiver)}.{node.func.attr.value}() takes an item that is never marked done "  # type: ignore[attr-defined]
            "here: a future join() hangs; call task_done() in a 'finally:'",
        )


__all__ = ["JoinWithoutTaskDone", "TaskDoneSkipped", "UnboundedQueue", "GetWithoutTaskDone"]
