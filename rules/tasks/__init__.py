"""ASL4xx: tasks that are lost, unobserved, unbounded or never awaited after cancel()."""

from .cancel_without_await import CancelWithoutAwait
from .dangling_task import DanglingTask
from .gather_exceptions_dropped import GatherExceptionsDropped
from .unbounded_fan_out import UnboundedFanOut
from .unobserved_task import UnobservedTask
from .wait_on_coroutines import WaitOnCoroutines

RULES = (
    DanglingTask,
    UnobservedTask,
    GatherExceptionsDropped,
    WaitOnCoroutines,
    UnboundedFanOut,
    CancelWithoutAwait,
)
