"""ASL801: waiting for another task by polling a flag in a sleep loop."""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from asynclint import Rule
from asynclint.model import BindingKind, ScopeKind
from asynclint.syntax import body_statements, shown, walk

from ..catalogue import ASYNC_SLEEPS
from ..primitives import ASYNC_EVENT, ASYNC_EVENTS, defining_class

#: Calls that do no work of their own: a loop that only logs and sleeps still only waits.
_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "log", "critical", "trace"}
)


class BusyWaitPolling(Rule):
    code = "ASL801"
    name = "busy-wait-polling"
    summary = (
        "`while not self.ready: await sleep(...)`: a loop that only sleeps until a flag set "
        "elsewhere in the file (or an `Event`'s `is_set()`) changes; await an `Event` instead"
    )
    message = "busy-wait: the loop polls a flag and sleeps instead of waiting for it"
    rationale = """
        `while not self.ready: await asyncio.sleep(0.1)` waits for another task by waking up
        again and again to look at a flag: it reacts late (up to one sleep after the flag is
        set), wakes the loop for nothing, and with sleep(0) spins a core. Have the task that
        sets the flag signal an Event (asyncio.Event, trio.Event, anyio.Event) and await its
        wait(); for a condition over shared state, use a Condition and wait_for().

        Flagged: a while loop in a coroutine whose body only sleeps (the framework's sleep; logging,
        pass and continue do no work), waiting on a flag this file's code sets: an attribute of
        self that the class (or a base in the file) assigns, an attribute of an object whose class
        the file defines, a global or nonlocal rebound by some function, or an Event's is_set()
        (await its wait() instead). The form
        `while True: if flag: break; await sleep(...)` is the same loop. Not flagged: loops that do
        any other work per iteration (periodic jobs, retries with backoff, polling an external
        service through a call), conditions on a local variable or on time, and sync code.
    """
    bad = """
        import asyncio


        class Client:
            def __init__(self):
                self.connected = False

            async def connect(self):
                await self._open()
                self.connected = True

            async def wait_until_connected(self):
                while not self.connected:
                    await asyncio.sleep(0.1)
    """
    good = """
        import asyncio


        class Client:
            def __init__(self):
                self.connected = asyncio.Event()

            async def connect(self):
                await self._open()
                self.connected.set()

            async def wait_until_connected(self):
                await self.connected.wait()
    """
    tokens = ("sleep",)

    def visit_While(self, node: cst.While) -> None:
        if not self.model.in_coroutine:
            return
        forever = isinstance(node.test, cst.Name) and node.test.value == "True"
        condition: Optional[cst.BaseExpression] = None if forever else node.test
        sleeps = 0
        for statement in body_statements(node):
            if self._is_sleep(statement):
                sleeps += 1
            elif _does_nothing(statement):
                continue
            elif (
                forever
                and condition is None
                and isinstance(statement, cst.If)
                and _breaks(statement)
            ):
                condition = statement.test
            else:
                return
        if not sleeps or condition is None:
            return
        event = self._polled_event(condition)
        if event is not None:
            self.report(
                node, f"busy-wait on {event}.is_set(): 'await {event}.wait()' instead of polling it"
            )
            return
        flag = self._flag(condition)
        if flag is not None:
            replacement = ASYNC_EVENT[self.model.framework]
            self.report(
                node,
                f"busy-wait: the loop polls {flag} and sleeps; let the code that sets it also "
                "set an "
                f"Event ({replacement}) and await its wait() instead",
            )

    def _is_sleep(self, statement: cst.CSTNode) -> bool:
        if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
            return False
        small = statement.body[0]
        return (
            isinstance(small, cst.Expr)
            and isinstance(small.value, cst.Await)
            and isinstance(small.value.expression, cst.Call)
            and self.model.qualified_name(small.value.expression.func) in ASYNC_SLEEPS
        )

    def _polled_event(self, condition: cst.BaseExpression) -> Optional[str]:
        """``ev`` in ``not ev.is_set()``, for an Event of known type."""
        if not (
            isinstance(condition, cst.UnaryOperation) and isinstance(condition.operator, cst.Not)
        ):
            return None
        call = condition.expression
        if (
            isinstance(call, cst.Call)
            and not call.args
            and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "is_set"
            and self.model.type_of(call.func.value) in ASYNC_EVENTS
        ):
            return shown(call.func.value)
        return None

    def _flag(self, condition: cst.BaseExpression) -> Optional[str]:
        """The shared flag the condition reads, when it reads only flags and constants."""
        flags: List[cst.BaseExpression] = []
        for node in _atoms(condition):
            if node is None:
                return None
            if _is_constant(node):
                continue
            if isinstance(node, cst.Attribute) and self._is_own_attribute(node):
                flags.append(node)
            elif isinstance(node, cst.Name) and self._is_shared_name(node):
                flags.append(node)
            elif (
                isinstance(node, (cst.Attribute, cst.Name))
                and self.model.qualified_name(node) is not None
            ):
                continue  # an enum member or module constant compared against
            else:
                return None
        return shown(flags[0]) if flags else None

    def _is_own_attribute(self, node: cst.Attribute) -> bool:
        """A flag this file's code sets: ``self.<attr>`` assigned by the class (or a base of this
        file), or an attribute of an object whose class is defined in this file."""
        if isinstance(node.value, cst.Name):
            cls = self.model.self_class(node.value)
            if cls is not None:
                return defining_class(cls, node.attr.value) is not None
        owner_type = self.model.type_of(node.value)
        symbol = self.model.symbol(owner_type) if owner_type else None
        return symbol is not None and symbol.kind == "class" and symbol.node is not None

    def _is_shared_name(self, node: cst.Name) -> bool:
        """A global that some function rebinds, or a local that a nested function rebinds."""
        owner, bindings = self.model.lookup(node.value)
        if owner is None or any(
            b.kind in (BindingKind.IMPORT, BindingKind.PARAM) for b in bindings
        ):
            return False
        declaration = cst.Global if owner.kind == ScopeKind.MODULE else cst.Nonlocal
        return any(
            isinstance(child, declaration) and any(n.name.value == node.value for n in child.names)
            for child in walk(owner.node, into_scopes=True)
        )


def _atoms(condition: cst.BaseExpression):
    """The operands of a condition built from not/and/or/comparisons; None for anything else."""
    pending = [condition]
    while pending:
        node = pending.pop()
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            pending.append(node.expression)
        elif isinstance(node, cst.BooleanOperation):
            pending.extend((node.right, node.left))
        elif isinstance(node, cst.Comparison):
            pending.extend(reversed([target.comparator for target in node.comparisons]))
            pending.append(node.left)
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Name)
            and node.func.value == "len"
            and len(node.args) == 1
        ):
            pending.append(node.args[0].value)
        elif isinstance(node, (cst.Name, cst.Attribute, cst.Integer, cst.Float, cst.SimpleString)):
            yield node
        else:
            yield None


def _is_constant(node: cst.CSTNode) -> bool:
    return isinstance(node, (cst.Integer, cst.Float, cst.SimpleString)) or (
        isinstance(node, cst.Name) and node.value in ("None", "True", "False")
    )


def _does_nothing(statement: cst.CSTNode) -> bool:
    """pass, continue, or a logging/print call."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, (cst.Pass, cst.Continue)):
            continue
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            func = small.value.func
            if isinstance(func, cst.Attribute) and func.attr.value in _LOG_METHODS:
                continue
            if isinstance(func, cst.Name) and func.value == "print":
                continue
        return False
    return True


def _breaks(statement: cst.If) -> bool:
    """``if <test>: break`` (possibly logging first), with no else."""
    if statement.orelse is not None:
        return False
    body = body_statements(statement) or (
        [cst.SimpleStatementLine(body=statement.body.body)]
        if isinstance(statement.body, cst.SimpleStatementSuite)
        else []
    )
    if not body:
        return False
    last = body[-1]
    ends_with_break = isinstance(last, cst.SimpleStatementLine) and isinstance(
        last.body[-1], cst.Break
    )
    return ends_with_break and all(_does_nothing(s) or s is last for s in body)
