"""ASL8xx: structure and throughput."""

from ..tasks.dangling_task import SequentialAwaitsInLoop
from .busy_wait_polling import BusyWaitPolling

RULES = (SequentialAwaitsInLoop, BusyWaitPolling)
