"""ASL502 lock-created-per-use."""

from __future__ import annotations

from typing import List, Optional, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.model import BindingKind
from asynclint.syntax import child_nodes, shown

from ..primitives import EXCLUDERS

_LOCK_USES = frozenset({"acquire", "release", "locked", "acquire_nowait"})


class LockCreatedPerUse(Rule):
    code = "ASL502"
    name = "lock-created-per-use"
    summary = (
        "a lock, semaphore or condition created in the `with` statement that takes it, or in a "
        "local that never leaves the function: it excludes nothing"
    )
    message = "the lock is created where it is used, so it excludes nothing"
    rationale = """
        A lock only excludes the code paths that share it. `async with asyncio.Lock():` creates a
        new lock each time and acquires it at once; so does a lock created in a local variable of
        the function that takes it: each call gets its own lock, and concurrent calls run the
        "protected" code together. The same holds for semaphores, capacity limiters, conditions and
        threading locks. Create the lock once where the protected state lives (a module global or
        an attribute set in __init__) and share it.

        A local lock that leaves the function (passed to a call, returned, stored, used by a nested
        function or task) is shared and is not flagged.
    """
    bad = """
        import asyncio

        async def refresh(self):
            async with asyncio.Lock():
                self.token = await self.fetch_token()
    """
    good = """
        import asyncio

        def __init__(self):
            self.refresh_lock = asyncio.Lock()

        async def refresh(self):
            async with self.refresh_lock:
                self.token = await self.fetch_token()
    """
    tokens = ("Lock", "Semaphore", "Condition", "CapacityLimiter", "allocate_lock")

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if isinstance(item.item, cst.Call) and self.model.type_of(item.item) in EXCLUDERS:
                self.report(
                    item.item,
                    f"{shown(item.item.func)}() is created in the 'with' statement: no other "
                    "code can hold it, so it excludes nothing; create it once and share it",
                )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        scope = self.model.scope
        for name, bindings in scope.bindings().items():
            if (
                len(bindings) != 1
                or bindings[0].kind != BindingKind.ASSIGN
                or scope.declares_global(name)
            ):
                continue
            value = bindings[0].node
            if not isinstance(value, cst.Call) or self.model.type_of(value, scope) not in EXCLUDERS:
                continue
            if _used_only_locally(node, name):
                self.report(
                    value,
                    f"{shown(value.func)}() is created in this function and never leaves it: each "
                    "call gets its own, so it excludes nothing; create it once and share it",
                )


def _used_only_locally(function: cst.FunctionDef, name: str) -> bool:
    """``name`` is acquired in ``function`` and otherwise only assigned or used as a lock there."""
    acquired = False
    pending: List[Tuple[cst.CSTNode, Optional[cst.CSTNode], bool]] = [(function.body, None, False)]
    while pending:
        node, parent, nested = pending.pop()
        if isinstance(node, cst.Name) and node.value == name:
            if isinstance(parent, cst.AssignTarget):
                continue
            if nested:
                return False  # a closure or a task may run concurrently with it
            if isinstance(parent, cst.WithItem):
                acquired = True
                continue
            if isinstance(parent, cst.Attribute) and parent.attr.value in _LOCK_USES:
                acquired = acquired or parent.attr.value in ("acquire", "acquire_nowait")
                continue
            return False
        inner = nested or isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef))
        for child in child_nodes(node):
            pending.append((child, node, inner))
    return acquired
