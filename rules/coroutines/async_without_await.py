"""ASL201-ASL205: async objects used the sync way, and coroutine functions where they cannot run."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.fixes import can_await_here, reference_expression
from asynclint.knowledge import EVENT_LOOP
from asynclint.model import ClassInfo, dotted_name
from asynclint.tree import child_nodes

from ..catalogue import LIBRARY_COROUTINES
from .protocols import LIBRARY_SUPPORT, AsyncProtocols, async_only

#: Tokens of files that can use an async object: coroutines and async generators ("async"), classes
#: that define the async protocols, and the libraries whose async-only classes are catalogued.
_ASYNC_OBJECT_TOKENS = (
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


def _shown(expression: cst.BaseExpression) -> str:
    """A short name for an expression in a message: ``asyncio.Lock()``, ``self._lock``."""
    if isinstance(expression, cst.Call):
        name = dotted_name(expression.func)
        return f"{name}()" if name else "this object"
    return dotted_name(expression) or "this object"


class SyncWithAsyncContextManager(Rule):
    code = "ASL201"
    name = "sync-with-async-context-manager"
    message = "a plain 'with' on an async context manager fails at run time; use 'async with'"
    rationale = """
        An async context manager enters and exits with awaits (__aenter__, __aexit__). A plain
        'with' looks for __enter__ and raises at run time (AttributeError, TypeError: "... does not
        support the context manager protocol", or aiohttp's "Use async with instead"), so the lock
        is never taken and the session never opened.

        Recognised: asyncio locks, semaphores and conditions, asyncio.timeout(), TaskGroup, trio and
        anyio locks, semaphores, capacity limiters, nurseries and task groups, aiohttp's ClientSession
        and its request managers (session.get()...), httpx.AsyncClient, aiofiles.open(), redis.asyncio
        clients, pipelines and locks, websockets' connect/serve and SQLAlchemy's async sessions and
        engines; names and self. attributes bound from them or annotated with their types; classes
        of the same file with __aenter__ and no __enter__ (through their bases in the file); and
        functions decorated with @asynccontextmanager.

        Not flagged: trio.move_on_after, trio.fail_after, trio.CancelScope and their anyio
        counterparts, which are plain context managers; classes with both __enter__ and __aenter__;
        memory channels and streams, which close with either form; anything whose type is unknown.

        Inside a coroutine the fix turns the statement into 'async with' (when every item supports
        it). Elsewhere it is reported without a fix: the function itself has to become async.
    """
    bad = """
        class Cache:
            def __init__(self):
                self._lock = asyncio.Lock()

            async def refresh(self):
                with self._lock:
                    self._data = await load()
    """
    good = """
            async def refresh(self):
                async with self._lock:
                    self._data = await load()
    """
    fix_kind = FixKind.SAFE
    tokens = _ASYNC_OBJECT_TOKENS

    def __init__(self, run) -> None:
        super().__init__(run)
        self.protocols = AsyncProtocols(self.model)

    def visit_With(self, node: cst.With) -> None:
        if node.asynchronous is not None:
            return
        supports = [self.protocols.of_expression(item.item) for item in node.items]
        offending = [
            item.item for item, support in zip(node.items, supports) if async_only(support, "with")
        ]
        if not offending:
            return
        fix = None
        if self.model.in_coroutine and all(
            support is not None and "__aenter__" in support for support in supports
        ):
            fix = Fix(
                node,
                node.with_changes(asynchronous=cst.Asynchronous()),
                "Use 'async with'",
                FixKind.SAFE,
            )
        message = f"{_shown(offending[0])} is an async context manager: a plain 'with' fails; use 'async with'"
        self.report(offending[0], message, fix=fix)


class SyncForAsyncIterable(Rule):
    code = "ASL202"
    name = "sync-for-async-iterable"
    message = "a plain 'for' over an async iterable fails at run time; use 'async for'"
    rationale = """
        An async iterable hands out its items through awaits (__aiter__, __anext__). A plain 'for'
        looks for __iter__ and raises TypeError ("'async_generator' object is not iterable") the
        moment the loop starts.

        Recognised: calls to async generator functions (an async def that yields) of the same file,
        including methods through self.; instances of classes of the same file with __aiter__ and
        neither __iter__ nor __getitem__; and library async iterables: asyncio.StreamReader,
        aiohttp's response.content, trio and anyio receive channels and streams, websockets
        connections, aiofiles files. Comprehensions are checked too.

        Not flagged: classes that support both protocols, and anything whose type is unknown.

        Inside a coroutine the fix writes 'async for' (in a list, set or dict comprehension too,
        but not in a generator expression, which would become an async generator, nor in a
        comprehension nested in another one). Elsewhere it is reported without a fix.
    """
    bad = """
        async def rows(cursor):
            while batch := await cursor.fetchmany(100):
                for row in batch:
                    yield row

        async def export(cursor, out):
            for row in rows(cursor):
                out.write(row)
    """
    good = """
        async def export(cursor, out):
            async for row in rows(cursor):
                out.write(row)
    """
    fix_kind = FixKind.SAFE
    tokens = _ASYNC_OBJECT_TOKENS

    def __init__(self, run) -> None:
        super().__init__(run)
        self.protocols = AsyncProtocols(self.model)

    def _is_async_iterable(self, expression: cst.BaseExpression) -> bool:
        return async_only(self.protocols.of_expression(expression), "for")

    def visit_For(self, node: cst.For) -> None:
        if node.asynchronous is not None or not self._is_async_iterable(node.iter):
            return
        fix = None
        if self.model.in_coroutine:
            fix = Fix(
                node,
                node.with_changes(asynchronous=cst.Asynchronous()),
                "Use 'async for'",
                FixKind.SAFE,
            )
        self.report(node.iter, self._message(node.iter), fix=fix)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if node.asynchronous is not None or not self._is_async_iterable(node.iter):
            return
        fix = None
        if self._may_become_async_comprehension():
            replacement = node.with_changes(asynchronous=cst.Asynchronous())
            fix = Fix(node, replacement, "Use 'async for'", FixKind.SAFE)
        self.report(node.iter, self._message(node.iter), fix=fix)

    def _may_become_async_comprehension(self) -> bool:
        # Python before 3.11 refuses an async comprehension nested in a sync one; a generator
        # expression would turn into an async generator (can_await_here refuses those).
        scope = self.model.scope
        return (
            can_await_here(self.model)
            and scope.kind == "comprehension"
            and scope.parent is not None
            and scope.parent.kind != "comprehension"
        )

    @staticmethod
    def _message(iterable: cst.BaseExpression) -> str:
        return f"{_shown(iterable)} is an async iterable: a plain 'for' fails; use 'async for'"


#: The loop getter that may create a new loop, and the one that returns the running loop.
GET_EVENT_LOOP = frozenset({"asyncio.get_event_loop", "asyncio.events.get_event_loop"})
GET_RUNNING_LOOP = "asyncio.get_running_loop"


class GetEventLoopInCoroutine(Rule):
    code = "ASL203"
    name = "get-event-loop-in-coroutine"
    message = "asyncio.get_event_loop() in a coroutine: use asyncio.get_running_loop()"
    rationale = """
        A coroutine always runs in a running event loop, and asyncio.get_running_loop() returns
        exactly that loop. asyncio.get_event_loop() goes through the event loop policy instead: it is
        deprecated outside a running loop since Python 3.10/3.12, its behaviour differs between
        versions and policies, and it hides the intent. In a coroutine the two return the same
        loop, so the replacement is safe.

        Only calls that run in the coroutine itself are flagged: not in a nested sync function or
        lambda (which may be called from a thread or before the loop starts), nor in sync
        functions, where get_event_loop() may legitimately set up a loop.
    """
    bad = """
        async def fetch(url):
            loop = asyncio.get_event_loop()
            return await loop.run_in_executor(None, download, url)
    """
    good = """
        async def fetch(url):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, download, url)
    """
    fix_kind = FixKind.SAFE
    tokens = ("get_event_loop",)

    def visit_Call(self, node: cst.Call) -> None:
        if (
            not self.model.in_coroutine
            or self.model.qualified_name(node.func) not in GET_EVENT_LOOP
        ):
            return
        if node.args:
            return  # get_event_loop() takes no arguments: this is not the asyncio function
        message = "Replace with asyncio.get_running_loop()"
        if isinstance(node.func, cst.Attribute):  # keep the module as the file spells it
            fix = Fix(node.func.attr, cst.Name("get_running_loop"), message, FixKind.SAFE)
        else:
            func, imports = reference_expression(self.model, GET_RUNNING_LOOP)
            fix = Fix(node.func, func, message, FixKind.SAFE, imports)
        self.report(node, fix=fix)


#: Functions that call a function argument synchronously, discarding what it returns:
#: qualified name -> (position of the callback, its keyword or None when positional only).
SYNC_CALLERS = {
    "asyncio.to_thread": (0, None),
    "asyncio.threads.to_thread": (0, None),
    "threading.Thread": (1, "target"),
    "threading.Timer": (1, "function"),
    "signal.signal": (1, "handler"),
    "atexit.register": (0, None),
    "trio.to_thread.run_sync": (0, None),
    "trio.from_thread.run_sync": (0, None),
    "anyio.to_thread.run_sync": (0, None),
    "anyio.to_process.run_sync": (0, None),
    "anyio.from_thread.run_sync": (0, None),
    "concurrent.futures.ThreadPoolExecutor.submit": (0, None),
    "concurrent.futures.ProcessPoolExecutor.submit": (0, None),
}

#: Methods that do the same, matched by name on any receiver: these names belong to event loops
#: (call_soon...), futures and tasks (add_done_callback) and trio tokens (run_sync_soon).
SYNC_CALLING_METHODS = {
    "call_soon": (0, None),
    "call_soon_threadsafe": (0, None),
    "call_later": (1, None),
    "call_at": (1, None),
    "run_in_executor": (1, None),
    "add_done_callback": (0, None),
    "add_signal_handler": (1, None),
    "add_reader": (1, None),
    "add_writer": (1, None),
    "run_sync_soon": (0, None),
}

#: Receivers of SYNC_CALLING_METHODS, when the receiver's type is known.
LOOPS_AND_FUTURES = frozenset(
    {
        EVENT_LOOP,
        "asyncio.Future",
        "asyncio.Task",
        "concurrent.futures.Future",
        "trio.lowlevel.TrioToken",
    }
)

#: Wrappers whose first argument is the function that ends up being called.
PARTIALS = frozenset({"functools.partial"})


class CoroutineFunctionPassedToSyncCaller(Rule):
    code = "ASL204"
    name = "coroutine-function-as-sync-callback"
    message = "a coroutine function is passed to an API that calls it synchronously: its coroutine never runs"
    rationale = """
        loop.call_soon(), call_later(), call_at(), call_soon_threadsafe(), run_in_executor(),
        add_signal_handler(), add_reader()/add_writer(), add_done_callback(), asyncio.to_thread(),
        trio's and anyio's to_thread.run_sync(), threading.Thread(target=...), threading.Timer,
        executor.submit(), signal.signal() and atexit.register() call their callback like a plain
        function. Given an async function, that call only creates a coroutine object, which
        is then dropped: the body never runs (Python at most warns "coroutine ... was never
        awaited", often long after the fact).

        Recognised callbacks: async functions and methods of the same file (self. methods through
        the class and its bases), library coroutine functions, those wrapped in functools.partial,
        and lambdas whose body just calls one of them.

        Not flagged: sync functions, and lambdas that schedule the coroutine properly, such as
        lambda: asyncio.create_task(refresh()). The loop and future method names are matched on
        receivers of unknown type, but not on a class's own methods (self.call_later of a UI
        framework may well await what it is given) nor on receivers of another known type. To run a coroutine from a callback, schedule it
        with asyncio.create_task() (or asyncio.run_coroutine_threadsafe() from another thread); in
        a thread, run it with asyncio.run().
    """
    bad = """
        async def refresh():
            ...

        def start(loop):
            loop.call_later(60, refresh)
    """
    good = """
        def start(loop):
            loop.call_later(60, lambda: asyncio.create_task(refresh()))
    """
    tokens = tuple(
        sorted(
            {
                *SYNC_CALLING_METHODS,
                "to_thread",
                "Thread",
                "Timer",
                "signal",
                "atexit",
                "run_sync",
                "submit",
            }
        )
    )

    def visit_Call(self, node: cst.Call) -> None:
        api = self._sync_caller(node)
        if api is None:
            return
        shown, (position, keyword) = api
        argument = _argument(node, position, keyword)
        if argument is None:
            return
        called = self._coroutine_function(argument)
        if called is None:
            return
        if isinstance(argument, cst.Lambda):
            message = f"{shown}() calls this lambda synchronously: the coroutine of {called}() is created and never runs"
        else:
            message = (
                f"{shown}() calls {called}() synchronously: the coroutine it creates never runs"
            )
        self.report(argument, message)

    def _sync_caller(self, node: cst.Call) -> Optional[Tuple[str, Tuple[int, Optional[str]]]]:
        func = node.func
        qualname = self.model.qualified_name(func)
        if qualname in SYNC_CALLERS:
            return dotted_name(func) or qualname, SYNC_CALLERS[qualname]
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        receiver_type = self.model.type_of(func.value)
        if method in SYNC_CALLING_METHODS and self._may_be_loop_or_future(
            func.value, receiver_type
        ):
            return dotted_name(func) or method, SYNC_CALLING_METHODS[method]
        if receiver_type is not None and f"{receiver_type}.{method}" in SYNC_CALLERS:
            return dotted_name(func) or method, SYNC_CALLERS[f"{receiver_type}.{method}"]
        return None

    def _may_be_loop_or_future(
        self, receiver: cst.BaseExpression, receiver_type: Optional[str]
    ) -> bool:
        """Method names are matched on unknown receivers too, but not on a class's own methods
        (``self.call_later`` of a UI framework may await what it is given) nor on other known types."""
        if receiver_type is not None:
            return receiver_type in LOOPS_AND_FUTURES
        return not (isinstance(receiver, cst.Name) and self.model.self_class(receiver) is not None)

    def _coroutine_function(self, expression: cst.BaseExpression) -> Optional[str]:
        """The name of the coroutine function ``expression`` is (or a lambda just calls), else None."""
        if (
            isinstance(expression, cst.Call)
            and self.model.qualified_name(expression.func) in PARTIALS
        ):
            wrapped = _argument(expression, 0, None)
            return self._coroutine_function(wrapped) if wrapped is not None else None
        if isinstance(expression, cst.Lambda):
            body = expression.body
            if not isinstance(body, cst.Call) or _names_parameter(expression, body.func):
                return None
            return self._coroutine_function(body.func)
        if not isinstance(expression, (cst.Name, cst.Attribute)):
            return None
        symbol = self.model.callee(
            cst.Call(func=expression)
        )  # what calling the reference would reach
        if symbol is not None:
            return _shown(expression) if symbol.is_async else None
        qualname = self.model.qualified_name(expression)
        if qualname is not None and (
            qualname in LIBRARY_COROUTINES or qualname in self.model.setting("coroutine-functions")
        ):
            return _shown(expression)
        return None


def _argument(
    call: cst.Call, position: int, keyword: Optional[str]
) -> Optional[cst.BaseExpression]:
    """The argument at ``position`` (or passed as ``keyword``), when it can be told for certain."""
    index = 0
    for arg in call.args:
        if arg.keyword is not None:
            if keyword is not None and arg.keyword.value == keyword:
                return arg.value
            continue
        if arg.star:
            return None  # *args: the positions after it are unknown
        if index == position:
            return arg.value
        index += 1
    return None


def _names_parameter(function: cst.Lambda, func: cst.BaseExpression) -> bool:
    root = dotted_name(func)
    if root is None:
        return True
    root = root.split(".")[0]
    params = function.params
    names = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.add(star.name.value)
    return root in names


#: Frameworks that load plugin modules and await their module-level functions by name:
#: root module -> prefix of those functions' names.
FRAMEWORK_HOOK_PREFIXES = {
    "homeassistant": "async_",  # integrations: async_setup_entry, async_get_config_entry_diagnostics...
}


class AsyncFunctionWithoutAwait(Rule):
    code = "ASL205"
    name = "async-without-await"
    message = "async function never awaits; it could be a plain function"
    rationale = """
        An async def whose body never awaits, and has no 'async for' or 'async with', gains nothing
        from being a coroutine: each call costs a coroutine object and a trip through the event loop,
        every caller must await it, and a reader expects it to wait on something. Often it is a sign
        that an 'await' was forgotten, or that the function should be a plain def.

        Not flagged, because the async signature is required from outside: methods that override a
        method of a base class (or whose base classes are not all known), methods overridden in a
        subclass of the same file, protocol methods (__aenter__, __aexit__, __anext__...), decorated
        functions (route handlers, fixtures, callbacks registered by a framework), functions the
        file hands on uncalled (a callback, a table entry) or calls without awaiting on the spot
        (the coroutine itself is wanted: return f(), wait_for(f(), 1)), functions defined twice
        (an if/else or try/except ImportError alternative), module-level async_* functions of Home
        Assistant integrations (the loader awaits them by name), async generators, and stubs whose
        body is only a docstring, pass, ... or raise.

        Off by default: interfaces that expect async callables (handlers, hooks) are common and
        cannot always be seen from the file.
    """
    bad = """
        async def get_setting(name):
            return SETTINGS[name]
    """
    good = """
        def get_setting(name):
            return SETTINGS[name]
    """
    default = False
    tokens = ("async",)

    def __init__(self, run) -> None:
        super().__init__(run)
        self._overridden: Optional[set] = None
        self._uses: Optional[set] = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None or node.decorators:
            return
        name = node.name.value
        if name.startswith("__") and name.endswith("__"):
            return
        if _is_stub(node) or _awaits(node):
            return
        if name in self._value_uses() or self._redefined(name) or self._framework_hook(name):
            return
        if self._required_by_class(node):
            return
        self.report(node.name, f"async def {name}() never awaits; it could be a plain def")

    def _value_uses(self) -> set:
        if self._uses is None:
            self._uses = _names_used_as_awaitables(self.model.module)
        return self._uses

    def _redefined(self, name: str) -> bool:
        """Defined more than once in its scope (if/else, try/except ImportError): the other
        definition, which may await, fixes the signature."""
        owner = self.model.scope.parent
        return owner is not None and len(owner.bindings().get(name, [])) > 1

    def _framework_hook(self, name: str) -> bool:
        if self.model.scope.parent is not self.model.module_scope:
            return False
        imported = {self.model.module_name.split(".")[0]}
        imported.update(
            (binding.qualname or "").lstrip(".").split(".")[0]
            for bindings in self.model.module_scope.bindings().values()
            for binding in bindings
            if binding.kind == "import"
        )
        return any(
            root in imported and name.startswith(prefix)
            for root, prefix in FRAMEWORK_HOOK_PREFIXES.items()
        )

    def _required_by_class(self, node: cst.FunctionDef) -> bool:
        scope = self.model.scope.parent  # the function's own scope is current; its owner is next
        if scope is None or scope.kind != "class":
            return False
        cls = ClassInfo(self.model, scope.node, scope)  # type: ignore[arg-type]
        name = node.name.value
        if (id(scope.node), name) in self._overridden_methods():
            return True
        outer = scope.parent or self.model.module_scope
        for base in cls.node.bases:
            if base.keyword is not None:
                continue
            expression = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            qualname = self.model.qualified_name(expression, outer)
            if qualname in LIBRARY_SUPPORT:
                continue  # object, ABC, Generic, Protocol...: they define no such method
            symbol = self.model.symbol(qualname) if qualname else None
            if symbol is None or not isinstance(symbol.node, cst.ClassDef):
                return True  # an unknown base may declare it async
            if self.model.class_info(symbol.node, self.model.module_scope).method(name) is not None:
                return True
            if self._has_unknown_bases(symbol.node):
                return True
        return False

    def _has_unknown_bases(self, node: cst.ClassDef, depth: int = 0) -> bool:
        if depth > 8:
            return True
        for base in node.bases:
            if base.keyword is not None:
                continue
            expression = base.value.value if isinstance(base.value, cst.Subscript) else base.value
            qualname = self.model.qualified_name(expression, self.model.module_scope)
            if qualname in LIBRARY_SUPPORT:
                continue
            symbol = self.model.symbol(qualname) if qualname else None
            if symbol is None or not isinstance(symbol.node, cst.ClassDef):
                return True
            if self._has_unknown_bases(symbol.node, depth + 1):
                return True
        return False

    def _overridden_methods(self) -> set:
        """(id of a module-level class, method name) for methods that a subclass in this file redefines."""
        if self._overridden is None:
            self._overridden = set()
            classes = {
                f"{self.model.module_name}.{statement.name.value}": statement
                for statement in _module_statements(self.model.module)
                if isinstance(statement, cst.ClassDef)
            }
            for statement in classes.values():
                own = {s.name.value for s in _class_functions(statement)}
                for base in statement.bases:
                    if base.keyword is not None:
                        continue
                    expression = (
                        base.value.value if isinstance(base.value, cst.Subscript) else base.value
                    )
                    base_node = classes.get(
                        self.model.qualified_name(expression, self.model.module_scope) or ""
                    )
                    if base_node is not None:
                        self._overridden.update((id(base_node), method) for method in own)
        return self._overridden


def _module_statements(module: cst.Module):
    return module.body


def _class_functions(node: cst.ClassDef):
    if isinstance(node.body, cst.IndentedBlock):
        for statement in node.body.body:
            if isinstance(statement, cst.FunctionDef):
                yield statement


def _is_stub(node: cst.FunctionDef) -> bool:
    """Only a docstring, pass, ... or raise: an interface (or a stand-in), not an implementation."""
    body = node.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else [body]
    for statement in statements:
        smalls = (
            statement.body
            if isinstance(statement, (cst.SimpleStatementLine, cst.SimpleStatementSuite))
            else None
        )
        if smalls is None:
            return False
        for small in smalls:
            if isinstance(small, cst.Pass):
                continue
            if isinstance(small, cst.Expr) and isinstance(
                small.value, (cst.Ellipsis, cst.SimpleString, cst.ConcatenatedString)
            ):
                continue
            if isinstance(small, cst.Raise):
                continue  # raise NotImplementedError, or an implementation that only refuses
            return False
    return True


def _awaits(function: cst.FunctionDef) -> bool:
    """The function's own body awaits, yields (an async generator) or uses async for/with."""
    pending = list(child_nodes(function.body))
    while pending:
        node = pending.pop()
        if isinstance(node, (cst.Await, cst.Yield)):
            return True
        if isinstance(node, (cst.For, cst.With, cst.CompFor)) and node.asynchronous is not None:
            return True
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        pending.extend(child_nodes(node))
    return False


def _names_used_as_awaitables(module: cst.Module) -> set:
    """Names (last parts) of functions the file uses other than by awaiting a call at once:
    passed, stored or returned uncalled (``watch(f)``, ``{"a": f}``), or called without awaiting
    the result on the spot (``return f()``, ``wait_for(f(), 1)``). Such a function must stay a
    coroutine function for whoever receives it. Matched by name, which errs towards silence."""
    used: set = set()
    pending = [(module, None)]
    while pending:
        node, parent = pending.pop()
        children: list = []
        if isinstance(node, cst.Call):
            called = _last_part(node.func)
            if called is not None and not isinstance(parent, cst.Await):
                used.add(called)
            if isinstance(node.func, cst.Attribute):
                children.append(node.func.value)
            elif not isinstance(node.func, cst.Name):
                children.append(node.func)
            children.extend(node.args)
        elif isinstance(node, cst.Name):
            used.add(node.value)
        elif isinstance(node, cst.Attribute):
            used.add(node.attr.value)
            children.append(node.value)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            pass
        else:
            skipped = _DEFINITION_NAMES.get(type(node))
            children = [
                child
                for child in child_nodes(node)
                if skipped is None or child is not getattr(node, skipped)
            ]
        pending.extend((child, node) for child in children)
    return used


#: Fields that name what a node defines, rather than use.
_DEFINITION_NAMES = {
    cst.FunctionDef: "name",
    cst.ClassDef: "name",
    cst.Param: "name",
    cst.Arg: "keyword",
}


def _last_part(expression: cst.BaseExpression) -> Optional[str]:
    if isinstance(expression, cst.Name):
        return expression.value
    if isinstance(expression, cst.Attribute):
        return expression.attr.value
    return None
