"""What the ASL3xx rules know about libraries, as data: timeout scopes, wait_for, the network
operations and the clients that need a timeout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from asynclint.knowledge import EVENT_LOOP

from ..catalogue import TIMEOUT_SCOPES, WAIT, WAIT_FOR_TIMEOUT, Deadline

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
#: (asyncpg.connect: 60 s, aiomysql.connect: 60 s, websockets.connect: 10 s, httpx: 5 s) is not
#: here;
#: ASL301 reports it when that default is switched off.
NETWORK_FUNCTIONS: Dict[str, Operation] = {
    "asyncio.open_connection": NO_TIMEOUT,
    "asyncio.open_unix_connection": NO_TIMEOUT,
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
    "httpx.Timeout": ("timeout", "connect", "read", "write", "pool"),
}

#: Calls that disable a timeout when the given argument is the literal None.
NONE_DISABLES: Dict[str, Deadline] = {
    **WAIT_FOR_TIMEOUT,
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
SESSIONS_WITHOUT_DEFAULT = frozenset({"aiohttp.ClientSession"})

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
    WAIT: Deadline(None, "timeout"),
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

#: Scopes that bound whenever they are entered (the index does not record scope arguments).
REMOTE_TIMEOUT_SCOPES = frozenset(
    name for name, where in TIMEOUT_SCOPES.items() if where.position is not None
)
