"""ASL403 wait-on-coroutines."""

from __future__ import annotations

from typing import List

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.model import BindingKind

from ..catalogue import LIBRARY_COROUTINES, WAIT
from .spawning import COLLECTION_LITERALS, SEQUENCE_COMPREHENSIONS


class WaitOnCoroutines(Rule):
    code = "ASL403"
    name = "wait-on-coroutines"
    summary = "`asyncio.wait()` given bare coroutines (a `TypeError` since Python 3.11)"
    fix_summary = "wrap each in `asyncio.create_task()`"
    message = (
        "asyncio.wait() is given coroutines; it accepts only tasks and futures since Python 3.11"
    )
    rationale = """
        asyncio.wait() used to wrap bare coroutines in tasks itself; that was deprecated in Python
        3.8 and is a TypeError since 3.11. Worse, the sets of done and pending objects it returns
        hold the wrapping tasks, never the coroutines passed in, so `if coro in done` never matches.

        Wrap each coroutine in asyncio.create_task() before waiting. The fix does so where the
        argument is a list, set or tuple display or a comprehension, inside a coroutine (where a
        loop is running); an argument bound to such a collection in the same function is flagged
        without a fix. asyncio.as_completed() and gather() still accept coroutines and are not
        flagged.
    """
    bad = """
        import asyncio


        async def ping(host):
            ...


        async def first_reply(hosts):
            done, pending = await asyncio.wait(
                [ping(h) for h in hosts], return_when=asyncio.FIRST_COMPLETED
            )
            return done
    """
    good = """
        import asyncio


        async def ping(host):
            ...


        async def first_reply(hosts):
            done, pending = await asyncio.wait(
                [asyncio.create_task(ping(h)) for h in hosts], return_when=asyncio.FIRST_COMPLETED
            )
            return done
    """
    fix_kind = FixKind.SAFE
    tokens = ("wait",)

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or self.model.qualified_name(node.func) != WAIT:
            return
        first = node.args[0]
        if first.keyword is not None and first.keyword.value != "fs":
            return
        argument = first.value
        elements = self._coroutine_elements(argument)
        if elements:
            fix = self._wrap_fix(argument, elements) if self.model.in_coroutine else None
            self.report(argument, fix=fix)
            return
        if isinstance(argument, cst.Name):
            owner, bindings = self.model.lookup(argument.value)
            if (
                owner is not None
                and owner is self.model.enclosing_function()
                and len(bindings) == 1
            ):
                bound = bindings[0]
                if bound.kind == BindingKind.ASSIGN and isinstance(bound.node, cst.BaseExpression):
                    if self._coroutine_elements(bound.node):
                        self.report(
                            argument,
                            f"'{argument.value}' holds coroutines; asyncio.wait() accepts only "
                            "tasks and futures since Python 3.11",
                        )

    def _coroutine_elements(self, argument: cst.BaseExpression) -> List[cst.BaseExpression]:
        if isinstance(argument, COLLECTION_LITERALS):
            candidates = [
                e.value for e in argument.elements if not isinstance(e, cst.StarredElement)
            ]
        elif isinstance(argument, SEQUENCE_COMPREHENSIONS):
            candidates = [argument.elt]
        else:
            return []
        return [c for c in candidates if isinstance(c, cst.Call) and self._is_coroutine_call(c)]

    def _is_coroutine_call(self, call: cst.Call) -> bool:
        callee = self.model.callee(call)
        if callee is not None:
            return callee.is_async
        return self.model.qualified_name(call.func) in LIBRARY_COROUTINES

    def _wrap_fix(self, argument: cst.BaseExpression, elements: List[cst.BaseExpression]) -> Fix:
        text, imports = self.model.reference("asyncio.create_task")
        create_task = cst.parse_expression(text)
        wrapped = {id(e): cst.Call(func=create_task, args=[cst.Arg(e)]) for e in elements}

        class Wrap(cst.CSTTransformer):
            def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
                return wrapped.get(id(original), updated)

        return Fix(
            argument,
            argument.visit(Wrap()),
            "Wrap each coroutine in asyncio.create_task()",
            FixKind.SAFE,
            imports,
        )
