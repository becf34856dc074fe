"""ASL5xx: locks, semaphores and conditions."""

from .thread_lock_in_coroutine import (
    AcquireWithoutRelease,
    ConditionWithoutLock,
    InconsistentLockOrder,
    LockCreatedPerUse,
    ThreadLockInCoroutine,
)

RULES = (
    ThreadLockInCoroutine,
    AcquireWithoutRelease,
    LockCreatedPerUse,
    InconsistentLockOrder,
    ConditionWithoutLock,
)
