"""ASL503 inconsistent-lock-order."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from asynclint import Rule, Usage
from asynclint.syntax import positions, shown

from ..primitives import MUTEXES, identity


@dataclass
class _Acquisition:
    lock: str  # identity
    text: str  # as written
    node: cst.CSTNode
    order: int  # traversal order, to tell first from later


@dataclass
class _FunctionLocks:
    acquisitions: List[_Acquisition] = field(default_factory=list)
    calls: List[Tuple[cst.FunctionDef, cst.Call, Tuple[_Acquisition, ...], int]] = field(
        default_factory=list
    )


@dataclass
class _Pair:
    first: _Acquisition  # held
    second: _Acquisition  # then taken
    site: cst.CSTNode  # where the second is taken (or the call that takes it)
    order: int
    via: Optional[str] = None  # the function called while holding the first


class InconsistentLockOrder(Rule):
    code = "ASL503"
    name = "inconsistent-lock-order"
    summary = (
        "two locks taken in opposite orders, by nesting or through calls of the same file made "
        "while holding one: a possible deadlock; the message names the other place"
    )
    message = "two locks are taken in opposite orders on different paths: a possible deadlock"
    rationale = """
        If one task takes lock A and then lock B while another takes B and then A, each can end up
        holding the lock the other waits for, and both hang forever (with thread locks, the
        threads do). Take nested locks in one global order everywhere, or merge them into one.

        The order is read from nested `with`/`async with` blocks on locks (and conditions) within
        a function, and from calls made while holding a lock to functions and methods of the same
        file that take another lock, directly or through further calls of the same file. The
        finding is at the later of the two acquisitions; its message names the line of the other.

        Limits: locks are compared by where they live (a module global, `self.<attr>` of a class,
        a local), so two instances of one class count as one lock and two locks passed in as
        parameters are not compared; locks taken with acquire()/release() and calls into other
        files are not followed; and the two paths are not proven to run concurrently. Semaphores
        and capacity limiters, which admit several holders, are not considered.
    """
    bad = """
        import asyncio


        class Bank:
            def __init__(self):
                self.accounts_lock = asyncio.Lock()
                self.audit_lock = asyncio.Lock()

            async def transfer(self):
                async with self.accounts_lock:
                    async with self.audit_lock:
                        ...

            async def report(self):
                async with self.audit_lock:
                    async with self.accounts_lock:
                        ...
    """
    good = """
        import asyncio


        class Bank:
            def __init__(self):
                self.accounts_lock = asyncio.Lock()
                self.audit_lock = asyncio.Lock()

            async def transfer(self):
                async with self.accounts_lock:
                    async with self.audit_lock:
                        ...

            async def report(self):
                async with self.accounts_lock:
                    async with self.audit_lock:
                        ...
    """
    tokens = ("Lock", "Condition", "allocate_lock")

    def visit_Module(self, node: cst.Module) -> None:
        self._functions: Dict[cst.FunctionDef, _FunctionLocks] = {}
        self._frames: List[Tuple[_FunctionLocks, List[_Acquisition]]] = []
        self._pairs: List[_Pair] = []
        self._pushed: Dict[cst.With, int] = {}
        self._order = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self._functions.setdefault(node, _FunctionLocks())
        self._frames.append((info, []))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.pop()

    def visit_With(self, node: cst.With) -> None:
        if not self._frames:
            return
        info, held = self._frames[-1]
        pushed = 0
        for item in node.items:
            expression = item.item
            if self.model.type_of(expression) not in MUTEXES:
                continue
            lock = identity(self.model, expression)
            if lock is None:
                continue
            self._order += 1
            taken = _Acquisition(lock, shown(expression), expression, self._order)
            for holding in held:
                if holding.lock != lock:
                    self._pairs.append(_Pair(holding, taken, expression, self._order))
            info.acquisitions.append(taken)
            held.append(taken)
            pushed += 1
        if pushed:
            self._pushed[node] = pushed

    def leave_With(self, node: cst.With) -> None:
        pushed = self._pushed.pop(node, 0)
        if pushed:
            del self._frames[-1][1][-pushed:]

    def visit_Call(self, node: cst.Call) -> None:
        if not self._frames:
            return
        callee = self.model.callee(node)
        if callee is None or not isinstance(callee.node, cst.FunctionDef):
            return
        if callee.is_async and self.model.usage() is not Usage.AWAITED:
            return  # the coroutine runs later (a task), not while the caller holds its locks
        info, held = self._frames[-1]
        self._order += 1
        info.calls.append((callee.node, node, tuple(held), self._order))

    def leave_Module(self, node: cst.Module) -> None:
        taken_by: Dict[cst.FunctionDef, Dict[str, _Acquisition]] = {}
        for info in self._functions.values():
            for function, call, held, order in info.calls:
                if not held:
                    continue
                for lock, acquisition in self._taken_by(function, taken_by).items():
                    for holding in held:
                        if holding.lock != lock:
                            self._pairs.append(
                                _Pair(holding, acquisition, call, order, function.name.value)
                            )
        first_seen: Dict[Tuple[str, str], _Pair] = {}
        for pair in sorted(self._pairs, key=lambda p: p.order):
            first_seen.setdefault((pair.first.lock, pair.second.lock), pair)
        inverted = [
            (pair, first_seen[(pair.second.lock, pair.first.lock)])
            for pair in sorted(self._pairs, key=lambda p: p.order)
            if (pair.second.lock, pair.first.lock) in first_seen
            and first_seen[(pair.second.lock, pair.first.lock)].order
            < first_seen[(pair.first.lock, pair.second.lock)].order
        ]
        if not inverted:
            return
        where = positions(self.model.module)
        reported: Set[int] = set()
        for pair, other in inverted:
            if id(pair.site) in reported:
                continue
            reported.add(id(pair.site))
            line = where[other.site].start.line if other.site in where else "?"
            other_how = f" (through {other.via}())" if other.via else ""
            how = (
                f"through {pair.via}(), which takes {pair.second.text}"
                if pair.via
                else f"{pair.second.text} is taken"
            )
            self.report(
                pair.site,
                f"lock order: {how} while holding {pair.first.text}, but line {line} takes "
                f"{other.second.text}{other_how} while holding {other.first.text}; two tasks "
                "(or threads) running both paths can deadlock",
            )

    def _taken_by(
        self,
        function: cst.FunctionDef,
        memo: Dict[cst.FunctionDef, Dict[str, _Acquisition]],
    ) -> Dict[str, _Acquisition]:
        """Every lock ``function`` takes, directly or through calls of this file (at most eight
        calls deep; for each lock, the nearest acquisition). Memoised per function, each answer
        worked out from that function alone (breadth first), so that it does not depend on which
        function was asked about first."""
        if function in memo:
            return memo[function]
        taken: Dict[str, _Acquisition] = {}
        seen = {function}
        frontier = [function]
        for depth in range(9):
            following = []
            for current in frontier:
                info = self._functions.get(current)
                if info is None:
                    continue
                for acquisition in info.acquisitions:
                    taken.setdefault(acquisition.lock, acquisition)
                for callee, _, _, _ in info.calls:
                    if callee not in seen and depth < 8:
                        seen.add(callee)
                        following.append(callee)
            frontier = following
        memo[function] = taken
        return taken
