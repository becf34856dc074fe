"""ASL3xx: waits that nothing bounds.

A coroutine that awaits a remote peer, or a primitive another task is supposed to set, waits as long
as the other side takes. These rules find the awaits that no timeout bounds, the clients configured
so that nothing ever times out, and the timeout scopes that cannot fire.

What counts as a timeout is data (``TIMEOUT_SCOPES``, ``WAIT_FOR``), so is what counts as a network
operation (``NETWORK_FUNCTIONS``, ``NETWORK_METHODS``, extended by the ``timeout-calls``
configuration table). An await is bounded when a timeout scope of the same coroutine encloses it
(``async with asyncio.timeout(5)``, ``with trio.fail_after(5)``, any depth of nesting), when it is
wrapped in ``asyncio.wait_for(..., finite)``, or when the call passes a timeout argument itself.

ASL300 and ASL303 also respect timeouts that callers impose: an await in a coroutine whose every
known call site is bounded is not reported. The call sites come from the current file and, when the
project index can list them (``call_sites(qualname)``), from the rest of the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule
from asynclint.knowledge import EVENT_LOOP
from asynclint.model import Binding, dotted_name

# -- the catalogue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """Where a timeout-giving callable takes its delay or deadline: the positional index (None when
    it is keyword-only) and the keyword. Absent, or the literal None, means no deadline."""

    position: Optional[int]
    keyword: str


#: Context managers that bound the awaits in their body. asyncio's are entered with ``async with``,
#: trio's and anyio's with a plain ``with``; both spellings are accepted for all of them.
TIMEOUT_SCOPES: Dict[str, Deadline] = {
    "asyncio.timeout": Deadline(0, "delay"),
    "asyncio.timeout_at": Deadline(0, "when"),
    "asyncio.timeouts.timeout": Deadline(0, "delay"),
    "asyncio.timeouts.timeout_at": Deadline(0, "when"),
    "async_timeout.timeout": Deadline(0, "delay"),
    "async_timeout.timeout_at": Deadline(0, "deadline"),
    "trio.fail_after": Deadline(0, "seconds"),
    "trio.move_on_after": Deadline(0, "seconds"),
    "trio.fail_at": Deadline(0, "deadline"),
    "trio.move_on_at": Deadline(0, "deadline"),
    "trio.CancelScope": Deadline(None, "deadline"),
    "anyio.fail_after": Deadline(0, "delay"),
    "anyio.move_on_after": Deadline(0, "delay"),
    "anyio.CancelScope": Deadline(None, "deadline"),
}

#: Functions that await their first argument under a timeout.
WAIT_FOR: Dict[str, Deadline] = {
    "asyncio.wait_for": Deadline(1, "timeout"),
    "asyncio.tasks.wait_for": Deadline(1, "timeout"),
    "async_timeout.wait_for": Deadline(1, "timeout"),
}

#: Functions whose awaiting awaits their arguments too: a call passed to them is awaited where they are.
AWAIT_THROUGH = frozenset(
    {
        "asyncio.gather",
        "asyncio.shield",
        "asyncio.tasks.gather",
        "asyncio.tasks.shield",
    }
)

# Canonical types of the network clients (their spellings are in knowledge.TYPE_ALIASES).
STREAM_READER = "asyncio.StreamReader"
STREAM_WRITER = "asyncio.StreamWriter"
WEBSOCKET_CLIENT = "websockets.asyncio.client.ClientConnection"
AIOHTTP_SESSION = "aiohttp.ClientSession"
AIOHTTP_WEBSOCKET = "aiohttp.ClientWebSocketResponse"
TRIO_STREAM = "trio.SocketStream"
TRIO_SSL_STREAM = "trio.SSLStream"
ANYIO_STREAM = "anyio.abc.SocketStream"
AIOREDIS_CONNECTION = "aioredis.RedisConnection"


@dataclass(frozen=True)
class Operation:
    """A network operation that waits on a peer.

    ``timeout``: keywords of the call itself that bound it (a non-None value).
    ``receiver_timeout``: keywords of the call that created the receiver that bound it.
    ``bounded_by_default``: the library bounds it unless the receiver was created with an
    unbounded timeout (aiohttp's 5-minute session default): reported only when that is known.
    """

    timeout: Tuple[str, ...] = ()
    timeout_position: Optional[int] = None
    receiver_timeout: Tuple[str, ...] = ()
    bounded_by_default: bool = False


NO_TIMEOUT = Operation()

#: Network coroutine functions, by qualified name. A connect that its library bounds by default
#: (asyncpg.connect: 60 s, aiomysql.connect: 60 s, websockets.connect: 10 s, httpx: 5 s) is not here;
#: ASL301 reports it when that default is switched off.
NETWORK_FUNCTIONS: Dict[str, Operation] = {
    "asyncio.open_connection": NO_TIMEOUT,
    "asyncio.open_unix_connection": NO_TIMEOUT,
    "asyncio.streams.open_connection": NO_TIMEOUT,
    "asyncio.streams.open_unix_connection": NO_TIMEOUT,
    "trio.open_tcp_stream": NO_TIMEOUT,
    "trio.open_ssl_over_tcp_stream": NO_TIMEOUT,
    "trio.open_unix_socket": NO_TIMEOUT,
    "anyio.connect_tcp": NO_TIMEOUT,
    "anyio.connect_unix": NO_TIMEOUT,
    # aioredis 1.x: every connect takes timeout=None by default.
    "aioredis.create_connection": Operation(timeout=("timeout",)),
    "aioredis.create_redis": Operation(timeout=("timeout",)),
    "aioredis.create_redis_pool": Operation(timeout=("timeout", "create_connection_timeout")),
    "aioredis.create_pool": Operation(timeout=("create_connection_timeout",)),
}

_AIOHTTP_REQUEST = Operation(timeout=("timeout",), bounded_by_default=True)
_AIOHTTP_RECEIVE = Operation(
    timeout=("timeout",), timeout_position=0, receiver_timeout=("receive_timeout", "timeout")
)

#: Network methods, as ``"<receiver type>.<method>"``; the receiver's type comes from the model.
NETWORK_METHODS: Dict[str, Operation] = {
    **{
        f"{STREAM_READER}.{name}": NO_TIMEOUT
        for name in ("read", "readline", "readexactly", "readuntil")
    },
    **{f"{STREAM_WRITER}.{name}": NO_TIMEOUT for name in ("drain", "wait_closed")},
    **{
        f"{EVENT_LOOP}.{name}": NO_TIMEOUT
        for name in (
            "create_connection",
            "create_unix_connection",
            "sock_connect",
            "sock_recv",
            "sock_recv_into",
            "sock_recvfrom",
            "sock_recvfrom_into",
            "sock_sendall",
            "sock_sendto",
            "sock_accept",
            "sock_sendfile",
        )
    },
    f"{WEBSOCKET_CLIENT}.recv": NO_TIMEOUT,
    **{
        f"{AIOHTTP_SESSION}.{name}": _AIOHTTP_REQUEST
        for name in (
            "request",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
            "ws_connect",
        )
    },
    **{
        f"{AIOHTTP_WEBSOCKET}.{name}": _AIOHTTP_RECEIVE
        for name in ("receive", "receive_str", "receive_bytes", "receive_json")
    },
    **{
        f"{stream}.{name}": NO_TIMEOUT
        for stream in (TRIO_STREAM, TRIO_SSL_STREAM)
        for name in ("receive_some", "send_all")
    },
    f"{ANYIO_STREAM}.receive": NO_TIMEOUT,
    f"{ANYIO_STREAM}.send": NO_TIMEOUT,
}

#: Constructors of timeout objects and the fields that bound something; all None is no timeout.
UNBOUNDED_WHEN_ALL_NONE: Dict[str, Tuple[str, ...]] = {
    "aiohttp.ClientTimeout": ("total", "connect", "sock_read", "sock_connect"),
    "aiohttp.client.ClientTimeout": ("total", "connect", "sock_read", "sock_connect"),
    "httpx.Timeout": ("timeout", "connect", "read", "write", "pool"),
}

#: Calls that disable a timeout when the given argument is the literal None.
NONE_DISABLES: Dict[str, Deadline] = {
    **WAIT_FOR,
    "asyncio.timeout": TIMEOUT_SCOPES["asyncio.timeout"],
    "asyncio.timeout_at": TIMEOUT_SCOPES["asyncio.timeout_at"],
    "async_timeout.timeout": TIMEOUT_SCOPES["async_timeout.timeout"],
    "anyio.fail_after": TIMEOUT_SCOPES["anyio.fail_after"],
    "anyio.move_on_after": TIMEOUT_SCOPES["anyio.move_on_after"],
    "httpx.AsyncClient": Deadline(None, "timeout"),
    "httpx.Client": Deadline(None, "timeout"),
    **{
        f"httpx.{verb}": Deadline(None, "timeout")
        for verb in (
            "request",
            "stream",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
        )
    },
    "websockets.connect": Deadline(None, "open_timeout"),
    "websockets.client.connect": Deadline(None, "open_timeout"),
    "websockets.asyncio.client.connect": Deadline(None, "open_timeout"),
    "asyncpg.connect": Deadline(None, "timeout"),
    "asyncpg.create_pool": Deadline(None, "timeout"),
    "aiomysql.connect": Deadline(None, "connect_timeout"),
}

#: Methods of typed receivers that disable a timeout when it is the literal None.
NONE_DISABLES_METHODS: Dict[str, Deadline] = {
    **{
        f"{AIOHTTP_SESSION}.{verb}": Deadline(None, "timeout")
        for verb in ("request", "get", "post", "put", "patch", "delete", "head", "options")
    },
    **{
        f"httpx.AsyncClient.{verb}": Deadline(None, "timeout")
        for verb in (
            "request",
            "stream",
            "send",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
        )
    },
    **{
        f"httpx.Client.{verb}": Deadline(None, "timeout")
        for verb in (
            "request",
            "stream",
            "send",
            "get",
            "post",
            "put",
            "patch",
            "delete",
            "head",
            "options",
        )
    },
}

#: Clients whose requests wait with no timeout unless one is passed (requests has no default).
REQUESTS_VERBS = ("request", "get", "post", "put", "patch", "delete", "head", "options")
NEEDS_TIMEOUT: Dict[str, Deadline] = {
    **{f"requests.{verb}": Deadline(None, "timeout") for verb in REQUESTS_VERBS},
    **{f"requests.api.{verb}": Deadline(None, "timeout") for verb in REQUESTS_VERBS},
}
NEEDS_TIMEOUT_METHODS: Dict[str, Deadline] = {
    f"requests.Session.{verb}": Deadline(None, "timeout") for verb in REQUESTS_VERBS
}

#: Sessions whose requests get a default timeout only if the session is given one.
SESSIONS_WITHOUT_DEFAULT = frozenset({"aiohttp.ClientSession", "aiohttp.client.ClientSession"})

#: ASL303: waits on primitives that end only when another task acts.
PRIMITIVE_WAITS: Dict[str, str] = {
    **{f"{kind}.wait": "event" for kind in ("asyncio.Event", "trio.Event", "anyio.Event")},
    **{
        f"{kind}.wait": "condition"
        for kind in ("asyncio.Condition", "trio.Condition", "anyio.Condition")
    },
    "asyncio.Condition.wait_for": "condition",
    **{
        f"{kind}.get": "queue"
        for kind in ("asyncio.Queue", "asyncio.LifoQueue", "asyncio.PriorityQueue")
    },
    "trio.MemoryReceiveChannel.receive": "channel",
    "anyio.streams.memory.MemoryObjectReceiveStream.receive": "stream",
}
#: Awaited as they are: a future that only another party resolves.
AWAITED_PRIMITIVES = frozenset({"asyncio.Future"})
#: Waiting functions and the keyword that bounds them.
PRIMITIVE_FUNCTIONS: Dict[str, Deadline] = {
    "asyncio.wait": Deadline(None, "timeout"),
    "asyncio.tasks.wait": Deadline(None, "timeout"),
}

#: ASL304: parameter names that carry a timeout into a coroutine.
TIMEOUT_PARAMETER_NAMES = frozenset({"timeout"})
TIMEOUT_PARAMETER_SUFFIX = "_timeout"
#: Decorators that force a signature on the function (an override or an overload stub).
SIGNATURE_FIXED_BY = frozenset({"overload", "override"})

#: What each framework offers to bound a wait, for the messages.
SCOPE_ADVICE = {
    "asyncio": "async with asyncio.timeout(...)",
    "trio": "with trio.fail_after(...)",
    "anyio": "with anyio.fail_after(...)",
}

#: Whether callers' timeouts are looked at (off only to measure what they change), and whether
#: the callers in other files, from the project index, count too.
INTERPROCEDURAL = True
CROSS_FILE = True
#: How many levels of callers are followed.
CALLER_DEPTH = 4
#: Scopes that bound whenever they are entered (the index does not record scope arguments).
REMOTE_TIMEOUT_SCOPES = frozenset(
    name for name, where in TIMEOUT_SCOPES.items() if where.position is not None
)

# -- helpers shared by the family -------------------------------------------------------------


def argument(call: cst.Call, where: Deadline) -> Optional[cst.Arg]:
    """The argument of ``call`` at ``where``, or None when it is not passed (or hidden in ``*args``)."""
    position = 0
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value == where.keyword:
                return arg
            continue
        if arg.star:
            return None
        if where.position is not None and position == where.position:
            return arg
        position += 1
    return None


def passes_star_kwargs(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def passes_star_args(call: cst.Call) -> bool:
    return any(arg.star == "*" for arg in call.args)


def is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def gives_deadline(call: cst.Call, where: Deadline) -> bool:
    """The call is given a deadline: the argument is passed and is not the literal None.
    ``*args``/``**kwargs`` may carry one: assumed given."""
    arg = argument(call, where)
    if arg is None:
        return passes_star_kwargs(call) or (where.position is not None and passes_star_args(call))
    return not is_none(arg.value)


def call_has_timeout(
    call: cst.Call, keywords: Iterable[str], position: Optional[int] = None
) -> bool:
    """The call passes a non-None timeout through one of ``keywords`` (or ``position``)."""
    if passes_star_kwargs(call):
        return True
    names = set(keywords)
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in names and not is_none(arg.value):
            return True
    if position is not None:
        positional = [arg for arg in call.args if arg.keyword is None]
        if any(arg.star for arg in positional[: position + 1]):
            return True
        if len(positional) > position and not is_none(positional[position].value):
            return True
    return False


def call_has_any_timeout(call: cst.Call) -> bool:
    """For user-catalogued calls: any keyword naming a timeout or deadline with a non-None value."""
    if passes_star_kwargs(call):
        return True
    return any(
        arg.keyword is not None
        and ("timeout" in arg.keyword.value or "deadline" in arg.keyword.value)
        and not is_none(arg.value)
        for arg in call.args
    )


def _unwrap_await(node: Optional[cst.CSTNode]) -> Optional[cst.CSTNode]:
    return node.expression if isinstance(node, cst.Await) else node


class TimeoutRule(Rule):
    """What the ASL3xx rules share: timeout scopes, wait_for, and the callers' timeouts."""

    # -- is the current node bounded by a timeout of its own coroutine? --

    def scope_call(self, expression: cst.BaseExpression) -> Optional[Tuple[str, cst.Call]]:
        """The timeout scope an expression creates: a call to one with a deadline, or a name bound
        only to such calls. None for anything else (including a scope given no deadline)."""
        if isinstance(expression, cst.Call):
            qualname = self.model.qualified_name(expression.func)
            where = TIMEOUT_SCOPES.get(qualname or "")
            if where is not None and gives_deadline(expression, where):
                return qualname, expression  # type: ignore[return-value]
            return None
        if isinstance(expression, cst.Name):
            owner, bindings = self.model.lookup(expression.value)
            if owner is None or not bindings:
                return None
            found = None
            for binding in bindings:
                if binding.kind != "assign" or not isinstance(binding.node, cst.Call):
                    return None
                found = self.scope_call(binding.node)
                if found is None:
                    return None
            return found
        return None

    def wait_for_bounds(self, call: cst.Call, argument_node: cst.Arg) -> bool:
        qualname = self.model.qualified_name(call.func)
        where = WAIT_FOR.get(qualname or "")
        if where is None or not gives_deadline(call, where):
            return False
        positional = [arg for arg in call.args if arg.keyword is None]
        first = (
            positional[0]
            if positional
            else next(
                (
                    arg
                    for arg in call.args
                    if arg.keyword is not None and arg.keyword.value == "fut"
                ),
                None,
            )
        )
        return argument_node is first

    def bounded_here(self, node: Optional[cst.CSTNode] = None) -> bool:
        """A timeout of the enclosing coroutine bounds ``node`` (default: the current node): a timeout
        scope around it, or an ``asyncio.wait_for(..., finite)`` that awaits it. A nested def or
        lambda ends the search: its body runs when it is called."""
        function = self.model.enclosing_function()
        if function is None:
            return False
        stack = self.model.stack
        position = len(stack) - 1
        if node is not None:
            while position >= 0 and stack[position] is not node:
                position -= 1
        while position > 0:
            child, parent = stack[position], stack[position - 1]
            if parent is function.node:
                return False
            if isinstance(parent, cst.With) and child is parent.body:
                if any(self.scope_call(item.item) is not None for item in parent.items):
                    return True
            elif (
                isinstance(parent, cst.Call)
                and isinstance(child, cst.Arg)
                and self.wait_for_bounds(parent, child)
            ):
                return True
            position -= 1
        return False

    def awaited_directly(self, node: cst.CSTNode) -> bool:
        """``await node`` or ``async with node``, where node is the current node."""
        parent = self.model.parent
        if isinstance(parent, cst.Await):
            return parent.expression is node
        if isinstance(parent, cst.WithItem) and parent.item is node:
            stack = self.model.stack
            return (
                len(stack) >= 3
                and isinstance(stack[-3], cst.With)
                and stack[-3].asynchronous is not None
            )
        return False

    def scope_advice(self) -> str:
        return SCOPE_ADVICE.get(self.model.framework, SCOPE_ADVICE["asyncio"])

    def all_fields_none(self, call: cst.Call) -> bool:
        fields = UNBOUNDED_WHEN_ALL_NONE.get(self.model.qualified_name(call.func) or "")
        if fields is None or passes_star_args(call) or passes_star_kwargs(call):
            return False
        positional = [arg for arg in call.args if arg.keyword is None]
        given = [arg.value for arg in positional[: len(fields)]]
        given += [
            arg.value
            for arg in call.args
            if arg.keyword is not None and arg.keyword.value in fields
        ]
        return all(is_none(value) for value in given)

    # -- receivers: how the object a method is called on was created --

    def creations(self, receiver: cst.BaseExpression) -> Optional[List[cst.Call]]:
        """The calls that created ``receiver`` (a name or ``self.<attr>``), when every binding of it
        is a call, awaited or entered; None when any binding is something else or unknown."""
        bindings: Sequence[Binding]
        if isinstance(receiver, cst.Name):
            owner, bindings = self.model.lookup(receiver.value)
            if owner is None:
                return None
        elif isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Name):
            cls = self.model.self_class(receiver.value)
            if cls is None:
                return None
            bindings = cls.attribute_bindings(receiver.attr.value)
        elif isinstance(receiver, cst.Call):
            return [receiver]
        else:
            return None
        calls = []
        for binding in bindings:
            value = (
                _unwrap_await(binding.node)
                if binding.kind in ("assign", "with", "asyncwith")
                else None
            )
            if binding.kind == "declared":
                continue  # `self.session: ClientSession` declares, another binding assigns
            if not isinstance(value, cst.Call):
                return None
            calls.append(value)
        return calls or None


# -- call sites of coroutines, for the callers' timeouts -------------------------------------------


@dataclass(frozen=True)
class LocalSite:
    """A call of one of this file's coroutines, seen during the traversal."""

    bounded: bool  # awaited under a timeout of the calling coroutine, or through wait_for
    awaited: bool  # awaited by the calling coroutine (directly, or through gather/shield)
    caller: Optional[cst.FunctionDef]  # the calling coroutine, when it is an async def
    caller_qualname: Optional[str]


class CallSites:
    """Call sites of this file's coroutines, recorded during the traversal.

    Keyed by the definition node. A reference that is not a call (a handler registered with a
    framework, a callback) or a call whose target is not certain counts as an unbounded site of
    every function of that name, so that doubt always leads to reporting.
    """

    def __init__(self) -> None:
        self.sites: Dict[int, List[LocalSite]] = {}
        self.escaped: Set[str] = set()

    def add(self, definition: cst.FunctionDef, site: LocalSite) -> None:
        self.sites.setdefault(id(definition), []).append(site)

    def escape(self, name: str) -> None:
        self.escaped.add(name)


class CallerAwareRule(TimeoutRule):
    """A rule whose findings are dropped when every caller of the enclosing coroutine bounds it.

    A caller bounds the coroutine when it awaits the call under a timeout scope or through
    asyncio.wait_for, or when it awaits the call and is itself bounded by all its own callers
    (followed up to ``CALLER_DEPTH`` levels; a cycle proves nothing). Findings are held until the
    end of the module, when every call site in the file has been seen. The other files' call sites
    come from the project index (``callers(qualname)``).
    """

    def __init__(self, run) -> None:
        super().__init__(run)
        self._pending: List[Tuple[cst.CSTNode, str, Optional[cst.FunctionDef], Optional[str]]] = []
        self._sites = CallSites()
        self._coroutine_names: Optional[Set[str]] = None
        self._verdicts: Dict[object, bool] = {}

    def hold(self, node: cst.CSTNode, message: str) -> None:
        function = self.model.enclosing_function()
        definition = (
            function.node
            if function is not None and isinstance(function.node, cst.FunctionDef)
            else None
        )
        self._pending.append(
            (node, message, definition, self._qualname_of(function) if function else None)
        )

    def _qualname_of(self, function) -> Optional[str]:
        parts = []
        scope = function
        while scope is not None and scope.kind != "module":
            if scope.kind in ("class", "function"):
                parts.append(scope.node.name.value)
            else:
                return None
            if scope.kind == "function" and scope is not function:
                return None  # a function nested in a function: not reachable by qualname
            scope = scope.parent
        return ".".join([self.model.module_name, *reversed(parts)])

    def coroutine_names(self) -> Set[str]:
        """Names of the async defs at module level and in module-level classes."""
        if self._coroutine_names is None:
            names: Set[str] = set()
            for bindings in self.model.module_scope.bindings().values():
                for binding in bindings:
                    if binding.kind == "asyncdef" and isinstance(binding.node, cst.FunctionDef):
                        names.add(binding.node.name.value)
                    elif binding.kind == "class" and isinstance(binding.node, cst.ClassDef):
                        body = binding.node.body
                        for statement in body.body if isinstance(body, cst.IndentedBlock) else ():
                            if (
                                isinstance(statement, cst.FunctionDef)
                                and statement.asynchronous is not None
                            ):
                                names.add(statement.name.value)
            self._coroutine_names = names
        return self._coroutine_names

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        name = (
            func.value
            if isinstance(func, cst.Name)
            else func.attr.value
            if isinstance(func, cst.Attribute)
            else None
        )
        if name is None or name not in self.coroutine_names():
            return
        callee = self.model.callee(node)
        if (
            callee is None
            or not isinstance(callee.node, cst.FunctionDef)
            or callee.node.name.value != name
        ):
            self._sites.escape(name)
            return
        bounded, awaited = self.call_context(node)
        function = self.model.enclosing_function()
        caller = function.node if function is not None and function.is_async else None
        self._sites.add(
            callee.node,
            LocalSite(bounded, awaited, caller, self._qualname_of(function) if caller else None),
        )

    def call_context(self, call: cst.Call) -> Tuple[bool, bool]:
        """(bounded, awaited): the coroutine this call creates is awaited by the calling coroutine,
        and under one of its timeouts."""
        stack = self.model.stack
        position = len(stack) - 1
        node: cst.CSTNode = call
        while position > 0:
            parent = stack[position - 1]
            if isinstance(parent, cst.Await) or (
                isinstance(parent, cst.WithItem) and parent.item is node
            ):
                awaited = self.model.in_coroutine
                return awaited and self.bounded_here(parent), awaited
            if (
                isinstance(parent, cst.Arg)
                and position >= 2
                and isinstance(stack[position - 2], cst.Call)
            ):
                outer = stack[position - 2]
                if self.wait_for_bounds(outer, parent):  # type: ignore[arg-type]
                    return True, True
                if self.model.qualified_name(outer.func) in AWAIT_THROUGH:  # type: ignore[attr-defined]
                    node, position = outer, position - 2
                    continue
            return False, False
        return False, False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.coroutine_names():
            return
        parent = self.model.parent
        if isinstance(parent, cst.Call) and parent.func is node:
            return
        if isinstance(parent, cst.FunctionDef) and parent.name is node:
            return
        if isinstance(parent, cst.Attribute):
            if parent.value is node:
                return  # `name.x`: the function's attribute, not the function
            grandparent = self.model.stack[-3] if len(self.model.stack) >= 3 else None
            if isinstance(grandparent, cst.Call) and grandparent.func is parent:
                return  # a method call, seen by visit_Call
        if isinstance(parent, (cst.ImportAlias, cst.ClassDef)):
            return
        self._sites.escape(node.value)

    def leave_Module(self, node: cst.Module) -> None:
        for finding, message, definition, qualname in self._pending:
            if (
                INTERPROCEDURAL
                and definition is not None
                and self.callers_bound(definition, qualname, 0)
            ):
                continue
            self.report(finding, message)

    def callers_bound(
        self, definition: cst.FunctionDef, qualname: Optional[str], depth: int
    ) -> bool:
        """Every known call site of this file's coroutine bounds it, and there is one."""
        key = id(definition)
        if key in self._verdicts:
            return self._verdicts[key]
        self._verdicts[key] = False  # while deciding: a cycle proves nothing
        verdict = definition.name.value not in self._sites.escaped and depth <= CALLER_DEPTH
        if verdict:
            verdicts = [
                site.bounded
                or (
                    site.awaited
                    and site.caller is not None
                    and self.callers_bound(site.caller, site.caller_qualname, depth + 1)
                )
                for site in self._sites.sites.get(key, ())
            ]
            if qualname is not None and CROSS_FILE:
                own_module = self.model.module_name + "."
                verdicts.extend(
                    self.remote_site_bounded(site, depth)
                    for site in self.model.index.callers(qualname)
                    if not site.caller.startswith(
                        own_module
                    )  # this file's were seen more precisely
                )
            verdict = bool(verdicts) and all(verdicts)
        if depth == 0 or verdict:
            self._verdicts[key] = verdict
        else:
            del self._verdicts[
                key
            ]  # a deeper "no" may be a cycle cut short: decide again from the top
        return verdict

    def remote_site_bounded(self, site, depth: int) -> bool:
        """A call site recorded by the project index bounds its callee: wrapped in wait_for, awaited
        under a timeout scope, or awaited by a function all of whose callers bound it. The index
        does not record a scope's arguments, so scopes that bound only when given a deadline
        (CancelScope) do not count."""
        if site.wrapper in WAIT_FOR:
            return True
        if not site.awaited:
            return False
        if any(manager in REMOTE_TIMEOUT_SCOPES for manager in site.managers):
            return True
        return self.remote_callers_bound(site.caller, depth + 1)

    def remote_callers_bound(self, qualname: str, depth: int) -> bool:
        if depth > CALLER_DEPTH or qualname in self._verdicts:
            return self._verdicts.get(qualname, False)
        self._verdicts[qualname] = False
        sites = self.model.index.callers(qualname)
        verdict = bool(sites) and all(self.remote_site_bounded(site, depth) for site in sites)
        if verdict:
            self._verdicts[qualname] = True
        else:
            del self._verdicts[qualname]
        return verdict


# -- ASL300 ---------------------------------------------------------------------------------------


class NetworkWithoutTimeout(CallerAwareRule):
    code = "ASL300"
    name = "network-await-without-timeout"
    message = "network operation awaited without a timeout"
    rationale = """
        An await on a remote peer lasts as long as the peer takes. A server that accepts the
        connection and then says nothing, a half-open TCP connection, a load balancer that drops
        packets: each turns one slow peer into a coroutine that never returns, and a service that
        hangs one request (or one worker, or one lock holder) at a time.

        Reported: a catalogued network operation awaited (or entered with async with) in a coroutine
        with no timeout around it. The catalogue covers asyncio.open_connection and
        open_unix_connection, StreamReader.read/readline/readexactly/readuntil and
        StreamWriter.drain/wait_closed (the reader and writer are recognised through
        `reader, writer = await asyncio.open_connection(...)` and attributes they are stored in),
        the event loop's create_connection and sock_* methods, websockets' recv on a client
        connection, aiohttp websocket receive*, aiohttp session requests when the session's timeout
        is known to be switched off, trio.open_tcp_stream and stream receive_some/send_all,
        anyio.connect_tcp and stream receive/send, and aioredis 1.x connects. Connects that their
        library bounds by default (asyncpg and aiomysql: 60 s, websockets: 10 s, httpx: 5 s,
        aiohttp sessions: 5 min) are not reported here; ASL301 reports switching that off.
        Receivers are recognised only when their type is certain; nothing is guessed from names.

        Not reported: an await inside a timeout scope of the same coroutine, at any depth
        (async with asyncio.timeout()/timeout_at(), async_timeout.timeout(), with
        trio.fail_after()/move_on_after()/fail_at()/move_on_at(), anyio.fail_after()/
        move_on_after(), trio or anyio CancelScope(deadline=...)); a call wrapped in
        asyncio.wait_for(..., finite timeout); a call given its own timeout argument (aiohttp's
        ws.receive(timeout=...), a websocket created with receive_timeout=...); and an await in a
        coroutine every one of whose callers in the file awaits it under a timeout (or through
        wait_for). A coroutine passed around uncalled (a handler, a callback) may be called from
        anywhere, so its awaits are reported.

        Your own clients: list their coroutine functions or methods in the configuration, by
        qualified name ("<type>.<method>" for methods of a class the model can type):

            [tool.asynclint.timeout-calls]
            "myapp.rpc.Client.call" = "RPC to the billing service"

        Code that a framework already bounds (a server handler reading a request body under the
        server's own read timeout, a websocket handler that waits for the client by design) is
        still reported when it awaits a catalogued operation; mark the line with
        `# noqa: ASL300`, or disable the rule for those modules with per-file-ignores.

        Opt-in: in library and protocol code most unbounded reads are deliberate (a connection's
        reader loop waits for the next frame for as long as the connection lives, heartbeats
        detect dead peers, the public entry point holds the deadline several calls up), and a
        StreamReader annotation does not say whether a socket or a subprocess pipe is behind it.
        Enable it for application code: `extend-select = ["ASL300"]`.
    """
    bad = """
        async def fetch_status(host):
            reader, writer = await asyncio.open_connection(host, 80)
            writer.write(b"STATUS\\n")
            return await reader.readline()
    """
    good = """
        async def fetch_status(host):
            async with asyncio.timeout(10):
                reader, writer = await asyncio.open_connection(host, 80)
                writer.write(b"STATUS\\n")
                return await reader.readline()
    """
    default = False
    tokens = ("async",)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if not self.model.in_coroutine or not self.awaited_directly(node):
            return
        found = self.operation(node)
        if found is None:
            return
        shown, operation, user_note = found
        if user_note is not None:
            if call_has_any_timeout(node):
                return
        elif call_has_timeout(node, operation.timeout, operation.timeout_position):
            return
        if operation.receiver_timeout or operation.bounded_by_default:
            if not self.receiver_unbounded(node, operation):
                return
        if self.bounded_here():
            return
        note = f" ({user_note})" if user_note else ""
        self.hold(
            node,
            f"{shown}{note} is awaited without a timeout; a peer that stops answering "
            f"hangs this coroutine: wrap it in '{self.scope_advice()}'",
        )

    def operation(self, call: cst.Call) -> Optional[Tuple[str, Operation, Optional[str]]]:
        """What the call is: its display name, its catalogue entry, and the user's note if it is
        one of theirs."""
        configured = self.model.setting("timeout-calls")
        qualname = self.model.qualified_name(call.func)
        if qualname is not None:
            if qualname in configured:
                return qualname, NO_TIMEOUT, configured[qualname] or ""
            if qualname in NETWORK_FUNCTIONS:
                return qualname, NETWORK_FUNCTIONS[qualname], None
            if not isinstance(call.func, cst.Attribute):
                return None
        if not isinstance(call.func, cst.Attribute):
            return None
        receiver_type = self.model.type_of(call.func.value)
        if receiver_type is None:
            return None
        key = f"{receiver_type}.{call.func.attr.value}"
        shown = f"{receiver_type.rsplit('.', 1)[-1]}.{call.func.attr.value}()"
        if key in configured:
            return shown, NO_TIMEOUT, configured[key] or ""
        if key in NETWORK_METHODS:
            return shown, NETWORK_METHODS[key], None
        return None

    def receiver_unbounded(self, call: cst.Call, operation: Operation) -> bool:
        """The object the method is called on imposes no timeout on it.

        For an operation bounded by default (aiohttp requests), only a receiver created, at every
        binding, with a timeout known to be switched off. For the others, a receiver none of whose
        creations passes one of the operation's receiver timeouts (unknown creations: the library's
        default, which is no timeout)."""
        receiver = call.func.value  # type: ignore[attr-defined]
        creations = self.creations(receiver)
        if operation.bounded_by_default:
            return bool(creations) and all(self.creation_disables_timeout(c) for c in creations)  # type: ignore[union-attr]
        if creations is None:
            return True
        return not any(call_has_timeout(c, operation.receiver_timeout) for c in creations)

    def creation_disables_timeout(self, creation: cst.Call) -> bool:
        qualname = self.model.qualified_name(creation.func)
        if qualname not in SESSIONS_WITHOUT_DEFAULT:
            return False
        arg = argument(creation, Deadline(None, "timeout"))
        if arg is None or not isinstance(arg.value, cst.Call):
            return False
        return self.all_fields_none(arg.value)


# -- ASL301 ---------------------------------------------------------------------------------------


class ConfiguredWithoutTimeout(TimeoutRule):
    code = "ASL301"
    name = "request-without-timeout"
    message = "requests call without a timeout"
    rationale = """
        requests has no default timeout at all: a call without timeout= waits for as long as the
        server keeps the connection open without answering, which can be forever. In a worker, a
        cron job or a webhook sender, that is a process that hangs silently.

        Reported, in any code (sync or async): requests.get()/post()/... and the methods of a
        requests.Session (recognised through its type) called without timeout= or with
        timeout=None. A call passing **kwargs is not reported (the timeout may be in them).
        Explicitly switching a timeout off in other clients is ASL306 (opt-in), a session left on
        aiohttp's 5-minute default ASL305 (opt-in).
    """
    bad = """
        def fetch_report(url):
            return requests.get(url).json()
    """
    good = """
        def fetch_report(url):
            return requests.get(url, timeout=(5, 30)).json()
    """
    tokens = ("requests",)
    #: Which findings this rule reports: omitted timeouts (False) or timeouts switched off with None.
    explicit_none = False

    def visit_Call(self, node: cst.Call) -> None:
        found = self.problem(node)
        if found is not None and found[1] is self.explicit_none:
            self.report(node, found[0])

    def problem(self, call: cst.Call) -> Optional[Tuple[str, bool]]:
        """The message for a call configured without a timeout, and whether the timeout is switched
        off explicitly (ASL306) rather than missing from a client that has no default (ASL301)."""
        qualname = self.model.qualified_name(call.func)
        shown = dotted_name(call.func) or qualname
        if qualname is not None:
            if qualname in SESSIONS_WITHOUT_DEFAULT:
                return None  # without timeout=, aiohttp's 5-minute default applies: ASL305 (opt-in)
            if qualname in UNBOUNDED_WHEN_ALL_NONE:
                if self.all_fields_none(call):
                    return f"{shown}() with every field None sets no timeout at all", True
                return None
            if qualname in NEEDS_TIMEOUT:
                return self.needs_timeout(call, shown)
            where = NONE_DISABLES.get(qualname)
            if where is not None:
                arg = argument(call, where)
                if (
                    arg is not None
                    and is_none(arg.value)
                    and not self.rescheduled_later(call, qualname)
                ):
                    return f"{shown}() with {where.keyword}=None never times out", True
                return None
        if isinstance(call.func, cst.Attribute):
            receiver_type = self.model.type_of(call.func.value)
            if receiver_type is None:
                return None
            key = f"{receiver_type}.{call.func.attr.value}"
            shown = f"{receiver_type.rsplit('.', 1)[-1]}.{call.func.attr.value}"
            if key in NEEDS_TIMEOUT_METHODS:
                return self.needs_timeout(call, shown)
            where = NONE_DISABLES_METHODS.get(key)
            if where is not None:
                arg = argument(call, where)
                if arg is not None and is_none(arg.value):
                    return f"{shown}() with {where.keyword}=None never times out", True
        return None

    def needs_timeout(self, call: cst.Call, shown: Optional[str]) -> Optional[Tuple[str, bool]]:
        arg = argument(call, Deadline(None, "timeout"))
        if arg is None:
            if passes_star_kwargs(call):
                return None
            return (
                f"{shown}() without timeout= waits forever on a server that does not answer",
                False,
            )
        if is_none(arg.value):
            return (
                f"{shown}() with timeout=None waits forever on a server that does not answer",
                False,
            )
        return None

    def rescheduled_later(self, call: cst.Call, qualname: str) -> bool:
        """A scope created without a deadline that is not simply entered: bound with `as` (its
        deadline can be set later with reschedule()), or built by a helper that returns or stores a
        scope that may or may not have a deadline."""
        if qualname not in TIMEOUT_SCOPES:
            return False
        parent = self.model.parent
        return not isinstance(parent, cst.WithItem) or parent.asname is not None


class ExplicitNoTimeout(ConfiguredWithoutTimeout):
    code = "ASL306"
    name = "timeout-switched-off"
    message = "client or call configured with its timeout switched off"
    rationale = """
        Most clients accept None as "no timeout", and a request made that way can hang on a peer
        that stops answering. Sometimes that is the intent (a proxy streaming a response of any
        length, a wait_for kept only for its cancellation behaviour), so this rule is opt-in.

        Reported, in any code: aiohttp.ClientTimeout() and httpx.Timeout() with every field None;
        timeout=None on httpx clients and request functions and on aiohttp session requests;
        websockets.connect(open_timeout=None); asyncpg.connect/create_pool(timeout=None);
        aiomysql.connect(connect_timeout=None); asyncio.wait_for(aw, None); a with statement
        entering asyncio.timeout(None), async_timeout.timeout(None) or anyio's
        fail_after(None)/move_on_after(None).

        Not reported: a call passing **kwargs; and a timeout scope given None that is not simply
        entered: bound to a name (`async with asyncio.timeout(None) as cm:`, the way to set its
        deadline later with cm.reschedule()), or built and returned by a helper that gives a
        scope without deadline on purpose.
    """
    bad = """
        async def fetch(url):
            async with httpx.AsyncClient(timeout=None) as client:
                return await client.get(url)
    """
    good = """
        async def fetch(url):
            async with httpx.AsyncClient(timeout=httpx.Timeout(10, connect=5)) as client:
                return await client.get(url)
    """
    default = False
    tokens = (
        "aiohttp",
        "ClientTimeout",
        "httpx",
        "timeout",
        "websockets",
        "asyncpg",
        "aiomysql",
        "wait_for",
        "fail_after",
        "move_on_after",
    )
    explicit_none = True


# -- ASL302 ---------------------------------------------------------------------------------------


@dataclass
class _OpenScope:
    node: cst.With
    item: cst.WithItem
    qualname: str
    depth: int  # where the With sits on the model's stack
    awaits: bool = False


class TimeoutScopeWithoutAwait(TimeoutRule):
    code = "ASL302"
    name = "timeout-scope-without-await"
    message = "timeout scope contains no await, so it can never time out"
    rationale = """
        A timeout scope cancels the code inside it at its deadline, and cancellation is delivered
        only where that code awaits. A scope whose body never awaits (no await, async for or
        async with in it, only in functions it defines) runs its body to the end whatever the
        deadline: the timeout is dead code, and usually a sign that the await it was meant to bound
        was moved out of it, or sits in a helper called without await.

        Checked: asyncio.timeout()/timeout_at(), async_timeout.timeout(), trio's
        fail_after()/move_on_after()/fail_at()/move_on_at(), anyio's fail_after()/move_on_after(),
        and trio's and anyio's CancelScope(deadline=...).
        A body that yields (an async generator) is left alone.

        The safe fix removes the scope and keeps its body, when the scope object is not bound
        with `as`; it removes only the timeout from a with statement that enters other managers.
    """
    bad = """
        async def refresh(cache):
            async with asyncio.timeout(5):
                data = cache.load()
            await publish(data)
    """
    good = """
        async def refresh(cache):
            data = cache.load()
            async with asyncio.timeout(5):
                await publish(data)
    """
    fix_kind = FixKind.SAFE
    tokens = ("timeout", "fail_after", "fail_at", "move_on_after", "move_on_at", "CancelScope")

    def __init__(self, run) -> None:
        super().__init__(run)
        self._open: List[_OpenScope] = []

    def visit_With(self, node: cst.With) -> None:
        if self._open and node.asynchronous is not None:
            self._mark()  # entering an async manager awaits
        if not self.model.in_coroutine:
            return
        for index, item in enumerate(node.items):
            found = self.scope_call(item.item) if isinstance(item.item, cst.Call) else None
            if found is None:
                continue
            scope = _OpenScope(node, item, found[0], len(self.model.stack) - 1)
            # In an async with, the managers after the scope are entered (awaited) inside it.
            scope.awaits = node.asynchronous is not None and index < len(node.items) - 1
            self._open.append(scope)
            return

    def leave_With(self, node: cst.With) -> None:
        if not self._open or self._open[-1].node is not node:
            return
        scope = self._open.pop()
        if scope.awaits:
            return
        self.report(
            scope.item.item,
            f"{scope.qualname}() scope contains no await, so it can never time out",
            fix=self.removal(scope),
        )

    def _mark(self) -> None:
        """The current node awaits: every open scope whose body holds it (in the same function) awaits."""
        stack = self.model.stack
        function = self.model.enclosing_function()
        for scope in self._open:
            if scope.awaits:
                continue
            body_depth = scope.depth + 1
            if len(stack) <= body_depth or stack[body_depth] is not scope.node.body:
                continue
            if (
                any(stack[i] is function.node for i in range(body_depth, len(stack)))
                if function
                else False
            ):
                continue  # inside a def nested in the scope's body
            scope.awaits = True

    def visit_Await(self, node: cst.Await) -> None:
        if self._open:
            self._mark()

    def visit_For(self, node: cst.For) -> None:
        if self._open and node.asynchronous is not None:
            self._mark()

    def visit_CompFor(self, node: cst.CompFor) -> None:
        if self._open and node.asynchronous is not None:
            self._mark()

    def visit_Yield(self, node: cst.Yield) -> None:
        if self._open:
            self._mark()  # an async generator's scope around a yield is another matter (ASL7xx)

    def removal(self, scope: _OpenScope) -> Optional[Fix]:
        if scope.item.asname is not None:
            return None
        with_node = scope.node
        if len(with_node.items) > 1:
            items = [item for item in with_node.items if item is not scope.item]
            items[-1] = items[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return Fix(
                with_node,
                with_node.with_changes(items=items),
                f"Remove the {scope.qualname}() scope",
            )
        body = with_node.body
        if isinstance(body, cst.SimpleStatementSuite):
            replacement: cst.CSTNode = cst.SimpleStatementLine(
                body=body.body,
                leading_lines=with_node.leading_lines,
                trailing_whitespace=body.trailing_whitespace,
            )
            return Fix(with_node, replacement, f"Remove the {scope.qualname}() scope")
        if not isinstance(body, cst.IndentedBlock) or any(
            line.comment is not None for line in body.footer
        ):
            return None  # a comment trailing the block would be lost
        statements = list(body.body)
        first = statements[0]
        header = []
        if body.header.comment is not None:  # a comment on the with line stays, on its own line
            header.append(cst.EmptyLine(indent=True, comment=body.header.comment))
        statements[0] = first.with_changes(
            leading_lines=[*with_node.leading_lines, *header, *first.leading_lines]
        )
        return Fix(
            with_node, cst.FlattenSentinel(statements), f"Remove the {scope.qualname}() scope"
        )


# -- ASL303 ---------------------------------------------------------------------------------------


class UnboundedPrimitiveWait(CallerAwareRule):
    code = "ASL303"
    name = "unbounded-primitive-wait"
    message = "wait on a primitive with no timeout"
    rationale = """
        An event that is never set, a queue nobody puts into, a future nobody resolves: a wait on a
        primitive ends only when another task acts, and when that task has crashed, was never
        started or took another branch, the waiter hangs without an error anywhere.

        Reported (opt-in: a worker that waits for its next job forever is often the design):
        await event.wait(), await condition.wait()/wait_for(), await queue.get(), trio and anyio
        memory channel receive(), await asyncio.wait(...) without timeout=, and await of a future
        created by loop.create_future(), on receivers whose type is certain, with no timeout scope
        of the same coroutine around them and not inside asyncio.wait_for(..., finite). As for
        ASL300, a coroutine whose every caller in the file bounds it is not reported.
    """
    bad = """
        async def wait_ready(ready: asyncio.Event):
            await ready.wait()
    """
    good = """
        async def wait_ready(ready: asyncio.Event):
            async with asyncio.timeout(30):
                await ready.wait()
    """
    default = False
    tokens = ("async",)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        if not self.model.in_coroutine or not self.awaited_directly(node):
            return
        qualname = self.model.qualified_name(node.func)
        where = PRIMITIVE_FUNCTIONS.get(qualname or "")
        if where is not None:
            if argument(node, where) is not None and not is_none(argument(node, where).value):  # type: ignore[union-attr]
                return
            if passes_star_kwargs(node):
                return
            shown = dotted_name(node.func) or qualname
        elif isinstance(node.func, cst.Attribute):
            receiver_type = self.model.type_of(node.func.value)
            kind = (
                PRIMITIVE_WAITS.get(f"{receiver_type}.{node.func.attr.value}")
                if receiver_type
                else None
            )
            if kind is None:
                return
            shown = f"{kind} {node.func.attr.value}()"
        else:
            return
        if not self.bounded_here():
            self.hold(
                node,
                f"{shown} waits with no timeout: if nothing ever acts on it, this coroutine hangs; "
                f"wrap it in '{self.scope_advice()}'",
            )

    def visit_Await(self, node: cst.Await) -> None:
        expression = node.expression
        if not isinstance(expression, (cst.Name, cst.Attribute)) or not self.model.in_coroutine:
            return
        if self.model.type_of(expression) in AWAITED_PRIMITIVES and not self.bounded_here():
            self.hold(
                node,
                f"awaiting the future '{dotted_name(expression) or ''}' with no timeout: if nothing "
                f"resolves it, this coroutine hangs; wrap it in '{self.scope_advice()}'",
            )


# -- ASL304 ---------------------------------------------------------------------------------------


class TimeoutParameter(Rule):
    code = "ASL304"
    name = "async-timeout-parameter"
    message = "async function takes a timeout parameter; let callers bound it with a timeout scope"
    rationale = """
        A timeout parameter threads one deadline through one call chain, and every function in it
        has to pass it on correctly (or forget, silently). Timeout scopes compose instead: the
        caller wraps the call in `async with asyncio.timeout(...)` or `with trio.fail_after(...)`,
        and every await underneath, however deep, is bounded by it, with nested scopes taking the
        earliest deadline.

        Reported (opt-in: it is a style of API): parameters named timeout or ending in _timeout on
        an async def. Overloads and @override methods, whose signature is dictated elsewhere, are
        not reported.
    """
    bad = """
        async def fetch(url, timeout=10):
            async with asyncio.timeout(timeout):
                return await get(url)
    """
    good = """
        async def fetch(url):
            return await get(url)

        async def caller():
            async with asyncio.timeout(10):
                await fetch(url)
    """
    default = False
    tokens = ("async",)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None:
            return
        for decorator in node.decorators:
            expression = (
                decorator.decorator.func
                if isinstance(decorator.decorator, cst.Call)
                else decorator.decorator
            )
            name = dotted_name(expression)
            if name and name.rsplit(".", 1)[-1] in SIGNATURE_FIXED_BY:
                return
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            name = param.name.value
            if name in TIMEOUT_PARAMETER_NAMES or name.endswith(TIMEOUT_PARAMETER_SUFFIX):
                advice = SCOPE_ADVICE.get(self.model.framework, SCOPE_ADVICE["asyncio"])
                self.report(
                    param,
                    f"async function '{node.name.value}' takes '{name}'; let callers bound it "
                    f"with '{advice}' instead",
                )


# -- ASL305 ---------------------------------------------------------------------------------------


class SessionWithDefaultTimeout(TimeoutRule):
    code = "ASL305"
    name = "aiohttp-session-default-timeout"
    message = "aiohttp.ClientSession() without timeout= relies on aiohttp's 5-minute default"
    rationale = """
        An aiohttp.ClientSession created without timeout= gives each request aiohttp's default
        ClientTimeout(total=300, sock_connect=30): a request to a peer that stops answering holds
        its coroutine (and whatever it holds) for five minutes, which is rarely what a service
        wants, and a long download that legitimately takes longer fails. Choose the timeouts the
        service needs and say so where the session is made.

        Opt-in: many programs pass a timeout on every request instead, and five minutes is a bound.
        A session created with **kwargs is not reported (the timeout may be in them).
    """
    bad = """
        async def main():
            async with aiohttp.ClientSession() as session:
                return await fetch_all(session)
    """
    good = """
        async def main():
            timeout = aiohttp.ClientTimeout(total=30, sock_connect=5)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                return await fetch_all(session)
    """
    default = False
    tokens = ("ClientSession",)

    def visit_Call(self, node: cst.Call) -> None:
        if self.model.qualified_name(node.func) not in SESSIONS_WITHOUT_DEFAULT:
            return
        if argument(node, Deadline(None, "timeout")) is None and not passes_star_kwargs(node):
            shown = dotted_name(node.func) or "ClientSession"
            self.report(
                node,
                f"{shown}() without timeout= allows each request aiohttp's default of 5 minutes; "
                "pass timeout=aiohttp.ClientTimeout(...)",
            )


RULES = (
    NetworkWithoutTimeout,
    ConfiguredWithoutTimeout,
    TimeoutScopeWithoutAwait,
    UnboundedPrimitiveWait,
    TimeoutParameter,
    SessionWithDefaultTimeout,
    ExplicitNoTimeout,
)

__all__ = [
    "RULES",
    "NetworkWithoutTimeout",
    "ConfiguredWithoutTimeout",
    "TimeoutScopeWithoutAwait",
    "UnboundedPrimitiveWait",
    "TimeoutParameter",
    "SessionWithDefaultTimeout",
    "ExplicitNoTimeout",
    "INTERPROCEDURAL",
    "CROSS_FILE",
]
