"""ASL4xx: tasks that are lost."""

from __future__ import annotations

import libcst as cst

from asynclint import Rule, Usage
from asynclint.knowledge import EVENT_LOOP

from .catalogue import LOOP_TASK_SPAWNERS, TASK_SPAWNERS


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
    """
    bad = """
        async def on_message(message):
            asyncio.create_task(store(message))
    """
    good = """
        background_tasks = set()

        async def on_message(message):
            task = asyncio.create_task(store(message))
            background_tasks.add(task)
            task.add_done_callback(background_tasks.discard)
    """
    tokens = ("create_task", "ensure_future")

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.usage() is not Usage.DISCARDED:
            return
        func = node.func
        qualname = self.model.qualified_name(func)
        if qualname in TASK_SPAWNERS:
            spawner = qualname.rsplit(".", 1)[-1]
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in LOOP_TASK_SPAWNERS
            and self.model.type_of(func.value) == EVENT_LOOP
        ):
            spawner = f"loop.{func.attr.value}"
        else:
            return
        self.report(node, f"task returned by {spawner}() is dropped; keep a reference until it is done")
