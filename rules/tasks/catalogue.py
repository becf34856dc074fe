"""What the ASL4xx rules know about libraries, as data."""

from __future__ import annotations

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


#: Collection methods that gather a loop's results (ASL800).
ACCUMULATORS = frozenset({"append", "add"})
