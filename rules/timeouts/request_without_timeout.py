"""ASL301 request-without-timeout."""

from __future__ import annotations

from typing import ClassVar, Optional, Tuple

import libcst as cst

from asynclint.syntax import dotted_name, is_none, passes_star_kwargs

from ..catalogue import Deadline
from .bounds import TimeoutRule, deadline_argument
from .catalogue import (
    NEEDS_TIMEOUT,
    NEEDS_TIMEOUT_METHODS,
    NONE_DISABLES,
    NONE_DISABLES_METHODS,
    SESSIONS_WITHOUT_DEFAULT,
    TIMEOUT_SCOPES,
    UNBOUNDED_WHEN_ALL_NONE,
)


class RequestWithoutTimeout(TimeoutRule):
    code = "ASL301"
    name = "request-without-timeout"
    summary = (
        "a `requests` call (module function or `Session` method) without `timeout=` or with "
        "`timeout=None`: requests has no default and can wait forever"
    )
    message = "requests call without a timeout"
    rationale = """
        requests has no default timeout at all: a call without timeout= waits for as long as the
        server keeps the connection open without answering, which can be forever. In a worker, a
        cron job or a webhook sender, that is a process that hangs silently.

        Reported, in any code (sync or async): requests.get()/post()/... and the methods of a
        requests.Session (recognised through its type) called without timeout= or with
        timeout=None. A call passing **kwargs is not reported (the timeout may be in them).
        Explicitly switching a timeout off in other clients is ASL306 (opt-in), a session left on
        aiohttp's 5-minute default ASL305 (opt-in).
    """
    bad = """
        import requests

        def fetch_report(url):
            return requests.get(url).json()
    """
    good = """
        import requests

        def fetch_report(url):
            return requests.get(url, timeout=(5, 30)).json()
    """
    tokens: ClassVar[Tuple[str, ...]] = ("requests",)
    #: Which findings this rule reports: omitted timeouts (False) or timeouts switched off with
    #: None.
    explicit_none = False

    def visit_Call(self, node: cst.Call) -> None:
        found = self.problem(node)
        if found is not None and found[1] is self.explicit_none:
            self.report(node, found[0])

    def problem(self, call: cst.Call) -> Optional[Tuple[str, bool]]:
        """The message for a call configured without a timeout, and whether the timeout is switched
        off explicitly (ASL306) rather than missing from a client that has no default (ASL301)."""
        qualname = self.model.qualified_name(call.func)
        shown = dotted_name(call.func) or qualname
        if qualname is not None:
            if qualname in SESSIONS_WITHOUT_DEFAULT:
                return None  # without timeout=, aiohttp's 5-minute default applies: ASL305 (opt-in)
            if qualname in UNBOUNDED_WHEN_ALL_NONE:
                if self.all_fields_none(call):
                    return f"{shown}() with every field None sets no timeout at all", True
                return None
            if qualname in NEEDS_TIMEOUT:
                return self.needs_timeout(call, shown)
            where = NONE_DISABLES.get(qualname)
            if where is not None:
                arg = deadline_argument(call, where)
                if (
                    arg is not None
                    and is_none(arg.value)
                    and not self.rescheduled_later(call, qualname)
                ):
                    return f"{shown}() with {where.keyword}=None never times out", True
                return None
        if isinstance(call.func, cst.Attribute):
            receiver_type = self.model.type_of(call.func.value)
            if receiver_type is None:
                return None
            key = f"{receiver_type}.{call.func.attr.value}"
            shown = f"{receiver_type.rsplit('.', 1)[-1]}.{call.func.attr.value}"
            if key in NEEDS_TIMEOUT_METHODS:
                return self.needs_timeout(call, shown)
            where = NONE_DISABLES_METHODS.get(key)
            if where is not None:
                arg = deadline_argument(call, where)
                if arg is not None and is_none(arg.value):
                    return f"{shown}() with {where.keyword}=None never times out", True
        return None

    def needs_timeout(self, call: cst.Call, shown: Optional[str]) -> Optional[Tuple[str, bool]]:
        arg = deadline_argument(call, Deadline(None, "timeout"))
        if arg is None:
            if passes_star_kwargs(call):
                return None
            return (
                f"{shown}() without timeout= waits forever on a server that does not answer",
                False,
            )
        if is_none(arg.value):
            return (
                f"{shown}() with timeout=None waits forever on a server that does not answer",
                False,
            )
        return None

    def rescheduled_later(self, call: cst.Call, qualname: str) -> bool:
        """A scope created without a deadline that is not simply entered: bound with `as` (its
        deadline can be set later with reschedule()), or built by a helper that returns or stores a
        scope that may or may not have a deadline."""
        if qualname not in TIMEOUT_SCOPES:
            return False
        parent = self.model.parent
        return not isinstance(parent, cst.WithItem) or parent.asname is not None
