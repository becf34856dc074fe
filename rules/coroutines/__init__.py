"""ASL2xx: coroutines and async protocols used as if they were plain functions and objects."""

from .async_without_await import (
    AsyncFunctionWithoutAwait,
    CoroutineFunctionPassedToSyncCaller,
    GetEventLoopInCoroutine,
    SyncForAsyncIterable,
    SyncWithAsyncContextManager,
)
from .coroutine_never_awaited import CoroutineNeverAwaited

RULES = (
    CoroutineNeverAwaited,
    SyncWithAsyncContextManager,
    SyncForAsyncIterable,
    GetEventLoopInCoroutine,
    CoroutineFunctionPassedToSyncCaller,
    AsyncFunctionWithoutAwait,
)
