"""ASL4xx: tasks that are lost, unobserved or unbounded (and ASL800, sequential awaits in a loop)."""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Set, Tuple, Union

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.knowledge import EVENT_LOOP
from asynclint.fixer import is_header
from asynclint.model import Binding, Scope, SemanticModel, decorator_name, dotted_name

from ..cancellation.swallowed_cancellation import cancelled_receivers
from ..catalogue import LIBRARY_COROUTINES, LOOP_TASK_SPAWNERS, TASK_SPAWNERS
from asynclint.tree import walk

# -- what the ASL4xx rules know, as data ----------------------------------------------------------

#: asyncio.gather under its spellings.
GATHERS = frozenset({"asyncio.gather", "asyncio.tasks.gather"})
#: asyncio.wait under its spellings (it refuses bare coroutines since Python 3.11).
WAITS = frozenset({"asyncio.wait", "asyncio.tasks.wait"})
#: The types of values that are tasks or futures: awaiting or cancelling one observes it.
TASK_TYPES = frozenset({"asyncio.Task"})
#: Types that own the tasks they start, and the methods that start them.
TASK_OWNER_TYPES = frozenset({"asyncio.TaskGroup", "trio.Nursery", "anyio.abc.TaskGroup"})
TASK_OWNER_SPAWN_METHODS = frozenset({"create_task", "start_soon"})
#: Types and classes that bound concurrency: a function using one is not an unbounded fan-out.
LIMITERS = frozenset(
    {
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
        "asyncio.locks.Semaphore",
        "asyncio.locks.BoundedSemaphore",
        "trio.Semaphore",
        "trio.CapacityLimiter",
        "anyio.Semaphore",
        "anyio.CapacityLimiter",
        "anyio.to_thread.current_default_thread_limiter",
        "aiometer.run_all",
        "aiometer.amap",
        "aiometer.run_on_each",
    }
)
#: Words that name a limiter in code whose type is not known (`self._sem`, `limiter`, `rate_limit`).
LIMITER_WORDS = ("semaphore", "sem", "limit", "throttle", "bounded", "concurrency")
#: Methods of a task that neither await, cancel nor keep it.
TASK_METHODS_THAT_DO_NOT_KEEP = frozenset({"add_done_callback", "set_name", "get_name", "get_coro"})
#: The module-level set that the ASL400 fix keeps running tasks in.
BACKGROUND_SET = "_background_tasks"
#: Collection methods that gather a loop's results (ASL800).
ACCUMULATORS = frozenset({"append", "add"})

_NESTED_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda)


# -- small helpers over syntax trees ----------------------------------------------------------------


_walk = walk


def _names(node: cst.CSTNode) -> Set[str]:
    return {n.value for n in _walk(node) if isinstance(n, cst.Name)}


def _function_scope(model: SemanticModel, function: cst.FunctionDef) -> Scope:
    return Scope("function", function, model.module_scope)


def spawner_name(
    model: SemanticModel, call: cst.Call, scope: Optional[Scope] = None, depth: int = 0
) -> Optional[str]:
    """What a call that returns a new task no one else holds is called, else None: create_task(),
    ensure_future(), loop.create_task(), or a function of this file that returns such a task."""
    func = call.func
    qualname = model.qualified_name(func, scope)
    if qualname in TASK_SPAWNERS:
        return qualname.rsplit(".", 1)[-1]
    if isinstance(func, cst.Attribute) and func.attr.value in LOOP_TASK_SPAWNERS:
        if model.type_of(func.value, scope) == EVENT_LOOP:
            return f"loop.{func.attr.value}"
    if depth > 3:
        return None
    definition = None
    if qualname is not None and not qualname.startswith(model.module_name + "."):
        return indexed_spawner(model.index, qualname)  # another file of the project
    if scope is None:
        callee = model.callee(call)
        definition = callee.node if callee is not None else None
    elif qualname is not None:
        symbol = model.symbol(qualname)
        definition = symbol.node if symbol is not None else None
    if isinstance(definition, cst.FunctionDef) and returns_unkept_task(
        model, definition, depth + 1
    ):
        return definition.name.value
    return None


def indexed_spawner(index, qualname: str, depth: int = 0) -> Optional[str]:
    """The name of a project function in another file that returns the task it starts without
    keeping it (``return asyncio.create_task(c)``, or a call of another such function), from
    the project index; None otherwise. Only the direct ``return <spawn>(...)`` form is known there."""
    if depth > 3 or not index.is_project(qualname):
        return None
    key = ("indexed-spawner", qualname)
    memo = index.memo
    if key not in memo:
        memo[key] = None  # a recursion guard until the answer is known
        symbol = index.lookup(qualname)
        for site in index.calls(qualname):
            if (
                site.returned
                and not site.awaited
                and (site.target in TASK_SPAWNERS or indexed_spawner(index, site.target, depth + 1))
            ):
                memo[key] = symbol.qualname.rsplit(".", 1)[-1] if symbol is not None else qualname
                break
    return memo[key]  # type: ignore[return-value]


_WRAPPER_CACHE: Dict[int, Tuple[cst.FunctionDef, bool]] = {}


def returns_unkept_task(model: SemanticModel, function: cst.FunctionDef, depth: int = 0) -> bool:
    """The function returns a task it started without keeping a reference to it anywhere:
    ``return asyncio.create_task(c)``, or ``task = ...; return task`` with no other use of ``task``."""
    cached = _WRAPPER_CACHE.get(id(function))
    if cached is not None and cached[0] is function:
        return cached[1]
    _WRAPPER_CACHE[id(function)] = (function, False)  # recursion guard
    if len(_WRAPPER_CACHE) > 4096:
        _WRAPPER_CACHE.clear()
    answer = False
    if all(decorator_name(d) in ("staticmethod", "classmethod") for d in function.decorators):
        scope = _function_scope(model, function)
        body = [n for n in _walk(function.body, into_scopes=False)]
        for node in body:
            if not isinstance(node, cst.Return) or node.value is None:
                continue
            value = node.value
            if isinstance(value, cst.Call) and spawner_name(model, value, scope, depth) is not None:
                answer = True
                break
            if isinstance(value, cst.Name) and _local_task_unkept(
                model, function, value.value, scope, depth
            ):
                answer = True
                break
    _WRAPPER_CACHE[id(function)] = (function, answer)
    return answer


def _local_task_unkept(
    model: SemanticModel, function: cst.FunctionDef, name: str, scope: Scope, depth: int
) -> bool:
    bindings = scope.bindings().get(name, [])
    if (
        len(bindings) != 1
        or bindings[0].kind != "assign"
        or not isinstance(bindings[0].node, cst.Call)
    ):
        return False
    if spawner_name(model, bindings[0].node, scope, depth) is None:
        return False
    uses = [n for n in _walk(function.body) if isinstance(n, cst.Name) and n.value == name]
    # the assignment target, the return, and nothing but callbacks besides
    return len(uses) - _harmless_uses(function.body, name) <= 2


def _harmless_uses(body: cst.CSTNode, name: str) -> int:
    count = 0
    for node in _walk(body):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == name
            and node.func.attr.value in TASK_METHODS_THAT_DO_NOT_KEEP
        ):
            count += 1
    return count


def _is_true(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "True"


def _keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


def _enclosing_function_node(model: SemanticModel) -> Optional[cst.FunctionDef]:
    function = model.enclosing_function()
    if function is None or not isinstance(function.node, cst.FunctionDef):
        return None
    return function.node


def _unused_local(model: SemanticModel, target: cst.BaseExpression) -> Optional[str]:
    """The name of a function-local ``target`` that is never read in the function, else None."""
    if not isinstance(target, cst.Name):
        return None
    function = _enclosing_function_node(model)
    scope = model.enclosing_function()
    if function is None or scope is None:
        return None
    owner, _ = model.lookup(target.value)
    if owner is not scope:
        return None  # global, nonlocal or a comprehension's
    uses = [n for n in _walk(function.body) if isinstance(n, cst.Name) and n.value == target.value]
    harmless = _harmless_uses(function.body, target.value)
    return target.value if len(uses) - harmless <= 1 else None


# -- ASL400 ---------------------------------------------------------------------------------------


class DanglingTask(Rule):
    code = "ASL400"
    name = "dangling-task"
    message = "task is created and dropped; it can be garbage-collected mid-flight and its errors are lost"
    rationale = """
        The event loop keeps only a weak reference to a task. A task whose creator drops the object
        returned by create_task() or ensure_future() can be garbage-collected before it finishes
        ("Task was destroyed but it is pending!"), and an exception it raises is never seen.

        Keep a reference until the task is done: await it, store it in a collection and remove it
        in a done callback, or start it in a TaskGroup (Python 3.11+), a trio nursery or an anyio
        task group, which own their tasks. TaskGroup.create_task and nursery.start_soon are not
        flagged.

        Functions of the same file that return a task they started without keeping it
        (`def spawn(c): return asyncio.create_task(c)`) count as spawners too: a caller that drops
        what spawn() returns is flagged. A wrapper that keeps the task itself (adds it to a set or
        a list, stores it on an attribute, starts it in a task group) is not, nor are its callers.
        An awaited result of an async wrapper that is dropped is flagged the same way.
        `await asyncio.create_task(c)` is not flagged: the await holds the task until it is done
        (some peers flag it; nothing is lost there).

        The unsafe fix applies the pattern the asyncio documentation recommends: the task goes into
        a module-level set `_background_tasks` (added once per module), and a done callback removes
        it again. It is unsafe because the task now lives until it finishes, which may keep objects
        alive longer than before.
    """
    bad = """
        async def on_message(message):
            asyncio.create_task(store(message))
    """
    good = """
        _background_tasks = set()

        async def on_message(message):
            task = asyncio.create_task(store(message))
            _background_tasks.add(task)
            task.add_done_callback(_background_tasks.discard)
    """
    fix_kind = FixKind.UNSAFE
    tokens = ("create_task", "ensure_future", "async")  # "async": wrappers in other files spawn too

    def visit_Call(self, node: cst.Call) -> None:
        usage = self.model.usage()
        dropped = node
        if usage is Usage.AWAITED:
            parent = self.model.parent
            if not isinstance(parent, cst.Await) or self.model.usage(parent) is not Usage.DISCARDED:
                return
            dropped = parent
        elif usage is not Usage.DISCARDED:
            return
        spawner = spawner_name(self.model, node)
        if spawner is None:
            return
        if dropped is not node:
            callee = self.model.callee(node)
            if callee is None or not callee.is_async:
                return  # awaiting a task returned by a sync call awaits the task itself
        elif self._async_wrapper(node):
            return  # a dropped coroutine: ASL200's finding
        self.report(
            node,
            f"task returned by {spawner}() is dropped; keep a reference until it is done",
            fix=self._keep_reference_fix(dropped),
        )

    def _async_wrapper(self, node: cst.Call) -> bool:
        callee = self.model.callee(node)
        return callee is not None and callee.is_async

    # -- the fix ----------------------------------------------------------------------------------

    def _keep_reference_fix(self, dropped: cst.BaseExpression) -> Optional[Fix]:
        stack = self.model.stack
        position = len(stack) - 1
        while stack[position] is not dropped:
            position -= 1
        expression, line = stack[position - 1], stack[position - 2]
        if not isinstance(expression, cst.Expr):
            return None
        state = _background_set_state(self.model.module)
        if state == "conflict":
            return None
        name = self._free_name()
        assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=dropped)
        add = cst.parse_statement(f"{BACKGROUND_SET}.add({name})").body[0]  # type: ignore[attr-defined]
        callback = cst.parse_statement(f"{name}.add_done_callback({BACKGROUND_SET}.discard)").body[
            0
        ]  # type: ignore[attr-defined]
        target: cst.CSTNode
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            target = line
            replacement: Sequence[cst.CSTNode] = (
                line.with_changes(body=[assign]),
                cst.SimpleStatementLine(body=[add]),
                cst.SimpleStatementLine(body=[callback]),
            )
        else:
            target = expression
            replacement = (assign, add, callback)
        message = f"Keep a reference in the module-level set {BACKGROUND_SET}"
        if state == "present":
            return Fix(target, cst.FlattenSentinel(replacement), message, FixKind.UNSAFE)  # type: ignore[arg-type]
        # The set does not exist yet: the fix rewrites the module, defining the set after its
        # imports, so that one fix is one complete change (and a second fix, which must not add
        # the set again, waits for the next pass: both replace the module).
        module = self.model.module
        rewritten = module.visit(_Replace(target, replacement))
        body = list(rewritten.body)
        position = 0
        while position < len(body) and is_header(body[position], position):
            position += 1
        definition = cst.parse_statement(f"{BACKGROUND_SET} = set()\n")
        if position < len(body):
            following = body[position]
            leading = list(getattr(following, "leading_lines", ()))
            blank = 0
            while blank < len(leading) and leading[blank].comment is None:
                blank += 1
            definition = definition.with_changes(leading_lines=leading[:blank] or [cst.EmptyLine()])
            separation = (
                [cst.EmptyLine(), cst.EmptyLine()]
                if isinstance(following, (cst.FunctionDef, cst.ClassDef))
                else [cst.EmptyLine()]
            )
            body[position] = following.with_changes(leading_lines=[*separation, *leading[blank:]])
        body.insert(position, definition)
        return Fix(module, rewritten.with_changes(body=body), message, FixKind.UNSAFE)

    def _free_name(self) -> str:
        function = _enclosing_function_node(self.model)
        where: cst.CSTNode = function.body if function is not None else self.model.module
        for candidate in ("task", *(f"task_{n}" for n in range(1, 100))):
            uses = sum(1 for n in _walk(where) if isinstance(n, cst.Name) and n.value == candidate)
            if function is None and uses == 0 and self.model.lookup(candidate)[0] is None:
                return candidate
            if function is not None and uses == 3 * _pattern_count(where, candidate):
                owner, _ = self.model.lookup(candidate)
                if uses or owner is None or owner.kind == "module":
                    return candidate
        return "task_"


def _pattern_count(where: cst.CSTNode, name: str) -> int:
    """How many times ``where`` keeps a task named ``name`` the way the ASL400 fix does."""
    count = 0
    for node in _walk(where):
        if (
            isinstance(node, cst.Call)
            and dotted_name(node.func) == f"{BACKGROUND_SET}.add"
            and len(node.args) == 1
            and isinstance(node.args[0].value, cst.Name)
            and node.args[0].value.value == name
        ):
            count += 1
    return count


class _Replace(cst.CSTTransformer):
    def __init__(self, target: cst.CSTNode, replacement: Sequence[cst.CSTNode]) -> None:
        super().__init__()
        self.target = target
        self.replacement = replacement

    def on_leave(self, original, updated):  # type: ignore[override]
        if original is self.target:
            return cst.FlattenSentinel(self.replacement)
        return updated


def _background_set_state(module: cst.Module) -> str:
    """present: the module binds the set as ``set()``; absent: not at all; conflict: otherwise."""
    found = "absent"
    for node in _walk(module):
        if isinstance(node, cst.Name) and node.value == BACKGROUND_SET:
            found = "conflict"
            break
    if found == "absent":
        return found
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, (cst.Assign, cst.AnnAssign))
                    and _targets_name(small, BACKGROUND_SET)
                    and isinstance(small.value, cst.Call)
                    and dotted_name(small.value.func) == "set"
                    and not small.value.args
                ):
                    return "present"
    return "conflict"


def _targets_name(statement: Union[cst.Assign, cst.AnnAssign], name: str) -> bool:
    targets = (
        [t.target for t in statement.targets]
        if isinstance(statement, cst.Assign)
        else [statement.target]
    )
    return any(isinstance(t, cst.Name) and t.value == name for t in targets)


# -- ASL401 ---------------------------------------------------------------------------------------


class UnobservedTask(Rule):
    code = "ASL401"
    name = "unobserved-task"
    message = (
        "task is bound to a local that is never awaited, cancelled, returned, stored or passed on"
    )
    rationale = """
        Binding a task to a local variable keeps it alive only until the function returns. If the
        variable is never used again, the task is as lost as one that was dropped: it can be
        garbage-collected mid-flight, nothing waits for it, nothing cancels it, and its exception is
        never seen. A done callback (`task.add_done_callback(...)`) does not keep it alive either.

        Any other use counts as observing the task: awaiting it, cancelling it, returning it,
        storing it in a collection or an attribute, passing it to a function. Module-level
        variables, `global` and `nonlocal` names are not flagged (they outlive the call).
    """
    bad = """
        async def handle(request):
            audit = asyncio.create_task(write_audit_log(request))
            return await render(request)
    """
    good = """
        async def handle(request):
            audit = asyncio.create_task(write_audit_log(request))
            response = await render(request)
            await audit
            return response
    """
    tokens = ("create_task", "ensure_future")

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1:
            self._check(node.targets[0].target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check(node.target, node.value)

    def _check(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if not isinstance(value, cst.Call) or not isinstance(target, cst.Name):
            return
        spawner = spawner_name(self.model, value)
        if spawner is None:
            return
        name = _unused_local(self.model, target)
        if name is None:
            return
        callee = self.model.callee(value)
        if callee is not None and callee.is_async:
            return  # an async wrapper's coroutine, not a task
        self.report(
            target,
            f"task from {spawner}() is bound to '{name}' and never used again; "
            "await it, cancel it or keep it somewhere that outlives the function",
        )


# -- ASL402 ---------------------------------------------------------------------------------------


class GatherExceptionsDropped(Rule):
    code = "ASL402"
    name = "gather-exceptions-dropped"
    message = (
        "gather(..., return_exceptions=True) result is dropped, so every exception is swallowed"
    )
    rationale = """
        With return_exceptions=True, asyncio.gather() does not raise: it returns each awaitable's
        exception in the result list, in place of its result. Dropping that list (awaiting gather
        as a statement, or binding it to a name that is never read) silently swallows every error
        of every awaitable, including bugs.

        Inspect the results (`for result in results: if isinstance(result, Exception): log...`), or
        let gather raise (drop return_exceptions) or use a TaskGroup. A gather with
        return_exceptions=False, or whose result is used, is not flagged, nor is a gather over
        tasks the function has just cancelled (waiting for them to finish).

        Opt-in: on real code most dropped results are deliberate best-effort shutdowns
        (`await gather(*(c.close() for c in conns), return_exceptions=True)`).
    """
    bad = """
        async def refresh_all(feeds):
            await asyncio.gather(*(refresh(f) for f in feeds), return_exceptions=True)
    """
    good = """
        async def refresh_all(feeds):
            results = await asyncio.gather(*(refresh(f) for f in feeds), return_exceptions=True)
            for feed, result in zip(feeds, results):
                if isinstance(result, Exception):
                    log.warning("refreshing %s failed", feed, exc_info=result)
    """
    default = False
    tokens = ("gather",)

    def visit_Call(self, node: cst.Call) -> None:
        flag = _keyword(node, "return_exceptions")
        if flag is None or not _is_true(flag):
            return
        if (
            self.model.qualified_name(node.func) not in GATHERS
            or self.model.usage() is not Usage.AWAITED
        ):
            return
        awaited = self.model.parent
        usage = self.model.usage(awaited)
        if self._waits_for_cancelled_tasks(node):
            return
        if usage is Usage.DISCARDED:
            self.report(node)
            return
        if usage is Usage.ASSIGNED:
            assignment = self.model.stack[-3]
            targets = (
                [t.target for t in assignment.targets]
                if isinstance(assignment, cst.Assign)
                else [getattr(assignment, "target", None)]
            )
            if len(targets) == 1 and targets[0] is not None:
                name = _unused_local(self.model, targets[0])
                if name is not None:
                    self.report(
                        node,
                        f"gather(..., return_exceptions=True) result '{name}' is never read, "
                        "so every exception is swallowed",
                    )

    def _waits_for_cancelled_tasks(self, node: cst.Call) -> bool:
        """``t.cancel()`` then ``await gather(t, ..., return_exceptions=True)``: the usual way to wait
        until cancelled tasks have finished, where the CancelledErrors are expected."""
        function = _enclosing_function_node(self.model)
        waited = [dotted_name(arg.value) for arg in node.args if arg.keyword is None]
        if function is None or not waited:
            return False
        return set(waited) <= cancelled_receivers(function)


# -- ASL403 ---------------------------------------------------------------------------------------

_COLLECTIONS = (cst.List, cst.Set, cst.Tuple)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)


class WaitOnCoroutines(Rule):
    code = "ASL403"
    name = "wait-on-coroutines"
    message = (
        "asyncio.wait() is given coroutines; it accepts only tasks and futures since Python 3.11"
    )
    rationale = """
        asyncio.wait() used to wrap bare coroutines in tasks itself; that was deprecated in Python
        3.8 and is a TypeError since 3.11. Worse, the sets of done and pending objects it returns
        hold the wrapping tasks, never the coroutines passed in, so `if coro in done` never matches.

        Wrap each coroutine in asyncio.create_task() before waiting. The fix does so where the
        argument is a list, set or tuple display or a comprehension, inside a coroutine (where a
        loop is running); an argument bound to such a collection in the same function is flagged
        without a fix. asyncio.as_completed() and gather() still accept coroutines and are not
        flagged.
    """
    bad = """
        async def first_reply(hosts):
            done, pending = await asyncio.wait([ping(h) for h in hosts], return_when=asyncio.FIRST_COMPLETED)
    """
    good = """
        async def first_reply(hosts):
            done, pending = await asyncio.wait(
                [asyncio.create_task(ping(h)) for h in hosts], return_when=asyncio.FIRST_COMPLETED
            )
    """
    fix_kind = FixKind.SAFE
    tokens = ("wait",)

    def visit_Call(self, node: cst.Call) -> None:
        if not node.args or self.model.qualified_name(node.func) not in WAITS:
            return
        first = node.args[0]
        if first.keyword is not None and first.keyword.value != "fs":
            return
        argument = first.value
        elements = self._coroutine_elements(argument)
        if elements:
            fix = self._wrap_fix(argument, elements) if self.model.in_coroutine else None
            self.report(argument, fix=fix)
            return
        if isinstance(argument, cst.Name):
            owner, bindings = self.model.lookup(argument.value)
            if (
                owner is not None
                and owner is self.model.enclosing_function()
                and len(bindings) == 1
            ):
                bound = bindings[0]
                if bound.kind == "assign" and isinstance(bound.node, cst.BaseExpression):
                    if self._coroutine_elements(bound.node):
                        self.report(
                            argument,
                            f"'{argument.value}' holds coroutines; asyncio.wait() accepts only "
                            "tasks and futures since Python 3.11",
                        )

    def _coroutine_elements(self, argument: cst.BaseExpression) -> List[cst.BaseExpression]:
        if isinstance(argument, _COLLECTIONS):
            candidates = [
                e.value for e in argument.elements if not isinstance(e, cst.StarredElement)
            ]
        elif isinstance(argument, _COMPREHENSIONS):
            candidates = [argument.elt]
        else:
            return []
        return [c for c in candidates if isinstance(c, cst.Call) and self._is_coroutine_call(c)]

    def _is_coroutine_call(self, call: cst.Call) -> bool:
        callee = self.model.callee(call)
        if callee is not None:
            return callee.is_async
        return self.model.qualified_name(call.func) in LIBRARY_COROUTINES

    def _wrap_fix(self, argument: cst.BaseExpression, elements: List[cst.BaseExpression]) -> Fix:
        text, imports = self.model.reference("asyncio.create_task")
        create_task = cst.parse_expression(text)
        wrapped = {id(e): cst.Call(func=create_task, args=[cst.Arg(e)]) for e in elements}

        class Wrap(cst.CSTTransformer):
            def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
                return wrapped.get(id(original), updated)

        return Fix(
            argument,
            argument.visit(Wrap()),
            "Wrap each coroutine in asyncio.create_task()",
            FixKind.SAFE,
            imports,
        )


# -- ASL404 ---------------------------------------------------------------------------------------


def _bounded_iterable(node: cst.BaseExpression) -> bool:
    """A literal collection or range() of a literal: its size is in the code."""
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return not any(isinstance(e, cst.StarredElement) for e in node.elements)
    if isinstance(node, cst.Call) and dotted_name(node.func) == "range":
        return all(isinstance(a.value, (cst.Integer, cst.UnaryOperation)) for a in node.args)
    return False


def _mentions_limiter(
    model: SemanticModel, node: cst.CSTNode, scope: Optional[Scope] = None
) -> bool:
    """The code refers to a semaphore, a capacity limiter, or something named like one."""
    for child in _walk(node):
        if isinstance(child, cst.Name):
            word = child.value
        elif isinstance(child, cst.Attribute):
            word = child.attr.value
            if model.qualified_name(child, scope) in LIMITERS:
                return True
        else:
            continue
        lowered = word.lower()
        if any(part in lowered for part in LIMITER_WORDS):
            return True
    return False


class UnboundedFanOut(Rule):
    code = "ASL404"
    name = "unbounded-fan-out"
    message = (
        "one task per item of an unbounded collection, with nothing bounding how many run at once"
    )
    rationale = """
        `gather(*(fetch(url) for url in urls))`, or `create_task()` / `start_soon()` in a loop over
        items, starts as many concurrent operations as there are items. With ten items that is fine;
        with ten thousand it opens ten thousand connections, exhausts file descriptors, trips rate
        limits and memory, and the remote side often fails them all.

        Bound the concurrency: an asyncio.Semaphore (trio/anyio CapacityLimiter) acquired around
        each operation, or a fixed pool of workers reading from a bounded queue. The rule is opt-in
        because the collection is often small by construction. It stays quiet over a literal
        collection or range(<number>), in a loop whose body awaits something else (that paces it)
        or leaves early, and in a function (or a spawned coroutine of the same file) that mentions
        a semaphore, a limiter or anything named like one.
    """
    bad = """
        async def fetch_all(urls):
            return await asyncio.gather(*(fetch(url) for url in urls))
    """
    good = """
        async def fetch_all(urls, limit=20):
            semaphore = asyncio.Semaphore(limit)

            async def bounded(url):
                async with semaphore:
                    return await fetch(url)

            return await asyncio.gather(*(bounded(url) for url in urls))
    """
    default = False
    tokens = ("gather", "create_task", "ensure_future", "start_soon")

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) in GATHERS:
            self._gather(node)
        elif self._spawns(node):
            self._spawn_in_loop(node)

    def _gather(self, node: cst.Call) -> None:
        for arg in node.args:
            if arg.star != "*" or not isinstance(arg.value, _COMPREHENSIONS):
                continue
            comprehension = arg.value
            if _bounded_iterable(comprehension.for_in.iter) or self._limited(comprehension.elt):
                continue
            self.report(
                node,
                "gather() starts one task per item of an unbounded collection at once; "
                "bound it with a Semaphore or a fixed pool of workers",
            )
            return

    def _spawns(self, node: cst.Call) -> bool:
        if spawner_name(self.model, node) is not None:
            return True
        func = node.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in TASK_OWNER_SPAWN_METHODS
            and self.model.type_of(func.value) in TASK_OWNER_TYPES
        )

    def _spawn_in_loop(self, node: cst.Call) -> None:
        loop = None
        for ancestor in self.model.ancestors():
            if isinstance(ancestor, (cst.For, cst.While)):
                loop = ancestor
                break
            if isinstance(ancestor, (*_NESTED_SCOPES, *_COMPREHENSIONS)):
                return
        if not isinstance(loop, cst.For) or _bounded_iterable(loop.iter):
            return
        if loop.asynchronous is None and any(
            isinstance(n, cst.Await) for n in _walk(loop.body, into_scopes=False)
        ):
            return  # an await in the loop paces it
        if any(isinstance(n, (cst.Break, cst.Return)) for n in _walk(loop.body, into_scopes=False)):
            return
        argument = node.args[0].value if node.args else None
        if self._limited(argument):
            return
        self.report(
            node,
            "a task per item of an unbounded loop, all running at once; "
            "bound them with a Semaphore or a fixed pool of workers",
        )

    def _limited(self, spawned: Optional[cst.BaseExpression]) -> bool:
        function = _enclosing_function_node(self.model)
        if function is not None and _mentions_limiter(self.model, function):
            return True
        if isinstance(spawned, cst.Call):
            callee = self.model.callee(spawned)
            if callee is not None and isinstance(callee.node, cst.FunctionDef):
                return _mentions_limiter(
                    self.model, callee.node, _function_scope(self.model, callee.node)
                )
        return False


# -- ASL405 ---------------------------------------------------------------------------------------


class CancelWithoutAwait(Rule):
    code = "ASL405"
    name = "cancel-without-await"
    message = "task is cancelled and never awaited afterwards; its cleanup may still be running"
    rationale = """
        task.cancel() only requests cancellation: the task receives CancelledError at its next
        await, runs its except and finally blocks, and finishes later. A coroutine that cancels a
        task and goes on (closes the connection the task uses, returns to a caller that tears down
        the loop) races with that cleanup, and an exception raised during the cleanup is never
        retrieved ("Task exception was never retrieved").

        After cancelling, await the task (suppressing its CancelledError), or gather/wait it. Only
        values known to be tasks are checked: locals and self attributes bound from create_task(),
        ensure_future() or loop.create_task() (None aside). Any later mention of the task in the
        same function counts as handling it (awaiting, gathering, returning, storing it); sync
        functions are not checked, since they cannot await.
    """
    bad = """
        async def stop(self):
            self._heartbeat.cancel()
            await self._connection.close()
    """
    good = """
        async def stop(self):
            self._heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat
            await self._connection.close()
    """
    tokens = ("cancel",)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "cancel" or node.args:
            return
        if not self.model.in_coroutine or self.model.usage() is not Usage.DISCARDED:
            return
        receiver = dotted_name(func.value)
        if receiver is None or receiver.count(".") > 1 or not self._is_task(func.value):
            return
        function = _enclosing_function_node(self.model)
        if function is not None and not self._mentioned_after(function, node, receiver):
            self.report(
                node,
                f"{receiver} is cancelled and never awaited afterwards; "
                "await it so that its cleanup finishes (and its errors surface)",
            )

    def _is_task(self, receiver: cst.BaseExpression) -> bool:
        if self.model.type_of(receiver) in TASK_TYPES:
            return True
        bindings: List[Binding] = []
        scope: Optional[Scope] = None
        if isinstance(receiver, cst.Name):
            scope, bindings = self.model.lookup(receiver.value)
            if scope is None or scope is self.model.module_scope:
                return False
        elif isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
            cls = self.model.self_class(receiver.value)
            if cls is None:
                return False
            bindings, scope = cls.attribute_bindings(receiver.attr.value), cls.scope
        spawned = False
        for binding in bindings:
            value = binding.node
            if binding.kind != "assign" or not isinstance(value, cst.BaseExpression):
                return False
            if isinstance(value, cst.Name) and value.value == "None":
                continue
            if not isinstance(value, cst.Call) or not self._spawns(value, scope):
                return False
            spawned = True
        return spawned

    def _spawns(self, call: cst.Call, scope: Optional[Scope]) -> bool:
        lookup_scope = scope if scope is not None and scope.kind != "class" else None
        if self.model.qualified_name(call.func, lookup_scope) in TASK_SPAWNERS:
            return True
        func = call.func
        return isinstance(func, cst.Attribute) and func.attr.value in LOOP_TASK_SPAWNERS

    @staticmethod
    def _mentioned_after(function: cst.FunctionDef, cancel: cst.Call, receiver: str) -> bool:
        seen_cancel = False
        skip: Set[int] = set()
        for child in _walk(function.body):
            if child is cancel:
                seen_cancel = True
                skip.update(id(n) for n in _walk(cancel))
                continue
            if not seen_cancel or id(child) in skip:
                continue
            if isinstance(child, cst.Call) and isinstance(child.func, cst.Attribute):
                if dotted_name(child.func.value) == receiver and child.func.attr.value in (
                    "cancel",
                    "cancelled",
                    "done",
                ):
                    skip.update(id(n) for n in _walk(child.func))  # its receiver is no handling
                    continue
            if isinstance(child, (cst.Name, cst.Attribute)) and dotted_name(child) == receiver:
                return True
        return False


# -- ASL800 ---------------------------------------------------------------------------------------


class SequentialAwaitsInLoop(Rule):
    code = "ASL800"
    name = "sequential-awaits-in-loop"
    message = "awaits run one after another over independent items; run them concurrently"
    rationale = """
        `for x in xs: results.append(await fetch(x))` waits for each fetch before starting the
        next, so the loop takes the sum of all latencies where it could take the longest one. When
        the iterations share no state, run them concurrently: asyncio.gather() or a TaskGroup
        (trio nursery, anyio task group), with a Semaphore or a fixed pool of workers to bound
        how many run at once.

        Opt-in, because sequential awaits are sometimes wanted (ordering, rate limits, one
        connection that cannot run two queries at once). Only loops that collect results are
        flagged: a body that appends, adds or stores the awaited result of a call using the loop
        variable, and does nothing else; a loop that reads what earlier iterations stored, breaks,
        returns, or awaits more than once is left alone.
    """
    bad = """
        async def fetch_all(urls):
            pages = []
            for url in urls:
                pages.append(await fetch(url))
            return pages
    """
    good = """
        async def fetch_all(urls):
            return await asyncio.gather(*(fetch(url) for url in urls))
    """
    default = False
    tokens = ("await",)

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or node.orelse is not None or not self.model.in_coroutine:
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        statements = node.body.body
        if not 1 <= len(statements) <= 2 or not all(
            isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1 for s in statements
        ):
            return
        smalls = [s.body[0] for s in statements]  # type: ignore[attr-defined]
        loop_names = _names(node.target)
        awaits = [n for n in _walk(node.body) if isinstance(n, cst.Await)]
        if len(awaits) != 1 or not isinstance(awaits[0].expression, cst.Call):
            return
        call = awaits[0].expression
        if not (_names(call) & loop_names):
            return
        if len(smalls) == 1:
            collection = self._stored(smalls[0], awaits[0])
        else:
            first, second = smalls
            if not (
                isinstance(first, cst.Assign)
                and len(first.targets) == 1
                and first.value is awaits[0]
                and isinstance(first.targets[0].target, cst.Name)
            ):
                return
            collection = self._stored(second, None, first.targets[0].target.value)
        if collection is None or collection in _names(call) | loop_names | _names(node.iter):
            return
        self.report(
            node,
            "each iteration awaits the previous one although they are independent; "
            "gather them or use a TaskGroup, with a Semaphore to bound concurrency",
        )

    @staticmethod
    def _stored(
        small: cst.BaseSmallStatement, awaited: Optional[cst.Await], variable: Optional[str] = None
    ) -> Optional[str]:
        """The collection a statement puts the result into: ``xs.append(r)``, ``xs[k] = r``."""

        def is_result(value: cst.BaseExpression) -> bool:
            if awaited is not None:
                return value is awaited
            return isinstance(value, cst.Name) and value.value == variable

        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call = small.value
            if (
                isinstance(call.func, cst.Attribute)
                and call.func.attr.value in ACCUMULATORS
                and isinstance(call.func.value, cst.Name)
                and len(call.args) == 1
                and is_result(call.args[0].value)
            ):
                return call.func.value.value
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and is_result(small.value):
            target = small.targets[0].target
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                return target.value.value
        return None
