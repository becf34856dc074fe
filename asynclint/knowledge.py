"""Facts about the standard library and common frameworks that the semantic model relies on.

Kept as data, so that the light type tracking stays a handful of lookups:

* ``FACTORY_TYPES``: a callable (or a class, which constructs itself) -> the type of the call's
  result: ``loop = asyncio.get_running_loop()`` gives ``loop`` a known type.
* ``AWAITED_TYPES``: a coroutine function, or ``"<type>.<method>"`` -> the type of the awaited
  result; a tuple of types for a tuple result, which unpacking splits.
* ``MEMBER_TYPES``: ``"<type>.<attribute or method>"`` -> the type of the attribute or of the
  method call's result; ``__truediv__`` for ``/``; ``__enter__``/``__aenter__`` for ``with ... as``
  when the bound value is not the manager itself.
* ``TYPE_ALIASES``: other classes that count as a type (``asyncio.BaseEventLoop`` is an event
  loop) -> its canonical name.
* ``PUBLIC_NAMES``: names that a library defines in one module and re-exports from another, by
  their defining path -> the public spelling (``asyncio.tasks.gather`` -> ``asyncio.gather``).
  The model answers every qualified name in its public spelling, so catalogues (these and the
  rules') list each API once, as users write it.

Rule families add their types in their own blocks.
"""

from typing import Dict, Optional, Tuple, Union

EVENT_LOOP = "asyncio.AbstractEventLoop"

#: What a type question answers: a qualified class, or a tuple of them for a tuple value.
TypeAnswer = Union[str, Tuple[Optional[str], ...]]

PUBLIC_NAMES: Dict[str, str] = {
    **{
        f"asyncio.{module}.{name}": f"asyncio.{name}"
        for module, names in {
            "base_events": ("BaseEventLoop",),
            "events": ("AbstractEventLoop", "get_event_loop", "get_running_loop", "new_event_loop"),
            "exceptions": ("CancelledError",),
            "futures": ("Future",),
            "locks": ("Lock", "Event", "Condition", "Semaphore", "BoundedSemaphore"),
            "queues": ("Queue", "LifoQueue", "PriorityQueue"),
            "runners": ("run", "Runner"),
            "streams": ("StreamReader", "StreamWriter", "open_connection", "open_unix_connection"),
            "taskgroups": ("TaskGroup",),
            "tasks": (
                "Task",
                "create_task",
                "ensure_future",
                "gather",
                "shield",
                "wait",
                "wait_for",
            ),
            "threads": ("to_thread",),
            "timeouts": ("Timeout", "timeout", "timeout_at"),
        }.items()
        for name in names
    },
    **{
        f"requests.api.{verb}": f"requests.{verb}"
        for verb in ("request", "get", "post", "put", "patch", "delete", "head", "options")
    },
    "requests.sessions.Session": "requests.Session",
    "aiohttp.client.ClientSession": "aiohttp.ClientSession",
    "aiohttp.client.ClientTimeout": "aiohttp.ClientTimeout",
    "aiohttp.client_ws.ClientWebSocketResponse": "aiohttp.ClientWebSocketResponse",
    "concurrent.futures._base.Future": "concurrent.futures.Future",
    "concurrent.futures.thread.ThreadPoolExecutor": "concurrent.futures.ThreadPoolExecutor",
    "concurrent.futures.process.ProcessPoolExecutor": "concurrent.futures.ProcessPoolExecutor",
}


def public_name(qualname: str) -> str:
    """The public spelling of a qualified name, or of its owner for a member
    (``asyncio.tasks.Task.cancel`` -> ``asyncio.Task.cancel``); other names unchanged."""
    public = PUBLIC_NAMES.get(qualname)
    if public is not None:
        return public
    owner, dot, member = qualname.rpartition(".")
    if dot:
        public = PUBLIC_NAMES.get(owner)
        if public is not None:
            return f"{public}.{member}"
    return qualname


FACTORY_TYPES: Dict[str, TypeAnswer] = {
    "asyncio.get_event_loop": EVENT_LOOP,
    "asyncio.get_running_loop": EVENT_LOOP,
    "asyncio.new_event_loop": EVENT_LOOP,
    "asyncio.SelectorEventLoop": EVENT_LOOP,
    "asyncio.ProactorEventLoop": EVENT_LOOP,
    "uvloop.new_event_loop": EVENT_LOOP,
    "asyncio.TaskGroup": "asyncio.TaskGroup",
    "asyncio.Task": "asyncio.Task",
    "asyncio.create_task": "asyncio.Task",
    "asyncio.ensure_future": "asyncio.Future",
    "asyncio.Queue": "asyncio.Queue",
    "asyncio.Lock": "asyncio.Lock",
    "asyncio.Event": "asyncio.Event",
    "asyncio.Condition": "asyncio.Condition",
    "asyncio.Semaphore": "asyncio.Semaphore",
    "asyncio.BoundedSemaphore": "asyncio.BoundedSemaphore",
}

# -- ASL5xx/ASL6xx/ASL801 (locks, conditions, events, queues): the primitives these rules track. --
# Thread and process primitives block the calling thread, so the event loop, while they wait.
FACTORY_TYPES.update(
    {
        "threading.Lock": "threading.Lock",
        "threading.RLock": "threading.RLock",
        "threading.Semaphore": "threading.Semaphore",
        "threading.BoundedSemaphore": "threading.BoundedSemaphore",
        "threading.Condition": "threading.Condition",
        "threading.Event": "threading.Event",
        "_thread.allocate_lock": "threading.Lock",
        "multiprocessing.Lock": "multiprocessing.Lock",
        "multiprocessing.RLock": "multiprocessing.RLock",
        "multiprocessing.Semaphore": "multiprocessing.Semaphore",
        "multiprocessing.BoundedSemaphore": "multiprocessing.BoundedSemaphore",
        "multiprocessing.Condition": "multiprocessing.Condition",
        "multiprocessing.JoinableQueue": "multiprocessing.JoinableQueue",
        "queue.Queue": "queue.Queue",
        "queue.LifoQueue": "queue.LifoQueue",
        "queue.PriorityQueue": "queue.PriorityQueue",
        "asyncio.LifoQueue": "asyncio.LifoQueue",
        "asyncio.PriorityQueue": "asyncio.PriorityQueue",
        "trio.Lock": "trio.Lock",
        "trio.StrictFIFOLock": "trio.StrictFIFOLock",
        "trio.Semaphore": "trio.Semaphore",
        "trio.CapacityLimiter": "trio.CapacityLimiter",
        "trio.Condition": "trio.Condition",
        "trio.Event": "trio.Event",
        "anyio.Lock": "anyio.Lock",
        "anyio.Semaphore": "anyio.Semaphore",
        "anyio.CapacityLimiter": "anyio.CapacityLimiter",
        "anyio.Condition": "anyio.Condition",
        "anyio.Event": "anyio.Event",
    }
)

AWAITED_TYPES: Dict[str, TypeAnswer] = {}

#: ``await runner(f, *args)`` runs ``f(*args)`` in a worker thread and gives its result.
THREAD_RUNNERS = frozenset(
    {"asyncio.to_thread", "trio.to_thread.run_sync", "anyio.to_thread.run_sync"}
)

MEMBER_TYPES: Dict[str, TypeAnswer] = {}

#: Annotations name the type itself; these aliases name the same class.
TYPE_ALIASES = {
    "asyncio.BaseEventLoop": EVENT_LOOP,
    "asyncio.SelectorEventLoop": EVENT_LOOP,
    "asyncio.ProactorEventLoop": EVENT_LOOP,
    "uvloop.Loop": EVENT_LOOP,
}

# -- ASL5xx/ASL6xx/ASL801: where the primitives are defined, as annotations may spell them. --
TYPE_ALIASES.update(
    {
        "threading._RLock": "threading.RLock",
        "multiprocessing.synchronize.Lock": "multiprocessing.Lock",
        "multiprocessing.synchronize.RLock": "multiprocessing.RLock",
        "multiprocessing.synchronize.Semaphore": "multiprocessing.Semaphore",
        "multiprocessing.synchronize.BoundedSemaphore": "multiprocessing.BoundedSemaphore",
        "multiprocessing.synchronize.Condition": "multiprocessing.Condition",
        "multiprocessing.queues.JoinableQueue": "multiprocessing.JoinableQueue",
    }
)

# -- ASL4xx/ASL7xx (tasks, task groups, cancellation): what spawns and owns tasks. --
FACTORY_TYPES.update(
    {
        "asyncio.Future": "asyncio.Future",
        "trio.open_nursery": "trio.Nursery",
        "anyio.create_task_group": "anyio.abc.TaskGroup",
    }
)
MEMBER_TYPES.update(
    {
        EVENT_LOOP + ".create_task": "asyncio.Task",
        EVENT_LOOP + ".create_future": "asyncio.Future",
        "asyncio.TaskGroup.create_task": "asyncio.Task",
    }
)
TYPE_ALIASES.update(
    {
        "anyio.abc.TaskGroup": "anyio.abc.TaskGroup",
        "trio.Nursery": "trio.Nursery",
    }
)

# -- ASL101-ASL109 (blocking calls): the sync clients, files, paths, sockets and thread primitives
# whose methods block. The blocking methods themselves are in rules/blocking/catalogue.py.
_FILE = "io.TextIOWrapper"  # open() in text mode; the binary modes have the same blocking methods
_PATH = "pathlib.Path"
FACTORY_TYPES.update(
    {
        # HTTP clients
        "requests.Session": "requests.Session",
        "requests.session": "requests.Session",
        "httpx.Client": "httpx.Client",
        "urllib3.PoolManager": "urllib3.PoolManager",
        "urllib3.ProxyManager": "urllib3.ProxyManager",
        "urllib3.proxy_from_url": "urllib3.ProxyManager",
        "urllib3.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool": "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url": "urllib3.HTTPConnectionPool",
        "http.client.HTTPConnection": "http.client.HTTPConnection",
        "http.client.HTTPSConnection": "http.client.HTTPSConnection",
        "urllib.request.urlopen": "http.client.HTTPResponse",
        "urllib.request.build_opener": "urllib.request.OpenerDirector",
        "urllib.request.OpenerDirector": "urllib.request.OpenerDirector",
        # processes
        "subprocess.Popen": "subprocess.Popen",
        # files and paths
        "builtins.open": _FILE,
        "io.open": _FILE,
        "io.open_code": "io.BufferedReader",
        "os.fdopen": _FILE,
        "codecs.open": _FILE,
        "tempfile.TemporaryFile": "io.BufferedRandom",
        "tempfile.NamedTemporaryFile": "io.BufferedRandom",
        "tempfile.TemporaryDirectory": "tempfile.TemporaryDirectory",
        "pathlib.Path": _PATH,
        "pathlib.PosixPath": _PATH,
        "pathlib.WindowsPath": _PATH,
        "pathlib.Path.cwd": _PATH,
        "pathlib.Path.home": _PATH,
        # sockets, TLS and the standard library's protocol clients
        "socket.socket": "socket.socket",
        "socket.create_connection": "socket.socket",
        "socket.create_server": "socket.socket",
        "socket.fromfd": "socket.socket",
        "ssl.SSLContext": "ssl.SSLContext",
        "ssl.create_default_context": "ssl.SSLContext",
        "smtplib.SMTP": "smtplib.SMTP",
        "smtplib.SMTP_SSL": "smtplib.SMTP_SSL",
        "smtplib.LMTP": "smtplib.LMTP",
        "ftplib.FTP": "ftplib.FTP",
        "ftplib.FTP_TLS": "ftplib.FTP_TLS",
        "poplib.POP3": "poplib.POP3",
        "poplib.POP3_SSL": "poplib.POP3_SSL",
        "imaplib.IMAP4": "imaplib.IMAP4",
        "imaplib.IMAP4_SSL": "imaplib.IMAP4_SSL",
        "xmlrpc.client.ServerProxy": "xmlrpc.client.ServerProxy",
        # sync database and cache clients (never their asyncio variants: redis.asyncio,
        # psycopg.AsyncConnection...)
        "sqlite3.connect": "sqlite3.Connection",
        "sqlite3.Connection": "sqlite3.Connection",
        "psycopg2.connect": "psycopg2.extensions.connection",
        "psycopg.connect": "psycopg.Connection",
        "psycopg.Connection.connect": "psycopg.Connection",
        "pymysql.connect": "pymysql.connections.Connection",
        "pymysql.Connect": "pymysql.connections.Connection",
        "pymysql.connections.Connection": "pymysql.connections.Connection",
        "MySQLdb.connect": "MySQLdb.connections.Connection",
        "MySQLdb.Connect": "MySQLdb.connections.Connection",
        "mysql.connector.connect": "mysql.connector.connection.MySQLConnection",
        "pymongo.MongoClient": "pymongo.MongoClient",
        "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
        "redis.Redis": "redis.Redis",
        "redis.StrictRedis": "redis.Redis",
        "redis.client.Redis": "redis.Redis",
        "redis.client.StrictRedis": "redis.Redis",
        "redis.from_url": "redis.Redis",
        "redis.Redis.from_url": "redis.Redis",
        "redis.StrictRedis.from_url": "redis.Redis",
        "sqlalchemy.create_engine": "sqlalchemy.engine.Engine",
        "sqlalchemy.engine.create_engine": "sqlalchemy.engine.Engine",
        "sqlalchemy.orm.Session": "sqlalchemy.orm.Session",
        "elasticsearch.Elasticsearch": "elasticsearch.Elasticsearch",
        "boto3.client": "botocore.client.BaseClient",
        "boto3.session.Session": "boto3.session.Session",
        "boto3.Session": "boto3.session.Session",
        # threads, processes and their waits
        "threading.Thread": "threading.Thread",
        "threading.Timer": "threading.Thread",
        "threading.Barrier": "threading.Barrier",
        "queue.SimpleQueue": "queue.SimpleQueue",
        "multiprocessing.Queue": "multiprocessing.Queue",
        "multiprocessing.SimpleQueue": "multiprocessing.SimpleQueue",
        "multiprocessing.Process": "multiprocessing.Process",
        "multiprocessing.Pool": "multiprocessing.pool.Pool",
        "multiprocessing.pool.Pool": "multiprocessing.pool.Pool",
        "multiprocessing.pool.ThreadPool": "multiprocessing.pool.Pool",
        "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.Future": "concurrent.futures.Future",
        "asyncio.run_coroutine_threadsafe": "concurrent.futures.Future",
        "asyncio.Runner": "asyncio.Runner",
    }
)
MEMBER_TYPES.update(
    {
        "urllib.request.OpenerDirector.open": "http.client.HTTPResponse",
        "http.client.HTTPConnection.getresponse": "http.client.HTTPResponse",
        "http.client.HTTPSConnection.getresponse": "http.client.HTTPResponse",
        # a path and the paths derived from it
        **{
            f"{_PATH}.{member}": _PATH
            for member in (
                "__truediv__",
                "parent",
                "joinpath",
                "with_name",
                "with_suffix",
                "with_stem",
                "relative_to",
                "resolve",
                "absolute",
                "expanduser",
                "with_segments",
            )
        },
        f"{_PATH}.open": _FILE,
        "tempfile.TemporaryDirectory.__enter__": "builtins.str",
        "socket.socket.accept": ("socket.socket", None),
        "socket.socket.makefile": _FILE,
        "ssl.SSLContext.wrap_socket": "ssl.SSLSocket",
        "sqlite3.Connection.cursor": "sqlite3.Cursor",
        "sqlite3.Connection.execute": "sqlite3.Cursor",
        "sqlite3.Connection.executemany": "sqlite3.Cursor",
        "psycopg2.extensions.connection.cursor": "psycopg2.extensions.cursor",
        "psycopg.Connection.cursor": "psycopg.Cursor",
        "psycopg.Connection.execute": "psycopg.Cursor",
        "pymysql.connections.Connection.cursor": "pymysql.cursors.Cursor",
        "MySQLdb.connections.Connection.cursor": "MySQLdb.cursors.Cursor",
        "mysql.connector.connection.MySQLConnection.cursor": "mysql.connector.cursor.MySQLCursor",
        "pymongo.MongoClient.get_database": "pymongo.database.Database",
        "pymongo.MongoClient.get_default_database": "pymongo.database.Database",
        "pymongo.database.Database.get_collection": "pymongo.collection.Collection",
        "redis.Redis.pipeline": "redis.client.Pipeline",
        "sqlalchemy.engine.Engine.connect": "sqlalchemy.engine.Connection",
        "boto3.session.Session.client": "botocore.client.BaseClient",
        "concurrent.futures.ThreadPoolExecutor.submit": "concurrent.futures.Future",
        "concurrent.futures.ProcessPoolExecutor.submit": "concurrent.futures.Future",
        "multiprocessing.pool.Pool.apply_async": "multiprocessing.pool.AsyncResult",
        "multiprocessing.pool.Pool.map_async": "multiprocessing.pool.AsyncResult",
        "multiprocessing.pool.Pool.starmap_async": "multiprocessing.pool.AsyncResult",
    }
)
TYPE_ALIASES.update(
    {
        "pathlib.PosixPath": _PATH,
        "pathlib.WindowsPath": _PATH,
        "pathlib._local.Path": _PATH,
        "httpx._client.Client": "httpx.Client",
        "urllib3.poolmanager.PoolManager": "urllib3.PoolManager",
        "urllib3.poolmanager.ProxyManager": "urllib3.ProxyManager",
        "urllib3.connectionpool.HTTPConnectionPool": "urllib3.HTTPConnectionPool",
        "urllib3.connectionpool.HTTPSConnectionPool": "urllib3.HTTPSConnectionPool",
        "redis.StrictRedis": "redis.Redis",
        "redis.client.Redis": "redis.Redis",
        "redis.client.StrictRedis": "redis.Redis",
        "sqlalchemy.Engine": "sqlalchemy.engine.Engine",
        "sqlalchemy.engine.base.Engine": "sqlalchemy.engine.Engine",
        "sqlalchemy.Connection": "sqlalchemy.engine.Connection",
        "sqlalchemy.engine.base.Connection": "sqlalchemy.engine.Connection",
        "sqlalchemy.orm.session.Session": "sqlalchemy.orm.Session",
        "pymongo.mongo_client.MongoClient": "pymongo.MongoClient",
        "pymongo.database.Database": "pymongo.database.Database",
        "pymongo.collection.Collection": "pymongo.collection.Collection",
        "threading.Timer": "threading.Thread",
        "multiprocessing.pool.ThreadPool": "multiprocessing.pool.Pool",
    }
)

# -- ASL3xx (timeouts): network clients, their connections and streams. The client factories
# shared with ASL201/202 (aiohttp, httpx, websockets, memory channels) are in that block below. --
_STREAMS = ("asyncio.StreamReader", "asyncio.StreamWriter")
_WEBSOCKET = "websockets.asyncio.client.ClientConnection"
FACTORY_TYPES.update(
    {
        "requests.Session": "requests.Session",
        "requests.session": "requests.Session",
        "websockets.legacy.client.connect": "websockets.asyncio.client.connect",
    }
)
AWAITED_TYPES.update(
    {
        "asyncio.open_connection": _STREAMS,
        "asyncio.open_unix_connection": _STREAMS,
        **dict.fromkeys(
            (
                "websockets.connect",
                "websockets.client.connect",
                "websockets.asyncio.client.connect",
                "websockets.legacy.client.connect",
            ),
            _WEBSOCKET,
        ),
        "aiohttp.ClientSession.ws_connect": "aiohttp.ClientWebSocketResponse",
        "trio.open_tcp_stream": "trio.SocketStream",
        "trio.open_unix_socket": "trio.SocketStream",
        "trio.open_ssl_over_tcp_stream": "trio.SSLStream",
        "anyio.connect_tcp": "anyio.abc.SocketStream",
        "anyio.connect_unix": "anyio.abc.SocketStream",
    }
)
TYPE_ALIASES.update(
    {
        "websockets.client.WebSocketClientProtocol": _WEBSOCKET,
        "websockets.legacy.client.WebSocketClientProtocol": _WEBSOCKET,
    }
)

#: Decorators that leave an ``async def`` a coroutine function. Any other decorator may wrap it
#: into something else (a worker launcher, a sync test, a context manager), so a decorated async def
#: counts as a coroutine function only when all its decorators are listed here (by last name part).
COROUTINE_PRESERVING_DECORATORS = frozenset(
    {
        "staticmethod",
        "classmethod",
        "abstractmethod",
        "override",
        "overload",
        "final",
        "wraps",
        "cache",
        "lru_cache",
    }
)

# -- ASL201/ASL202 (sync with/for on async objects): library factories of async-only context
# managers and async iterables, so that their calls, and names bound from them, are typed. What
# each type supports is in rules/coroutines/protocols.py (LIBRARY_SUPPORT). --
FACTORY_TYPES.update(
    {
        "asyncio.timeout": "asyncio.Timeout",
        "asyncio.timeout_at": "asyncio.Timeout",
        "asyncio.Timeout": "asyncio.Timeout",
        "asyncio.StreamReader": "asyncio.StreamReader",
        "asyncio.Runner": "asyncio.Runner",
        "contextlib.AsyncExitStack": "contextlib.AsyncExitStack",
        "contextlib.aclosing": "contextlib.aclosing",
        "contextlib.ExitStack": "contextlib.ExitStack",
        "contextlib.nullcontext": "contextlib.nullcontext",
        # trio and anyio cancel scopes are plain context managers: typed so that they are known
        # sync.
        "trio.CancelScope": "trio.CancelScope",
        "trio.move_on_after": "trio.CancelScope",
        "trio.move_on_at": "trio.CancelScope",
        "trio.fail_after": "trio.CancelScope",
        "trio.fail_at": "trio.CancelScope",
        "trio.open_memory_channel": ("trio.MemorySendChannel", "trio.MemoryReceiveChannel"),
        "anyio.CancelScope": "anyio.CancelScope",
        "anyio.move_on_after": "anyio.CancelScope",
        "anyio.fail_after": "anyio.CancelScope",
        "anyio.create_memory_object_stream": (
            "anyio.streams.memory.MemoryObjectSendStream",
            "anyio.streams.memory.MemoryObjectReceiveStream",
        ),
        "aiohttp.ClientSession": "aiohttp.ClientSession",
        "aiohttp.request": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.get": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.post": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.put": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.patch": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.delete": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.head": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.options": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.request": "aiohttp.client._RequestContextManager",
        "aiohttp.ClientSession.ws_connect": "aiohttp.client._WSRequestContextManager",
        "httpx.AsyncClient": "httpx.AsyncClient",
        "httpx.Client": "httpx.Client",
        "aiofiles.open": "aiofiles.threadpool.AiofilesContextManager",
        "aiosqlite.connect": "aiosqlite.Connection",
        "asyncpg.create_pool": "asyncpg.pool.Pool",
        "redis.asyncio.Redis": "redis.asyncio.Redis",
        "redis.asyncio.StrictRedis": "redis.asyncio.Redis",
        "redis.asyncio.from_url": "redis.asyncio.Redis",
        "redis.asyncio.Redis.from_url": "redis.asyncio.Redis",
        "redis.asyncio.Redis.pipeline": "redis.asyncio.client.Pipeline",
        "redis.asyncio.Redis.lock": "redis.asyncio.lock.Lock",
        "websockets.connect": "websockets.asyncio.client.connect",
        "websockets.asyncio.client.connect": "websockets.asyncio.client.connect",
        "websockets.client.connect": "websockets.asyncio.client.connect",
        "websockets.serve": "websockets.asyncio.server.serve",
        "websockets.asyncio.server.serve": "websockets.asyncio.server.serve",
        "websockets.server.serve": "websockets.asyncio.server.serve",
        "sqlalchemy.ext.asyncio.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.create_async_engine": "sqlalchemy.ext.asyncio.AsyncEngine",
        "sqlalchemy.ext.asyncio.AsyncEngine.connect": "sqlalchemy.ext.asyncio.AsyncConnection",
        "sqlalchemy.ext.asyncio.AsyncEngine.begin": "sqlalchemy.ext.asyncio.AsyncConnection",
        # ASL204: executors call what is submitted synchronously.
        "concurrent.futures.ThreadPoolExecutor": "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor": "concurrent.futures.ProcessPoolExecutor",
    }
)
MEMBER_TYPES.update(
    {
        "aiohttp.client._RequestContextManager.__aenter__": "aiohttp.ClientResponse",
        "aiohttp.ClientResponse.content": "aiohttp.StreamReader",
        "aiohttp.client._WSRequestContextManager.__aenter__": "aiohttp.ClientWebSocketResponse",
        "aiofiles.threadpool.AiofilesContextManager.__aenter__": "aiofiles.threadpool.AsyncFile",
        "websockets.asyncio.client.connect.__aenter__": _WEBSOCKET,
    }
)
TYPE_ALIASES.update(
    {
        "aiohttp.streams.StreamReader": "aiohttp.StreamReader",
        "httpx._client.AsyncClient": "httpx.AsyncClient",
        "redis.asyncio.client.Redis": "redis.asyncio.Redis",
        "sqlalchemy.ext.asyncio.session.AsyncSession": "sqlalchemy.ext.asyncio.AsyncSession",
        "sqlalchemy.ext.asyncio.engine.AsyncEngine": "sqlalchemy.ext.asyncio.AsyncEngine",
        "websockets.ClientConnection": "websockets.asyncio.client.ClientConnection",
        "websockets.WebSocketClientProtocol": "websockets.asyncio.client.ClientConnection",
    }
)
