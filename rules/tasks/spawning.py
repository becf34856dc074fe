"""Which calls start a task that nobody keeps, and where a task ends up: what the ASL4xx rules
share."""

from __future__ import annotations

from typing import Optional, Set, Tuple, cast

import libcst as cst

from asynclint.index import nearest_goal
from asynclint.knowledge import EVENT_LOOP
from asynclint.model import BindingKind, Scope, ScopeKind, SemanticModel, decorator_name
from asynclint.syntax import walk

from ..catalogue import LOOP_TASK_SPAWNERS, TASK_SPAWNERS
from .catalogue import TASK_METHODS_THAT_DO_NOT_KEEP


def names_in(node: cst.CSTNode) -> Set[str]:
    return {n.value for n in walk(node, into_scopes=True) if isinstance(n, cst.Name)}


def function_scope(model: SemanticModel, function: cst.FunctionDef) -> Scope:
    return Scope(ScopeKind.FUNCTION, function, model.module_scope)


def spawner_name(
    model: SemanticModel, call: cst.Call, scope: Optional[Scope] = None, depth: int = 0
) -> Optional[str]:
    """What a call that returns a new task no one else holds is called, else None: create_task(),
    ensure_future(), loop.create_task(), or a function of this file that returns such a task."""
    func = call.func
    qualname = model.qualified_name(func, scope)
    if qualname in TASK_SPAWNERS:
        return qualname.rsplit(".", 1)[-1]
    if isinstance(func, cst.Attribute) and func.attr.value in LOOP_TASK_SPAWNERS:
        if model.type_of(func.value, scope) == EVENT_LOOP:
            return f"loop.{func.attr.value}"
    if depth > 3:
        return None
    definition = None
    if qualname is not None and not qualname.startswith(model.module_name + "."):
        return indexed_spawner(model.index, qualname)  # another file of the project
    if scope is None:
        callee = model.callee(call)
        definition = callee.node if callee is not None else None
    elif qualname is not None:
        symbol = model.symbol(qualname)
        definition = symbol.node if symbol is not None else None
    if isinstance(definition, cst.FunctionDef) and returns_unkept_task(
        model, definition, depth + 1
    ):
        return definition.name.value
    return None


def indexed_spawner(index, qualname: str) -> Optional[str]:
    """The name of a project function in another file that returns the task it starts without
    keeping it (``return asyncio.create_task(c)``, or a call of another such function, at most
    three deep), from the project index; None otherwise. Only the direct ``return <spawn>(...)``
    form is known there. Memoised per run, the same answer whichever function was asked first."""
    key = ("indexed-spawner", qualname)
    memo = index.memo
    if key not in memo:
        memo[key] = None
        if index.is_project(qualname) and nearest_goal(
            qualname, lambda name: _spawner_step(index, name), 3
        ):
            symbol = index.lookup(qualname)
            memo[key] = symbol.qualname.rsplit(".", 1)[-1] if symbol is not None else qualname
    return memo[key]


def _spawner_step(index, qualname: str) -> Tuple[Optional[bool], Tuple[str, ...]]:
    """Whether a project function returns a task spawner's result directly, and which project
    functions' results it returns."""
    returned = [site.target for site in index.calls(qualname) if site.returned and not site.awaited]
    if any(target in TASK_SPAWNERS for target in returned):
        return True, ()
    return None, tuple(target for target in returned if index.is_project(target))


def returns_unkept_task(model: SemanticModel, function: cst.FunctionDef, depth: int = 0) -> bool:
    """The function returns a task it started without keeping a reference to it anywhere:
    ``return asyncio.create_task(c)``, or ``task = ...; return task`` with no other use of
    ``task``.

    Only answers to a question asked from outside (``depth`` 0 or 1) are memoised and reused:
    inside another question a function has less depth left and may meet the cycle guard, so
    its answer there is not a fact, and findings would depend on the order of the questions."""
    outermost = depth <= 1
    key = ("returns_unkept_task", function)
    if outermost:
        cached = model.memo.get(key)
        if isinstance(cached, bool):
            return cached
    # the functions whose answer is being worked out (a cycle guard)
    asking = cast(
        Set[cst.FunctionDef], model.memo.setdefault(("returns_unkept_task", "asking"), set())
    )
    if function in asking:
        return False  # a cycle: nothing more to find this way
    asking.add(function)
    try:
        answer = _returns_unkept_task(model, function, depth)
    finally:
        asking.discard(function)
    if outermost:
        model.memo[key] = answer
    return answer


def _returns_unkept_task(model: SemanticModel, function: cst.FunctionDef, depth: int) -> bool:
    if all(decorator_name(d) in ("staticmethod", "classmethod") for d in function.decorators):
        scope = function_scope(model, function)
        for node in walk(function.body, into_scopes=False):
            if not isinstance(node, cst.Return) or node.value is None:
                continue
            value = node.value
            if isinstance(value, cst.Call) and spawner_name(model, value, scope, depth) is not None:
                return True
            if isinstance(value, cst.Name) and _local_task_unkept(
                model, function, value.value, scope, depth
            ):
                return True
    return False


def _local_task_unkept(
    model: SemanticModel, function: cst.FunctionDef, name: str, scope: Scope, depth: int
) -> bool:
    bindings = scope.bindings().get(name, [])
    if (
        len(bindings) != 1
        or bindings[0].kind != BindingKind.ASSIGN
        or not isinstance(bindings[0].node, cst.Call)
    ):
        return False
    if spawner_name(model, bindings[0].node, scope, depth) is None:
        return False
    uses = [
        n
        for n in walk(function.body, into_scopes=True)
        if isinstance(n, cst.Name) and n.value == name
    ]
    # the assignment target, the return, and nothing but callbacks besides
    return len(uses) - _harmless_uses(function.body, name) <= 2


def _harmless_uses(body: cst.CSTNode, name: str) -> int:
    count = 0
    for node in walk(body, into_scopes=True):
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == name
            and node.func.attr.value in TASK_METHODS_THAT_DO_NOT_KEEP
        ):
            count += 1
    return count


def unused_local(model: SemanticModel, target: cst.BaseExpression) -> Optional[str]:
    """The name of a function-local ``target`` that is never read in the function, else None."""
    if not isinstance(target, cst.Name):
        return None
    function = model.enclosing_def()
    scope = model.enclosing_function()
    if function is None or scope is None:
        return None
    owner, _ = model.lookup(target.value)
    if owner is not scope:
        return None  # global, nonlocal or a comprehension's
    uses = [
        n
        for n in walk(function.body, into_scopes=True)
        if isinstance(n, cst.Name) and n.value == target.value
    ]
    harmless = _harmless_uses(function.body, target.value)
    return target.value if len(uses) - harmless <= 1 else None


COLLECTION_LITERALS = (cst.List, cst.Set, cst.Tuple)


SEQUENCE_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp)
