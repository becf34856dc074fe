"""The built-in rule pack, registered in the ``asynclint.rules`` entry-point group like any other pack."""

from .async_misuse import (
    AsyncFunctionWithoutAwait,
    CoroutineFunctionPassedToSyncCaller,
    GetEventLoopInCoroutine,
    SyncForAsyncIterable,
    SyncWithAsyncContextManager,
)
from .blocking import BlockingSleep
from .blocking_calls import BLOCKING_CALL_RULES
from .coroutines import CoroutineNeverAwaited
from .tasks import DanglingTask
from .timeouts import (
    ConfiguredWithoutTimeout, NetworkWithoutTimeout, TimeoutParameter, TimeoutScopeWithoutAwait, UnboundedPrimitiveWait,
)

RULES = (BlockingSleep, CoroutineNeverAwaited, DanglingTask)
RULES += (NetworkWithoutTimeout, ConfiguredWithoutTimeout, TimeoutScopeWithoutAwait, UnboundedPrimitiveWait,
          TimeoutParameter)
RULES += BLOCKING_CALL_RULES  # ASL101-ASL109
RULES += (SyncWithAsyncContextManager, SyncForAsyncIterable, GetEventLoopInCoroutine,
          CoroutineFunctionPassedToSyncCaller, AsyncFunctionWithoutAwait)

__all__ = ["RULES"]
