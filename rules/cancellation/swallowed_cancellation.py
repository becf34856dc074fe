"""ASL700 swallowed-cancellation."""

from __future__ import annotations

from typing import List, Optional, Sequence, Set, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.model import SemanticModel
from asynclint.syntax import LOOPS, NESTED_SCOPES, child_nodes, dotted_name, walk

from .catalogue import (
    CANCEL_AWARE_ATTRIBUTES,
    CANCELLATION_SPELLING,
    EXITS,
    HANDING_ON_METHODS,
    NO_RETURN_ANNOTATIONS,
    SUPPRESSORS,
)
from .handlers import cancellation_caught, cancellation_class, cancelled_receivers


def awaits_in(node: cst.CSTNode) -> bool:
    """The code awaits in this coroutine: await, async for, async with (not in nested defs)."""
    for child in walk(node, into_scopes=False):
        if isinstance(child, cst.Await):
            return True
        if isinstance(child, (cst.For, cst.With)) and child.asynchronous is not None:
            return True
        if isinstance(child, cst.CompFor) and child.asynchronous is not None:
            return True
    return False


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
        if current is not node and isinstance(current, NESTED_SCOPES):
            continue
        inner_loop = in_loop or isinstance(current, LOOPS)
        for child in child_nodes(current):
            if isinstance(current, LOOPS) and child is getattr(current, "orelse", None):
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


def _awaits_only_cancelled(body: cst.CSTNode, cancelled: Set[str]) -> bool:
    """Every await in ``body`` waits for something this function cancelled (``await task``,
    ``await asyncio.gather(*tasks)``): the CancelledError caught is that task's own."""
    found = False
    for node in walk(body, into_scopes=False):
        if isinstance(node, (cst.For, cst.With)) and node.asynchronous is not None:
            return False
        if not isinstance(node, cst.Await):
            continue
        found = True
        mentioned = {
            dotted_name(n)
            for n in walk(node.expression, into_scopes=False)
            if isinstance(n, (cst.Name, cst.Attribute))
        }
        if not mentioned & cancelled:
            return False
    return found


def _awaits_a_task_object(body: cst.CSTNode) -> bool:
    """The try body is one ``await <name or attribute>``: waiting for a task or future that already
    exists, whose own cancellation is what a handler there usually expects."""
    statements: Sequence[cst.CSTNode] = getattr(body, "body", ())
    if len(statements) != 1 or not isinstance(statements[0], cst.SimpleStatementLine):
        return False
    small = statements[0].body[0] if len(statements[0].body) == 1 else None
    value = small.value if isinstance(small, (cst.Expr, cst.Assign)) else None
    return isinstance(value, cst.Await) and isinstance(value.expression, (cst.Name, cst.Attribute))


def _hands_on(handler: cst.ExceptHandler) -> bool:
    """The handler keeps the exception it caught for later (``errors.append(exc)``,
    ``self._error = exc``, ``future.set_exception(exc)``): it is re-raised or reported elsewhere."""
    if handler.name is None or not isinstance(handler.name.name, cst.Name):
        return False
    bound = handler.name.name.value
    for node in walk(handler.body, into_scopes=False):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in HANDING_ON_METHODS
        ):
            if any(
                isinstance(n, cst.Name) and n.value == bound
                for arg in node.args
                for n in walk(arg.value, into_scopes=False)
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
        for n in walk(node, into_scopes=True)
    )


class SwallowedCancellation(Rule):
    code = "ASL700"
    name = "swallowed-cancellation"
    summary = (
        "`CancelledError`/`trio.Cancelled`/anyio's cancellation class, `BaseException` or a bare "
        "`except` caught around an await by a handler that can finish without re-raising; "
        "`contextlib.suppress()` of those around an await; on by default for trio and anyio "
        "files, select it for asyncio"
    )
    fix_summary = "re-raise at the end of the handler, or a re-raising handler before a broad one"
    message = "cancellation is caught and not re-raised, so the task cannot be cancelled"
    rationale = """
        Cancelling a task (a timeout expiring, a TaskGroup or nursery shutting down, Ctrl-C, a
        server stopping) raises asyncio.CancelledError, trio.Cancelled or anyio's cancellation class
        at the task's current await. A handler that catches it and carries on makes the task
        uncancellable: timeouts do nothing, shutdowns hang, a TaskGroup waits forever. Flagged in a
        coroutine, around code that awaits: `except CancelledError` (alone or in a tuple), `except
        trio.Cancelled`, `except anyio.get_cancelled_exc_class()`, `except BaseException` and a bare
        `except:` whose handler can finish without raising (falling through, return, break,
        continue), and `contextlib.suppress()` of those classes around an await.

        Raising another exception in place of the cancellation defeats it as well (a timeout or
        cancel scope never sees its own cancellation, a TaskGroup records a failure): flagged in a
        handler for the cancellation class alone, and in trio and anyio code in broad handlers too.
        In asyncio code a broad `except BaseException as e: raise Wrapped(...) from e` is a common
        way to translate every error at an API boundary and is left alone.

        On by default for trio and anyio code, where a swallowed Cancelled always breaks the cancel
        scope that sent it. In asyncio code select it explicitly: on real asyncio projects about
        one finding in five is deliberate (a background task ending quietly at its top level, a
        CancelledError that comes from an awaited job's result rather than from this task).

        The unsafe fix adds `raise` at the end of a handler that catches only the cancellation
        class, and, for a bare except, BaseException or a tuple, inserts a handler before it that
        re-raises the framework's cancellation class (the cleanup in the broad handler then no
        longer runs on cancellation; move it to a finally block if it must).
    """
    not_flagged = """
        Handlers that re-raise on every path;
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
    """
    bad = """
        import asyncio

        async def consume(queue):
            while True:
                try:
                    item = await queue.get()
                except asyncio.CancelledError:
                    break
                await process(item)
    """
    good = """
        import asyncio

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
        function = self.model.enclosing_def()
        cancelled_tasks = (
            _awaits_only_cancelled(node.body, cancelled_receivers(self.model, function))
            if function
            else False
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
                        f"{'a bare except' if handler.type is None else 'except ' + name} "
                        "around an "
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
            function = self.model.enclosing_def()
            if function is not None and _awaits_only_cancelled(
                node.body, cancelled_receivers(self.model, function)
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
        reraising = cst.ExceptHandler(
            body=cst.IndentedBlock(body=[cst.SimpleStatementLine(body=[cst.Raise()])]),
            type=expression,
            leading_lines=(),
            whitespace_after_except=cst.SimpleWhitespace(" "),
        )
        handlers = list(node.handlers)
        index = handlers.index(handler)
        handlers.insert(index, reraising)
        return Fix(
            node,
            node.with_changes(handlers=handlers),
            f"Re-raise {spelling} in a handler of its own before the broad one",
            FixKind.UNSAFE,
            imports,
        )
