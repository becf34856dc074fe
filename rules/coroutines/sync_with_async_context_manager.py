"""ASL201 sync-with-async-context-manager."""

from __future__ import annotations

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.fixes import can_await_here
from asynclint.syntax import shown_object

from .protocols import ASYNC_OBJECT_TOKENS, AsyncProtocols, async_only


class SyncWithAsyncContextManager(Rule):
    code = "ASL201"
    name = "sync-with-async-context-manager"
    summary = (
        "a plain `with` on an async context manager (asyncio/trio/anyio locks, `asyncio.timeout`,"
        " task groups, aiohttp/httpx clients, `__aenter__`-only classes, `@asynccontextmanager`)"
    )
    fix_summary = "`async with` in a coroutine"
    message = "a plain 'with' on an async context manager fails at run time; use 'async with'"
    rationale = """
        An async context manager enters and exits with awaits (__aenter__, __aexit__). A plain
        'with' looks for __enter__ and raises at run time (AttributeError, TypeError: "... does not
        support the context manager protocol", or aiohttp's "Use async with instead"), so the lock
        is never taken and the session never opened.

        Recognised: asyncio locks, semaphores and conditions, asyncio.timeout(), TaskGroup, trio and
        anyio locks, semaphores, capacity limiters, nurseries and task groups, aiohttp's
        ClientSession and its request managers (session.get()...), httpx.AsyncClient,
        aiofiles.open(), redis.asyncio clients, pipelines and locks, websockets' connect/serve and
        SQLAlchemy's async sessions and engines; names and self. attributes bound from them or
        annotated with their types; classes of the same file with __aenter__ and no __enter__
        (through their bases in the file); and functions decorated with @asynccontextmanager.

        Inside a coroutine the fix turns the statement into 'async with' (when every item supports
        it). Elsewhere it is reported without a fix: the function itself has to become async.
    """
    not_flagged = """
        Trio.move_on_after, trio.fail_after, trio.CancelScope and their anyio
        counterparts, which are plain context managers; classes with both __enter__ and __aenter__;
        memory channels and streams, which close with either form; anything whose type is unknown.
    """
    bad = """
        import asyncio

        class Cache:
            def __init__(self):
                self._lock = asyncio.Lock()

            async def refresh(self):
                with self._lock:
                    self._data = await load()
    """
    good = """
            async def refresh(self):
                async with self._lock:
                    self._data = await load()
    """
    fix_kind = FixKind.SAFE
    tokens = ASYNC_OBJECT_TOKENS

    def __init__(self, run) -> None:
        super().__init__(run)
        self.protocols = AsyncProtocols(self.model)

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None:
            return
        supports = [self.protocols.of_expression(item.item) for item in node.items]
        offending = [
            item.item for item, support in zip(node.items, supports) if async_only(support, "with")
        ]
        if not offending:
            return
        fix = None
        if can_await_here(self.model) and all(
            support is not None and "__aenter__" in support for support in supports
        ):
            fix = Fix(
                node,
                node.with_changes(asynchronous=cst.Asynchronous()),
                "Use 'async with'",
                FixKind.SAFE,
            )
        message = (
            f"{shown_object(offending[0])} is an async context manager: a plain 'with' "
            "fails; use 'async with'"
        )
        self.report(offending[0], message, fix=fix)
