"""ASL204 coroutine-function-as-sync-callback."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.knowledge import EVENT_LOOP
from asynclint.syntax import argument, dotted_name, shown_object

from ..catalogue import LIBRARY_COROUTINES

#: Functions that call a function argument synchronously, discarding what it returns:
#: qualified name -> (position of the callback, its keyword or None when positional only).
SYNC_CALLERS = {
    "asyncio.to_thread": (0, None),
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "signal.signal": (1, "handler"),
    "atexit.register": (0, None),
    "trio.to_thread.run_sync": (0, None),
    "trio.from_thread.run_sync": (0, None),
    "anyio.to_thread.run_sync": (0, None),
    "anyio.to_process.run_sync": (0, None),
    "anyio.from_thread.run_sync": (0, None),
    "concurrent.futures.ThreadPoolExecutor.submit": (0, None),
    "concurrent.futures.ProcessPoolExecutor.submit": (0, None),
}


#: Methods that do the same, matched by name on any receiver: these names belong to event loops
#: (call_soon...), futures and tasks (add_done_callback) and trio tokens (run_sync_soon).
SYNC_CALLING_METHODS = {
    "call_soon": (0, None),
    "call_soon_threadsafe": (0, None),
    "call_later": (1, None),
    "call_at": (1, None),
    "run_in_executor": (1, None),
    "add_done_callback": (0, None),
    "add_signal_handler": (1, None),
    "add_reader": (1, None),
    "add_writer": (1, None),
    "run_sync_soon": (0, None),
}


#: Receivers of SYNC_CALLING_METHODS, when the receiver's type is known.
LOOPS_AND_FUTURES = frozenset(
    {
        EVENT_LOOP,
        "asyncio.Future",
        "asyncio.Task",
        "concurrent.futures.Future",
        "trio.lowlevel.TrioToken",
    }
)


#: Wrappers whose first argument is the function that ends up being called.
PARTIALS = frozenset({"functools.partial"})


class CoroutineFunctionAsSyncCallback(Rule):
    code = "ASL204"
    name = "coroutine-function-as-sync-callback"
    summary = (
        "an async function passed to an API that calls it plainly (`call_soon`, "
        "`run_in_executor`, `Thread(target=)`, `add_done_callback`, `signal`, `atexit`...), so "
        "its coroutine never runs"
    )
    message = (
        "a coroutine function is passed to an API that calls it synchronously: its "
        "coroutine never runs"
    )
    rationale = """
        loop.call_soon(), call_later(), call_at(), call_soon_threadsafe(), run_in_executor(),
        add_signal_handler(), add_reader()/add_writer(), add_done_callback(), asyncio.to_thread(),
        trio's and anyio's to_thread.run_sync(), threading.Thread(target=...), threading.Timer,
        executor.submit(), signal.signal() and atexit.register() call their callback like a plain
        function. Given an async function, that call only creates a coroutine object, which
        is then dropped: the body never runs (Python at most warns "coroutine ... was never
        awaited", often long after the fact).

        Recognised callbacks: async functions and methods of the same file (self. methods through
        the class and its bases), library coroutine functions, those wrapped in functools.partial,
        and lambdas whose body just calls one of them.
    """
    not_flagged = """
        Sync functions, and lambdas that schedule the coroutine properly, such as
        lambda: asyncio.create_task(refresh()). The loop and future method names are matched on
        receivers of unknown type, but not on a class's own methods (self.call_later of a UI
        framework may well await what it is given) nor on receivers of another known type. To run a
        coroutine from a callback, schedule it with asyncio.create_task() (or
        asyncio.run_coroutine_threadsafe() from another thread); in a thread, run it with
        asyncio.run().
    """
    bad = """
        async def refresh():
            ...

        def start(loop):
            loop.call_later(60, refresh)
    """
    good = """
        import asyncio

        def start(loop):
            loop.call_later(60, lambda: asyncio.create_task(refresh()))
    """
    tokens = tuple(
        sorted(
            {
                *SYNC_CALLING_METHODS,
                "to_thread",
                "Thread",
                "Timer",
                "signal",
                "atexit",
                "run_sync",
                "submit",
            }
        )
    )

    def visit_Call(self, node: cst.Call) -> None:
        api = self._sync_caller(node)
        if api is None:
            return
        shown, (position, keyword) = api
        given = argument(node, position, keyword)
        if given is None:
            return
        value = given.value
        called = self._coroutine_function(value)
        if called is None:
            return
        if isinstance(value, cst.Lambda):
            message = (
                f"{shown}() calls this lambda synchronously: the coroutine of {called}() "
                "is created and never runs"
            )
        else:
            message = (
                f"{shown}() calls {called}() synchronously: the coroutine it creates never runs"
            )
        self.report(value, message)

    def _sync_caller(self, node: cst.Call) -> Optional[Tuple[str, Tuple[int, Optional[str]]]]:
        func = node.func
        qualname = self.model.qualified_name(func)
        if qualname in SYNC_CALLERS:
            return dotted_name(func) or qualname, SYNC_CALLERS[qualname]
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        receiver_type = self.model.type_of(func.value)
        if method in SYNC_CALLING_METHODS and self._may_be_loop_or_future(
            func.value, receiver_type
        ):
            return dotted_name(func) or method, SYNC_CALLING_METHODS[method]
        if receiver_type is not None and f"{receiver_type}.{method}" in SYNC_CALLERS:
            return dotted_name(func) or method, SYNC_CALLERS[f"{receiver_type}.{method}"]
        return None

    def _may_be_loop_or_future(
        self, receiver: cst.BaseExpression, receiver_type: Optional[str]
    ) -> bool:
        """Method names are matched on unknown receivers too, but not on a class's own methods
        (``self.call_later`` of a UI framework may await what it is given) nor on other known
        types."""
        if receiver_type is not None:
            return receiver_type in LOOPS_AND_FUTURES
        return not (isinstance(receiver, cst.Name) and self.model.self_class(receiver) is not None)

    def _coroutine_function(self, expression: cst.BaseExpression) -> Optional[str]:
        """The name of the coroutine function ``expression`` is (or a lambda just calls), else
        None."""
        if (
            isinstance(expression, cst.Call)
            and self.model.qualified_name(expression.func) in PARTIALS
        ):
            wrapped = argument(expression, 0)
            return self._coroutine_function(wrapped.value) if wrapped is not None else None
        if isinstance(expression, cst.Lambda):
            body = expression.body
            if not isinstance(body, cst.Call) or _names_parameter(expression, body.func):
                return None
            return self._coroutine_function(body.func)
        if not isinstance(expression, (cst.Name, cst.Attribute)):
            return None
        symbol = self.model.callee(
            cst.Call(func=expression)
        )  # what calling the reference would reach
        if symbol is not None:
            return shown_object(expression) if symbol.is_async else None
        qualname = self.model.qualified_name(expression)
        if qualname is not None and (
            qualname in LIBRARY_COROUTINES
            or qualname in self.model.configured_catalogue("coroutine-functions")
        ):
            return shown_object(expression)
        return None


def _names_parameter(function: cst.Lambda, func: cst.BaseExpression) -> bool:
    root = dotted_name(func)
    if root is None:
        return True
    root = root.split(".")[0]
    params = function.params
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return root in names
