"""Which values support only ``async with`` or only ``async for``: one question, several sources.

``with x:`` needs ``__enter__`` and ``for v in x:`` needs ``__iter__`` (or the old ``__getitem__``
protocol); their async forms need ``__aenter__`` and ``__aiter__``. ASL201 and ASL202 ask one
question, ``AsyncProtocols.support(qualname)``: which of these methods does a value of
``qualname`` have? For a class, its instances; for a function, what calling it returns. The
answer is a frozenset of the four dunder names, or None when it cannot be known (an unresolvable
base class, an unknown decorator, a plain function whose result depends on its body).

Sources, in order:

* ``LIBRARY_SUPPORT`` below: library classes, including the sync look-alikes (``trio.move_on_after``
  is a plain context manager), so that a class deriving from one is answered too;
* definitions in this file: a class through its bases, a function decorated with
  ``asynccontextmanager`` (or ``contextmanager``), a generator or async generator function;
* a definition the project index knows without its syntax tree: the index may attach the same
  facts to its Symbol as ``support`` (see ``support_of_symbol``).

Library functions are typed through ``knowledge.FACTORY_TYPES`` (``asyncio.timeout`` ->
``asyncio.Timeout``), so that the question is always asked about a class or a definition.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Optional

import libcst as cst

from asynclint.index import Symbol
from asynclint.model import SemanticModel
from asynclint.syntax import NESTED_SCOPES, child_nodes, dotted_name

from ..catalogue import CONTEXT_MANAGER_DECORATORS

ENTER, AENTER, ITER, AITER = "__enter__", "__aenter__", "__iter__", "__aiter__"
PROTOCOL_DUNDERS = frozenset({ENTER, AENTER, ITER, AITER})
Support = FrozenSet[str]

_NOTHING: Support = frozenset()
_ASYNC_CM: Support = frozenset({AENTER})
_SYNC_CM: Support = frozenset({ENTER})
_BOTH_CM: Support = frozenset({ENTER, AENTER})
_ASYNC_ITER: Support = frozenset({AITER})
_SYNC_ITER: Support = frozenset({ITER})

#: What instances of library classes support. Classes whose ``__enter__`` exists only to raise
#: ("use async with instead", aiohttp's ClientSession) count as async-only. Sync look-alikes are
#: listed as well: they are the near misses a name-based check would get wrong.
LIBRARY_SUPPORT: Dict[str, Support] = {
    # Neutral bases: they add nothing, so a class deriving from them is judged by its own body.
    "builtins.object": _NOTHING,
    "builtins.Exception": _NOTHING,
    "builtins.BaseException": _NOTHING,
    "abc.ABC": _NOTHING,
    "typing.Generic": _NOTHING,
    "typing.Protocol": _NOTHING,
    "typing_extensions.Protocol": _NOTHING,
    "enum.Enum": _NOTHING,
    # Abstract bases that supply a default method.
    "contextlib.AbstractAsyncContextManager": _ASYNC_CM,
    "typing.AsyncContextManager": _ASYNC_CM,
    "contextlib.AbstractContextManager": _SYNC_CM,
    "typing.ContextManager": _SYNC_CM,
    "collections.abc.AsyncIterator": _ASYNC_ITER,
    "collections.abc.AsyncIterable": _ASYNC_ITER,
    "collections.abc.AsyncGenerator": _ASYNC_ITER,
    "typing.AsyncIterator": _ASYNC_ITER,
    "typing.AsyncIterable": _ASYNC_ITER,
    "typing.AsyncGenerator": _ASYNC_ITER,
    "collections.abc.Iterator": _SYNC_ITER,
    "collections.abc.Iterable": _SYNC_ITER,
    "typing.Iterator": _SYNC_ITER,
    "typing.Iterable": _SYNC_ITER,
    "builtins.dict": _SYNC_ITER,
    "builtins.list": _SYNC_ITER,
    "builtins.tuple": _SYNC_ITER,
    "builtins.set": _SYNC_ITER,
    "builtins.frozenset": _SYNC_ITER,
    "builtins.str": _SYNC_ITER,
    "builtins.bytes": _SYNC_ITER,
    # asyncio: locks lost their __enter__ in Python 3.9; timeouts and task groups never had one.
    "asyncio.Lock": _ASYNC_CM,
    "asyncio.Semaphore": _ASYNC_CM,
    "asyncio.BoundedSemaphore": _ASYNC_CM,
    "asyncio.Condition": _ASYNC_CM,
    "asyncio.Timeout": _ASYNC_CM,
    "asyncio.TaskGroup": _ASYNC_CM,
    "asyncio.Server": _ASYNC_CM,
    "asyncio.StreamReader": _ASYNC_ITER,
    "asyncio.Runner": _SYNC_CM,
    "contextlib.AsyncExitStack": _ASYNC_CM,
    "contextlib.aclosing": _ASYNC_CM,
    "contextlib.ExitStack": _SYNC_CM,
    "contextlib.nullcontext": _BOTH_CM,
    # trio: synchronisation primitives and the nursery are async; cancel scopes are sync; memory
    # channels close with either form.
    "trio.Lock": _ASYNC_CM,
    "trio.StrictFIFOLock": _ASYNC_CM,
    "trio.Semaphore": _ASYNC_CM,
    "trio.CapacityLimiter": _ASYNC_CM,
    "trio.Condition": _ASYNC_CM,
    "trio.Nursery": _ASYNC_CM,  # the type knowledge gives trio.open_nursery(), the manager of one
    "trio.CancelScope": _SYNC_CM,
    "trio.MemoryReceiveChannel": frozenset({ENTER, AENTER, AITER}),
    "trio.MemorySendChannel": _BOTH_CM,
    # anyio: the same split; fail_after/move_on_after return CancelScope.
    "anyio.Lock": _ASYNC_CM,
    "anyio.Semaphore": _ASYNC_CM,
    "anyio.Condition": _ASYNC_CM,
    "anyio.CapacityLimiter": _ASYNC_CM,
    "anyio.abc.TaskGroup": _ASYNC_CM,
    "anyio.CancelScope": _SYNC_CM,
    "anyio.streams.memory.MemoryObjectReceiveStream": frozenset({ENTER, AENTER, AITER}),
    "anyio.streams.memory.MemoryObjectSendStream": _BOTH_CM,
    # HTTP and database clients whose sessions, connections and request managers are async only.
    "aiohttp.ClientSession": _ASYNC_CM,
    "aiohttp.client._RequestContextManager": _ASYNC_CM,
    "aiohttp.client._WSRequestContextManager": _ASYNC_CM,
    "aiohttp.StreamReader": _ASYNC_ITER,
    "aiohttp.ClientWebSocketResponse": frozenset({AENTER, AITER}),
    "httpx.AsyncClient": _ASYNC_CM,
    "httpx.Client": _SYNC_CM,
    "aiofiles.threadpool.AiofilesContextManager": _ASYNC_CM,
    "aiofiles.threadpool.AsyncFile": _ASYNC_ITER,
    "aiosqlite.Connection": _ASYNC_CM,
    "asyncpg.pool.Pool": _ASYNC_CM,
    "redis.asyncio.Redis": _ASYNC_CM,
    "redis.asyncio.client.Pipeline": _ASYNC_CM,
    "redis.asyncio.lock.Lock": _ASYNC_CM,
    "websockets.asyncio.client.connect": _ASYNC_CM,
    "websockets.asyncio.server.serve": _ASYNC_CM,
    "websockets.asyncio.client.ClientConnection": frozenset({AENTER, AITER}),
    "sqlalchemy.ext.asyncio.AsyncSession": _ASYNC_CM,
    "sqlalchemy.ext.asyncio.AsyncEngine": _ASYNC_CM,
    "sqlalchemy.ext.asyncio.AsyncConnection": _ASYNC_CM,
}

#: What the functions decorated to be context-manager factories return, by decorator.
CONTEXT_MANAGER_SUPPORT: Dict[str, Support] = {
    name: _ASYNC_CM if is_async else _SYNC_CM
    for name, is_async in CONTEXT_MANAGER_DECORATORS.items()
}

#: Decorators that leave what a function returns as it is.
TRANSPARENT_DECORATORS = frozenset(
    {"staticmethod", "classmethod", "abstractmethod", "wraps", "override", "final"}
)

_MAX_DEPTH = 8


def async_only(support: Optional[Support], protocol: str) -> bool:
    """``support`` is known to offer only the async form of ``protocol`` ("with" or "for")."""
    if support is None:
        return False
    sync, asynchronous = (ENTER, AENTER) if protocol == "with" else (ITER, AITER)
    return asynchronous in support and sync not in support


class AsyncProtocols:
    """Answers ``support`` questions for one file, caching per definition."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self._cache: Dict[int, Optional[Support]] = {}

    def support(self, qualname: Optional[str], _depth: int = 0) -> Optional[Support]:
        """What a value of ``qualname`` supports: a class's instances, a function's results."""
        if qualname is None or _depth > _MAX_DEPTH:
            return None
        if qualname in LIBRARY_SUPPORT:
            return LIBRARY_SUPPORT[qualname]
        symbol = self.model.symbol(qualname)
        return self.support_of_symbol(symbol, _depth) if symbol is not None else None

    def support_of_symbol(self, symbol: Symbol, _depth: int = 0) -> Optional[Support]:
        node = symbol.node
        if isinstance(node, (cst.ClassDef, cst.FunctionDef)):
            key = id(node)
            if key not in self._cache:
                self._cache[key] = None  # a class deriving from itself, through a cycle, is unknown
                if isinstance(node, cst.ClassDef):
                    self._cache[key] = self._class_support(node, _depth)
                else:
                    self._cache[key] = function_support(node)
            return self._cache[key]
        # A definition the index describes without its syntax tree (another file, a library):
        # a function carries its ``support`` (function_support of its definition); a class the
        # protocol names bound in its body and its bases' qualified names (None: unresolvable).
        if symbol.kind == "class":
            names = frozenset(
                name for name in symbol.members if name in PROTOCOL_DUNDERS or name == "__getitem__"
            )
            return self._combine(names, symbol.bases, _depth)
        return indexed_function_support(symbol)

    def of_expression(self, expression: cst.BaseExpression) -> Optional[Support]:
        """What the value of ``expression`` supports, as far as its type or its callee is known."""
        known = self.support(self.model.type_of(expression))
        if known is not None or not isinstance(expression, cst.Call):
            return known
        symbol = self.model.callee(expression)
        return self.support_of_symbol(symbol) if symbol is not None else None

    def _class_support(self, node: cst.ClassDef, depth: int) -> Optional[Support]:
        bases = []
        for base in node.bases:
            if base.keyword is not None:
                continue  # metaclass=...: special methods are looked up on the class, not it
            expression = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            bases.append(self.model.qualified_name(expression, self.model.module_scope))
        return self._combine(protocol_names(node), bases, depth)

    def _combine(self, names, bases, depth: int) -> Optional[Support]:
        found = {
            ITER if name == "__getitem__" else name for name in names
        }  # __getitem__: sequence protocol
        for base in bases:
            base_support = self.support(base, depth + 1)
            if base_support is None:
                return None  # an unknown base may define any of them
            found.update(base_support)
        return frozenset(found)


def protocol_names(node: cst.ClassDef) -> FrozenSet[str]:
    """Which of __enter__, __aenter__, __iter__, __aiter__ and __getitem__ the class body binds."""
    return frozenset(
        name
        for name in _class_body_names(node)
        if name in PROTOCOL_DUNDERS or name == "__getitem__"
    )


def function_support(node: cst.FunctionDef) -> Optional[Support]:
    """What calling ``node`` returns, when its form tells: a decorated context-manager factory,
    a generator or an async generator. None for anything else."""
    decorators = [_last_name(d.decorator) for d in node.decorators]
    known = [
        CONTEXT_MANAGER_SUPPORT[name] for name in decorators if name in CONTEXT_MANAGER_SUPPORT
    ]
    if known:
        return known[0] if len(known) == len(decorators) - _count_transparent(decorators) else None
    if any(name not in TRANSPARENT_DECORATORS for name in decorators):
        return None
    if not contains_yield(node):
        return None
    return _ASYNC_ITER if node.asynchronous is not None else _SYNC_ITER


def indexed_function_support(symbol: Symbol) -> Optional[Support]:
    """function_support for a definition the index describes (another file, a library)."""
    decorators = [name.rsplit(".", 1)[-1] for name in symbol.decorators]
    known = [
        CONTEXT_MANAGER_SUPPORT[name] for name in decorators if name in CONTEXT_MANAGER_SUPPORT
    ]
    if known:
        return known[0] if len(known) == len(decorators) - _count_transparent(decorators) else None
    if any(name not in TRANSPARENT_DECORATORS for name in decorators) or not symbol.generator:
        return None
    return _ASYNC_ITER if symbol.async_generator else _SYNC_ITER


def _count_transparent(names) -> int:
    return sum(1 for name in names if name in TRANSPARENT_DECORATORS)


def _last_name(expression: cst.BaseExpression) -> Optional[str]:
    if isinstance(expression, cst.Call):
        expression = expression.func
    name = dotted_name(expression)
    return name.rsplit(".", 1)[-1] if name else None


def _class_body_names(node: cst.ClassDef):
    """Names bound directly in a class body, through if/try blocks (version-dependent methods)."""
    pending = list(node.body.body) if isinstance(node.body, cst.IndentedBlock) else []
    while pending:
        statement = pending.pop()
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            yield statement.name.value
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                targets = []
                if isinstance(small, cst.Assign):
                    targets = [t.target for t in small.targets]
                elif isinstance(small, cst.AnnAssign):
                    targets = [small.target]
                for target in targets:
                    if isinstance(target, cst.Name):
                        yield target.value
        elif isinstance(statement, (cst.If, cst.Try, cst.Else, cst.Finally, cst.ExceptHandler)):
            body = statement.body
            if isinstance(body, cst.IndentedBlock):
                pending.extend(body.body)
            for extra in ("orelse", "finalbody"):
                value = getattr(statement, extra, None)
                if value is not None:
                    pending.append(value)
            pending.extend(getattr(statement, "handlers", ()))


def contains_yield(function: cst.FunctionDef) -> bool:
    """The function's own body yields (nested functions, lambdas and classes excluded)."""
    return _contains(function.body, (cst.Yield,))


def _contains(root: cst.CSTNode, kinds) -> bool:
    pending = list(child_nodes(root))
    while pending:
        node = pending.pop()
        if isinstance(node, kinds):
            return True
        if isinstance(node, NESTED_SCOPES):
            continue
        pending.extend(child_nodes(node))
    return False


#: Tokens of files that can use an async object: coroutines and async generators ("async"), classes
#: that define the async protocols, and the libraries whose async-only classes are catalogued.
ASYNC_OBJECT_TOKENS = (
    "async",
    "Async",
    "__aenter__",
    "__aiter__",
    "aio",
    "trio",
    "anyio",
    "httpx",
    "redis",
    "websockets",
)
