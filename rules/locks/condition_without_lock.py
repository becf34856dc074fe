"""ASL504 condition-without-lock."""

from __future__ import annotations

from typing import Dict, List, Optional, Set, Tuple

import libcst as cst

from asynclint import Rule
from asynclint.syntax import dotted_name, held_with_items, method_calls, shown

from ..primitives import CONDITION_METHODS, CONDITIONS, same_object


class ConditionWithoutLock(Rule):
    code = "ASL504"
    name = "condition-without-lock"
    summary = (
        "`Condition.wait()`/`wait_for()`/`notify()`/`notify_all()` outside `async with cond:` (or"
        " its lock): a `RuntimeError`"
    )
    message = "Condition.wait()/notify() is called without holding the condition's lock"
    rationale = """
        A Condition's wait(), wait_for(), notify() and notify_all() must be called while holding
        its lock: `async with cond:` (asyncio, trio, anyio) or `with cond:` (threading). Otherwise
        they raise RuntimeError at run time, on the path that was probably never tested.

        Held means: inside `with`/`async with` on the condition (or on the lock it was built
        with, `Condition(lock)`) in the same function, or after an acquire() of it in that
        function. A helper that is called, within the file, only from places that hold the
        condition is not flagged either. The condition is recognised through its type.
    """
    bad = """
        import asyncio


        class Feed:
            def __init__(self):
                self.items = []
                self.changed = asyncio.Condition()

            async def publish(self, item):
                self.items.append(item)
                self.changed.notify_all()
    """
    good = """
        import asyncio


        class Feed:
            def __init__(self):
                self.items = []
                self.changed = asyncio.Condition()

            async def publish(self, item):
                async with self.changed:
                    self.items.append(item)
                    self.changed.notify_all()
    """
    tokens = ("Condition",)

    def visit_Module(self, node: cst.Module) -> None:
        self._candidates: List[
            Tuple[cst.Call, str, Optional[cst.FunctionDef], cst.BaseExpression, Set[str]]
        ] = []
        self._call_sites: Dict[str, List[Set[str]]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = (
            func.attr.value
            if isinstance(func, cst.Attribute)
            else func.value
            if isinstance(func, cst.Name)
            else None
        )
        if name is None:
            return
        held = held_with_items(self.model)
        held_texts = {text for _, item in held for text in (dotted_name(item),) if text}
        for (
            _,
            item,
        ) in held:  # a condition held is its lock held, and so every condition on that lock
            if self.model.type_of(item) in CONDITIONS:
                held_texts |= self._lock_names(item)
        self._call_sites.setdefault(name, []).append(held_texts)
        if name not in CONDITION_METHODS or not isinstance(func, cst.Attribute):
            return
        condition = func.value
        if self.model.type_of(condition) not in CONDITIONS:
            return
        accepted = self._lock_names(condition)
        if (
            any(same_object(self.model, condition, item) for _, item in held)
            or accepted & held_texts
        ):
            return
        function = self.model.enclosing_def()
        if function is not None and any(
            same_object(self.model, condition, receiver)
            for _, receiver in method_calls(function, frozenset({"acquire", "acquire_nowait"}))
        ):
            return
        self._candidates.append((node, name, function, condition, accepted))

    def leave_Module(self, node: cst.Module) -> None:
        for call, method, function, condition, accepted in self._candidates:
            if function is not None:
                sites = self._call_sites.get(function.name.value, [])
                if sites and all(site & accepted for site in sites):
                    continue  # a helper only ever called with the condition held
            text = shown(condition)
            self.report(
                call,
                f"{text}.{method}() without holding {text}: it raises RuntimeError; "
                f"call it inside 'async with {text}:' (or 'with' for a threading.Condition)",
            )

    def _lock_names(self, condition: cst.BaseExpression) -> Set[str]:
        """How code may spell holding this condition: itself, or the lock it was built on."""
        names = {dotted_name(condition) or ""}
        binding_values: List[cst.CSTNode] = []
        if isinstance(condition, cst.Attribute) and isinstance(condition.value, cst.Name):
            cls = self.model.self_class(condition.value)
            if cls is not None:
                binding_values = [
                    b.node
                    for b in cls.attribute_bindings(condition.attr.value)
                    if b.node is not None
                ]
        elif isinstance(condition, cst.Name):
            _, bindings = self.model.lookup(condition.value)
            binding_values = [b.node for b in bindings if b.node is not None]
        for value in binding_values:
            if isinstance(value, cst.Call) and value.args and value.args[0].keyword in (None,):
                lock = dotted_name(value.args[0].value)
                if lock:
                    names.add(lock)
            elif isinstance(value, cst.Call):
                for arg in value.args:
                    if (
                        arg.keyword is not None
                        and arg.keyword.value == "lock"
                        and dotted_name(arg.value)
                    ):
                        names.add(dotted_name(arg.value) or "")
        names.discard("")
        return names
