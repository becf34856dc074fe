"""ASL800 sequential-awaits-in-loop."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from asynclint import Rule
from asynclint.syntax import walk

from ..tasks.catalogue import ACCUMULATORS
from ..tasks.spawning import names_in


class SequentialAwaitsInLoop(Rule):
    code = "ASL800"
    name = "sequential-awaits-in-loop"
    summary = (
        "a loop that awaits a call per item and collects the results, one after another, where "
        "the iterations share no state"
    )
    message = "awaits run one after another over independent items; run them concurrently"
    rationale = """
        `for x in xs: results.append(await fetch(x))` waits for each fetch before starting the
        next, so the loop takes the sum of all latencies where it could take the longest one. When
        the iterations share no state, run them concurrently: asyncio.gather() or a TaskGroup
        (trio nursery, anyio task group), with a Semaphore or a fixed pool of workers to bound
        how many run at once.

        Opt-in, because sequential awaits are sometimes wanted (ordering, rate limits, one
        connection that cannot run two queries at once). Only loops that collect results are
        flagged: a body that appends, adds or stores the awaited result of a call using the loop
        variable, and does nothing else; a loop that reads what earlier iterations stored, breaks,
        returns, or awaits more than once is left alone.
    """
    bad = """
        async def fetch_all(urls):
            pages = []
            for url in urls:
                pages.append(await fetch(url))
            return pages
    """
    good = """
        import asyncio

        async def fetch_all(urls):
            return await asyncio.gather(*(fetch(url) for url in urls))
    """
    default = False
    tokens = ("await",)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or node.orelse is not None or not self.model.in_coroutine:
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        statements = node.body.body
        if not 1 <= len(statements) <= 2 or not all(
            isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 for s in statements
        ):
            return
        smalls = [s.body[0] for s in statements]  # type: ignore[attr-defined]
        loop_names = names_in(node.target)
        awaits = [n for n in walk(node.body, into_scopes=True) if isinstance(n, cst.Await)]
        if len(awaits) != 1 or not isinstance(awaits[0].expression, cst.Call):
            return
        call = awaits[0].expression
        if not (names_in(call) & loop_names):
            return
        if len(smalls) == 1:
            collection = self._stored(smalls[0], awaits[0])
        else:
            first, second = smalls
            if not (
                isinstance(first, cst.Assign)
                and len(first.targets) == 1
                and first.value is awaits[0]
                and isinstance(first.targets[0].target, cst.Name)
            ):
                return
            collection = self._stored(second, None, first.targets[0].target.value)
        if collection is None or collection in names_in(call) | loop_names | names_in(node.iter):
            return
        self.report(
            node,
            "each iteration awaits the previous one although they are independent; "
            "gather them or use a TaskGroup, with a Semaphore to bound concurrency",
        )

    @staticmethod
    def _stored(
        small: cst.BaseSmallStatement, awaited: Optional[cst.Await], variable: Optional[str] = None
    ) -> Optional[str]:
        """The collection a statement puts the result into: ``xs.append(r)``, ``xs[k] = r``."""

        def is_result(value: cst.BaseExpression) -> bool:
            if awaited is not None:
                return value is awaited
            return isinstance(value, cst.Name) and value.value == variable

        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            if (
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value in ACCUMULATORS
                and isinstance(call.func.value, cst.Name)
                and len(call.args) == 1
                and is_result(call.args[0].value)
            ):
                return call.func.value.value
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and is_result(small.value):
            target = small.targets[0].target
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                return target.value.value
        return None
