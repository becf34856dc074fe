"""ASL5xx: locks and other synchronisation primitives misused in async code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.model import Scope, dotted_name
from asynclint.tree import child_nodes

from ..primitives import (
    ASYNC_LOCKS,
    CONDITION_METHODS,
    CONDITIONS,
    CONTEXT_MANAGER_DECORATORS,
    EXCLUDERS,
    MUTEXES,
    THREAD_LOCKS,
    decorator_names,
    defining_class,
    enclosing_function_node,
    enclosing_tries,
    following_statements,
    held_with_items,
    identity,
    is_plain,
    method_calls,
    same_object,
    shown,
    statement_of,
    walk,
)

#: What a framework offers instead of each kind of thread primitive (by the class's last name part).
_ASYNC_REPLACEMENT = {
    "Lock": "Lock",
    "RLock": "Lock",
    "Semaphore": "Semaphore",
    "BoundedSemaphore": "BoundedSemaphore",
    "Condition": "Condition",
}
_NO_BOUNDED = frozenset(
    {"trio", "anyio"}
)  # they have no BoundedSemaphore: theirs is bounded already


def async_replacement(lock_type: str, framework: str) -> str:
    kind = _ASYNC_REPLACEMENT.get(lock_type.rsplit(".", 1)[-1], "Lock")
    if kind == "BoundedSemaphore" and framework in _NO_BOUNDED:
        kind = "Semaphore"
    return f"{framework}.{kind}"


def _non_blocking(call: cst.Call) -> bool:
    """``acquire(False)``, ``acquire(blocking=False)`` or ``acquire(timeout=0)`` never waits."""
    for position, arg in enumerate(call.args):
        value = arg.value
        keyword = arg.keyword.value if arg.keyword is not None else None
        is_false = (isinstance(value, cst.Name) and value.value == "False") or (
            isinstance(value, cst.Integer) and value.value == "0"
        )
        if is_false and (keyword == "blocking" or (keyword is None and position == 0)):
            return True
        if (
            keyword == "timeout"
            and isinstance(value, (cst.Integer, cst.Float))
            and float(value.value) == 0
        ):
            return True
    return False


_RELEASE = frozenset({"release"})


def _awaits_inside(node: cst.CSTNode) -> bool:
    return any(
        isinstance(n, (cst.Await, cst.With, cst.For)) and _is_async_node(n) for n in walk(node)
    )


def _is_async_node(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Await):
        return True
    return getattr(node, "asynchronous", None) is not None


class ThreadLockInCoroutine(Rule):
    code = "ASL500"
    name = "thread-lock-in-coroutine"
    message = (
        "a thread lock is held across an await in a coroutine: the event loop can block or deadlock"
    )
    rationale = """
        A threading (or multiprocessing) Lock, RLock, Semaphore or Condition blocks the thread that
        waits for it, and in a coroutine that thread runs the event loop. A coroutine that holds
        such a lock across an await suspends with the lock taken: any other task of the same loop
        that then takes it blocks the loop thread on a lock that only the loop itself could
        release (a deadlock), and a thread that takes it waits for as long as the task sleeps.
        Use the framework's lock (asyncio.Lock, trio.Lock, anyio.Lock); to share state with real
        threads, keep the critical section free of awaits, or take the lock in a worker thread.

        Flagged: `with lock:` whose body awaits, and `lock.acquire()` followed by an await before
        the release. The lock is recognised through its type: constructed in the file (module
        global, local, self.<attr> set in any method) or annotated. A sync @contextmanager helper
        of the same file that takes such a lock (a function given the lock, or a method taking
        self.<lock>) is followed. Not flagged: a short critical section with no await inside (the
        usual way to guard state shared with threads: it blocks the loop only while a thread
        holds the lock), a lock taken in a sync def nested in the coroutine, and a non-blocking
        acquire(blocking=False) or acquire(timeout=0).
    """
    bad = """
        _lock = threading.Lock()

        async def update(key, value):
            with _lock:
                cache[key] = await fetch(value)
    """
    good = """
        _lock = asyncio.Lock()

        async def update(key, value):
            async with _lock:
                cache[key] = await fetch(value)
    """
    tokens = ("Lock", "Semaphore", "Condition", "allocate_lock")

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None or not self.model.in_coroutine:
            return
        for item in node.items:
            expression = item.item
            if isinstance(expression, cst.Call):
                found = self._lock_taken_by_helper(expression)
                if found is not None and _awaits_inside(node.body):
                    lock_type, lock_text = found
                    helper = shown(expression.func)
                    self.report(
                        expression, self._message(lock_type, f"{helper}() holds {lock_text}")
                    )
                continue
            lock_type = self.model.type_of(expression)
            if lock_type in THREAD_LOCKS and _awaits_inside(node.body):
                self.report(expression, self._message(lock_type, f"{shown(expression)} is held"))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            not (isinstance(func, cst.Attribute) and func.attr.value == "acquire")
            or not self.model.in_coroutine
        ):
            return
        lock = func.value
        lock_type = self.model.type_of(lock)
        if lock_type not in THREAD_LOCKS or _non_blocking(node):
            return
        statement, _, _ = statement_of(self.model)
        function = enclosing_function_node(self.model)
        if (
            statement is None
            or function is None
            or not any(
                same_object(self.model, lock, receiver)
                for _, receiver in method_calls(function, _RELEASE)
            )
        ):
            return  # never released here: a fresh lock handed over, held for another function
        for following in following_statements(self.model, statement):
            if any(
                same_object(self.model, lock, receiver)
                for _, receiver in method_calls(following, _RELEASE)
            ):
                if _awaits_inside(following):
                    break  # an await before the release, in the same statement
                return
            if _awaits_inside(following):
                break
        else:
            return  # released elsewhere (handed over), or never: not held across an await here
        self.report(node, self._message(lock_type, f"{shown(lock)} is acquired and held"))

    def _message(self, lock_type: str, what: str) -> str:
        replacement = async_replacement(lock_type, self.model.framework)
        return (
            f"{lock_type} in a coroutine: {what} across an await; another task (or a thread) waiting for it "
            f"then blocks the event loop, and the loop can deadlock; use {replacement}"
        )

    # -- @contextmanager helpers of this file --------------------------------------------------

    def _lock_taken_by_helper(self, call: cst.Call) -> Optional[Tuple[str, str]]:
        callee = self.model.callee(call)
        if callee is None or not isinstance(callee.node, cst.FunctionDef):
            return None
        helper = callee.node
        if helper.asynchronous is not None or not CONTEXT_MANAGER_DECORATORS & set(
            decorator_names(helper)
        ):
            return None
        scope = self._helper_scope(call, helper)
        if scope is None:
            return None
        arguments = self._arguments(call, helper, scope)
        for child in walk(helper):
            if isinstance(child, cst.With) and child.asynchronous is None:
                candidates = [item.item for item in child.items]
            elif (
                isinstance(child, cst.Call)
                and isinstance(child.func, cst.Attribute)
                and child.func.attr.value == "acquire"
            ):
                if _non_blocking(child):
                    continue
                candidates = [child.func.value]
            else:
                continue
            for candidate in candidates:
                if isinstance(candidate, cst.Name) and candidate.value in arguments:
                    lock_type = self.model.type_of(arguments[candidate.value])
                    text = shown(arguments[candidate.value])
                else:
                    lock_type = self.model.type_of(candidate, scope)
                    text = shown(candidate)
                if lock_type in THREAD_LOCKS:
                    return lock_type, text
        return None

    def _helper_scope(self, call: cst.Call, helper: cst.FunctionDef) -> Optional[Scope]:
        """The scope the helper's body runs in, to ask the model about names inside it."""
        func = call.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            cls = self.model.self_class(func.value)
            if cls is None:
                return None
            owner = defining_class(cls, func.attr.value) or cls
            return Scope("function", helper, owner.scope)
        if isinstance(func, cst.Name):
            return Scope("function", helper, self.model.module_scope)
        return None

    def _arguments(
        self, call: cst.Call, helper: cst.FunctionDef, scope: Scope
    ) -> Dict[str, cst.BaseExpression]:
        """The helper's parameters bound to the call's argument expressions."""
        params = [*helper.params.posonly_params, *helper.params.params]
        if scope.parent is not None and scope.parent.kind == "class" and params:
            params = params[1:]  # self
        bound: Dict[str, cst.BaseExpression] = {}
        for position, arg in enumerate(call.args):
            if arg.star:
                break
            if arg.keyword is not None:
                bound[arg.keyword.value] = arg.value
            elif position < len(params):
                bound[params[position].name.value] = arg.value
        return bound


class AcquireWithoutRelease(Rule):
    code = "ASL501"
    name = "acquire-without-release"
    message = "lock acquired with 'await acquire()' is not released on every path"
    rationale = """
        `await lock.acquire()` followed later by `lock.release()` leaks the lock whenever the code
        in between raises, returns, breaks or is cancelled: the release never runs and every
        other task waiting for the lock hangs forever. `async with lock:` releases it on every
        path; so does a `try:` right after the acquire whose `finally:` releases it.

        Flagged: an asyncio, trio or anyio Lock, Semaphore, CapacityLimiter or Condition (recognised
        through its type) acquired with await in a function that also releases it, where neither
        an enclosing `try/finally` nor the next statement that can fail is a `try` whose `finally`
        (or an exception handler) releases it. A function that acquires and never releases hands
        the lock over on purpose (an `__aenter__`, a lock wrapper) and is not flagged.

        The fix, offered when the acquire and the one release are statements of the same block,
        wraps the statements between them in `async with lock:`. It cannot keep a timeout
        (`wait_for(lock.acquire(), ...)`), so that form is reported without a fix.
    """
    bad = """
        async def transfer(account, amount):
            await account.lock.acquire()
            await account.debit(amount)
            account.lock.release()
    """
    good = """
        async def transfer(account, amount):
            async with account.lock:
                await account.debit(amount)
    """
    fix_kind = FixKind.SAFE
    tokens = ("acquire",)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            not (isinstance(func, cst.Attribute) and func.attr.value == "acquire")
            or not self.model.in_coroutine
        ):
            return
        lock = func.value
        if self.model.type_of(lock) not in ASYNC_LOCKS:
            return
        function = enclosing_function_node(self.model)
        if function is None:
            return
        releases = [
            call
            for call, receiver in method_calls(function, frozenset({"release"}))
            if same_object(self.model, lock, receiver)
        ]
        if not releases:
            return  # handed over: released by another method or a callback
        if any(self._releases(try_node, lock) for try_node in enclosing_tries(self.model)):
            return
        statement, block, place = statement_of(self.model)
        if statement is None:
            return
        for following in following_statements(self.model, statement):
            if is_plain(following) or self._releases_and_leaves(following, lock):
                continue
            if isinstance(following, cst.Try) and self._releases(following, lock):
                return
            if any(_is_statement_of(following, release) for release in releases):
                return  # released at once: nothing in between can fail
            break
        text = shown(lock)
        message = (
            f"{text} is acquired with 'await {text}.acquire()' but not released if the code before "
            f"{text}.release() raises, returns or is cancelled; use 'async with {text}:'"
        )
        self.report(node, message, fix=self._fix(node, statement, block, place, releases))

    def _releases_and_leaves(self, statement: cst.CSTNode, lock: cst.BaseExpression) -> bool:
        """``if <plain test>: ...; lock.release(); raise/return/continue/break`` (no else): the early
        exit releases the lock itself, and the test cannot fail."""
        if (
            not isinstance(statement, cst.If)
            or statement.orelse is not None
            or not is_plain(statement.test)
        ):
            return False
        body = list(walk(statement.body))
        releases = any(
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value == "release"
            and same_object(self.model, lock, n.func.value)
            for n in body
        )
        return releases and any(
            isinstance(n, (cst.Raise, cst.Return, cst.Continue, cst.Break)) for n in body
        )

    def _releases(self, try_node: cst.Try, lock: cst.BaseExpression) -> bool:
        places: List[cst.CSTNode] = list(try_node.handlers)
        if try_node.finalbody is not None:
            places.append(try_node.finalbody)
        return any(
            same_object(self.model, lock, receiver)
            for place in places
            for _, receiver in method_calls(place, frozenset({"release"}))
        )

    def _fix(
        self, call: cst.Call, statement, block, place: int, releases: List[cst.Call]
    ) -> Optional[Fix]:
        if (
            len(releases) != 1
            or not isinstance(block, cst.IndentedBlock)
            or not _is_statement_of(statement, call)
        ):
            return None
        if not (
            isinstance(statement.body[0].value, cst.Await)
            and statement.body[0].value.expression is call
        ):
            return None
        statements = list(block.body)
        for end in range(place + 1, len(statements)):
            if _is_statement_of(statements[end], releases[0]):
                break
        else:
            return None
        between = statements[place + 1 : end]
        lock = call.func.value  # type: ignore[attr-defined]
        if any(
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value == "acquire"
            and same_object(self.model, lock, n.func.value)
            for s in between
            for n in walk(s)
        ):
            return None
        body = between or [cst.SimpleStatementLine([cst.Pass()])]
        guarded = cst.With(
            items=[cst.WithItem(item=lock)],
            body=cst.IndentedBlock(body=body),
            asynchronous=cst.Asynchronous(),
            leading_lines=statement.leading_lines,
        )
        replacement = block.with_changes(
            body=[*statements[:place], guarded, *statements[end + 1 :]]
        )
        return Fix(block, replacement, f"Use 'async with {shown(lock)}:'", FixKind.SAFE)


def _is_statement_of(statement: cst.CSTNode, call: cst.Call) -> bool:
    """``statement`` is exactly the expression statement ``call`` or ``await call``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    small = statement.body[0]
    if not isinstance(small, cst.Expr):
        return False
    value = small.value
    if isinstance(value, cst.Await):
        value = value.expression
    return value is call


_LOCK_USES = frozenset({"acquire", "release", "locked", "acquire_nowait"})


class LockCreatedPerUse(Rule):
    code = "ASL502"
    name = "lock-created-per-use"
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
        async def refresh(self):
            async with asyncio.Lock():
                self.token = await self.fetch_token()
    """
    good = """
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
            if len(bindings) != 1 or bindings[0].kind != "assign" or scope.declares_global(name):
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
        async def transfer(self, other):
            async with self.accounts_lock:
                async with self.audit_lock:
                    ...

        async def report(self):
            async with self.audit_lock:
                async with self.accounts_lock:
                    ...
    """
    good = """
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
                for lock, acquisition in self._taken_by(function, taken_by, set()).items():
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
        from asynclint.engine import positions  # computed only for a file with a finding

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
                f"{other.second.text}{other_how} while holding {other.first.text}; two tasks (or threads) running both paths can deadlock",
            )

    def _taken_by(
        self,
        function: cst.FunctionDef,
        memo: Dict[cst.FunctionDef, Dict[str, _Acquisition]],
        visiting: Set[cst.FunctionDef],
    ) -> Dict[str, _Acquisition]:
        """Every lock ``function`` takes, directly or through calls of this file."""
        if function in memo:
            return memo[function]
        if function in visiting or len(visiting) > 8:
            return {}
        visiting.add(function)
        info = self._functions.get(function)
        taken: Dict[str, _Acquisition] = {}
        if info is not None:
            for acquisition in info.acquisitions:
                taken.setdefault(acquisition.lock, acquisition)
            for callee, _, _, _ in info.calls:
                for lock, acquisition in self._taken_by(callee, memo, visiting).items():
                    taken.setdefault(lock, acquisition)
        visiting.discard(function)
        memo[function] = taken
        return taken


class ConditionWithoutLock(Rule):
    code = "ASL504"
    name = "condition-without-lock"
    message = "Condition.wait()/notify() is called without holding the condition's lock"
    rationale = """
        A Condition's wait(), wait_for(), notify() and notify_all() must be called while holding
        its lock: `async with cond:` (asyncio, trio, anyio) or `with cond:` (threading). Otherwise
        they raise RuntimeError at run time, on the path that was probably never tested.

        Held means: inside `with`/`async with` on the condition (or on the lock it was built
        with, `Condition(lock)`) in the same function, or after an acquire() of it in that
        function. A helper that is called, within the file, only from places that hold the
        condition is not flagged either. The condition is recognised through its type.
    """
    bad = """
        async def publish(self, item):
            self.items.append(item)
            self.changed.notify_all()
    """
    good = """
        async def publish(self, item):
            async with self.changed:
                self.items.append(item)
                self.changed.notify_all()
    """
    tokens = ("Condition",)

    def visit_Module(self, node: cst.Module) -> None:
        self._candidates: List[
            Tuple[cst.Call, str, Optional[cst.FunctionDef], cst.BaseExpression, Set[str]]
        ] = []
        self._call_sites: Dict[str, List[Set[str]]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = (
            func.attr.value
            if isinstance(func, cst.Attribute)
            else func.value
            if isinstance(func, cst.Name)
            else None
        )
        if name is None:
            return
        held = held_with_items(self.model)
        held_texts = {text for _, item in held for text in (dotted_name(item),) if text}
        for (
            _,
            item,
        ) in held:  # a condition held is its lock held, and so every condition on that lock
            if self.model.type_of(item) in CONDITIONS:
                held_texts |= self._lock_names(item)
        self._call_sites.setdefault(name, []).append(held_texts)
        if name not in CONDITION_METHODS or not isinstance(func, cst.Attribute):
            return
        condition = func.value
        if self.model.type_of(condition) not in CONDITIONS:
            return
        accepted = self._lock_names(condition)
        if (
            any(same_object(self.model, condition, item) for _, item in held)
            or accepted & held_texts
        ):
            return
        function = enclosing_function_node(self.model)
        if function is not None and any(
            same_object(self.model, condition, receiver)
            for _, receiver in method_calls(function, frozenset({"acquire", "acquire_nowait"}))
        ):
            return
        self._candidates.append((node, name, function, condition, accepted))

    def leave_Module(self, node: cst.Module) -> None:
        for call, method, function, condition, accepted in self._candidates:
            if function is not None:
                sites = self._call_sites.get(function.name.value, [])
                if sites and all(site & accepted for site in sites):
                    continue  # a helper only ever called with the condition held
            text = shown(condition)
            self.report(
                call,
                f"{text}.{method}() without holding {text}: it raises RuntimeError; "
                f"call it inside 'async with {text}:' (or 'with' for a threading.Condition)",
            )

    def _lock_names(self, condition: cst.BaseExpression) -> Set[str]:
        """How code may spell holding this condition: itself, or the lock it was built on."""
        names = {dotted_name(condition) or ""}
        binding_values: List[cst.CSTNode] = []
        if isinstance(condition, cst.Attribute) and isinstance(condition.value, cst.Name):
            cls = self.model.self_class(condition.value)
            if cls is not None:
                binding_values = [
                    b.node
                    for b in cls.attribute_bindings(condition.attr.value)
                    if b.node is not None
                ]
        elif isinstance(condition, cst.Name):
            _, bindings = self.model.lookup(condition.value)
            binding_values = [b.node for b in bindings if b.node is not None]
        for value in binding_values:
            if isinstance(value, cst.Call) and value.args and value.args[0].keyword in (None,):
                lock = dotted_name(value.args[0].value)
                if lock:
                    names.add(lock)
            elif isinstance(value, cst.Call):
                for arg in value.args:
                    if (
                        arg.keyword is not None
                        and arg.keyword.value == "lock"
                        and dotted_name(arg.value)
                    ):
                        names.add(dotted_name(arg.value) or "")
        names.discard("")
        return names
