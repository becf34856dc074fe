"""ASL6xx: queues, producers and consumers."""

from .get_without_task_done import GetWithoutTaskDone
from .join_without_task_done import JoinWithoutTaskDone
from .task_done_skipped import TaskDoneSkipped
from .unbounded_queue import UnboundedQueue

RULES = (JoinWithoutTaskDone, TaskDoneSkipped, UnboundedQueue, GetWithoutTaskDone)
