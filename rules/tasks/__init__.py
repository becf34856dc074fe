"""ASL4xx: tasks that are lost, unobserved, unbounded or never awaited after cancel()."""

from .dangling_task import (
    CancelWithoutAwait,
    DanglingTask,
    GatherExceptionsDropped,
    UnboundedFanOut,
    UnobservedTask,
    WaitOnCoroutines,
)

RULES = (
    DanglingTask,
    UnobservedTask,
    GatherExceptionsDropped,
    WaitOnCoroutines,
    UnboundedFanOut,
    CancelWithoutAwait,
)
