"""Worker processes that may die: a task that kills its worker costs that task, not the run.

A native crash (a parser's stack overflow), the out-of-memory killer or a stray signal ends a
worker process with no Python exception to catch; ``concurrent.futures`` then breaks the whole pool
and every pending result is lost. Here each worker takes a chunk of tasks and answers them one by
one, in order, so when it dies the parent knows which task it was running: that task gets
``on_death(task, reason)``, the rest of its chunk goes back to the queue, and a fresh worker
(forked from the parent, so it has the parent's state) takes its place.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import threading
import time
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Deque, Dict, Iterator, List, Optional, Sequence

_DONE = "done"
_FAILED = "failed"


def _serve(connection: Connection, function: Callable[[Any], Any]) -> None:
    """A worker's loop: chunks of (position, task) in, (position, result) out, until None."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when the run stops
    while True:
        try:
            chunk = connection.recv()
        except EOFError:
            return
        if chunk is None:
            return
        for position, task in chunk:
            try:
                connection.send((position, function(task)))
            except Exception as error:  # the parent re-raises it, as pool.map would
                connection.send((position, _Failure(error)))
        connection.send(_DONE)


class _Failure:
    def __init__(self, error: Exception) -> None:
        self.error = error


def _describe(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    return f"exited with status {exitcode}"


class _Worker:
    def __init__(self, context, function: Callable[[Any], Any]) -> None:
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child, function), daemon=True)
        self.process.start()
        child.close()
        self.assigned: Deque[int] = deque()  # positions sent and not answered yet, in order
        self.started = time.monotonic()  # when its current task started


def map_isolated(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    jobs: int,
    on_death: Callable[[Any, str], Any],
    chunk: int = 8,
    budget: Optional[float] = None,
) -> List[Any]:
    """``[function(task) for task in tasks]``, computed by ``jobs`` worker processes (see
    imap_isolated)."""
    return list(imap_isolated(function, tasks, jobs, on_death, chunk, budget))


def imap_isolated(
    function: Callable[[Any], Any],
    tasks: Sequence[Any],
    jobs: int,
    on_death: Callable[[Any, str], Any],
    chunk: int = 8,
    budget: Optional[float] = None,
) -> Iterator[Any]:
    """``function(task)`` for each task, in order, each as soon as it and those before it are
    done, computed by ``jobs`` worker processes.

    A worker that dies gives ``on_death(task, reason)`` for the task it was running. With a
    ``budget`` (seconds), a worker still on one task after that long is killed the same way
    (reason "over the time budget").
    """
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        context = multiprocessing.get_context("fork")
    else:  # pragma: no cover - spawn re-imports; the function must be picklable there
        context = multiprocessing.get_context()
    results: List[Any] = [None] * len(tasks)
    done = [False] * len(tasks)
    queue: Deque[int] = deque(range(len(tasks)))
    workers: Dict[Connection, _Worker] = {}
    given = 0  # results handed to the caller so far

    def assign(worker: _Worker) -> None:
        positions = [queue.popleft() for _ in range(min(chunk, len(queue)))]
        if positions:
            worker.assigned.extend(positions)
            worker.started = time.monotonic()
            worker.connection.send([(p, tasks[p]) for p in positions])

    def bury(worker: _Worker, reason: str) -> None:
        del workers[worker.connection]
        worker.connection.close()
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        if worker.assigned:
            victim = worker.assigned.popleft()
            results[victim] = on_death(tasks[victim], reason or _describe(worker.process.exitcode))
            done[victim] = True
            queue.extendleft(reversed(worker.assigned))

    try:
        while given < len(tasks):
            while given < len(tasks) and done[given]:
                yield results[given]
                results[given] = None
                given += 1
            if given == len(tasks):
                break
            while queue and len(workers) < jobs:
                worker = _Worker(context, function)
                workers[worker.connection] = worker
                assign(worker)
            timeout = None
            busy = [w for w in workers.values() if w.assigned]
            if budget is not None and busy:
                now = time.monotonic()
                timeout = max(0.0, min(w.started + budget - now for w in busy))
            ready = wait(list(workers), timeout)
            for connection in ready:
                worker = workers[connection]  # type: ignore[index]
                try:
                    message = worker.connection.recv()
                except (EOFError, OSError):
                    bury(worker, "")
                    continue
                if message == _DONE:
                    if queue:
                        assign(worker)
                    continue
                position, result = message
                if isinstance(result, _Failure):
                    raise result.error
                results[position] = result
                done[position] = True
                worker.assigned.popleft()
                worker.started = time.monotonic()
            if budget is not None:
                now = time.monotonic()
                for worker in list(workers.values()):
                    if worker.assigned and now - worker.started > budget:
                        bury(worker, "over the time budget")
    finally:
        for worker in list(workers.values()):
            try:
                worker.connection.send(None)
            except OSError:
                pass
            worker.connection.close()
        for worker in list(workers.values()):
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


class OverBudget(BaseException):
    """Raised in the main thread when a time budget set by ``deadline`` runs out. A BaseException,
    so that the engine's and the rules' ``except Exception`` handlers let it through."""


@contextlib.contextmanager
def deadline(seconds: Optional[float]) -> Iterator[None]:
    """Raise OverBudget in this thread after ``seconds`` of the process's CPU time (a profiling
    timer signal: only in the main thread of a process, on platforms that have one; elsewhere,
    and with None, no limit). CPU time, not wall time: a loaded machine must not change the
    verdict. Native code is interrupted when it returns to Python."""
    usable = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and hasattr(signal, "SIGPROF")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise OverBudget()

    assert seconds is not None

    previous = signal.signal(signal.SIGPROF, expire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


__all__ = ["OverBudget", "deadline", "imap_isolated", "map_isolated"]
