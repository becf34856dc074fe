"""Facts about the standard library and common frameworks that the semantic model relies on.

Kept as data, so that the light type tracking stays a handful of lookups:

* ``FACTORY_TYPES``: a callable (or a class, which constructs itself) -> the type of the call's
  result: ``loop = asyncio.get_running_loop()`` gives ``loop`` a known type.
* ``AWAITED_TYPES``: a coroutine function, or ``"<type>.<method>"`` -> the type of the awaited
  result; a tuple of types for a tuple result, which unpacking splits.
* ``MEMBER_TYPES``: ``"<type>.<attribute or method>"`` -> the type of the attribute or of the
  method call's result; ``__truediv__`` for ``/``; ``__enter__``/``__aenter__`` for ``with ... as``
  when the bound value is not the manager itself.
* ``TYPE_ALIASES``: other spellings of a type (annotations, re-exports) -> its canonical name.

Rule families add their types in their own blocks.
"""

EVENT_LOOP = "asyncio.AbstractEventLoop"

FACTORY_TYPES = {
    "asyncio.get_event_loop": EVENT_LOOP,
    "asyncio.get_running_loop": EVENT_LOOP,
    "asyncio.new_event_loop": EVENT_LOOP,
    "asyncio.events.get_event_loop": EVENT_LOOP,
    "asyncio.events.get_running_loop": EVENT_LOOP,
    "asyncio.events.new_event_loop": EVENT_LOOP,
    "asyncio.SelectorEventLoop": EVENT_LOOP,
    "asyncio.ProactorEventLoop": EVENT_LOOP,
    "uvloop.new_event_loop": EVENT_LOOP,
    "asyncio.TaskGroup": "asyncio.TaskGroup",
    "asyncio.Task": "asyncio.Task",
    "asyncio.create_task": "asyncio.Task",
    "asyncio.ensure_future": "asyncio.Future",
    "asyncio.Queue": "asyncio.Queue",
    "asyncio.Lock": "asyncio.Lock",
    "asyncio.Event": "asyncio.Event",
    "asyncio.Condition": "asyncio.Condition",
    "asyncio.Semaphore": "asyncio.Semaphore",
    "asyncio.BoundedSemaphore": "asyncio.BoundedSemaphore",
}

# -- ASL5xx/ASL6xx/ASL801 (locks, conditions, events, queues): the primitives these rules track. --
# Thread and process primitives block the calling thread, so the event loop, while they wait.
FACTORY_TYPES.update({
    "threading.Lock": "threading.Lock",
    "threading.RLock": "threading.RLock",
    "threading.Semaphore": "threading.Semaphore",
    "threading.BoundedSemaphore": "threading.BoundedSemaphore",
    "threading.Condition": "threading.Condition",
    "threading.Event": "threading.Event",
    "_thread.allocate_lock": "threading.Lock",
    "multiprocessing.Lock": "multiprocessing.Lock",
    "multiprocessing.RLock": "multiprocessing.RLock",
    "multiprocessing.Semaphore": "multiprocessing.Semaphore",
    "multiprocessing.BoundedSemaphore": "multiprocessing.BoundedSemaphore",
    "multiprocessing.Condition": "multiprocessing.Condition",
    "multiprocessing.JoinableQueue": "multiprocessing.JoinableQueue",
    "queue.Queue": "queue.Queue",
    "queue.LifoQueue": "queue.LifoQueue",
    "queue.PriorityQueue": "queue.PriorityQueue",
    "asyncio.LifoQueue": "asyncio.LifoQueue",
    "asyncio.PriorityQueue": "asyncio.PriorityQueue",
    "trio.Lock": "trio.Lock",
    "trio.StrictFIFOLock": "trio.StrictFIFOLock",
    "trio.Semaphore": "trio.Semaphore",
    "trio.CapacityLimiter": "trio.CapacityLimiter",
    "trio.Condition": "trio.Condition",
    "trio.Event": "trio.Event",
    "anyio.Lock": "anyio.Lock",
    "anyio.Semaphore": "anyio.Semaphore",
    "anyio.CapacityLimiter": "anyio.CapacityLimiter",
    "anyio.Condition": "anyio.Condition",
    "anyio.Event": "anyio.Event",
})

AWAITED_TYPES: dict = {}

MEMBER_TYPES: dict = {}

#: Annotations name the type itself; these aliases name the same class.
TYPE_ALIASES = {
    "asyncio.events.AbstractEventLoop": EVENT_LOOP,
    "asyncio.base_events.BaseEventLoop": EVENT_LOOP,
    "asyncio.BaseEventLoop": EVENT_LOOP,
    "asyncio.SelectorEventLoop": EVENT_LOOP,
    "asyncio.ProactorEventLoop": EVENT_LOOP,
    "uvloop.Loop": EVENT_LOOP,
}

# -- ASL5xx/ASL6xx/ASL801: where the primitives are defined, as annotations may spell them. --
TYPE_ALIASES.update({
    "asyncio.locks.Lock": "asyncio.Lock",
    "asyncio.locks.Event": "asyncio.Event",
    "asyncio.locks.Condition": "asyncio.Condition",
    "asyncio.locks.Semaphore": "asyncio.Semaphore",
    "asyncio.locks.BoundedSemaphore": "asyncio.BoundedSemaphore",
    "asyncio.queues.Queue": "asyncio.Queue",
    "asyncio.queues.LifoQueue": "asyncio.LifoQueue",
    "asyncio.queues.PriorityQueue": "asyncio.PriorityQueue",
    "threading._RLock": "threading.RLock",
    "multiprocessing.synchronize.Lock": "multiprocessing.Lock",
    "multiprocessing.synchronize.RLock": "multiprocessing.RLock",
    "multiprocessing.synchronize.Semaphore": "multiprocessing.Semaphore",
    "multiprocessing.synchronize.BoundedSemaphore": "multiprocessing.BoundedSemaphore",
    "multiprocessing.synchronize.Condition": "multiprocessing.Condition",
    "multiprocessing.queues.JoinableQueue": "multiprocessing.JoinableQueue",
})

#: Decorators that leave an ``async def`` a coroutine function. Any other decorator may wrap it
#: into something else (a worker launcher, a sync test, a context manager), so a decorated async def
#: counts as a coroutine function only when all its decorators are listed here (by last name part).
COROUTINE_PRESERVING_DECORATORS = frozenset({
    "staticmethod", "classmethod", "abstractmethod", "override", "overload", "final",
    "wraps", "cache", "lru_cache",
})
