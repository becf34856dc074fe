"""ASL2xx: coroutines and async objects used as if they were plain functions and objects."""

from .async_without_await import AsyncWithoutAwait
from .coroutine_function_as_sync_callback import CoroutineFunctionAsSyncCallback
from .coroutine_never_awaited import CoroutineNeverAwaited
from .get_event_loop_in_coroutine import GetEventLoopInCoroutine
from .removed_asyncio_api import RemovedAsyncioApi
from .sync_for_async_iterable import SyncForAsyncIterable
from .sync_with_async_context_manager import SyncWithAsyncContextManager

RULES = (
    CoroutineNeverAwaited,
    SyncWithAsyncContextManager,
    SyncForAsyncIterable,
    GetEventLoopInCoroutine,
    CoroutineFunctionAsSyncCallback,
    AsyncWithoutAwait,
    RemovedAsyncioApi,
)
