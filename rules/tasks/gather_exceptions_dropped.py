"""ASL402 gather-exceptions-dropped."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule, Usage
from asynclint.syntax import argument, dotted_name, is_true

from ..cancellation.handlers import cancelled_receivers
from ..catalogue import GATHER
from .spawning import unused_local


class GatherExceptionsDropped(Rule):
    code = "ASL402"
    name = "gather-exceptions-dropped"
    summary = (
        "the result of `await gather(..., return_exceptions=True)` is dropped or never read, so "
        "every exception is swallowed"
    )
    message = (
        "gather(..., return_exceptions=True) result is dropped, so every exception is swallowed"
    )
    rationale = """
        With return_exceptions=True, asyncio.gather() does not raise: it returns each awaitable's
        exception in the result list, in place of its result. Dropping that list (awaiting gather
        as a statement, or binding it to a name that is never read) silently swallows every error
        of every awaitable, including bugs.

        Inspect the results (`for result in results: if isinstance(result, Exception): log...`), or
        let gather raise (drop return_exceptions) or use a TaskGroup. A gather with
        return_exceptions=False, or whose result is used, is not flagged, nor is a gather over
        tasks the function has just cancelled (waiting for them to finish).
    """
    options = """
        On real code most dropped results are deliberate best-effort shutdowns
        (`await gather(*(c.close() for c in conns), return_exceptions=True)`).
    """
    bad = """
        import asyncio

        async def refresh_all(feeds):
            await asyncio.gather(*(refresh(f) for f in feeds), return_exceptions=True)
    """
    good = """
        import asyncio

        async def refresh_all(feeds):
            results = await asyncio.gather(*(refresh(f) for f in feeds), return_exceptions=True)
            for feed, result in zip(feeds, results):
                if isinstance(result, Exception):
                    log.warning("refreshing %s failed", feed, exc_info=result)
    """
    default = False
    tokens = ("gather",)

    def visit_Call(self, node: cst.Call) -> None:
        flag = argument(node, keyword="return_exceptions")
        if flag is None or not is_true(flag.value):
            return
        if (
            self.model.qualified_name(node.func) != GATHER
            or self.model.usage() is not Usage.AWAITED
        ):
            return
        awaited = self.model.parent
        usage = self.model.usage(awaited)
        if self._waits_for_cancelled_tasks(node):
            return
        if usage is Usage.DISCARDED:
            self.report(node)
            return
        if usage is Usage.ASSIGNED:
            assignment = self.model.stack[-3]
            targets = (
                [t.target for t in assignment.targets]
                if isinstance(assignment, cst.Assign)
                else [getattr(assignment, "target", None)]
            )
            if len(targets) == 1 and targets[0] is not None:
                name = unused_local(self.model, targets[0])
                if name is not None:
                    self.report(
                        node,
                        f"gather(..., return_exceptions=True) result '{name}' is never read, "
                        "so every exception is swallowed",
                    )

    def _waits_for_cancelled_tasks(self, node: cst.Call) -> bool:
        """``t.cancel()`` then ``await gather(t, ..., return_exceptions=True)``: the usual way to
        wait until cancelled tasks have finished, where the CancelledErrors are expected."""
        function = self.model.enclosing_def()
        waited = [dotted_name(arg.value) for arg in node.args if arg.keyword is None]
        if function is None or not waited:
            return False
        return set(waited) <= cancelled_receivers(self.model, function)
