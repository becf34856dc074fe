"""ASL702 yield-in-cancel-scope."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule

from ..catalogue import TASK_GROUP_TYPES
from .scopes import COMPREHENSION_SCOPES, cancel_scope_name, implements_context_manager


class YieldInCancelScope(Rule):
    code = "ASL702"
    name = "yield-in-cancel-scope"
    summary = (
        "`yield` inside a timeout, `TaskGroup`, nursery or cancel scope of a generator (not in "
        "context-manager or fixture generators)"
    )
    message = "yield inside a cancel scope, timeout or task group of a generator"
    rationale = """
        A generator that yields inside `async with asyncio.timeout()`, a TaskGroup, a trio
        nursery or an anyio task group, or `with trio.move_on_after()` / `anyio.CancelScope()`,
        suspends with the scope still open, and the code that runs until the next iteration is
        the consumer's, not the generator's. A timeout then fires in the consumer's code (or
        cancels the wrong thing), a child task's error is raised into whatever the consumer is
        awaiting, and if the consumer stops iterating early the scope is exited in another
        context or by the garbage collector, which corrupts the scope stack (trio raises
        "cancel scope stack corrupted", asyncio may cancel an unrelated await).

        Open the scope in the consumer, or move the work into a task that sends items over a
        channel or queue. Not flagged: a generator that implements a context manager or a fixture
        (@asynccontextmanager, @contextmanager, @pytest.fixture), where the yield is the body of
        the caller's with block and runs in the same task; a plain `async with lock:` or other
        context manager (it is not a cancel scope).
    """
    bad = """
        import asyncio

        async def ticks():
            async with asyncio.timeout(10):
                while True:
                    yield await next_tick()
    """
    good = """
        import asyncio

        async def ticks():
            while True:
                yield await next_tick()

        async def consume():
            async with asyncio.timeout(10):
                async for tick in ticks():
                    handle(tick)
    """
    tokens = ("yield",)

    def visit_Yield(self, node: cst.Yield) -> None:
        scope = self.model.enclosing_function()
        if scope is None or not isinstance(scope.node, cst.FunctionDef):
            return
        function = scope.node
        if implements_context_manager(function):
            return
        for ancestor in self.model.ancestors():
            if ancestor is function:
                return
            if isinstance(ancestor, (cst.Lambda, *COMPREHENSION_SCOPES)):
                return
            if isinstance(ancestor, cst.With):
                for item in ancestor.items:
                    scope_name = cancel_scope_name(self.model, item.item)
                    if scope_name is not None:
                        shown = (
                            scope_name.rsplit(".", 1)[-1]
                            if scope_name in TASK_GROUP_TYPES
                            else scope_name
                        )
                        self.report(
                            node,
                            f"yield inside {shown}: the scope stays open while the consumer "
                            "runs, so its cancellation and errors land in the wrong code",
                        )
                        return
