"""What the built-in rules know about libraries, as data: one entry per qualified name."""

#: Blocking sleeps, and the awaitable sleep each framework offers instead.
BLOCKING_SLEEPS = frozenset({"time.sleep"})
ASYNC_SLEEP = {"asyncio": "asyncio.sleep", "trio": "trio.sleep", "anyio": "anyio.sleep"}

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
    "asyncio.gather": "its awaitables run as tasks, but nothing waits for them and their errors are lost",
}

#: Functions that schedule a task and return the only strong reference to it.
TASK_SPAWNERS = frozenset(
    {
        "asyncio.create_task",
        "asyncio.ensure_future",
        "asyncio.tasks.create_task",
        "asyncio.tasks.ensure_future",
    }
)

#: Event-loop methods that do the same, on a receiver known to be an event loop.
LOOP_TASK_SPAWNERS = frozenset({"create_task"})
