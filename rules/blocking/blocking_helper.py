"""ASL110: a coroutine calls a sync function of the project that blocks, directly or through
other sync project functions, in this file or another one (read from the project index)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import List, Optional, Tuple

import libcst as cst

from asynclint import ProjectIndex
from asynclint.index import CallSite, nearest_goal
from asynclint.syntax import last_name

from ..catalogue import BLOCKING_SLEEPS
from .calls import BlockingCall, BlockingFilesystemQuery
from .catalogue import TO_THREAD, Blocking, blocking_entry, blocking_method

#: How many project functions deep a chain is followed.
MAX_CHAIN = 6

#: A function under one of these decorators runs its body once per distinct argument: whatever
#: it blocks on, it blocks on once (SSL contexts and settings loaded at first use), not per call.
CACHING_DECORATORS = frozenset({"cache", "lru_cache", "cached", "cached_property", "memoize"})

#: Codes whose catalogue entries count as blocking in a helper. Entries that block only for some
#: arguments (``q.get(block=False)``...) are left out: the index does not keep arguments. The
#: metadata queries (ASL105) are opt-in on their own, so they do not make a helper blocking either.
_OPT_IN_CODES = frozenset(
    {BlockingFilesystemQuery.code} if not BlockingFilesystemQuery.default else ()
)


@dataclass(frozen=True)
class Chain:
    """How a sync function blocks: the project functions called, then the blocking call."""

    functions: Tuple[str, ...]  # qualified names, the called function first
    blocking: str  # the blocking call's qualified name
    site: CallSite  # where the blocking call is made

    def describe(self, shown: str) -> str:
        blocking = (
            self.blocking[len("builtins.") :]
            if self.blocking.startswith("builtins.")
            else self.blocking
        )
        steps = [
            f"{shown}()",
            *(f"{name.rsplit('.', 1)[-1]}()" for name in self.functions[1:]),
            f"{blocking}()",
        ]
        return " -> ".join(steps) + f" ({_relative(self.site.path)}:{self.site.line})"


def _relative(path: str) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


def _blocks_directly(target: str, configured: dict) -> bool:
    entry: Optional[Blocking] = blocking_entry(target)
    if entry is None and "." in target:
        receiver, method = target.rsplit(".", 1)
        entry = blocking_method(receiver, method)
    if entry is not None:
        return (
            not (entry.nonblocking_when or entry.file_argument or entry.needs_arguments)
            and entry.code not in _OPT_IN_CODES
            and entry.code != "ASL109"
        )
    return target in BLOCKING_SLEEPS or target in configured


def blocking_chain(index: ProjectIndex, qualname: str, configured: dict) -> Optional[Chain]:
    """The shortest way the sync project function ``qualname`` blocks (at most MAX_CHAIN calls
    deep), or None. Memoised per run; the same answer whichever function was asked first."""
    key = ("blocking-chain", qualname, tuple(sorted(configured)))
    memo = index.memo
    if key not in memo:
        found = nearest_goal(
            qualname, lambda name: _blocking_step(index, name, configured), MAX_CHAIN
        )
        memo[key] = None if found is None else Chain(found[0], found[1].target, found[1])
    return memo[key]


def _blocking_step(
    index: ProjectIndex, qualname: str, configured: dict
) -> Tuple[Optional[CallSite], Tuple[str, ...]]:
    """What one sync project function does: its first blocking call, and the sync project
    functions it calls (in order). A fact about the function alone, memoised per run."""
    key = ("blocking-step", qualname, tuple(sorted(configured)))
    memo = index.memo
    if key in memo:
        return memo[key]
    step: Tuple[Optional[CallSite], Tuple[str, ...]] = (None, ())
    symbol = index.lookup(qualname)
    if symbol is None or not any(
        d.rsplit(".", 1)[-1] in CACHING_DECORATORS for d in symbol.decorators
    ):
        sites = index.calls(qualname)
        if any(site.target.endswith(".setblocking") for site in sites):
            sites = tuple(
                site for site in sites if not site.target.startswith("socket.")
            )  # a non-blocking socket
        blocking = next((s for s in sites if _blocks_directly(s.target, configured)), None)
        callees: List[str] = []
        for site in sites:
            callee = index.lookup(site.target)
            if (
                callee is None
                or callee.kind == "class"
                or callee.is_async
                or callee.async_generator
                or not index.is_project(callee.qualname)
            ):
                continue
            if callee.qualname not in callees:
                callees.append(callee.qualname)
        step = (blocking, tuple(callees))
    memo[key] = step
    return step


class BlockingHelper(BlockingCall):
    code = "ASL110"
    name = "blocking-helper"
    summary = (
        "a coroutine calls a sync function of the project (this file or any other) that blocks, "
        "directly or through other project functions; the message shows the chain, e.g. `load() "
        "-> read_file() -> open() (config.py:12)`"
    )
    fix_summary = "`await asyncio.to_thread(helper, ...)` / `to_thread.run_sync`"
    message = "a project function called from a coroutine blocks the event loop"
    rationale = """
        Blocking calls hide in helpers: a coroutine calls load_settings(), which calls
        read_file(), which calls open(). Nothing in the coroutine looks like I/O, yet every
        other task waits while the file is read. This rule follows the sync functions and
        methods of the project, in the same file or in any other file of the linted project,
        and reports the call in the coroutine with the whole chain and where the blocking call
        is, for example `load_settings() -> read_file() -> open() (settings.py:12)`.

        A function blocks when it makes a catalogued blocking call (the calls of ASL100-ASL108
        and the configured `blocking-calls`), or calls a sync project function that does, up to
        six functions deep. Calls whose blocking depends on their arguments (queue.get with
        block=False, join with timeout=0) and the metadata queries of ASL105 (opt-in) do not
        count.
    """
    not_flagged = """
        Functions handed to asyncio.to_thread(), run_in_executor() or a nested def are not
        called by the coroutine, so they are not reported; neither are library functions, whose
        internals are the library's business.

        Helpers whose result is cached (functools.cache, lru_cache, cached_property) block once
        at most and are not followed, nor are socket calls in a function that makes its socket
        non-blocking.
    """
    fix_safety = """
        Run the helper in a worker thread (`await asyncio.to_thread(load_settings)`, trio
        and anyio: `to_thread.run_sync`), or make the helper async all the way down. The fix is
        unsafe: the helper then runs in another thread, where shared state needs care.
    """
    bad = """
        def read_settings(path):
            with open(path) as f:
                return f.read()

        async def handle(request):
            settings = read_settings("app.toml")
    """
    good = """
        import asyncio

        async def handle(request):
            settings = await asyncio.to_thread(read_settings, "app.toml")
    """
    tokens = ("async",)

    def visit_Call(self, node: cst.Call) -> None:
        if not self.model.in_coroutine:
            return
        callee = self.model.callee(node)
        if callee is None or callee.kind == "class" or callee.is_async or callee.async_generator:
            return
        if "<locals>" in callee.qualname:
            return  # a nested function: not in the index, and usually a callback
        index = self.model.index
        if not index.is_project(callee.qualname):
            return
        chain = blocking_chain(
            index, callee.qualname, self.model.configured_catalogue("blocking-calls")
        )
        if chain is None:
            return
        shown = last_name(node.func) or "call"
        message = (
            f"{shown}() blocks the event loop: {chain.describe(shown)}; run it in "
            f"{TO_THREAD[self.model.framework]}()"
        )
        entry = Blocking(self.code, "blocks", {})
        self.report(node, message, fix=self._fix(node, entry, shown))
