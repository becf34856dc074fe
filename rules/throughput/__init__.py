"""ASL8xx: structure and throughput."""

from .busy_wait_polling import BusyWaitPolling
from .sequential_awaits_in_loop import SequentialAwaitsInLoop

RULES = (SequentialAwaitsInLoop, BusyWaitPolling)
