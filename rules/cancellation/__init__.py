"""ASL7xx: cancellation and cleanup."""

from .swallowed_cancellation import (
    ExitInFinally,
    SwallowedCancellation,
    UnshieldedCleanupAwait,
    YieldInCancelScope,
    YieldInContextManager,
)

RULES = (
    SwallowedCancellation,
    ExitInFinally,
    YieldInCancelScope,
    UnshieldedCleanupAwait,
    YieldInContextManager,
)
