"""The built-in rule pack, registered in the ``asynclint.rules`` entry-point group like any other pack."""

from .blocking import BlockingSleep
from .coroutines import CoroutineNeverAwaited
from .tasks import DanglingTask

RULES = (BlockingSleep, CoroutineNeverAwaited, DanglingTask)

__all__ = ["RULES"]
