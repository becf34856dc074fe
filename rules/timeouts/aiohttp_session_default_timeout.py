"""ASL305 aiohttp-session-default-timeout."""

from __future__ import annotations

import libcst as cst

from asynclint.syntax import dotted_name, passes_star_kwargs

from ..catalogue import Deadline
from .bounds import TimeoutRule, deadline_argument
from .catalogue import SESSIONS_WITHOUT_DEFAULT


class AiohttpSessionDefaultTimeout(TimeoutRule):
    code = "ASL305"
    name = "aiohttp-session-default-timeout"
    summary = "`aiohttp.ClientSession()` without `timeout=`, left on aiohttp's 5-minute default"
    message = "aiohttp.ClientSession() without timeout= relies on aiohttp's 5-minute default"
    rationale = """
        An aiohttp.ClientSession created without timeout= gives each request aiohttp's default
        ClientTimeout(total=300, sock_connect=30): a request to a peer that stops answering holds
        its coroutine (and whatever it holds) for five minutes, which is rarely what a service
        wants, and a long download that legitimately takes longer fails. Choose the timeouts the
        service needs and say so where the session is made.
    """
    options = """
        Many programs pass a timeout on every request instead, and five minutes is a bound.
        A session created with **kwargs is not reported (the timeout may be in them).
    """
    bad = """
        import aiohttp

        async def main():
            async with aiohttp.ClientSession() as session:
                return await fetch_all(session)
    """
    good = """
        import aiohttp

        async def main():
            timeout = aiohttp.ClientTimeout(total=30, sock_connect=5)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                return await fetch_all(session)
    """
    default = False
    tokens = ("ClientSession",)

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) not in SESSIONS_WITHOUT_DEFAULT:
            return
        if deadline_argument(node, Deadline(None, "timeout")) is None and not passes_star_kwargs(
            node
        ):
            shown = dotted_name(node.func) or "ClientSession"
            self.report(
                node,
                f"{shown}() without timeout= allows each request aiohttp's default of 5 minutes; "
                "pass timeout=aiohttp.ClientTimeout(...)",
            )
