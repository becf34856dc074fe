"""ASL304 async-timeout-parameter."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule
from asynclint.syntax import dotted_name

from .catalogue import (
    SCOPE_ADVICE,
    SIGNATURE_FIXED_BY,
    TIMEOUT_PARAMETER_NAMES,
    TIMEOUT_PARAMETER_SUFFIX,
)


class AsyncTimeoutParameter(Rule):
    code = "ASL304"
    name = "async-timeout-parameter"
    summary = (
        "an `async def` with a `timeout` parameter, where a timeout scope at the call site would "
        "compose"
    )
    message = "async function takes a timeout parameter; let callers bound it with a timeout scope"
    rationale = """
        A timeout parameter threads one deadline through one call chain, and every function in it
        has to pass it on correctly (or forget, silently). Timeout scopes compose instead: the
        caller wraps the call in `async with asyncio.timeout(...)` or `with trio.fail_after(...)`,
        and every await underneath, however deep, is bounded by it, with nested scopes taking the
        earliest deadline.

        Reported (opt-in: it is a style of API): parameters named timeout or ending in _timeout on
        an async def. Overloads and @override methods, whose signature is dictated elsewhere, are
        not reported.
    """
    bad = """
        import asyncio

        async def fetch(url, timeout=10):
            async with asyncio.timeout(timeout):
                return await get(url)
    """
    good = """
        import asyncio

        async def fetch(url):
            return await get(url)

        async def caller():
            async with asyncio.timeout(10):
                await fetch(url)
    """
    default = False
    tokens = ("async",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None:
            return
        for decorator in node.decorators:
            expression = (
                decorator.decorator.func
                if isinstance(decorator.decorator, cst.Call)
                else decorator.decorator
            )
            name = dotted_name(expression)
            if name and name.rsplit(".", 1)[-1] in SIGNATURE_FIXED_BY:
                return
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            name = param.name.value
            if name in TIMEOUT_PARAMETER_NAMES or name.endswith(TIMEOUT_PARAMETER_SUFFIX):
                advice = SCOPE_ADVICE.get(self.model.framework, SCOPE_ADVICE["asyncio"])
                self.report(
                    param,
                    f"async function '{node.name.value}' takes '{name}'; let callers bound it "
                    f"with '{advice}' instead",
                )
