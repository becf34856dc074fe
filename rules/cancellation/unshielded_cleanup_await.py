"""ASL703 unshielded-cleanup-await."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from asynclint import Rule
from asynclint.syntax import NESTED_SCOPES

from ..catalogue import ASYNCIO_TIMEOUT_SCOPES
from .catalogue import (
    ASYNCIO_BOUNDED_AWAITS,
    CLEANUP_SAFE_FUNCTIONS,
    CLEANUP_SAFE_METHODS,
)
from .handlers import cancellation_caught
from .scopes import COMPREHENSION_SCOPES


class UnshieldedCleanupAwait(Rule):
    code = "ASL703"
    name = "unshielded-cleanup-await"
    summary = (
        "an await in a `finally` block or a cancellation handler without a shield (trio, anyio) "
        "or a timeout (asyncio); on by default for trio and anyio files, select it for asyncio"
    )
    message = "await in cleanup after cancellation without a shield or a timeout"
    rationale = """
        A finally block, or a handler that catches cancellation, runs while the task is being
        cancelled. In trio and anyio the cancel scope stays cancelled, so every await in the
        cleanup is cancelled at once: the cleanup (closing a connection politely, releasing a
        remote lock, writing a final record) never happens. Put it in a shielded scope with a
        deadline: `with trio.move_on_after(5, shield=True):` (anyio: `with
        anyio.move_on_after(5, shield=True):` or `CancelScope(shield=True)`).

        asyncio delivers a cancellation once, so the cleanup's await is not cancelled again unless
        someone cancels the task again (a second Ctrl-C, an outer timeout); but it can hang the
        shutdown forever. There a timeout (asyncio.timeout(), wait_for()) or asyncio.shield()
        is what is missing. That is why the rule is on by default for trio and anyio, and opt-in
        for asyncio files (select ASL703 explicitly).
    """
    not_flagged = """
        `await x.aclose()` (closing is built to work, forcefully, under
        cancellation), awaits in nested functions, and awaits inside a shielded scope (trio/anyio)
        or a timeout scope (asyncio). A timeout scope without shield does not protect cleanup in
        trio or anyio: the outer cancellation still applies inside it.
    """
    bad = """
        async def handle(stream):
            try:
                await serve(stream)
            finally:
                await stream.send_all(b"bye")
    """
    good = """
        import trio

        async def handle(stream):
            try:
                await serve(stream)
            finally:
                with trio.move_on_after(5, shield=True):
                    await stream.send_all(b"bye")
    """
    frameworks = frozenset({"asyncio", "trio", "anyio"})
    default_frameworks = frozenset({"trio", "anyio"})
    tokens = ("finally", "except")

    def visit_Await(self, node: cst.Await) -> None:
        self._check(node, node.expression)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None:
            self._check(node, None)

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None and not self._protects(node, self.model.framework):
            self._check(node, None)

    def _check(self, node: cst.CSTNode, awaited: Optional[cst.BaseExpression]) -> None:
        if not self.model.in_coroutine:
            return
        if isinstance(awaited, cst.Call):
            func = awaited.func
            if isinstance(func, cst.Attribute) and func.attr.value in CLEANUP_SAFE_METHODS:
                return
            if (self.model.qualified_name(func) or "").rsplit(".", 1)[-1] in CLEANUP_SAFE_FUNCTIONS:
                return
            if (
                self.model.qualified_name(func) in ASYNCIO_BOUNDED_AWAITS
                and self.model.framework == "asyncio"
            ):
                return
        framework = self.model.framework
        child = node
        for ancestor in self.model.ancestors():
            if isinstance(ancestor, (*NESTED_SCOPES, *COMPREHENSION_SCOPES)):
                return
            if (
                isinstance(ancestor, cst.With)
                and child is not ancestor
                and self._protects(ancestor, framework)
            ):
                return
            if isinstance(ancestor, cst.Finally):
                self.report(node, "await in a finally block " + self._advice(framework))
                return
            if isinstance(
                ancestor, (cst.ExceptHandler, cst.ExceptStarHandler)
            ) and cancellation_caught(self.model, ancestor):
                self.report(
                    node, "await in a handler that catches cancellation " + self._advice(framework)
                )
                return
            child = ancestor

    def _protects(self, with_node: cst.With, framework: str) -> bool:
        for item in with_node.items:
            call = item.item
            if not isinstance(call, cst.Call):
                continue
            qualname = self.model.qualified_name(call.func)
            # Any scope opened with shield=True (trio's and anyio's, under whatever import path).
            shield = next(
                (
                    a.value
                    for a in call.args
                    if a.keyword is not None and a.keyword.value == "shield"
                ),
                None,
            )
            if shield is not None and not (
                isinstance(shield, cst.Name) and shield.value == "False"
            ):
                return True
            if framework == "asyncio" and qualname in ASYNCIO_TIMEOUT_SCOPES:
                return True
        return False

    @staticmethod
    def _advice(framework: str) -> str:
        if framework == "asyncio":
            return "can hang the shutdown; bound it with asyncio.timeout() or wait_for()"
        scope = "trio.move_on_after" if framework == "trio" else "anyio.move_on_after"
        return f"is cancelled at once; run it in `with {scope}(..., shield=True):`"
