"""ASL202 sync-for-async-iterable."""

from __future__ import annotations

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.fixes import can_await_here
from asynclint.model import ScopeKind
from asynclint.syntax import shown_object

from .protocols import ASYNC_OBJECT_TOKENS, AsyncProtocols, async_only


class SyncForAsyncIterable(Rule):
    code = "ASL202"
    name = "sync-for-async-iterable"
    summary = (
        "a plain `for` over an async iterable (async generators, `__aiter__`-only classes, "
        "streams and channels)"
    )
    fix_summary = "`async for` in a coroutine"
    message = "a plain 'for' over an async iterable fails at run time; use 'async for'"
    rationale = """
        An async iterable hands out its items through awaits (__aiter__, __anext__). A plain 'for'
        looks for __iter__ and raises TypeError ("'async_generator' object is not iterable") the
        moment the loop starts.

        Recognised: calls to async generator functions (an async def that yields) of the same file,
        including methods through self.; instances of classes of the same file with __aiter__ and
        neither __iter__ nor __getitem__; and library async iterables: asyncio.StreamReader,
        aiohttp's response.content, trio and anyio receive channels and streams, websockets
        connections, aiofiles files. Comprehensions are checked too.

        Inside a coroutine the fix writes 'async for' (in a list, set or dict comprehension too,
        but not in a generator expression, which would become an async generator, nor in a
        comprehension nested in another one). Elsewhere it is reported without a fix.
    """
    not_flagged = """
        Classes that support both protocols, and anything whose type is unknown.
    """
    bad = """
        async def rows(cursor):
            while batch := await cursor.fetchmany(100):
                for row in batch:
                    yield row

        async def export(cursor, out):
            for row in rows(cursor):
                out.write(row)
    """
    good = """
        async def export(cursor, out):
            async for row in rows(cursor):
                out.write(row)
    """
    fix_kind = FixKind.SAFE
    tokens = ASYNC_OBJECT_TOKENS

    def __init__(self, run) -> None:
        super().__init__(run)
        self.protocols = AsyncProtocols(self.model)

    def _is_async_iterable(self, expression: cst.BaseExpression) -> bool:
        return async_only(self.protocols.of_expression(expression), "for")

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or not self._is_async_iterable(node.iter):
            return
        fix = None
        if can_await_here(self.model):
            fix = Fix(
                node,
                node.with_changes(asynchronous=cst.Asynchronous()),
                "Use 'async for'",
                FixKind.SAFE,
            )
        self.report(node.iter, self._message(node.iter), fix=fix)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if node.asynchronous is not None or not self._is_async_iterable(node.iter):
            return
        fix = None
        if self._may_become_async_comprehension():
            replacement = node.with_changes(asynchronous=cst.Asynchronous())
            fix = Fix(node, replacement, "Use 'async for'", FixKind.SAFE)
        self.report(node.iter, self._message(node.iter), fix=fix)

    def _may_become_async_comprehension(self) -> bool:
        # Python before 3.11 refuses an async comprehension nested in a sync one; a generator
        # expression would turn into an async generator (can_await_here refuses those).
        scope = self.model.scope
        return (
            can_await_here(self.model)
            and scope.kind == ScopeKind.COMPREHENSION
            and scope.parent is not None
            and scope.parent.kind != ScopeKind.COMPREHENSION
        )

    @staticmethod
    def _message(iterable: cst.BaseExpression) -> str:
        return (
            f"{shown_object(iterable)} is an async iterable: a plain 'for' fails; use 'async for'"
        )
