"""ASL206 removed-asyncio-api."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.fixes import reference_expression
from asynclint.syntax import argument


@dataclass(frozen=True)
class Removal:
    """When an asyncio API goes (``removed``: the Python version without it; ``deprecated``:
    the version that warns) and what to use instead."""

    deprecated: str
    removed: str
    instead: str


_POLICIES = Removal("3.14", "3.16", "pass loop_factory to asyncio.run() or asyncio.Runner()")
_WATCHERS = Removal("3.12", "3.14", "drop it: asyncio watches child processes itself")

#: asyncio names that current Python no longer has, or deprecates for removal.
REMOVED: Dict[str, Removal] = {
    "asyncio.coroutine": Removal("3.8", "3.11", "write an async def"),
    "asyncio.iscoroutinefunction": Removal("3.14", "3.16", "use inspect.iscoroutinefunction()"),
    **dict.fromkeys(
        (
            "asyncio.AbstractEventLoopPolicy",
            "asyncio.DefaultEventLoopPolicy",
            "asyncio.WindowsSelectorEventLoopPolicy",
            "asyncio.WindowsProactorEventLoopPolicy",
            "asyncio.get_event_loop_policy",
            "asyncio.set_event_loop_policy",
        ),
        _POLICIES,
    ),
    **dict.fromkeys(
        (
            "asyncio.AbstractChildWatcher",
            "asyncio.SafeChildWatcher",
            "asyncio.FastChildWatcher",
            "asyncio.MultiLoopChildWatcher",
            "asyncio.ThreadedChildWatcher",
            "asyncio.PidfdChildWatcher",
            "asyncio.get_child_watcher",
            "asyncio.set_child_watcher",
        ),
        _WATCHERS,
    ),
}

#: The high-level API whose ``loop`` parameter was deprecated in 3.8 and removed in 3.10
#: (ensure_future, run_coroutine_threadsafe and Future keep theirs).
LOOP_PARAMETER_REMOVED = frozenset(
    {
        "asyncio.sleep",
        "asyncio.gather",
        "asyncio.shield",
        "asyncio.wait_for",
        "asyncio.wait",
        "asyncio.as_completed",
        "asyncio.open_connection",
        "asyncio.open_unix_connection",
        "asyncio.start_server",
        "asyncio.start_unix_server",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.Queue",
        "asyncio.LifoQueue",
        "asyncio.PriorityQueue",
        "asyncio.Lock",
        "asyncio.Event",
        "asyncio.Condition",
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
    }
)

#: Where a name is not a reference to what it names: definitions, imports, keywords, targets.
_NOT_REFERENCES = (
    cst.ImportAlias,
    cst.AsName,
    cst.Param,
    cst.FunctionDef,
    cst.ClassDef,
    cst.NameItem,
    cst.AssignTarget,
)


class RemovedAsyncioApi(Rule):
    code = "ASL206"
    name = "removed-asyncio-api"
    summary = (
        "an asyncio API that current Python removed (`@asyncio.coroutine`, child watchers, the "
        "`loop=` argument of `sleep`, `gather`, `Queue`, `Lock`...) or deprecates for removal "
        "(`asyncio.iscoroutinefunction`, event loop policies)"
    )
    fix_summary = "`inspect.iscoroutinefunction` for `asyncio.iscoroutinefunction`"
    message = "this asyncio API is removed or deprecated for removal"
    rationale = """
        Code that uses an API Python has removed fails on the version without it, with an
        AttributeError at import time or a TypeError at the call, often far from where the
        upgrade happened; an API deprecated for removal only warns, and warnings are easy to miss.
        Reported, with the version that removes each and what to use instead:

        - `@asyncio.coroutine` generator-based coroutines (removed in 3.11): write an async def;
        - the `loop=` argument of asyncio.sleep, gather, shield, wait_for, wait, as_completed,
          the stream and subprocess functions, queues, locks, events, conditions and semaphores
          (removed in 3.10): drop it, they use the running loop;
        - child watchers, asyncio.get_child_watcher()/set_child_watcher() and the watcher
          classes (removed in 3.14);
        - asyncio.iscoroutinefunction() (deprecated in 3.14, removed in 3.16):
          inspect.iscoroutinefunction();
        - event loop policies: asyncio.get_event_loop_policy()/set_event_loop_policy() and the
          policy classes (deprecated in 3.14, removed in 3.16): choose the loop with
          asyncio.run(main(), loop_factory=...) or asyncio.Runner(loop_factory=...).

        Every reference is reported, not only calls: a decorator, a base class, a function passed
        as a value.
    """
    not_flagged = """
        Code that runs only where the API still exists: in the body of `if sys.version_info <
        (3, 14):` (up to the version that removes it), after `sys.version_info < (3, 14) and`,
        in the else branch of `if sys.version_info >= (3, 14):`, or under `if hasattr(asyncio,
        "coroutine"):`; annotations Python never evaluates (a local variable's, or any under
        `from __future__ import annotations`). asyncio.ensure_future(),
        run_coroutine_threadsafe() and Future(), which still take a loop; another library's
        functions of the same names (trio, anyio, a method called coroutine); a parameter or
        local named asyncio.
    """
    fix_safety = """
        Only asyncio.iscoroutinefunction() has a fix, inspect.iscoroutinefunction(), and it is
        unsafe: asyncio's version also answers True for objects that carry the marker of the
        removed @asyncio.coroutine machinery (some older mocks and wrappers), inspect's does not.
    """
    bad = """
        import asyncio


        def is_async(handler):
            return asyncio.iscoroutinefunction(handler)


        async def pause(loop):
            await asyncio.sleep(1, loop=loop)
    """
    good = """
        import asyncio
        import inspect


        def is_async(handler):
            return inspect.iscoroutinefunction(handler)


        async def pause():
            await asyncio.sleep(1)
    """
    default = False
    fix_kind = FixKind.UNSAFE
    tokens = ("asyncio",)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._reference(node)

    def visit_Name(self, node: cst.Name) -> None:
        parent = self.model.parent
        if isinstance(parent, _NOT_REFERENCES) or (
            (isinstance(parent, cst.Attribute) and parent.attr is node)
            or (isinstance(parent, cst.Arg) and parent.keyword is node)
        ):
            return
        self._reference(node)

    def visit_Call(self, node: cst.Call) -> None:
        qualname = self.model.qualified_name(node.func)
        if qualname not in LOOP_PARAMETER_REMOVED:
            return
        loop = argument(node, keyword="loop")
        if loop is not None and not self._version_guarded("3.10", qualname):
            self.report(
                loop,
                f"the loop= argument of {qualname}(): deprecated in Python 3.8, removed in 3.10; "
                "drop it, the running loop is used",
            )

    def _reference(self, node: cst.BaseExpression) -> None:
        qualname = self.model.qualified_name(node)
        removal = REMOVED.get(qualname or "")
        if (
            removal is None
            or self._in_unevaluated_annotation()
            or self._version_guarded(removal.removed, qualname)
        ):
            return
        self.report(
            node,
            f"{qualname}: deprecated in Python {removal.deprecated}, removed in "
            f"{removal.removed}; {removal.instead}",
            fix=self._fix(node, qualname),
        )

    def _in_unevaluated_annotation(self) -> bool:
        """The current node is in an annotation Python never evaluates: a local variable's, or
        any under ``from __future__ import annotations``."""
        stack = self.model.stack
        for position in range(len(stack) - 1, 0, -1):
            if isinstance(stack[position], cst.Annotation):
                owner = stack[position - 1]
                if isinstance(owner, cst.AnnAssign) and self.model.enclosing_def() is not None:
                    return True
                bindings = self.model.module_scope.bindings().get("annotations", ())
                return any(b.qualname == "__future__.annotations" for b in bindings)
        return False

    def _version_guarded(self, removed: str, qualname: Optional[str]) -> bool:
        """The current node runs only on Pythons that still have the API: in the body of
        ``if sys.version_info < (3, 14):`` (or a conditional expression, or after ``and``), in
        the ``else`` of ``if sys.version_info >= (3, 14):``, or under ``hasattr(asyncio, ...)``."""
        limit = tuple(int(part) for part in removed.split("."))
        stack = self.model.stack
        for position in range(len(stack) - 1, 0, -1):
            child, parent = stack[position], stack[position - 1]
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and (
                child is parent.body
            ):
                break  # the body runs later; decorators, bases and defaults run here
            if isinstance(parent, (cst.If, cst.IfExp)):
                if child is parent.body and self._only_before(parent.test, limit, qualname):
                    return True
                if child is parent.orelse and self._only_from(parent.test, limit):
                    return True
            elif (
                isinstance(parent, cst.BooleanOperation)
                and isinstance(parent.operator, cst.And)
                and child is parent.right
                and self._only_before(parent.left, limit, qualname)
            ):
                return True
        return False

    def _only_before(
        self, test: cst.BaseExpression, limit: Tuple[int, ...], qualname: Optional[str]
    ) -> bool:
        """``test`` holds only before Python ``limit`` (or only where the API exists)."""
        if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
            return self._only_before(test.left, limit, qualname) or self._only_before(
                test.right, limit, qualname
            )
        if (
            isinstance(test, cst.Call)
            and self.model.qualified_name(test.func) == "builtins.hasattr"
            and len(test.args) == 2
            and isinstance(test.args[1].value, cst.SimpleString)
        ):
            attribute = test.args[1].value.evaluated_value
            return isinstance(attribute, str) and (qualname or "").endswith("." + attribute)
        version = self._version_test(test)
        return version is not None and version[0] in ("<", "<=") and version[1] <= limit

    def _only_from(self, test: cst.BaseExpression, limit: Tuple[int, ...]) -> bool:
        """``test`` holds from some Python up, which is ``limit`` or older."""
        version = self._version_test(test)
        return version is not None and version[0] in (">=", ">") and version[1] <= limit

    def _version_test(self, test: cst.BaseExpression) -> Optional[Tuple[str, Tuple[int, ...]]]:
        """``("<", (3, 14))`` for ``sys.version_info < (3, 14)`` (also ``[:2]``), else None."""
        if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
            return None
        left = test.left
        if isinstance(left, cst.Subscript):
            left = left.value
        if self.model.qualified_name(left) != "sys.version_info":
            return None
        target = test.comparisons[0]
        operators = {
            cst.LessThan: "<",
            cst.LessThanEqual: "<=",
            cst.GreaterThan: ">",
            cst.GreaterThanEqual: ">=",
        }
        operator = operators.get(type(target.operator))
        right = target.comparator
        if operator is None or not isinstance(right, cst.Tuple):
            return None
        parts = []
        for element in right.elements:
            if not isinstance(element.value, cst.Integer):
                return None
            parts.append(int(element.value.value))
        return operator, tuple(parts)

    def _fix(self, node: cst.BaseExpression, qualname: Optional[str]) -> Optional[Fix]:
        if qualname != "asyncio.iscoroutinefunction":
            return None
        replacement, imports = reference_expression(self.model, "inspect.iscoroutinefunction")
        return Fix(node, replacement, "Use inspect.iscoroutinefunction()", FixKind.UNSAFE, imports)
