"""ASL400 dangling-task."""

from __future__ import annotations

from typing import Dict, Optional, Sequence, Tuple, Union

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.model import ScopeKind
from asynclint.syntax import dotted_name, walk

from .spawning import spawner_name

#: The module-level set that the ASL400 fix keeps running tasks in.
BACKGROUND_SET = "_background_tasks"


class DanglingTask(Rule):
    code = "ASL400"
    name = "dangling-task"
    summary = (
        "a task from `create_task()`/`ensure_future()`/`loop.create_task()`, or from a function "
        "of the same file that returns one without keeping it, is dropped and may be "
        "garbage-collected mid-flight"
    )
    fix_summary = "keep it in a module-level set with `add_done_callback(set.discard)`"
    message = (
        "task is created and dropped; it can be garbage-collected mid-flight and its "
        "errors are lost"
    )
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
        import asyncio

        async def on_message(message):
            asyncio.create_task(store(message))
    """
    good = """
        import asyncio
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
        dropped: cst.BaseExpression = node
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
        if not isinstance(expression, cst.Expr) or self._set_name_taken():
            return None
        name = self._free_name()
        assign = cst.Assign(targets=[cst.AssignTarget(cst.Name(name))], value=dropped)
        add = cst.Expr(
            cst.Call(
                func=cst.Attribute(cst.Name(BACKGROUND_SET), cst.Name("add")),
                args=[cst.Arg(cst.Name(name))],
            )
        )
        callback = cst.Expr(
            cst.Call(
                func=cst.Attribute(cst.Name(name), cst.Name("add_done_callback")),
                args=[cst.Arg(cst.Attribute(cst.Name(BACKGROUND_SET), cst.Name("discard")))],
            )
        )
        target: cst.CSTNode
        replacement: Sequence[cst.CSTNode]
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1:
            target = line
            replacement = (
                line.with_changes(body=[assign]),
                cst.SimpleStatementLine(body=[add]),
                cst.SimpleStatementLine(body=[callback]),
            )
        else:
            target = expression
            replacement = (assign, add, callback)
        return Fix(
            target,
            cst.FlattenSentinel(replacement),
            f"Keep a reference in the module-level set {BACKGROUND_SET}",
            FixKind.UNSAFE,
            definitions=((BACKGROUND_SET, "set()"),),
        )

    def _set_name_taken(self) -> bool:
        """The module uses the set's name for something other than ``_background_tasks = set()``
        (the fixer would refuse the fix: it is not offered). One walk per file."""
        key = ("asl400.set_name_taken",)
        taken = self.model.memo.get(key)
        if taken is None:
            module = self.model.module
            used = any(
                isinstance(n, cst.Name) and n.value == BACKGROUND_SET
                for n in walk(module, into_scopes=True)
            )
            taken = self.model.memo[key] = used and not any(
                isinstance(small, (cst.Assign, cst.AnnAssign))
                and _targets_name(small, BACKGROUND_SET)
                and isinstance(small.value, cst.Call)
                and dotted_name(small.value.func) == "set"
                and not small.value.args
                for statement in module.body
                if isinstance(statement, cst.SimpleStatementLine)
                for small in statement.body
            )
        return bool(taken)

    def _free_name(self) -> str:
        function = self.model.enclosing_def()
        where: cst.CSTNode = function.body if function is not None else self.model.module
        uses, kept = _name_counts(self.model, where)
        for candidate in ("task", *(f"task_{n}" for n in range(1, 100))):
            count = uses.get(candidate, 0)
            if function is None and count == 0 and self.model.lookup(candidate)[0] is None:
                return candidate
            if function is not None and count == 3 * kept.get(candidate, 0):
                owner, _ = self.model.lookup(candidate)
                if count or owner is None or owner.kind == ScopeKind.MODULE:
                    return candidate
        return "task_"


def _name_counts(model, where: cst.CSTNode) -> Tuple[Dict[str, int], Dict[str, int]]:
    """How often each name occurs under ``where``, and how many times each is kept the way the
    ASL400 fix keeps a task (``_background_tasks.add(name)``). One walk per block and file."""
    key = ("asl400.name_counts", where)
    counts = model.memo.get(key)
    if counts is None:
        uses: Dict[str, int] = {}
        kept: Dict[str, int] = {}
        for node in walk(where, into_scopes=True):
            if isinstance(node, cst.Name):
                uses[node.value] = uses.get(node.value, 0) + 1
            elif (
                isinstance(node, cst.Call)
                and dotted_name(node.func) == f"{BACKGROUND_SET}.add"
                and len(node.args) == 1
                and isinstance(node.args[0].value, cst.Name)
            ):
                name = node.args[0].value.value
                kept[name] = kept.get(name, 0) + 1
        counts = model.memo[key] = (uses, kept)
    return counts


def _targets_name(statement: Union[cst.Assign, cst.AnnAssign], name: str) -> bool:
    targets = (
        [t.target for t in statement.targets]
        if isinstance(statement, cst.Assign)
        else [statement.target]
    )
    return any(isinstance(t, cst.Name) and t.value == name for t in targets)
