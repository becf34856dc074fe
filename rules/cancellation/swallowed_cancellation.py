"""ASL7xx: cancellation and cleanup — swallowed cancellation, exits in finally, yields inside
cancel scopes, unshielded awaits in cleanup."""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.model import SemanticModel, dotted_name
from asynclint.tree import child_nodes, walk

# -- what the ASL7xx rules know, as data ----------------------------------------------------------

#: The exception each framework cancels a task with, by qualified name. Since Python 3.8
#: asyncio.CancelledError derives from BaseException and is not concurrent.futures.CancelledError
#: (which asyncio no longer raises), so the latter is deliberately absent.
CANCELLATION_CLASSES = {
    "asyncio.CancelledError": "asyncio",
    "asyncio.exceptions.CancelledError": "asyncio",
    "trio.Cancelled": "trio",
}
#: Calls that return the running backend's cancellation class (used as `except get_...():`).
CANCELLATION_CLASS_GETTERS = frozenset({"anyio.get_cancelled_exc_class"})
#: Classes that catch cancellation along with everything else.
BROAD_CLASSES = frozenset({"builtins.BaseException"})
#: How a fix names each framework's cancellation class.
CANCELLATION_SPELLING = {
    "asyncio": "asyncio.CancelledError",
    "trio": "trio.Cancelled",
    "anyio": "anyio.get_cancelled_exc_class()",
}
#: Context managers that suppress the exceptions they are given.
SUPPRESSORS = frozenset({"contextlib.suppress"})
#: Attributes whose use shows the code handles cancellation deliberately (Python 3.11+ API).
CANCEL_AWARE_ATTRIBUTES = frozenset({"uncancel", "cancelling"})
#: Calls that never return normally.
EXITS = frozenset({"sys.exit", "os._exit", "os.abort"})

#: Context managers that are cancel scopes: yielding inside one hands the scope to the consumer.
CANCEL_SCOPES = frozenset(
    {
        "asyncio.timeout",
        "asyncio.timeout_at",
        "asyncio.timeouts.timeout",
        "asyncio.timeouts.timeout_at",
        "asyncio.TaskGroup",
        "asyncio.taskgroups.TaskGroup",
        "async_timeout.timeout",
        "async_timeout.timeout_at",
        "trio.open_nursery",
        "trio.move_on_after",
        "trio.move_on_at",
        "trio.fail_after",
        "trio.fail_at",
        "trio.CancelScope",
        "anyio.create_task_group",
        "anyio.move_on_after",
        "anyio.fail_after",
        "anyio.CancelScope",
    }
)
#: Types of values that are such scopes (`async with group:` on a TaskGroup made earlier).
CANCEL_SCOPE_TYPES = frozenset({"asyncio.TaskGroup", "trio.Nursery", "anyio.abc.TaskGroup"})
#: Decorators of generators that implement a context manager or a fixture: their yield is the
#: body of the `with` block, run by the same task, so it may sit inside a scope.
#: trio.as_safe_channel runs the generator in a task of its own, which makes the scope safe.
CONTEXT_MANAGER_DECORATORS = frozenset(
    {"asynccontextmanager", "contextmanager", "fixture", "yield_fixture", "as_safe_channel"}
)

#: asyncio: a timeout bounds cleanup (asyncio delivers a cancellation once, so the await itself
#: is not cancelled again, but may hang).
ASYNCIO_TIMEOUT_SCOPES = frozenset(
    {
        "asyncio.timeout",
        "asyncio.timeout_at",
        "asyncio.timeouts.timeout",
        "asyncio.timeouts.timeout_at",
        "async_timeout.timeout",
        "async_timeout.timeout_at",
    }
)
ASYNCIO_BOUNDED_AWAITS = frozenset(
    {"asyncio.wait_for", "asyncio.shield", "asyncio.tasks.wait_for", "asyncio.tasks.shield"}
)
#: Awaits that are safe in cleanup: closing a resource is built to work when cancelled.
CLEANUP_SAFE_METHODS = frozenset({"aclose"})
CLEANUP_SAFE_FUNCTIONS = frozenset(
    {"aclose_forcefully", "cancel_shielded_checkpoint"}
)  # trio's and anyio's

_NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)
_LOOPS = (cst.For, cst.While)


# -- helpers ----------------------------------------------------------------------------------------


def _walk(node: cst.CSTNode, *, into_scopes: bool = False) -> Iterator[cst.CSTNode]:
    """Every node under ``node`` (itself included) in source order, not entering nested defs."""
    return walk(node, into_scopes=into_scopes)


def awaits_in(node: cst.CSTNode) -> bool:
    """The code awaits in this coroutine: await, async for, async with (not in nested defs)."""
    for child in _walk(node):
        if isinstance(child, cst.Await):
            return True
        if isinstance(child, (cst.For, cst.With)) and child.asynchronous is not None:
            return True
        if isinstance(child, cst.CompFor) and child.asynchronous is not None:
            return True
    return False


def _caught_types(handler: cst.ExceptHandler) -> List[cst.BaseExpression]:
    if handler.type is None:
        return []
    if isinstance(handler.type, cst.Tuple):
        return [element.value for element in handler.type.elements]
    return [handler.type]


def cancellation_caught(model: SemanticModel, handler) -> Optional[Tuple[str, bool]]:
    """What in ``handler``'s clause catches cancellation, and whether it catches only that:
    ``("asyncio.CancelledError", True)``, ``("BaseException", False)``, ``("bare except", False)``."""
    if handler.type is None:
        return "a bare except", False
    types = _caught_types(handler)
    for caught in types:
        name = cancellation_class(model, caught)
        if name is not None:
            broad = name == "BaseException"
            return name, len(types) == 1 and not broad
    return None


def cancellation_class(model: SemanticModel, expression: cst.BaseExpression) -> Optional[str]:
    """The name of the cancellation class (or BaseException) ``expression`` denotes, else None."""
    if isinstance(expression, cst.Call):
        getter = model.qualified_name(expression.func) or ""
        # anyio's own modules import it from where it is defined
        if not expression.args and (
            getter in CANCELLATION_CLASS_GETTERS
            or (getter.startswith("anyio.") and getter.endswith(".get_cancelled_exc_class"))
        ):
            return "anyio.get_cancelled_exc_class()"
        return None
    qualname = model.qualified_name(expression)
    if qualname in CANCELLATION_CLASSES:
        return qualname.replace(".exceptions", "")
    if qualname in BROAD_CLASSES:
        return "BaseException"
    return None


def _is_raise_like(
    small: cst.BaseSmallStatement, model: SemanticModel, reraised: Optional[str] = None
) -> bool:
    """A raise (with ``reraised``: only a bare ``raise`` or ``raise <reraised>``), or an exit."""
    if isinstance(small, cst.Raise):
        if reraised is None or small.exc is None:
            return True
        return isinstance(small.exc, cst.Name) and small.exc.value == reraised
    if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
        return model.qualified_name(small.value.func) in EXITS or _never_returns(model, small.value)
    return False


#: Return annotations of functions that never return normally.
NO_RETURN_ANNOTATIONS = frozenset(
    {
        "typing.NoReturn",
        "typing.Never",
        "typing_extensions.NoReturn",
        "typing_extensions.Never",
        "NoReturn",
        "Never",
    }
)


def _never_returns(model: SemanticModel, call: cst.Call) -> bool:
    """A function of this file that always raises (``-> NoReturn``, or every path raises), like
    ``self._convert_error(exc)`` helpers."""
    try:
        callee = model.callee(call)
    except Exception:  # the model answers about the current node's scope; be conservative
        return False
    function = callee.node if callee is not None else None
    if not isinstance(function, cst.FunctionDef):
        return False
    if function.returns is not None:
        annotation = function.returns.annotation
        if (dotted_name(annotation) or "") in NO_RETURN_ANNOTATIONS or model.qualified_name(
            annotation
        ) in NO_RETURN_ANNOTATIONS:
            return True
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    return (
        bool(body)
        and all(
            isinstance(s, cst.SimpleStatementLine) or isinstance(s, (cst.If, cst.Try, cst.With))
            for s in body
        )
        and _raises_without_calls(body)
    )


def _raises_without_calls(body: Sequence[cst.BaseStatement]) -> bool:
    """Every path of a helper's body raises; judged without following further calls."""

    class _Plain:
        def callee(self, call):  # pragma: no cover - never asked: calls are not followed here
            return None

        def qualified_name(self, node):
            return None

    return always_raises(body, _Plain())  # type: ignore[arg-type]


def _exits_quietly(node: cst.CSTNode) -> bool:
    """``node`` holds a return, or a break/continue that leaves it (not a loop's own)."""
    pending: List[Tuple[cst.CSTNode, bool]] = [(node, False)]
    while pending:
        current, in_loop = pending.pop()
        if isinstance(current, cst.Return):
            return True
        if isinstance(current, (cst.Break, cst.Continue)) and not in_loop:
            return True
        if current is not node and isinstance(current, _NESTED_SCOPES):
            continue
        inner_loop = in_loop or isinstance(current, _LOOPS)
        for child in child_nodes(current):
            if isinstance(current, _LOOPS) and child is getattr(current, "orelse", None):
                pending.append((child, in_loop))  # a loop's else runs after it: break there leaves
            else:
                pending.append((child, inner_loop))
    return False


def always_raises(
    statements: Sequence[cst.BaseStatement], model: SemanticModel, reraised: Optional[str] = None
) -> bool:
    """Every path through the block ends in a raise (or an exit), never in falling through,
    return, break or continue. With ``reraised``, only re-raising counts (see _is_raise_like)."""
    for statement in statements:
        if _statement_raises(statement, model, reraised):
            return True
        if _exits_quietly(statement):
            return False
    return False


def _body(node: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    body = getattr(node, "body", None)
    if isinstance(body, cst.IndentedBlock):
        return body.body
    if isinstance(body, cst.SimpleStatementSuite):
        return (cst.SimpleStatementLine(body=body.body),)
    return ()


def _statement_raises(
    statement: cst.CSTNode, model: SemanticModel, reraised: Optional[str] = None
) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        for small in statement.body:
            if (
                isinstance(small, cst.Raise)
                and reraised is not None
                and not _is_raise_like(small, model, reraised)
            ):
                return False
            if _is_raise_like(small, model, reraised):
                return True
            if isinstance(small, (cst.Return, cst.Break, cst.Continue)):
                return False
        return False
    if isinstance(statement, cst.If):
        if statement.orelse is None:
            return False
        other = statement.orelse
        other_raises = (
            _statement_raises(other, model, reraised)
            if isinstance(other, cst.If)
            else always_raises(_body(other), model, reraised)
        )
        return always_raises(_body(statement), model, reraised) and other_raises
    if isinstance(statement, (cst.Try, cst.TryStar)):
        if statement.finalbody is not None and always_raises(
            _body(statement.finalbody), model, reraised
        ):
            return True
        if not always_raises(_body(statement), model, reraised):
            return False
        return all(always_raises(_body(handler), model, reraised) for handler in statement.handlers)
    if isinstance(statement, cst.With):
        return always_raises(_body(statement), model, reraised)
    return False


_CANCELLED_CACHE: Dict[int, Tuple[cst.CSTNode, Set[str]]] = {}


def cancelled_receivers(function: cst.CSTNode) -> Set[str]:
    """Dotted names of what this function cancels: ``t`` for ``t.cancel()``, and ``tasks`` for
    ``for t in tasks: t.cancel()``."""
    cached = _CANCELLED_CACHE.get(id(function))
    if cached is not None and cached[0] is function:
        return cached[1]
    if len(_CANCELLED_CACHE) > 1024:
        _CANCELLED_CACHE.clear()
    cancelled = _cancelled_receivers(function)
    _CANCELLED_CACHE[id(function)] = (function, cancelled)
    return cancelled


def _cancelled_receivers(function: cst.CSTNode) -> Set[str]:
    cancelled: Set[str] = set()
    for node in _walk(function):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "cancel"
        ):
            receiver = dotted_name(node.func.value)
            if receiver is not None:
                cancelled.add(receiver)
    for node in _walk(function):
        if (
            isinstance(node, cst.For)
            and isinstance(node.target, cst.Name)
            and node.target.value in cancelled
        ):
            iterable = dotted_name(node.iter)
            if iterable is not None:
                cancelled.add(iterable)
    return cancelled


def _awaits_only_cancelled(body: cst.CSTNode, cancelled: Set[str]) -> bool:
    """Every await in ``body`` waits for something this function cancelled (``await task``,
    ``await asyncio.gather(*tasks)``): the CancelledError caught is that task's own."""
    found = False
    for node in _walk(body):
        if isinstance(node, (cst.For, cst.With)) and node.asynchronous is not None:
            return False
        if not isinstance(node, cst.Await):
            continue
        found = True
        mentioned = {
            dotted_name(n)
            for n in _walk(node.expression)
            if isinstance(n, (cst.Name, cst.Attribute))
        }
        if not mentioned & cancelled:
            return False
    return found


def _awaits_a_task_object(body: cst.CSTNode) -> bool:
    """The try body is one ``await <name or attribute>``: waiting for a task or future that already
    exists, whose own cancellation is what a handler there usually expects."""
    statements = getattr(body, "body", ())
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return False
    (small,) = statements[0].body if len(statements[0].body) == 1 else (None,)
    value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    return isinstance(value, cst.Await) and isinstance(value.expression, (cst.Name, cst.Attribute))


#: Methods that hand an exception on to someone who will raise or report it.
HANDING_ON_METHODS = frozenset(
    {"append", "add", "set_exception", "put_nowait", "send_nowait", "throw"}
)


def _hands_on(handler: cst.ExceptHandler) -> bool:
    """The handler keeps the exception it caught for later (``errors.append(exc)``,
    ``self._error = exc``, ``future.set_exception(exc)``): it is re-raised or reported elsewhere."""
    if handler.name is None or not isinstance(handler.name.name, cst.Name):
        return False
    bound = handler.name.name.value
    for node in _walk(handler.body):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in HANDING_ON_METHODS
        ):
            if any(
                isinstance(n, cst.Name) and n.value == bound
                for arg in node.args
                for n in _walk(arg.value)
            ):
                return True  # errors.append(exc), holder.append(Error(exc))
        if (
            isinstance(node, cst.Assign)
            and isinstance(node.value, cst.Name)
            and node.value.value == bound
        ):
            return True
    return False


def _no_value(value: Optional[cst.BaseExpression]) -> bool:
    return value is None or (isinstance(value, cst.Name) and value.value == "None")


def _mentions(node: cst.CSTNode, attributes: frozenset) -> bool:
    return any(
        isinstance(n, cst.Attribute) and n.attr.value in attributes
        for n in _walk(node, into_scopes=True)
    )


def _enclosing_function(model: SemanticModel) -> Optional[cst.FunctionDef]:
    function = model.enclosing_function()
    if function is None or not isinstance(function.node, cst.FunctionDef):
        return None
    return function.node


# -- ASL700 ---------------------------------------------------------------------------------------


class SwallowedCancellation(Rule):
    code = "ASL700"
    name = "swallowed-cancellation"
    message = "cancellation is caught and not re-raised, so the task cannot be cancelled"
    rationale = """
        Cancelling a task (a timeout expiring, a TaskGroup or nursery shutting down, Ctrl-C, a server
        stopping) raises asyncio.CancelledError, trio.Cancelled or anyio's cancellation class at
        the task's current await. A handler that catches it and carries on makes the task
        uncancellable: timeouts do nothing, shutdowns hang, a TaskGroup waits forever. Flagged in a
        coroutine, around code that awaits: `except CancelledError` (alone or in a tuple),
        `except trio.Cancelled`, `except anyio.get_cancelled_exc_class()`, `except BaseException`
        and a bare `except:` whose handler can finish without raising (falling through, return,
        break, continue), and `contextlib.suppress()` of those classes around an await.

        Raising another exception in place of the cancellation defeats it as well (a timeout or
        cancel scope never sees its own cancellation, a TaskGroup records a failure): flagged in a
        handler for the cancellation class alone, and in trio and anyio code in broad handlers too.
        In asyncio code a broad `except BaseException as e: raise Wrapped(...) from e` is a common
        way to translate every error at an API boundary and is left alone.

        Not flagged: handlers that re-raise on every path;
        handlers that use the Python 3.11+ `uncancel()`/`cancelling()` API, which decides
        deliberately; the standard pattern of cancelling *another* task and waiting for it
        (`task.cancel()` then `try: await task / except CancelledError: pass`, likewise with
        suppress or gather over the cancelled tasks); try blocks whose body does not await (the
        exception cannot come from there); and sync functions, where no cancellation is delivered
        (a peer that follows trio's rules flags those too; asynclint does not, because nothing in a
        sync function can be cancelled). `concurrent.futures.CancelledError` is not asyncio's
        cancellation since Python 3.8, so catching it is not flagged.
        Nor is a try whose body only awaits an existing task or future (`await self._task`): the
        CancelledError caught there is most often that task's own, cancelled by its owner.

        On by default for trio and anyio code, where a swallowed Cancelled always breaks the cancel
        scope that sent it. In asyncio code select it explicitly: on real asyncio projects about
        one finding in five is deliberate (a background task ending quietly at its top level, a
        CancelledError that comes from an awaited job's result rather than from this task).

        The unsafe fix adds `raise` at the end of a handler that catches only the cancellation
        class, and, for a bare except, BaseException or a tuple, inserts a handler before it that
        re-raises the framework's cancellation class (the cleanup in the broad handler then no
        longer runs on cancellation; move it to a finally block if it must).
    """
    bad = """
        async def consume(queue):
            while True:
                try:
                    item = await queue.get()
                except asyncio.CancelledError:
                    break
                await process(item)
    """
    good = """
        async def consume(queue):
            while True:
                try:
                    item = await queue.get()
                except asyncio.CancelledError:
                    log.info("consumer stopping")
                    raise
                await process(item)
    """
    fix_kind = FixKind.UNSAFE
    default_frameworks = frozenset({"trio", "anyio"})
    tokens = ("except", "suppress")

    def visit_Try(self, node: cst.Try) -> None:
        self._check_try(node)

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._check_try(node)

    def _check_try(self, node) -> None:
        if not self.model.in_coroutine or not awaits_in(node.body):
            return
        function = _enclosing_function(self.model)
        cancelled_tasks = (
            _awaits_only_cancelled(node.body, cancelled_receivers(function)) if function else False
        )
        cancelled_tasks = cancelled_tasks or _awaits_a_task_object(node.body)
        for position, handler in enumerate(node.handlers):
            caught = cancellation_caught(self.model, handler)
            if caught is None:
                continue
            name, only = caught
            if _mentions(handler, CANCEL_AWARE_ATTRIBUTES) or _hands_on(handler):
                continue
            if any(
                cancellation_caught(self.model, h) is not None
                and h.type is not None
                and always_raises(_body(h), self.model)
                for h in node.handlers[:position]
            ):
                continue  # an earlier handler already re-raises the cancellation
            if always_raises(_body(handler), self.model):
                # Raising another exception in place of the cancellation defeats it too: flagged
                # where the handler is for the cancellation class alone, and on trio and anyio,
                # whose cancel scopes then never see their Cancelled (see the rationale).
                strict = only or self.model.framework != "asyncio"
                bound = (
                    handler.name.name.value
                    if handler.name is not None and isinstance(handler.name.name, cst.Name)
                    else ""
                )
                if not strict or always_raises(_body(handler), self.model, bound):
                    continue
                if not cancelled_tasks:
                    self.report(
                        handler,
                        f"{'a bare except' if handler.type is None else 'except ' + name} around an "
                        "await raises another exception in place of the cancellation: "
                        "cancel scopes and timeouts no longer see it",
                    )
                continue
            if cancelled_tasks:
                continue
            if any(
                cancellation_caught(self.model, h) is not None
                and h.type is not None
                and always_raises(_body(h), self.model)
                for h in node.handlers[:position]
            ):
                continue  # an earlier handler already re-raises the cancellation
            fix = self._fix(node, handler, only)
            what = name if handler.type is None else f"except {name}"
            self.report(
                handler,
                f"{what} around an await can finish without re-raising the cancellation: "
                "the task becomes uncancellable",
                fix=fix,
            )

    def visit_With(self, node: cst.With) -> None:
        if not self.model.in_coroutine or not awaits_in(node.body):
            return
        for item in node.items:
            call = item.item
            if (
                not isinstance(call, cst.Call)
                or self.model.qualified_name(call.func) not in SUPPRESSORS
            ):
                continue
            names = [cancellation_class(self.model, arg.value) for arg in call.args]
            suppressed = next((n for n in names if n is not None), None)
            if suppressed is None:
                continue
            function = _enclosing_function(self.model)
            if function is not None and _awaits_only_cancelled(
                node.body, cancelled_receivers(function)
            ):
                continue
            self.report(
                call,
                f"suppress({suppressed}) around an await swallows cancellation: "
                "the task becomes uncancellable",
            )

    # -- the fix ----------------------------------------------------------------------------------

    def _fix(self, node, handler: cst.ExceptHandler, only: bool) -> Optional[Fix]:
        if isinstance(node, cst.TryStar):
            return None
        if only:
            body = handler.body
            if not isinstance(body, cst.IndentedBlock):
                return None
            statements = list(body.body)
            last = statements[-1]
            if _statement_raises(last, self.model):
                return None  # the handler ends in a raise already; an earlier path leaves it
            reraise = cst.SimpleStatementLine(body=[cst.Raise()])
            if (
                isinstance(last, cst.SimpleStatementLine)
                and len(last.body) == 1
                and isinstance(last.body[0], (cst.Pass, cst.Return, cst.Break, cst.Continue))
                and _no_value(getattr(last.body[0], "value", None))
            ):
                statements[-1] = last.with_changes(body=[cst.Raise()])
            else:
                statements.append(reraise)
            return Fix(
                handler,
                handler.with_changes(body=body.with_changes(body=statements)),
                "Re-raise the cancellation at the end of the handler",
                FixKind.UNSAFE,
            )
        framework = self.model.framework
        spelling = CANCELLATION_SPELLING[framework]
        module = spelling.split(".")[0]
        text, imports = self.model.reference(module)
        expression = cst.parse_expression(text + spelling[len(module) :])
        reraise = cst.ExceptHandler(
            body=cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Raise()])]),
            type=expression,
            leading_lines=(),
            whitespace_after_except=cst.SimpleWhitespace(" "),
        )
        handlers = list(node.handlers)
        index = handlers.index(handler)
        handlers.insert(index, reraise)
        return Fix(
            node,
            node.with_changes(handlers=handlers),
            f"Re-raise {spelling} in a handler of its own before the broad one",
            FixKind.UNSAFE,
            imports,
        )


# -- ASL701 ---------------------------------------------------------------------------------------


class ExitInFinally(Rule):
    code = "ASL701"
    name = "exit-in-finally"
    message = "return, break or continue in a finally block swallows cancellation and every other exception"
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
            if isinstance(current, _NESTED_SCOPES) or (
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
                    isinstance(current, _LOOPS) and child is not getattr(current, "orelse", None)
                )
                pending.append((child, inner))


# -- ASL702 ---------------------------------------------------------------------------------------


def _scope_name(model: SemanticModel, item: cst.BaseExpression) -> Optional[str]:
    if isinstance(item, cst.Call):
        qualname = model.qualified_name(item.func)
        if qualname in CANCEL_SCOPES:
            return qualname
        typed = model.type_of(item)
        return typed if typed in CANCEL_SCOPE_TYPES else None
    typed = model.type_of(item)
    return typed if typed in CANCEL_SCOPE_TYPES else None


class YieldInCancelScope(Rule):
    code = "ASL702"
    name = "yield-in-cancel-scope"
    message = "yield inside a cancel scope, timeout or task group of a generator"
    rationale = """
        A generator that yields inside `async with asyncio.timeout()`, a TaskGroup, a trio
        nursery or an anyio task group, or `with trio.move_on_after()` / `anyio.CancelScope()`,
        suspends with the scope still open, and the code that runs until the next iteration is
        the consumer's, not the generator's. A timeout then fires in the consumer's code (or
        cancels the wrong thing), a child task's error is raised into whatever the consumer is
        awaiting, and if the consumer stops iterating early the scope is exited in another
        context or by the garbage collector, which corrupts the scope stack (trio raises
        "cancel scope stack corrupted", asyncio may cancel an unrelated await).

        Open the scope in the consumer, or move the work into a task that sends items over a
        channel or queue. Not flagged: a generator that implements a context manager or a fixture
        (@asynccontextmanager, @contextmanager, @pytest.fixture), where the yield is the body of
        the caller's with block and runs in the same task; a plain `async with lock:` or other
        context manager (it is not a cancel scope).
    """
    bad = """
        async def ticks():
            async with asyncio.timeout(10):
                while True:
                    yield await next_tick()
    """
    good = """
        async def ticks():
            while True:
                yield await next_tick()

        async def consume():
            async with asyncio.timeout(10):
                async for tick in ticks():
                    handle(tick)
    """
    tokens = ("yield",)

    def visit_Yield(self, node: cst.Yield) -> None:
        scope = self.model.enclosing_function()
        if scope is None or not isinstance(scope.node, cst.FunctionDef):
            return
        function = scope.node
        if _implements_context_manager(function):
            return
        for ancestor in self.model.ancestors():
            if ancestor is function:
                return
            if isinstance(ancestor, (cst.Lambda, *_COMPREHENSION_SCOPES)):
                return
            if isinstance(ancestor, cst.With):
                for item in ancestor.items:
                    scope_name = _scope_name(self.model, item.item)
                    if scope_name is not None:
                        shown = (
                            scope_name.rsplit(".", 1)[-1]
                            if scope_name in CANCEL_SCOPE_TYPES
                            else scope_name
                        )
                        self.report(
                            node,
                            f"yield inside {shown}: the scope stays open while the consumer "
                            "runs, so its cancellation and errors land in the wrong code",
                        )
                        return


_COMPREHENSION_SCOPES = (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)


# -- ASL703 ---------------------------------------------------------------------------------------


class UnshieldedCleanupAwait(Rule):
    code = "ASL703"
    name = "unshielded-cleanup-await"
    message = "await in cleanup after cancellation without a shield or a timeout"
    rationale = """
        A finally block, or a handler that catches cancellation, runs while the task is being
        cancelled. In trio and anyio the cancel scope stays cancelled, so every await in the
        cleanup is cancelled at once: the cleanup (closing a connection politely, releasing a
        remote lock, writing a final record) never happens. Put it in a shielded scope with a
        deadline: `with trio.move_on_after(5, shield=True):` (anyio: `with
        anyio.move_on_after(5, shield=True):` or `CancelScope(shield=True)`).

        asyncio delivers a cancellation once, so the cleanup's await is not cancelled again unless
        someone cancels the task again (a second Ctrl-C, an outer timeout); but it can hang the
        shutdown forever. There a timeout (asyncio.timeout(), wait_for()) or asyncio.shield()
        is what is missing. That is why the rule is on by default for trio and anyio, and opt-in
        for asyncio files (select ASL703 explicitly).

        Not flagged: `await x.aclose()` (closing is built to work, forcefully, under
        cancellation), awaits in nested functions, and awaits inside a shielded scope (trio/anyio)
        or a timeout scope (asyncio). A timeout scope without shield does not protect cleanup in
        trio or anyio: the outer cancellation still applies inside it.
    """
    bad = """
        async def handle(stream):
            try:
                await serve(stream)
            finally:
                await stream.send_all(b"bye")
    """
    good = """
        async def handle(stream):
            try:
                await serve(stream)
            finally:
                with trio.move_on_after(5, shield=True):
                    await stream.send_all(b"bye")
    """
    frameworks = frozenset({"asyncio", "trio", "anyio"})
    default_frameworks = frozenset({"trio", "anyio"})
    tokens = ("finally", "except")

    def visit_Await(self, node: cst.Await) -> None:
        self._check(node, node.expression)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None:
            self._check(node, None)

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None and not self._protects(node, self.model.framework):
            self._check(node, None)

    def _check(self, node: cst.CSTNode, awaited: Optional[cst.BaseExpression]) -> None:
        if not self.model.in_coroutine:
            return
        if isinstance(awaited, cst.Call):
            func = awaited.func
            if isinstance(func, cst.Attribute) and func.attr.value in CLEANUP_SAFE_METHODS:
                return
            if (self.model.qualified_name(func) or "").rsplit(".", 1)[-1] in CLEANUP_SAFE_FUNCTIONS:
                return
            if (
                self.model.qualified_name(func) in ASYNCIO_BOUNDED_AWAITS
                and self.model.framework == "asyncio"
            ):
                return
        framework = self.model.framework
        child = node
        for ancestor in self.model.ancestors():
            if isinstance(ancestor, (*_NESTED_SCOPES, *_COMPREHENSION_SCOPES)):
                return
            if (
                isinstance(ancestor, cst.With)
                and child is not ancestor
                and self._protects(ancestor, framework)
            ):
                return
            if isinstance(ancestor, cst.Finally):
                self.report(node, "await in a finally block " + self._advice(framework))
                return
            if isinstance(
                ancestor, (cst.ExceptHandler, cst.ExceptStarHandler)
            ) and cancellation_caught(self.model, ancestor):
                self.report(
                    node, "await in a handler that catches cancellation " + self._advice(framework)
                )
                return
            child = ancestor

    def _protects(self, with_node: cst.With, framework: str) -> bool:
        for item in with_node.items:
            call = item.item
            if not isinstance(call, cst.Call):
                continue
            qualname = self.model.qualified_name(call.func)
            # Any scope opened with shield=True (trio's and anyio's, under whatever import path).
            shield = next(
                (
                    a.value
                    for a in call.args
                    if a.keyword is not None and a.keyword.value == "shield"
                ),
                None,
            )
            if shield is not None and not (
                isinstance(shield, cst.Name) and shield.value == "False"
            ):
                return True
            if framework == "asyncio" and qualname in ASYNCIO_TIMEOUT_SCOPES:
                return True
        return False

    @staticmethod
    def _advice(framework: str) -> str:
        if framework == "asyncio":
            return "can hang the shutdown; bound it with asyncio.timeout() or wait_for()"
        scope = "trio.move_on_after" if framework == "trio" else "anyio.move_on_after"
        return f"is cancelled at once; run it in `with {scope}(..., shield=True):`"


# -- ASL704 ---------------------------------------------------------------------------------------


class YieldInContextManager(Rule):
    code = "ASL704"
    name = "yield-in-async-generator-context"
    message = "yield inside a with block of an async generator: its cleanup may run late, elsewhere, or never"
    rationale = """
        An async generator that yields inside `with`/`async with` leaves the block open while the
        consumer runs. If the consumer stops iterating early (a break, an exception, a timeout), the
        block is exited only when the generator is closed: by `aclose()` if someone calls it, else
        by the garbage collector or the event loop's shutdown hook, at an unpredictable time, in
        another task, or not at all; and cleanup that needs to await cannot run from the garbage
        collector. A lock stays held, a connection stays checked out, a file stays open.

        Close the generator deterministically (`async with contextlib.aclosing(gen()) as items:`),
        or restructure so that the resource is opened by the consumer. Opt-in because many such
        generators are always consumed to the end. Cancel scopes, timeouts and task groups are
        ASL702's (always wrong, on by default); generators that implement a context manager or a
        fixture are not flagged.
    """
    bad = """
        async def rows(pool, query):
            async with pool.acquire() as connection:
                async for row in connection.cursor(query):
                    yield row
    """
    good = """
        async def rows(pool, query):
            async with pool.acquire() as connection:
                return await connection.fetch(query)
    """
    default = False
    tokens = ("yield",)

    def visit_Yield(self, node: cst.Yield) -> None:
        scope = self.model.enclosing_function()
        if scope is None or not scope.is_async or not isinstance(scope.node, cst.FunctionDef):
            return
        function = scope.node
        if _implements_context_manager(function):
            return
        for ancestor in self.model.ancestors():
            if ancestor is function or isinstance(ancestor, (cst.Lambda, *_COMPREHENSION_SCOPES)):
                return
            if isinstance(ancestor, cst.With):
                if any(_scope_name(self.model, item.item) is not None for item in ancestor.items):
                    return  # ASL702's
                self.report(node)
                return


def _implements_context_manager(function: cst.FunctionDef) -> bool:
    for decorator in function.decorators:
        expression = (
            decorator.decorator.func
            if isinstance(decorator.decorator, cst.Call)
            else decorator.decorator
        )
        name = dotted_name(expression)
        if name and name.rsplit(".", 1)[-1] in CONTEXT_MANAGER_DECORATORS:
            return True
    return False
