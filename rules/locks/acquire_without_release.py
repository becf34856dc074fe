"""ASL501 acquire-without-release."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.syntax import (
    enclosing_tries,
    following_statements,
    is_plain,
    method_calls,
    shown,
    statement_of,
    walk,
)

from ..primitives import ASYNC_LOCKS, same_object


class AcquireWithoutRelease(Rule):
    code = "ASL501"
    name = "acquire-without-release"
    summary = (
        "`await lock.acquire()` (asyncio, trio, anyio lock, semaphore, limiter, condition) whose "
        "`release()` is not in a `finally` that covers every path"
    )
    fix_summary = "`async with lock:` around the statements between acquire and release"
    message = "lock acquired with 'await acquire()' is not released on every path"
    rationale = """
        `await lock.acquire()` followed later by `lock.release()` leaks the lock whenever the code
        in between raises, returns, breaks or is cancelled: the release never runs and every
        other task waiting for the lock hangs forever. `async with lock:` releases it on every
        path; so does a `try:` right after the acquire whose `finally:` releases it.

        Flagged: an asyncio, trio or anyio Lock, Semaphore, CapacityLimiter or Condition (recognised
        through its type) acquired with await in a function that also releases it, where neither
        an enclosing `try/finally` nor the next statement that can fail is a `try` whose `finally`
        (or an exception handler) releases it. A function that acquires and never releases hands
        the lock over on purpose (an `__aenter__`, a lock wrapper) and is not flagged.

        The fix, offered when the acquire and the one release are statements of the same block,
        wraps the statements between them in `async with lock:`. It cannot keep a timeout
        (`wait_for(lock.acquire(), ...)`), so that form is reported without a fix.
    """
    bad = """
        import asyncio


        class Account:
            def __init__(self):
                self.lock = asyncio.Lock()

            async def transfer(self, amount):
                await self.lock.acquire()
                await self.debit(amount)
                self.lock.release()
    """
    good = """
        import asyncio


        class Account:
            def __init__(self):
                self.lock = asyncio.Lock()

            async def transfer(self, amount):
                async with self.lock:
                    await self.debit(amount)
    """
    fix_kind = FixKind.SAFE
    tokens = ("acquire",)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            not (isinstance(func, cst.Attribute) and func.attr.value == "acquire")
            or not self.model.in_coroutine
        ):
            return
        lock = func.value
        if self.model.type_of(lock) not in ASYNC_LOCKS:
            return
        function = self.model.enclosing_def()
        if function is None:
            return
        releases = [
            call
            for call, receiver in method_calls(function, frozenset({"release"}))
            if same_object(self.model, lock, receiver)
        ]
        if not releases:
            return  # handed over: released by another method or a callback
        if any(self._releases(try_node, lock) for try_node in enclosing_tries(self.model)):
            return
        statement, block, place = statement_of(self.model)
        if statement is None:
            return
        for following in following_statements(self.model, statement):
            if is_plain(following) or self._releases_and_leaves(following, lock):
                continue
            if isinstance(following, cst.Try) and self._releases(following, lock):
                return
            if any(_is_statement_of(following, release) for release in releases):
                return  # released at once: nothing in between can fail
            break
        text = shown(lock)
        message = (
            f"{text} is acquired with 'await {text}.acquire()' but not released if the code before "
            f"{text}.release() raises, returns or is cancelled; use 'async with {text}:'"
        )
        self.report(node, message, fix=self._fix(node, statement, block, place, releases))

    def _releases_and_leaves(self, statement: cst.CSTNode, lock: cst.BaseExpression) -> bool:
        """``if <plain test>: ...; lock.release(); raise/return/continue/break`` (no else): the
        early exit releases the lock itself, and the test cannot fail."""
        if (
            not isinstance(statement, cst.If)
            or statement.orelse is not None
            or not is_plain(statement.test)
        ):
            return False
        body = list(walk(statement.body, into_scopes=False))
        releases = any(
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value == "release"
            and same_object(self.model, lock, n.func.value)
            for n in body
        )
        return releases and any(
            isinstance(n, (cst.Raise, cst.Return, cst.Continue, cst.Break)) for n in body
        )

    def _releases(self, try_node: cst.Try, lock: cst.BaseExpression) -> bool:
        places: List[cst.CSTNode] = list(try_node.handlers)
        if try_node.finalbody is not None:
            places.append(try_node.finalbody)
        return any(
            same_object(self.model, lock, receiver)
            for place in places
            for _, receiver in method_calls(place, frozenset({"release"}))
        )

    def _fix(
        self, call: cst.Call, statement, block, place: int, releases: List[cst.Call]
    ) -> Optional[Fix]:
        if (
            len(releases) != 1
            or not isinstance(block, cst.IndentedBlock)
            or not _is_statement_of(statement, call)
        ):
            return None
        if not (
            isinstance(statement.body[0].value, cst.Await)
            and statement.body[0].value.expression is call
        ):
            return None
        statements = list(block.body)
        for end in range(place + 1, len(statements)):
            if _is_statement_of(statements[end], releases[0]):
                break
        else:
            return None
        between = statements[place + 1 : end]
        lock = call.func.value  # type: ignore[attr-defined]
        if any(
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value == "acquire"
            and same_object(self.model, lock, n.func.value)
            for s in between
            for n in walk(s, into_scopes=False)
        ):
            return None
        body = between or [cst.SimpleStatementLine([cst.Pass()])]
        guarded = cst.With(
            items=[cst.WithItem(item=lock)],
            body=cst.IndentedBlock(body=body),
            asynchronous=cst.Asynchronous(),
            leading_lines=statement.leading_lines,
        )
        replacement = block.with_changes(
            body=[*statements[:place], guarded, *statements[end + 1 :]]
        )
        return Fix(block, replacement, f"Use 'async with {shown(lock)}:'", FixKind.SAFE)


def _is_statement_of(statement: cst.CSTNode, call: cst.Call) -> bool:
    """``statement`` is exactly the expression statement ``call`` or ``await call``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if not isinstance(small, cst.Expr):
        return False
    value = small.value
    if isinstance(value, cst.Await):
        value = value.expression
    return value is call
