"""ASL404 unbounded-fan-out."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from asynclint import Rule
from asynclint.model import Scope, SemanticModel
from asynclint.syntax import NESTED_SCOPES, dotted_name, walk

from ..catalogue import GATHER, TASK_GROUP_TYPES
from .catalogue import LIMITER_WORDS, LIMITERS, TASK_OWNER_SPAWN_METHODS
from .spawning import SEQUENCE_COMPREHENSIONS, function_scope, spawner_name


def _bounded_iterable(node: cst.BaseExpression) -> bool:
    """A literal collection or range() of a literal: its size is in the code."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return not any(isinstance(e, cst.StarredElement) for e in node.elements)
    if isinstance(node, cst.Call) and dotted_name(node.func) == "range":
        return all(isinstance(a.value, (cst.Integer, cst.UnaryOperation)) for a in node.args)
    return False


def _mentions_limiter(
    model: SemanticModel, node: cst.CSTNode, scope: Optional[Scope] = None
) -> bool:
    """The code refers to a semaphore, a capacity limiter, or something named like one."""
    for child in walk(node, into_scopes=True):
        if isinstance(child, cst.Name):
            word = child.value
        elif isinstance(child, cst.Attribute):
            word = child.attr.value
            if model.qualified_name(child, scope) in LIMITERS:
                return True
        else:
            continue
        lowered = word.lower()
        if any(part in lowered for part in LIMITER_WORDS):
            return True
    return False


class UnboundedFanOut(Rule):
    code = "ASL404"
    name = "unbounded-fan-out"
    summary = (
        "`gather(*(f(x) for x in xs))`, or `create_task`/`start_soon` in a loop over an unbounded"
        " collection, with no semaphore or limiter in sight"
    )
    message = (
        "one task per item of an unbounded collection, with nothing bounding how many run at once"
    )
    rationale = """
        `gather(*(fetch(url) for url in urls))`, or `create_task()` / `start_soon()` in a loop over
        items, starts as many concurrent operations as there are items. With ten items that is fine;
        with ten thousand it opens ten thousand connections, exhausts file descriptors, trips rate
        limits and memory, and the remote side often fails them all.

        Bound the concurrency: an asyncio.Semaphore (trio/anyio CapacityLimiter) acquired around
        each operation, or a fixed pool of workers reading from a bounded queue. The rule is opt-in
        because the collection is often small by construction. It stays quiet over a literal
        collection or range(<number>), in a loop whose body awaits something else (that paces it)
        or leaves early, and in a function (or a spawned coroutine of the same file) that mentions
        a semaphore, a limiter or anything named like one.
    """
    bad = """
        import asyncio

        async def fetch_all(urls):
            return await asyncio.gather(*(fetch(url) for url in urls))
    """
    good = """
        import asyncio

        async def fetch_all(urls, limit=20):
            semaphore = asyncio.Semaphore(limit)

            async def bounded(url):
                async with semaphore:
                    return await fetch(url)

            return await asyncio.gather(*(bounded(url) for url in urls))
    """
    default = False
    tokens = ("gather", "create_task", "ensure_future", "start_soon")

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) == GATHER:
            self._gather(node)
        elif self._spawns(node):
            self._spawn_in_loop(node)

    def _gather(self, node: cst.Call) -> None:
        for arg in node.args:
            if arg.star != "*" or not isinstance(arg.value, SEQUENCE_COMPREHENSIONS):
                continue
            comprehension = arg.value
            if _bounded_iterable(comprehension.for_in.iter) or self._limited(comprehension.elt):
                continue
            self.report(
                node,
                "gather() starts one task per item of an unbounded collection at once; "
                "bound it with a Semaphore or a fixed pool of workers",
            )
            return

    def _spawns(self, node: cst.Call) -> bool:
        if spawner_name(self.model, node) is not None:
            return True
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in TASK_OWNER_SPAWN_METHODS
            and self.model.type_of(func.value) in TASK_GROUP_TYPES
        )

    def _spawn_in_loop(self, node: cst.Call) -> None:
        loop = None
        for ancestor in self.model.ancestors():
            if isinstance(ancestor, (cst.For, cst.While)):
                loop = ancestor
                break
            if isinstance(ancestor, (*NESTED_SCOPES, *SEQUENCE_COMPREHENSIONS)):
                return
        if not isinstance(loop, cst.For) or _bounded_iterable(loop.iter):
            return
        if loop.asynchronous is None and any(
            isinstance(n, cst.Await) for n in walk(loop.body, into_scopes=False)
        ):
            return  # an await in the loop paces it
        if any(isinstance(n, (cst.Break, cst.Return)) for n in walk(loop.body, into_scopes=False)):
            return
        argument = node.args[0].value if node.args else None
        if self._limited(argument):
            return
        self.report(
            node,
            "a task per item of an unbounded loop, all running at once; "
            "bound them with a Semaphore or a fixed pool of workers",
        )

    def _limited(self, spawned: Optional[cst.BaseExpression]) -> bool:
        function = self.model.enclosing_def()
        if function is not None and _mentions_limiter(self.model, function):
            return True
        if isinstance(spawned, cst.Call):
            callee = self.model.callee(spawned)
            if callee is not None and isinstance(callee.node, cst.FunctionDef):
                return _mentions_limiter(
                    self.model, callee.node, function_scope(self.model, callee.node)
                )
        return False
