"""What the lock and queue rules (ASL5xx, ASL6xx, ASL801) share: the primitives they know, as data,
and how they name one lock or queue so that two places in the code can be compared.

Primitives are recognised only through the model's type tracking (a construction, an annotation,
``self.x`` set in any method); a receiver of unknown type is never guessed at from its name.

Identity: a lock or queue is named by where it lives, so that a project-wide source of facts can
use the same names: ``pkg.mod.NAME`` for a module global (also when imported: the import resolves
to the defining module), ``pkg.mod.Class.attr`` for an attribute set on ``self`` (named after the
class, among the class and its bases in this file, that sets it), ``pkg.mod.func.<locals>.name`` for
a local. A parameter has no identity: it is whatever the caller passes.
"""

from __future__ import annotations

from typing import List, Optional

import libcst as cst

from asynclint.model import BindingKind, ClassInfo, Scope, ScopeKind, SemanticModel
from asynclint.syntax import dotted_name

from .catalogue import CONTEXT_MANAGER_DECORATORS

# -- the primitives -----------------------------------------------------------------------------

#: Locks that block the calling thread while they wait: in a coroutine, the event loop waits too.
THREAD_LOCKS = frozenset(
    {
        "threading.Lock",
        "threading.RLock",
        "threading.Semaphore",
        "threading.BoundedSemaphore",
        "threading.Condition",
        "multiprocessing.Lock",
        "multiprocessing.RLock",
        "multiprocessing.Semaphore",
        "multiprocessing.BoundedSemaphore",
        "multiprocessing.Condition",
    }
)

#: Locks and semaphores acquired with ``await x.acquire()`` and released with ``x.release()``.
ASYNC_LOCKS = frozenset(
    {
        "asyncio.Lock",
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
        "asyncio.Condition",
        "trio.Lock",
        "trio.StrictFIFOLock",
        "trio.Semaphore",
        "trio.CapacityLimiter",
        "trio.Condition",
        "anyio.Lock",
        "anyio.Semaphore",
        "anyio.CapacityLimiter",
        "anyio.Condition",
    }
)

#: Everything whose only purpose is to exclude: creating one per use excludes nothing.
EXCLUDERS = THREAD_LOCKS | ASYNC_LOCKS

#: Mutual exclusion (one holder at a time): taking two of them in opposite orders can deadlock.
#: Semaphores and capacity limiters admit several holders and are left out.
MUTEXES = frozenset(
    {
        "threading.Lock",
        "threading.RLock",
        "threading.Condition",
        "multiprocessing.Lock",
        "multiprocessing.RLock",
        "multiprocessing.Condition",
        "asyncio.Lock",
        "asyncio.Condition",
        "trio.Lock",
        "trio.StrictFIFOLock",
        "trio.Condition",
        "anyio.Lock",
        "anyio.Condition",
    }
)

#: Conditions, whose wait/notify need their lock held (RuntimeError otherwise).
CONDITIONS = frozenset(
    {
        "threading.Condition",
        "multiprocessing.Condition",
        "asyncio.Condition",
        "trio.Condition",
        "anyio.Condition",
    }
)
CONDITION_METHODS = frozenset({"wait", "wait_for", "notify", "notify_all", "notifyAll"})

#: Events a task can await instead of polling a flag.
ASYNC_EVENTS = frozenset({"asyncio.Event", "trio.Event", "anyio.Event"})

#: Queues that count unfinished items: join() waits until task_done() was called for each put().
#: asyncio's are awaited; the thread and process ones block (and are flagged the same way).
JOINABLE_QUEUES = frozenset(
    {
        "asyncio.Queue",
        "asyncio.LifoQueue",
        "asyncio.PriorityQueue",
        "queue.Queue",
        "queue.LifoQueue",
        "queue.PriorityQueue",
        "multiprocessing.JoinableQueue",
    }
)
ASYNC_QUEUES = frozenset({"asyncio.Queue", "asyncio.LifoQueue", "asyncio.PriorityQueue"})

#: The framework's own primitives, suggested in messages.
ASYNC_LOCK = {"asyncio": "asyncio.Lock", "trio": "trio.Lock", "anyio": "anyio.Lock"}
ASYNC_EVENT = {"asyncio": "asyncio.Event", "trio": "trio.Event", "anyio": "anyio.Event"}

#: Decorators that turn a generator into a sync context manager, by last name part.
SYNC_CONTEXT_MANAGER_DECORATORS = frozenset(
    name for name, is_async in CONTEXT_MANAGER_DECORATORS.items() if not is_async
)

# -- naming a lock or queue ---------------------------------------------------------------------


def scope_path(scope: Optional[Scope]) -> str:
    """``Class.method`` for the scope's definitions, outermost first; empty at module level."""
    parts: List[str] = []
    while scope is not None and scope.kind != ScopeKind.MODULE:
        node = scope.node
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            parts.append(node.name.value)
        elif isinstance(node, cst.Lambda):
            parts.append("<lambda>")
        scope = scope.parent
    return ".".join(reversed(parts))


def identity(
    model: SemanticModel, node: cst.BaseExpression, scope: Optional[Scope] = None, _depth: int = 0
) -> Optional[str]:
    """The stable name of the object ``node`` refers to (see the module docstring), or None."""
    if isinstance(node, cst.Name):
        owner, bindings = model.lookup(node.value, scope)
        if owner is None or not bindings:
            return None
        if any(b.kind == BindingKind.IMPORT for b in bindings):
            return model.qualified_name(node, scope)
        if any(b.kind == BindingKind.PARAM for b in bindings):
            return None
        if owner.kind == ScopeKind.MODULE:
            return f"{model.module_name}.{node.value}"
        if owner.kind == ScopeKind.CLASS:
            return None
        if (
            len(bindings) == 1
            and bindings[0].kind == BindingKind.ASSIGN
            and isinstance(bindings[0].node, (cst.Name, cst.Attribute))
        ):
            if _depth < 4:  # an alias (``q = self._queue``) names what it was assigned from
                return identity(model, bindings[0].node, owner, _depth + 1)
            return None
        return f"{model.module_name}.{scope_path(owner)}.<locals>.{node.value}"
    if isinstance(node, cst.Attribute):
        if isinstance(node.value, cst.Name):
            cls = model.self_class(node.value, scope)
            if cls is not None:
                holder = defining_class(cls, node.attr.value) or cls
                return f"{model.module_name}.{scope_path(holder.scope)}.{node.attr.value}"
        qualname = model.qualified_name(node, scope)
        if qualname is not None and not qualname.startswith("builtins."):
            return qualname
    return None


def defining_class(cls: ClassInfo, attribute: str, depth: int = 0) -> Optional[ClassInfo]:
    """The first class, in ``cls`` and its bases defined in this file, that sets ``attribute``."""
    if depth > 8:
        return None
    if cls.attribute_bindings(attribute) or attribute in cls.scope.bindings():
        return cls
    for base in cls.bases():
        found = defining_class(base, attribute, depth + 1)
        if found is not None:
            return found
    return None


def same_object(
    model: SemanticModel,
    a: cst.BaseExpression,
    b: cst.BaseExpression,
    scope_a: Optional[Scope] = None,
    scope_b: Optional[Scope] = None,
) -> bool:
    """Whether two expressions certainly name the same lock or queue: same identity, or, within one
    function, the same dotted text (a parameter used twice)."""
    ident_a = identity(model, a, scope_a)
    if ident_a is not None:
        return ident_a == identity(model, b, scope_b)
    text_a = dotted_name(a)
    return text_a is not None and text_a == dotted_name(b)
