"""ASL5xx: locks, semaphores and conditions."""

from .acquire_without_release import AcquireWithoutRelease
from .condition_without_lock import ConditionWithoutLock
from .inconsistent_lock_order import InconsistentLockOrder
from .lock_created_per_use import LockCreatedPerUse
from .thread_lock_in_coroutine import ThreadLockInCoroutine

RULES = (
    ThreadLockInCoroutine,
    AcquireWithoutRelease,
    LockCreatedPerUse,
    InconsistentLockOrder,
    ConditionWithoutLock,
)
