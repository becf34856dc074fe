"""ASL7xx: cancellation and cleanup."""

from .exit_in_finally import ExitInFinally
from .swallowed_cancellation import SwallowedCancellation
from .unshielded_cleanup_await import UnshieldedCleanupAwait
from .yield_in_async_generator_context import YieldInAsyncGeneratorContext
from .yield_in_cancel_scope import YieldInCancelScope

RULES = (
    SwallowedCancellation,
    ExitInFinally,
    YieldInCancelScope,
    UnshieldedCleanupAwait,
    YieldInAsyncGeneratorContext,
)
