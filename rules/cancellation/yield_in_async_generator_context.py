"""ASL704 yield-in-async-generator-context."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule

from .scopes import COMPREHENSION_SCOPES, cancel_scope_name, implements_context_manager


class YieldInAsyncGeneratorContext(Rule):
    code = "ASL704"
    name = "yield-in-async-generator-context"
    summary = (
        "`yield` inside any other `with`/`async with` block of an async generator, whose cleanup "
        "runs only when the generator is closed (not in context-manager or fixture generators)"
    )
    message = (
        "yield inside a with block of an async generator: its cleanup may run late, "
        "elsewhere, or never"
    )
    rationale = """
        An async generator that yields inside `with`/`async with` leaves the block open while the
        consumer runs. If the consumer stops iterating early (a break, an exception, a timeout), the
        block is exited only when the generator is closed: by `aclose()` if someone calls it, else
        by the garbage collector or the event loop's shutdown hook, at an unpredictable time, in
        another task, or not at all; and cleanup that needs to await cannot run from the garbage
        collector. A lock stays held, a connection stays checked out, a file stays open.

        Close the generator deterministically (`async with contextlib.aclosing(gen()) as items:`),
        or restructure so that the resource is opened by the consumer. Opt-in because many such
        generators are always consumed to the end. Cancel scopes, timeouts and task groups are
        ASL702's (always wrong, on by default); generators that implement a context manager or a
        fixture are not flagged.
    """
    bad = """
        async def rows(pool, query):
            async with pool.acquire() as connection:
                async for row in connection.cursor(query):
                    yield row
    """
    good = """
        async def rows(pool, query):
            async with pool.acquire() as connection:
                return await connection.fetch(query)
    """
    default = False
    tokens = ("yield",)

    def visit_Yield(self, node: cst.Yield) -> None:
        scope = self.model.enclosing_function()
        if scope is None or not scope.is_async or not isinstance(scope.node, cst.FunctionDef):
            return
        function = scope.node
        if implements_context_manager(function):
            return
        for ancestor in self.model.ancestors():
            if ancestor is function or isinstance(ancestor, (cst.Lambda, *COMPREHENSION_SCOPES)):
                return
            if isinstance(ancestor, cst.With):
                if any(
                    cancel_scope_name(self.model, item.item) is not None for item in ancestor.items
                ):
                    return  # ASL702's
                self.report(node)
                return
