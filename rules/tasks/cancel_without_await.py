"""ASL405 cancel-without-await."""

from __future__ import annotations

from typing import List, Optional, Set

import libcst as cst

from asynclint import Rule, Usage
from asynclint.model import Binding, BindingKind, Scope, ScopeKind
from asynclint.syntax import dotted_name, walk

from ..catalogue import LOOP_TASK_SPAWNERS, TASK_SPAWNERS
from .catalogue import TASK_TYPES


class CancelWithoutAwait(Rule):
    code = "ASL405"
    name = "cancel-without-await"
    summary = (
        "a task (a local or `self.` attribute bound from `create_task()`) cancelled and never "
        "awaited afterwards in the same coroutine"
    )
    message = "task is cancelled and never awaited afterwards; its cleanup may still be running"
    rationale = """
        task.cancel() only requests cancellation: the task receives CancelledError at its next
        await, runs its except and finally blocks, and finishes later. A coroutine that cancels a
        task and goes on (closes the connection the task uses, returns to a caller that tears down
        the loop) races with that cleanup, and an exception raised during the cleanup is never
        retrieved ("Task exception was never retrieved").

        After cancelling, await the task (suppressing its CancelledError), or gather/wait it. Only
        values known to be tasks are checked: locals and self attributes bound from create_task(),
        ensure_future() or loop.create_task() (None aside). Any later mention of the task in the
        same function counts as handling it (awaiting, gathering, returning, storing it); sync
        functions are not checked, since they cannot await.
    """
    bad = """
        import asyncio


        class Connection:
            async def start(self):
                self._heartbeat = asyncio.create_task(self._beat())

            async def stop(self):
                self._heartbeat.cancel()
                await self._close()
    """
    good = """
        import asyncio
        import contextlib


        class Connection:
            async def start(self):
                self._heartbeat = asyncio.create_task(self._beat())

            async def stop(self):
                self._heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._heartbeat
                await self._close()
    """
    tokens = ("cancel",)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "cancel" or node.args:
            return
        if not self.model.in_coroutine or self.model.usage() is not Usage.DISCARDED:
            return
        receiver = dotted_name(func.value)
        if receiver is None or receiver.count(".") > 1 or not self._is_task(func.value):
            return
        function = self.model.enclosing_def()
        if function is not None and not self._mentioned_after(function, node, receiver):
            self.report(
                node,
                f"{receiver} is cancelled and never awaited afterwards; "
                "await it so that its cleanup finishes (and its errors surface)",
            )

    def _is_task(self, receiver: cst.BaseExpression) -> bool:
        if self.model.type_of(receiver) in TASK_TYPES:
            return True
        bindings: List[Binding] = []
        scope: Optional[Scope] = None
        if isinstance(receiver, cst.Name):
            scope, bindings = self.model.lookup(receiver.value)
            if scope is None or scope is self.model.module_scope:
                return False
        elif isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
            cls = self.model.self_class(receiver.value)
            if cls is None:
                return False
            bindings, scope = cls.attribute_bindings(receiver.attr.value), cls.scope
        spawned = False
        for binding in bindings:
            value = binding.node
            if binding.kind != BindingKind.ASSIGN or not isinstance(value, cst.BaseExpression):
                return False
            if isinstance(value, cst.Name) and value.value == "None":
                continue
            if not isinstance(value, cst.Call) or not self._spawns(value, scope):
                return False
            spawned = True
        return spawned

    def _spawns(self, call: cst.Call, scope: Optional[Scope]) -> bool:
        lookup_scope = scope if scope is not None and scope.kind != ScopeKind.CLASS else None
        if self.model.qualified_name(call.func, lookup_scope) in TASK_SPAWNERS:
            return True
        func = call.func
        return isinstance(func, cst.Attribute) and func.attr.value in LOOP_TASK_SPAWNERS

    @staticmethod
    def _mentioned_after(function: cst.FunctionDef, cancel: cst.Call, receiver: str) -> bool:
        seen_cancel = False
        skip: Set[int] = set()
        for child in walk(function.body, into_scopes=True):
            if child is cancel:
                seen_cancel = True
                skip.update(id(n) for n in walk(cancel, into_scopes=True))
                continue
            if not seen_cancel or id(child) in skip:
                continue
            if isinstance(child, cst.Call) and isinstance(child.func, cst.Attribute):
                if dotted_name(child.func.value) == receiver and child.func.attr.value in (
                    "cancel",
                    "cancelled",
                    "done",
                ):
                    skip.update(
                        id(n) for n in walk(child.func, into_scopes=True)
                    )  # its receiver is no handling
                    continue
            if isinstance(child, (cst.Name, cst.Attribute)) and dotted_name(child) == receiver:
                return True
        return False
