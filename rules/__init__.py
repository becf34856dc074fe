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
from .blocking_helpers import BlockingHelper
from .coroutines import CoroutineNeverAwaited
from .locks import (
    AcquireWithoutRelease,
    ConditionWithoutLock,
    InconsistentLockOrder,
    LockCreatedPerUse,
    ThreadLockInCoroutine,
)
from .polling import BusyWaitPolling
from .queues import GetWithoutTaskDone, JoinWithoutTaskDone, TaskDoneSkipped, UnboundedQueue
from .cancellation import (
    ExitInFinally,
    SwallowedCancellation,
    UnshieldedCleanupAwait,
    YieldInCancelScope,
    YieldInContextManager,
)
from .tasks import (
    CancelWithoutAwait,
    DanglingTask,
    GatherExceptionsDropped,
    SequentialAwaitsInLoop,
    UnboundedFanOut,
    UnobservedTask,
    WaitOnCoroutines,
)
from .timeouts import (
    ConfiguredWithoutTimeout,
    ExplicitNoTimeout,
    NetworkWithoutTimeout,
    SessionWithDefaultTimeout,
    TimeoutParameter,
    TimeoutScopeWithoutAwait,
    UnboundedPrimitiveWait,
)

RULES = (BlockingSleep, CoroutineNeverAwaited, DanglingTask)
RULES += (
    NetworkWithoutTimeout,
    ConfiguredWithoutTimeout,
    TimeoutScopeWithoutAwait,
    UnboundedPrimitiveWait,
    TimeoutParameter,
    SessionWithDefaultTimeout,
    ExplicitNoTimeout,
)  # ASL300-ASL306
RULES += (
    SyncWithAsyncContextManager,
    SyncForAsyncIterable,
    GetEventLoopInCoroutine,
    CoroutineFunctionPassedToSyncCaller,
    AsyncFunctionWithoutAwait,
)
RULES += BLOCKING_CALL_RULES  # ASL101-ASL109
RULES += (BlockingHelper,)  # ASL110
RULES += (
    UnobservedTask,
    GatherExceptionsDropped,
    WaitOnCoroutines,
    UnboundedFanOut,
    CancelWithoutAwait,
    SequentialAwaitsInLoop,
)  # ASL401-ASL405, ASL800
RULES += (
    SwallowedCancellation,
    ExitInFinally,
    YieldInCancelScope,
    UnshieldedCleanupAwait,
    YieldInContextManager,
)  # ASL700-ASL704
RULES += (
    ThreadLockInCoroutine,
    AcquireWithoutRelease,
    LockCreatedPerUse,
    InconsistentLockOrder,
    ConditionWithoutLock,
)  # ASL500-ASL504
RULES += (JoinWithoutTaskDone, TaskDoneSkipped, UnboundedQueue, GetWithoutTaskDone)  # ASL600-ASL603
RULES += (BusyWaitPolling,)  # ASL801

__all__ = ["RULES"]
