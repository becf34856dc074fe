"""What the ASL4xx rules know about libraries, as data."""

from __future__ import annotations

#: The types of values that are tasks or futures: awaiting or cancelling one observes it.
TASK_TYPES = frozenset({"asyncio.Task"})

#: The methods of a task group that start a task.

TASK_OWNER_SPAWN_METHODS = frozenset({"create_task", "start_soon"})

#: Types and classes that bound concurrency: a function using one is not an unbounded fan-out.
LIMITERS = frozenset(
    {
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
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

#: Collection methods that gather a loop's results (ASL800).
ACCUMULATORS = frozenset({"append", "add"})
