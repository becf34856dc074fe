"""ASL701 exit-in-finally."""

from __future__ import annotations

from typing import List, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.syntax import LOOPS, NESTED_SCOPES, child_nodes


class ExitInFinally(Rule):
    code = "ASL701"
    name = "exit-in-finally"
    summary = "`return`, `break` or `continue` leaving a `finally` block of a coroutine"
    message = (
        "return, break or continue in a finally block swallows cancellation and every "
        "other exception"
    )
    rationale = """
        Leaving a finally block with return, break or continue discards the exception that was
        propagating through it: in a coroutine that includes the cancellation, so the task carries
        on (or returns normally) after being cancelled, and every other error of the try block is
        lost without a trace. Python 3.14 warns about it for the same reason (PEP 765).

        Move the return after the try statement, or into the try block. A break or continue that
        belongs to a loop inside the finally block is fine, and so is a return in a function
        defined inside it. Sync functions are not flagged (asynclint is about async code).
    """
    bad = """
        async def fetch_status(client):
            try:
                status = await client.get_status()
            finally:
                return status
    """
    good = """
        async def fetch_status(client):
            try:
                status = await client.get_status()
            finally:
                await client.close()
            return status
    """
    tokens = ("finally",)

    def visit_Finally(self, node: cst.Finally) -> None:
        if not self.model.in_coroutine:
            return
        pending: List[Tuple[cst.CSTNode, bool]] = [(node.body, False)]
        while pending:
            current, in_loop = pending.pop()
            if isinstance(current, NESTED_SCOPES) or (
                isinstance(current, cst.Finally) and current is not node
            ):
                continue  # a nested finally block reports its own exits
            if isinstance(current, cst.Return) or (
                isinstance(current, (cst.Break, cst.Continue)) and not in_loop
            ):
                keyword = {cst.Return: "return", cst.Break: "break", cst.Continue: "continue"}[
                    type(current)
                ]
                self.report(
                    current,
                    f"'{keyword}' in a finally block discards the exception in flight, "
                    "cancellation included",
                )
                continue
            for child in child_nodes(current):
                inner = in_loop or (
                    isinstance(current, LOOPS) and child is not getattr(current, "orelse", None)
                )
                pending.append((child, inner))
