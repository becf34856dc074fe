"""ASL6xx: queues, producers and consumers."""

from .task_done_skipped import (
    GetWithoutTaskDone,
    JoinWithoutTaskDone,
    TaskDoneSkipped,
    UnboundedQueue,
)

RULES = (JoinWithoutTaskDone, TaskDoneSkipped, UnboundedQueue, GetWithoutTaskDone)
