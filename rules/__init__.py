"""The built-in rule pack, registered in the ``asynclint.rules`` entry-point group like any
other pack.

Each family package ends with its own ``RULES``; this tuple joins them.
"""

from . import blocking, cancellation, coroutines, locks, queues, tasks, throughput, timeouts

RULES = (
    blocking.RULES
    + coroutines.RULES
    + timeouts.RULES
    + tasks.RULES
    + locks.RULES
    + queues.RULES
    + cancellation.RULES
    + throughput.RULES
)

__all__ = ["RULES"]
