"""ASL500 thread-lock-in-coroutine."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.model import Scope, ScopeKind
from asynclint.syntax import (
    decorator_names,
    following_statements,
    method_calls,
    shown,
    statement_of,
    walk,
)

from ..primitives import SYNC_CONTEXT_MANAGER_DECORATORS, THREAD_LOCKS, defining_class, same_object

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
        isinstance(n, (cst.Await, cst.With, cst.For)) and _is_async_node(n)
        for n in walk(node, into_scopes=False)
    )


def _is_async_node(node: cst.CSTNode) -> bool:
    if isinstance(node, cst.Await):
        return True
    return getattr(node, "asynchronous", None) is not None


class ThreadLockInCoroutine(Rule):
    code = "ASL500"
    name = "thread-lock-in-coroutine"
    summary = (
        "a `threading`/`multiprocessing` lock, semaphore or condition held across an `await` in a"
        " coroutine (directly, by `acquire()`, or through a `@contextmanager` helper of the "
        "file): the loop blocks or deadlocks"
    )
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
        import threading
        _lock = threading.Lock()

        async def update(key, value):
            with _lock:
                cache[key] = await fetch(value)
    """
    good = """
        import asyncio
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
        function = self.model.enclosing_def()
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
            f"{lock_type} in a coroutine: {what} across an await; another task (or a thread) "
            "waiting for it "
            f"then blocks the event loop, and the loop can deadlock; use {replacement}"
        )

    # -- @contextmanager helpers of this file --------------------------------------------------

    def _lock_taken_by_helper(self, call: cst.Call) -> Optional[Tuple[str, str]]:
        callee = self.model.callee(call)
        if callee is None or not isinstance(callee.node, cst.FunctionDef):
            return None
        helper = callee.node
        if helper.asynchronous is not None or not SYNC_CONTEXT_MANAGER_DECORATORS & set(
            decorator_names(helper)
        ):
            return None
        scope = self._helper_scope(call, helper)
        if scope is None:
            return None
        arguments = self._arguments(call, helper, scope)
        for child in walk(helper, into_scopes=False):
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
            return Scope(ScopeKind.FUNCTION, helper, owner.scope)
        if isinstance(func, cst.Name):
            return Scope(ScopeKind.FUNCTION, helper, self.model.module_scope)
        return None

    def _arguments(
        self, call: cst.Call, helper: cst.FunctionDef, scope: Scope
    ) -> Dict[str, cst.BaseExpression]:
        """The helper's parameters bound to the call's argument expressions."""
        params = [*helper.params.posonly_params, *helper.params.params]
        if scope.parent is not None and scope.parent.kind == ScopeKind.CLASS and params:
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
