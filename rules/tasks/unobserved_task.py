"""ASL401 unobserved-task."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule

from .spawning import spawner_name, unused_local


class UnobservedTask(Rule):
    code = "ASL401"
    name = "unobserved-task"
    summary = (
        "a task bound to a local that is never awaited, cancelled, returned, stored or passed on"
    )
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
        import asyncio

        async def handle(request):
            audit = asyncio.create_task(write_audit_log(request))
            return await render(request)
    """
    good = """
        import asyncio

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
        name = unused_local(self.model, target)
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
