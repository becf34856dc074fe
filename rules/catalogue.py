"""What the built-in rules know about libraries, as data: one entry per qualified name, in its
public spelling (the model maps ``asyncio.tasks.gather`` to ``asyncio.gather``, see
``asynclint.knowledge.PUBLIC_NAMES``).

The facts that several rule families use live here, once; a family's own catalogue holds what only
it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional


@dataclass(frozen=True)
class Deadline:
    """Where a timeout-giving callable takes its delay or deadline: the positional index (None when
    it is keyword-only) and the keyword. Absent, or the literal None, means no deadline."""

    position: Optional[int]
    keyword: str


#: Blocking sleeps, and the awaitable sleep each framework offers instead.
BLOCKING_SLEEPS = frozenset({"time.sleep"})
ASYNC_SLEEP = {"asyncio": "asyncio.sleep", "trio": "trio.sleep", "anyio": "anyio.sleep"}
ASYNC_SLEEPS = frozenset(ASYNC_SLEEP.values())

#: Timeout scopes: context managers that cancel the code in their body after a delay or at a
#: deadline, and where each takes it. asyncio's are entered with ``async with``, trio's and
#: anyio's with a plain ``with``; both spellings are accepted for all of them.
TIMEOUT_SCOPES: Dict[str, Deadline] = {
    "asyncio.timeout": Deadline(0, "delay"),
    "asyncio.timeout_at": Deadline(0, "when"),
    "async_timeout.timeout": Deadline(0, "delay"),
    "async_timeout.timeout_at": Deadline(0, "deadline"),
    "trio.fail_after": Deadline(0, "seconds"),
    "trio.move_on_after": Deadline(0, "seconds"),
    "trio.fail_at": Deadline(0, "deadline"),
    "trio.move_on_at": Deadline(0, "deadline"),
    "trio.CancelScope": Deadline(None, "deadline"),
    "anyio.fail_after": Deadline(0, "delay"),
    "anyio.move_on_after": Deadline(0, "delay"),
    "anyio.CancelScope": Deadline(None, "deadline"),
}
#: The timeout scopes of asyncio code (asyncio's own and the async_timeout package's).
ASYNCIO_TIMEOUT_SCOPES = frozenset(
    name for name in TIMEOUT_SCOPES if name.split(".")[0] in ("asyncio", "async_timeout")
)

#: Task groups: the calls that open one, and the type of the group. A task group owns the tasks
#: it starts, and is a cancel scope.
TASK_GROUPS = {
    "asyncio.TaskGroup": "asyncio.TaskGroup",
    "trio.open_nursery": "trio.Nursery",
    "anyio.create_task_group": "anyio.abc.TaskGroup",
}
TASK_GROUP_TYPES = frozenset(TASK_GROUPS.values())

#: Cancel scopes: what cancels the code in its body (timeouts and task groups).
CANCEL_SCOPES = frozenset(TIMEOUT_SCOPES) | frozenset(TASK_GROUPS)

#: asyncio's functions that await the awaitables they are given.
WAIT_FOR = "asyncio.wait_for"  # under a timeout: its second argument
SHIELD = "asyncio.shield"  # protected from the caller's cancellation
GATHER = "asyncio.gather"  # all of them
WAIT = "asyncio.wait"  # until the first, or all, are done (refuses bare coroutines since 3.11)
#: Functions that await their first argument under a timeout, and where they take it.
WAIT_FOR_TIMEOUT: Dict[str, Deadline] = {WAIT_FOR: Deadline(1, "timeout")}
#: Functions whose awaiting awaits their arguments too: a call passed to them is awaited where
#: they are.
AWAIT_THROUGH = frozenset({GATHER, SHIELD})

#: Decorators that make a generator function a context manager, by last name part: whether the
#: manager is async.
CONTEXT_MANAGER_DECORATORS = {"contextmanager": False, "asynccontextmanager": True}
#: Decorators of pytest fixtures: the test runs where a fixture generator yields.
FIXTURE_DECORATORS = frozenset({"fixture", "yield_fixture"})

#: Library functions that return a coroutine (or another awaitable that does nothing until awaited).
LIBRARY_COROUTINES = frozenset(
    {
        "asyncio.sleep",
        "asyncio.wait_for",
        "asyncio.wait",
        "asyncio.gather",
        "asyncio.to_thread",
        "asyncio.open_connection",
        "asyncio.open_unix_connection",
        "asyncio.start_server",
        "asyncio.start_unix_server",
        "asyncio.create_subprocess_exec",
        "asyncio.create_subprocess_shell",
        "asyncio.staggered.staggered_race",
        "trio.sleep",
        "trio.sleep_forever",
        "trio.sleep_until",
        "trio.open_tcp_stream",
        "trio.open_ssl_over_tcp_stream",
        "trio.open_unix_socket",
        "trio.open_file",
        "trio.run_process",
        "trio.serve_tcp",
        "trio.to_thread.run_sync",
        "trio.lowlevel.checkpoint",
        "trio.lowlevel.checkpoint_if_cancelled",
        "trio.lowlevel.wait_readable",
        "trio.lowlevel.wait_writable",
        "anyio.sleep",
        "anyio.sleep_forever",
        "anyio.sleep_until",
        "anyio.open_file",
        "anyio.connect_tcp",
        "anyio.connect_unix",
        "anyio.run_process",
        "anyio.open_process",
        "anyio.to_thread.run_sync",
        "anyio.to_process.run_sync",
        "anyio.wait_all_tasks_blocked",
        "anyio.lowlevel.checkpoint",
        "anyio.lowlevel.checkpoint_if_cancelled",
        "anyio.wait_readable",
        "anyio.wait_writable",
    }
)

#: Awaitables that start their work even when dropped: what is lost is different, so is the message.
DROPPED_AWAITABLE_CONSEQUENCES = {
    "asyncio.gather": "its awaitables run as tasks, but nothing waits for them and their "
    "errors are lost",
}

#: Functions that schedule a task and return the only strong reference to it.
TASK_SPAWNERS = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
    }
)

#: Event-loop methods that do the same, on a receiver known to be an event loop.
LOOP_TASK_SPAWNERS = frozenset({"create_task"})
