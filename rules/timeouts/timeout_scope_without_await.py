"""ASL302 timeout-scope-without-await."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional

import libcst as cst

from asynclint import Fix, FixKind

from .bounds import TimeoutRule


@dataclass
class _OpenScope:
    node: cst.With
    item: cst.WithItem
    qualname: str
    depth: int  # where the With sits on the model's stack
    awaits: bool = False


class TimeoutScopeWithoutAwait(TimeoutRule):
    code = "ASL302"
    name = "timeout-scope-without-await"
    summary = (
        "a timeout scope (`asyncio.timeout`, `trio.fail_after`, `anyio.move_on_after`...) with no"
        " `await` inside, so it can never fire"
    )
    fix_summary = "remove the scope"
    message = "timeout scope contains no await, so it can never time out"
    rationale = """
        A timeout scope cancels the code inside it at its deadline, and cancellation is delivered
        only where that code awaits. A scope whose body never awaits (no await, async for or
        async with in it, only in functions it defines) runs its body to the end whatever the
        deadline: the timeout is dead code, and usually a sign that the await it was meant to bound
        was moved out of it, or sits in a helper called without await.

        Checked: asyncio.timeout()/timeout_at(), async_timeout.timeout(), trio's
        fail_after()/move_on_after()/fail_at()/move_on_at(), anyio's fail_after()/move_on_after(),
        and trio's and anyio's CancelScope(deadline=...).
        A body that yields (an async generator) is left alone.

        The safe fix removes the scope and keeps its body, when the scope object is not bound
        with `as`; it removes only the timeout from a with statement that enters other managers.
    """
    bad = """
        import asyncio

        async def refresh(cache):
            async with asyncio.timeout(5):
                data = cache.load()
            await publish(data)
    """
    good = """
        import asyncio

        async def refresh(cache):
            data = cache.load()
            async with asyncio.timeout(5):
                await publish(data)
    """
    fix_kind = FixKind.SAFE
    tokens = ("timeout", "fail_after", "fail_at", "move_on_after", "move_on_at", "CancelScope")

    def __init__(self, run) -> None:
        super().__init__(run)
        self._open: List[_OpenScope] = []

    def visit_With(self, node: cst.With) -> None:
        if self._open and node.asynchronous is not None:
            self._mark()  # entering an async manager awaits
        if not self.model.in_coroutine:
            return
        for index, item in enumerate(node.items):
            found = self.scope_call(item.item) if isinstance(item.item, cst.Call) else None
            if found is None:
                continue
            scope = _OpenScope(node, item, found[0], len(self.model.stack) - 1)
            # In an async with, the managers after the scope are entered (awaited) inside it.
            scope.awaits = node.asynchronous is not None and index < len(node.items) - 1
            self._open.append(scope)
            return

    def leave_With(self, node: cst.With) -> None:
        if not self._open or self._open[-1].node is not node:
            return
        scope = self._open.pop()
        if scope.awaits:
            return
        self.report(
            scope.item.item,
            f"{scope.qualname}() scope contains no await, so it can never time out",
            fix=self.removal(scope),
        )

    def _mark(self) -> None:
        """The current node awaits: every open scope whose body holds it (in the same function)
        awaits."""
        stack = self.model.stack
        function = self.model.enclosing_function()
        for scope in self._open:
            if scope.awaits:
                continue
            body_depth = scope.depth + 1
            if len(stack) <= body_depth or stack[body_depth] is not scope.node.body:
                continue
            if (
                any(stack[i] is function.node for i in range(body_depth, len(stack)))
                if function
                else False
            ):
                continue  # inside a def nested in the scope's body
            scope.awaits = True

    def visit_Await(self, node: cst.Await) -> None:
        if self._open:
            self._mark()

    def visit_For(self, node: cst.For) -> None:
        if self._open and node.asynchronous is not None:
            self._mark()

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if self._open and node.asynchronous is not None:
            self._mark()

    def visit_Yield(self, node: cst.Yield) -> None:
        if self._open:
            self._mark()  # an async generator's scope around a yield is another matter (ASL7xx)

    def removal(self, scope: _OpenScope) -> Optional[Fix]:
        if scope.item.asname is not None:
            return None
        with_node = scope.node
        if len(with_node.items) > 1:
            items = [item for item in with_node.items if item is not scope.item]
            items[-1] = items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return Fix(
                with_node,
                with_node.with_changes(items=items),
                f"Remove the {scope.qualname}() scope",
            )
        body = with_node.body
        if isinstance(body, cst.SimpleStatementSuite):
            replacement: cst.CSTNode = cst.SimpleStatementLine(
                body=body.body,
                leading_lines=with_node.leading_lines,
                trailing_whitespace=body.trailing_whitespace,
            )
            return Fix(with_node, replacement, f"Remove the {scope.qualname}() scope")
        if not isinstance(body, cst.IndentedBlock) or any(
            line.comment is not None for line in body.footer
        ):
            return None  # a comment trailing the block would be lost
        statements = list(body.body)
        first = statements[0]
        if not isinstance(first, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return None
        header = []
        if body.header.comment is not None:  # a comment on the with line stays, on its own line
            header.append(cst.EmptyLine(indent=True, comment=body.header.comment))
        statements[0] = first.with_changes(
            leading_lines=[*with_node.leading_lines, *header, *first.leading_lines]
        )
        return Fix(
            with_node, cst.FlattenSentinel(statements), f"Remove the {scope.qualname}() scope"
        )
