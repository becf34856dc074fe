"""What a file does with its queues: the calls that the ASL6xx rules look for."""

from __future__ import annotations

from typing import Optional, Set

import libcst as cst

from asynclint import Rule

from ..primitives import (
    JOINABLE_QUEUES,
    identity,
)

GETS = frozenset({"get", "get_nowait"})


PUTS = frozenset({"put", "put_nowait"})


TASK_DONE = frozenset({"task_done"})


def method_call(node: cst.Call, methods: frozenset) -> Optional[cst.BaseExpression]:
    """The receiver of ``<receiver>.<method>(...)`` for one of ``methods``, else None."""
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value in methods:
        return func.value
    return None


class QueueFacts:
    """What a file says about its queues, by identity (see primitives.identity)."""

    def __init__(self) -> None:
        self.joined: Set[str] = set()
        self.task_done: Set[Optional[str]] = (
            set()
        )  # None: a task_done() on a queue of unknown identity
        self.escaped: Set[str] = set()  # passed to a call: whoever receives it may call task_done()

    def record(self, rule: Rule, node: cst.Call) -> None:
        model = rule.model
        receiver = method_call(node, frozenset({"join"}))
        if receiver is not None and model.type_of(receiver) in JOINABLE_QUEUES:
            queue = identity(model, receiver)
            if queue is not None:
                self.joined.add(queue)
        receiver = method_call(node, TASK_DONE)
        if receiver is not None:
            self.task_done.add(identity(model, receiver))
        for arg in node.args:
            self.escape(rule, arg.value)

    def escape(self, rule: Rule, value: Optional[cst.BaseExpression]) -> None:
        """``value`` is passed, stored, returned or yielded: code elsewhere may mark its items
        done."""
        if (
            isinstance(value, (cst.Name, cst.Attribute))
            and rule.model.type_of(value) in JOINABLE_QUEUES
        ):
            queue = identity(rule.model, value)
            if queue is not None:
                self.escaped.add(queue)
