"""The blocking-call catalogue behind ASL101-ASL109, as data.

One entry per qualified function (``"requests.get"``) or per method of a known type
(``"requests.Session.get"``, ``"io.TextIOWrapper.read"``). A method entry matches a call whose
receiver the semantic model types for certain (``s = requests.Session()``, ``with open(p) as f``,
an annotated parameter): receivers of unknown type are never guessed from their names. A type may
also list ``"<type>.*"`` when every public method of it does I/O (a Redis client, a boto3 client,
an XML-RPC proxy); ``METHODS_THAT_DO_NOT_BLOCK`` names the exceptions.

``blocking_entry()`` and ``blocking_method()`` are the lookups; ASL110 (blocking through project
helpers) uses them too, so a helper that calls ``f.read()`` is known to block the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Mapping, Optional, Tuple

from asynclint.knowledge import EVENT_LOOP


@dataclass(frozen=True)
class NonBlockingWhen:
    """The call returns at once when this argument, passed by keyword or at ``position``, is one of
    ``literals`` (their source text): ``q.get(block=False)``, ``thread.join(timeout=0)``."""

    keyword: str
    position: Optional[int]
    literals: FrozenSet[str]
    #: ... or an expression naming one of these (``flags=socket.AI_NUMERICHOST | ...``).
    mentions: FrozenSet[str] = frozenset()


@dataclass(frozen=True)
class Blocking:
    """What a catalogued call does and what a coroutine should do instead."""

    code: str  # the rule that reports it: ASL101..ASL109
    does: str  # completes "<call>() ... in a coroutine": "makes a blocking HTTP request"
    instead: Mapping[str, str]  # framework -> advice, "use httpx.AsyncClient or aiohttp"
    #: ``await <framework's to_thread>(call)`` keeps the behaviour (a nested event loop does not).
    fixable: bool = True
    nonblocking_when: Tuple[NonBlockingWhen, ...] = ()
    #: Blocks only when this argument (keyword, position) is a file object of a known type:
    #: ``json.load(f)`` reads a disk file, ``json.load(io.BytesIO(b))`` does not.
    file_argument: Optional[Tuple[str, int]] = None
    #: Blocks only when called with arguments: ``smtplib.SMTP(host)`` connects, ``SMTP()`` does not.
    needs_arguments: bool = False
    #: Code that shows the receiver is already settled, so the call returns at once: regular
    #: expressions in which ``{receiver}`` stands for the receiver as written (``sock``,
    #: ``self._sock``), searched in the enclosing function (the whole file for an attribute).
    settled_by: Tuple[str, ...] = ()
    #: Exceptions that only a non-waiting form raises: a call in a ``try`` that catches one of them
    #: is written for that form (``except BlockingIOError`` around a non-blocking socket's recv).
    raised_instead: FrozenSet[str] = frozenset()

    def advice(self, framework: str) -> str:
        return self.instead.get(framework) or self.instead["asyncio"]


# -- what to use instead, per framework ----------------------------------------------------------

TO_THREAD = {
    "asyncio": "asyncio.to_thread",
    "trio": "trio.to_thread.run_sync",
    "anyio": "anyio.to_thread.run_sync",
}


def _per_framework(asyncio: str, trio: str, anyio: Optional[str] = None) -> Dict[str, str]:
    return {"asyncio": asyncio, "trio": trio, "anyio": anyio or trio.replace("trio", "anyio")}


def _or_thread(
    asyncio: str, trio: Optional[str] = None, anyio: Optional[str] = None
) -> Dict[str, str]:
    """A library alternative, else a worker thread: the advice for client libraries."""
    return {
        "asyncio": f"use {asyncio}, or run it in {TO_THREAD['asyncio']}()",
        "trio": f"use {trio or asyncio}, or run it in {TO_THREAD['trio']}()",
        "anyio": f"use {anyio or trio or asyncio}, or run it in {TO_THREAD['anyio']}()",
    }


IN_A_THREAD = {framework: f"run it in {to_thread}()" for framework, to_thread in TO_THREAD.items()}
HTTP_CLIENT = _per_framework(
    "use an async client (httpx.AsyncClient or aiohttp)",
    "use httpx.AsyncClient",
    "use httpx.AsyncClient",
)
SUBPROCESS = _per_framework(
    "use asyncio.create_subprocess_exec() (or _shell())",
    "use trio.run_process()",
    "use anyio.run_process()",
)
PROCESS_WAIT = _per_framework(
    "await the process of asyncio.create_subprocess_exec(), or run it in asyncio.to_thread()",
    "use trio.run_process(), or run it in trio.to_thread.run_sync()",
    "use anyio.run_process(), or run it in anyio.to_thread.run_sync()",
)
FILE_IO = _per_framework(
    "use aiofiles, or run it in asyncio.to_thread()",
    "use trio.open_file() / trio.Path, or trio.wrap_file()",
    "use anyio.open_file() / anyio.Path, or anyio.wrap_file()",
)
FILESYSTEM = _per_framework(
    "run it in asyncio.to_thread() (or use aiofiles.os)",
    "use trio.Path, or run it in trio.to_thread.run_sync()",
    "use anyio.Path, or run it in anyio.to_thread.run_sync()",
)
DNS = _per_framework(
    "use loop.getaddrinfo() / loop.getnameinfo()",
    "use trio.socket.getaddrinfo() / trio.socket.getnameinfo()",
    "use anyio.getaddrinfo() / anyio.getnameinfo()",
)
CONNECT = _per_framework(
    "use asyncio.open_connection()", "use trio.open_tcp_stream()", "use anyio.connect_tcp()"
)
SOCKET_IO = _per_framework(
    "use asyncio streams (asyncio.open_connection()) or loop.sock_*() on a non-blocking socket",
    "use a trio.socket socket or trio streams",
    "use anyio streams (anyio.connect_tcp())",
)
TLS_SETUP = IN_A_THREAD
NESTED_LOOP = dict.fromkeys(TO_THREAD, "await the coroutine instead")
THREAD_WAIT = IN_A_THREAD
FUTURE_WAIT = _per_framework(
    "await asyncio.wrap_future(future)",
    "run it in trio.to_thread.run_sync()",
    "run it in anyio.to_thread.run_sync()",
)
QUEUE_WAIT = _per_framework(
    "use an asyncio.Queue, or run it in asyncio.to_thread()",
    "use a trio memory channel, or run it in trio.to_thread.run_sync()",
    "use an anyio memory object stream, or run it in anyio.to_thread.run_sync()",
)

# -- building blocks -----------------------------------------------------------------------------


def _entries(names: Iterable[str], entry: Blocking) -> Dict[str, Blocking]:
    return dict.fromkeys(names, entry)


def _methods(types: Iterable[str], methods: Iterable[str]) -> Tuple[str, ...]:
    methods = tuple(methods)
    return tuple(f"{cls}.{method}" for cls in types for method in methods)


def _zero(keyword: str, position: Optional[int]) -> NonBlockingWhen:
    return NonBlockingWhen(keyword, position, frozenset({"0", "0.0", "0."}))


def _false(keyword: str, position: Optional[int]) -> NonBlockingWhen:
    return NonBlockingWhen(keyword, position, frozenset({"False", "0"}))


# -- ASL101: sync HTTP clients -------------------------------------------------------------------

HTTP_VERBS = ("get", "options", "head", "post", "put", "patch", "delete", "request")
HTTP_REQUEST = Blocking("ASL101", "makes a blocking HTTP request", HTTP_CLIENT)
URLLIB3_POOLS = (
    "urllib3.PoolManager",
    "urllib3.ProxyManager",
    "urllib3.HTTPConnectionPool",
    "urllib3.HTTPSConnectionPool",
)
HTTP_CONNECTIONS = ("http.client.HTTPConnection", "http.client.HTTPSConnection")

CATALOGUE: Dict[str, Blocking] = {
    **_entries(
        (
            *(f"requests.{verb}" for verb in HTTP_VERBS),
            *(f"requests.api.{verb}" for verb in HTTP_VERBS),
            *_methods(("requests.Session",), (*HTTP_VERBS, "send")),
            *(f"httpx.{verb}" for verb in (*HTTP_VERBS, "stream")),
            *_methods(("httpx.Client",), (*HTTP_VERBS, "send", "stream", "close")),
            "urllib.request.urlopen",
            "urllib.request.urlretrieve",
            "urllib.request.OpenerDirector.open",
            "urllib3.request",
            *_methods(
                URLLIB3_POOLS, ("request", "request_encode_url", "request_encode_body", "urlopen")
            ),
            *_methods(
                HTTP_CONNECTIONS, ("request", "getresponse", "connect", "endheaders", "send")
            ),
            *_methods(
                ("http.client.HTTPResponse",),
                ("read", "readline", "readlines", "readinto", "read1"),
            ),
        ),
        HTTP_REQUEST,
    ),
}

# -- ASL102: subprocesses and process waits ------------------------------------------------------

CATALOGUE.update(
    {
        **_entries(
            (
                "subprocess.run",
                "subprocess.call",
                "subprocess.check_call",
                "subprocess.check_output",
                "subprocess.getoutput",
                "subprocess.getstatusoutput",
                "os.system",
                *(
                    f"os.spawn{variant}"
                    for variant in ("l", "le", "lp", "lpe", "v", "ve", "vp", "vpe")
                ),
                "os.posix_spawn",
                "os.posix_spawnp",
            ),
            Blocking("ASL102", "runs a process and waits for it", SUBPROCESS),
        ),
        # Starting a process forks and executes it from the loop's thread; os.popen also hands back
        # a
        # pipe whose reads block.
        **_entries(
            ("subprocess.Popen", "os.popen"),
            Blocking("ASL102", "starts a process synchronously", SUBPROCESS),
        ),
        **_entries(
            ("subprocess.Popen.wait", "subprocess.Popen.communicate"),
            Blocking(
                "ASL102",
                "waits for a process",
                PROCESS_WAIT,
                nonblocking_when=(_zero("timeout", 0),),
            ),
        ),
        **_entries(
            ("os.wait", "os.wait3", "os.wait4", "os.waitid", "os.waitpid"),
            Blocking("ASL102", "waits for a process", PROCESS_WAIT),
        ),
    }
)

# -- ASL103: file content I/O --------------------------------------------------------------------

#: The types of open file objects: what open(), Path.open() and the tempfile constructors return.
FILE_TYPES = (
    "io.TextIOWrapper",
    "io.BufferedReader",
    "io.BufferedWriter",
    "io.BufferedRandom",
    "io.FileIO",
)
FILE_METHODS = (
    "read",
    "read1",
    "readall",
    "readinto",
    "readinto1",
    "readline",
    "readlines",
    "write",
    "writelines",
    "flush",
    "truncate",
    "seek",
    "close",
    "tell",
    "detach",
    "reconfigure",  # these flush pending writes first
)
FILE_IO_ENTRY = Blocking("ASL103", "does blocking file I/O", FILE_IO)

CATALOGUE.update(
    {
        **_entries(
            (
                "builtins.open",
                "io.open",
                "io.open_code",
                "os.fdopen",
                "codecs.open",
                "tempfile.TemporaryFile",
                "tempfile.NamedTemporaryFile",
                *_methods(
                    ("pathlib.Path",),
                    ("open", "read_text", "read_bytes", "write_text", "write_bytes"),
                ),
                *_methods(FILE_TYPES, FILE_METHODS),
            ),
            FILE_IO_ENTRY,
        ),
        # (De)serialisers that read or write a file object: blocking only when it is a disk file.
        # json and marshal name the parameter `fp`, pickle names it `file`.
        **_entries(
            ("json.load", "marshal.load"),
            Blocking("ASL103", "reads a file", FILE_IO, file_argument=("fp", 0)),
        ),
        **_entries(
            ("json.dump", "marshal.dump"),
            Blocking("ASL103", "writes a file", FILE_IO, file_argument=("fp", 1)),
        ),
        "pickle.load": Blocking("ASL103", "reads a file", FILE_IO, file_argument=("file", 0)),
        "pickle.dump": Blocking("ASL103", "writes a file", FILE_IO, file_argument=("file", 1)),
    }
)

# -- ASL104: filesystem operations ---------------------------------------------------------------

CATALOGUE.update(
    _entries(
        (
            *(
                f"os.{name}"
                for name in (
                    "listdir",
                    "scandir",
                    "walk",
                    "fwalk",
                    "remove",
                    "unlink",
                    "rename",
                    "renames",
                    "replace",
                    "mkdir",
                    "makedirs",
                    "rmdir",
                    "removedirs",
                    "link",
                    "symlink",
                    "readlink",
                    "sendfile",
                    "chmod",
                    "lchmod",
                    "chown",
                    "lchown",
                    "truncate",
                    "utime",
                    "mkfifo",
                    "copy_file_range",
                )
            ),
            *(
                f"shutil.{name}"
                for name in (
                    "copy",
                    "copy2",
                    "copyfile",
                    "copymode",
                    "copystat",
                    "copytree",
                    "move",
                    "rmtree",
                    "make_archive",
                    "unpack_archive",
                    "chown",
                )
            ),
            "glob.glob",
            "glob.iglob",
            "tempfile.mkstemp",
            "tempfile.mkdtemp",
            "tempfile.TemporaryDirectory",
            "tempfile.TemporaryDirectory.cleanup",
            *_methods(
                ("pathlib.Path",),
                (
                    "iterdir",
                    "glob",
                    "rglob",
                    "walk",
                    "mkdir",
                    "unlink",
                    "rmdir",
                    "rename",
                    "replace",
                    "touch",
                    "symlink_to",
                    "hardlink_to",
                    "link_to",
                    "chmod",
                    "lchmod",
                    "readlink",
                    "copy",
                    "copy_into",
                    "move",
                    "move_into",
                ),
            ),
        ),
        Blocking("ASL104", "is a blocking filesystem operation", FILESYSTEM),
    )
)

# -- ASL105: filesystem metadata queries ---------------------------------------------------------

CATALOGUE.update(
    _entries(
        (
            "os.stat",
            "os.lstat",
            "os.access",
            "os.statvfs",
            *(
                f"os.path.{name}"
                for name in (
                    "exists",
                    "lexists",
                    "isfile",
                    "isdir",
                    "islink",
                    "ismount",
                    "isjunction",
                    "getsize",
                    "getmtime",
                    "getatime",
                    "getctime",
                    "samefile",
                    "sameopenfile",
                    "realpath",
                )
            ),
            "shutil.disk_usage",
            "shutil.which",
            *_methods(
                ("pathlib.Path",),
                (
                    "exists",
                    "is_file",
                    "is_dir",
                    "is_symlink",
                    "is_mount",
                    "is_socket",
                    "is_fifo",
                    "is_block_device",
                    "is_char_device",
                    "is_junction",
                    "stat",
                    "lstat",
                    "resolve",
                    "owner",
                    "group",
                    "samefile",
                ),
            ),
            # Not listed: os.getcwd, Path.cwd/absolute, os.path.abspath/relpath (the kernel answers
            # the
            # working directory from memory) and expanduser/Path.home (they read $HOME).
        ),
        Blocking("ASL105", "queries the filesystem", FILESYSTEM),
    )
)

# -- ASL106: sockets, DNS and TLS ----------------------------------------------------------------

SOCKET_METHODS = (
    "connect",
    "connect_ex",
    "accept",
    "recv",
    "recv_into",
    "recvfrom",
    "recvfrom_into",
    "recvmsg",
    "recvmsg_into",
    "send",
    "sendall",
    "sendto",
    "sendmsg",
    "sendfile",
)
#: A socket in non-blocking mode, or one the code waits on for readiness (trio, anyio, loop.sock_*),
#: raises BlockingIOError instead of waiting.
NON_BLOCKING_SOCKET = (
    r"{receiver}\s*\.\s*setblocking\(\s*(False|0)\s*\)",
    r"{receiver}\s*\.\s*settimeout\(\s*0(\.0*)?\s*\)",
    r"wait_(readable|writable)\(\s*{receiver}\s*\)",
)
NON_BLOCKING_SOCKET_ERRORS = frozenset({"BlockingIOError", "SSLWantReadError", "SSLWantWriteError"})
SMTP_TYPES = ("smtplib.SMTP", "smtplib.SMTP_SSL", "smtplib.LMTP")
FTP_TYPES = ("ftplib.FTP", "ftplib.FTP_TLS")
POP_TYPES = ("poplib.POP3", "poplib.POP3_SSL")
IMAP_TYPES = ("imaplib.IMAP4", "imaplib.IMAP4_SSL")

CATALOGUE.update(
    {
        **_entries(
            (
                "socket.getaddrinfo",
                "socket.gethostbyname",
                "socket.gethostbyname_ex",
                "socket.gethostbyaddr",
                "socket.getnameinfo",
                "socket.getfqdn",
            ),
            Blocking(
                "ASL106",
                "does a blocking DNS lookup",
                DNS,
                nonblocking_when=(
                    # numeric hosts only: resolved without asking a DNS server
                    NonBlockingWhen("flags", 5, frozenset(), frozenset({"AI_NUMERICHOST"})),
                    NonBlockingWhen("flags", 1, frozenset(), frozenset({"NI_NUMERICHOST"})),
                ),
            ),
        ),
        "socket.create_connection": Blocking("ASL106", "connects a socket synchronously", CONNECT),
        **_entries(
            _methods(("socket.socket", "ssl.SSLSocket"), SOCKET_METHODS)
            + _methods(("ssl.SSLSocket",), ("read", "write", "do_handshake"))
            + ("socket.socket.makefile",),
            Blocking(
                "ASL106",
                "does blocking socket I/O",
                SOCKET_IO,
                settled_by=NON_BLOCKING_SOCKET,
                raised_instead=NON_BLOCKING_SOCKET_ERRORS,
            ),
        ),
        **_entries(
            (
                "ssl.create_default_context",
                *_methods(
                    ("ssl.SSLContext",),
                    (
                        "load_verify_locations",
                        "load_cert_chain",
                        "load_default_certs",
                        "set_default_verify_paths",
                    ),
                ),
            ),
            Blocking("ASL106", "loads certificates from disk", TLS_SETUP),
        ),
        # Mail, FTP and XML-RPC clients of the standard library: sockets underneath.
        **_entries(
            SMTP_TYPES + FTP_TYPES,
            Blocking(
                "ASL106",
                "connects synchronously",
                _or_thread("aiosmtplib or aioftp"),
                needs_arguments=True,
            ),
        ),
        **_entries(
            POP_TYPES + IMAP_TYPES,
            Blocking(
                "ASL106",
                "connects synchronously",
                _or_thread("aioimaplib (IMAP)"),
            ),
        ),
        **_entries(
            _methods(
                SMTP_TYPES,
                (
                    "connect",
                    "login",
                    "starttls",
                    "ehlo",
                    "helo",
                    "sendmail",
                    "send_message",
                    "quit",
                    "noop",
                    "verify",
                    "rset",
                    "mail",
                    "rcpt",
                    "data",
                    "docmd",
                ),
            ),
            Blocking("ASL106", "talks to a mail server synchronously", _or_thread("aiosmtplib")),
        ),
        **_entries(
            _methods(
                FTP_TYPES,
                (
                    "connect",
                    "login",
                    "retrbinary",
                    "retrlines",
                    "storbinary",
                    "storlines",
                    "nlst",
                    "dir",
                    "mlsd",
                    "cwd",
                    "size",
                    "delete",
                    "rename",
                    "mkd",
                    "rmd",
                    "pwd",
                    "quit",
                    "sendcmd",
                    "voidcmd",
                ),
            ),
            Blocking("ASL106", "talks to an FTP server synchronously", _or_thread("aioftp")),
        ),
        **_entries(
            _methods(
                POP_TYPES, ("user", "pass_", "stat", "list", "retr", "dele", "top", "uidl", "quit")
            )
            + _methods(
                IMAP_TYPES,
                (
                    "login",
                    "select",
                    "search",
                    "fetch",
                    "store",
                    "logout",
                    "list",
                    "uid",
                    "append",
                    "expunge",
                    "close",
                    "noop",
                    "copy",
                    "create",
                    "delete",
                ),
            ),
            Blocking(
                "ASL106", "talks to a mail server synchronously", _or_thread("aioimaplib (IMAP)")
            ),
        ),
        "xmlrpc.client.ServerProxy.*": Blocking(
            "ASL106", "makes a blocking XML-RPC call", IN_A_THREAD
        ),
    }
)

# -- ASL107: sync database and cache clients -----------------------------------------------------

SQL_CURSOR_METHODS = ("execute", "executemany", "fetchone", "fetchmany", "fetchall", "callproc")
SQL_CONNECTION_METHODS = ("commit", "rollback")


def _database(
    driver_does: str, advice: Mapping[str, str], names: Iterable[str]
) -> Dict[str, Blocking]:
    return _entries(names, Blocking("ASL107", driver_does, advice))


CATALOGUE.update(
    {
        **_database(
            "queries SQLite synchronously",
            _or_thread("aiosqlite"),
            (
                "sqlite3.connect",
                *_methods(
                    ("sqlite3.Connection",),
                    (*SQL_CONNECTION_METHODS, "execute", "executemany", "executescript", "backup"),
                ),
                *_methods(("sqlite3.Cursor",), (*SQL_CURSOR_METHODS, "executescript")),
            ),
        ),
        **_database(
            "talks to PostgreSQL synchronously",
            _or_thread("asyncpg or psycopg's AsyncConnection"),
            (
                "psycopg2.connect",
                "psycopg.connect",
                "psycopg.Connection.connect",
                *_methods(("psycopg2.extensions.connection",), SQL_CONNECTION_METHODS),
                *_methods(
                    ("psycopg2.extensions.cursor",),
                    (*SQL_CURSOR_METHODS, "copy_from", "copy_to", "copy_expert"),
                ),
                *_methods(("psycopg.Connection",), (*SQL_CONNECTION_METHODS, "execute")),
                *_methods(("psycopg.Cursor",), (*SQL_CURSOR_METHODS, "copy")),
            ),
        ),
        **_database(
            "talks to MySQL synchronously",
            _or_thread("aiomysql or asyncmy"),
            (
                "pymysql.connect",
                "pymysql.Connect",
                "pymysql.connections.Connection",
                "MySQLdb.connect",
                "MySQLdb.Connect",
                "mysql.connector.connect",
                *_methods(
                    (
                        "pymysql.connections.Connection",
                        "MySQLdb.connections.Connection",
                        "mysql.connector.connection.MySQLConnection",
                    ),
                    (
                        *SQL_CONNECTION_METHODS,
                        "ping",
                        "select_db",
                        "query",
                        "cmd_query",
                        "reconnect",
                    ),
                ),
                *_methods(
                    (
                        "pymysql.cursors.Cursor",
                        "MySQLdb.cursors.Cursor",
                        "mysql.connector.cursor.MySQLCursor",
                    ),
                    SQL_CURSOR_METHODS,
                ),
            ),
        ),
        **_database(
            "talks to MongoDB synchronously",
            _or_thread("motor or pymongo's AsyncMongoClient"),
            (
                *_methods(
                    ("pymongo.MongoClient",),
                    (
                        "list_database_names",
                        "list_databases",
                        "server_info",
                        "drop_database",
                        "close",
                    ),
                ),
                *_methods(
                    ("pymongo.database.Database",),
                    (
                        "command",
                        "list_collection_names",
                        "list_collections",
                        "create_collection",
                        "drop_collection",
                    ),
                ),
                *_methods(
                    ("pymongo.collection.Collection",),
                    (
                        "find_one",
                        "insert_one",
                        "insert_many",
                        "update_one",
                        "update_many",
                        "replace_one",
                        "delete_one",
                        "delete_many",
                        "count_documents",
                        "estimated_document_count",
                        "aggregate",
                        "distinct",
                        "find_one_and_update",
                        "find_one_and_delete",
                        "find_one_and_replace",
                        "bulk_write",
                        "create_index",
                        "create_indexes",
                        "drop_index",
                        "drop",
                        "rename",
                    ),
                ),
            ),
        ),
        # Every Redis command is a method of the client; the few that do no I/O are listed below.
        **_database(
            "talks to Redis synchronously",
            _or_thread("redis.asyncio"),
            (
                "redis.Redis.*",
                "redis.client.Pipeline.execute",
            ),
        ),
        **_database(
            "queries the database synchronously",
            _or_thread("sqlalchemy.ext.asyncio (AsyncEngine, AsyncSession)"),
            (
                *_methods(
                    ("sqlalchemy.engine.Engine",), ("connect", "begin", "execute", "dispose")
                ),
                *_methods(
                    ("sqlalchemy.engine.Connection",),
                    (
                        "execute",
                        "exec_driver_sql",
                        "scalar",
                        "scalars",
                        "commit",
                        "rollback",
                    ),
                ),
                *_methods(
                    ("sqlalchemy.orm.Session",),
                    (
                        "execute",
                        "scalar",
                        "scalars",
                        "get",
                        "commit",
                        "rollback",
                        "flush",
                        "refresh",
                        "merge",
                    ),
                ),
            ),
        ),
        **_database(
            "talks to Elasticsearch synchronously",
            _or_thread("elasticsearch.AsyncElasticsearch"),
            (
                *_methods(
                    ("elasticsearch.Elasticsearch",),
                    (
                        "search",
                        "index",
                        "get",
                        "delete",
                        "update",
                        "bulk",
                        "count",
                        "exists",
                        "mget",
                        "msearch",
                        "scroll",
                        "clear_scroll",
                        "delete_by_query",
                        "update_by_query",
                        "create",
                        "info",
                        "ping",
                        "search_template",
                        "reindex",
                        "open_point_in_time",
                    ),
                ),
            ),
        ),
        # botocore generates one method per service operation; the helpers below do no I/O.
        **_database(
            "calls AWS synchronously",
            _or_thread("aioboto3 or aiobotocore"),
            ("botocore.client.BaseClient.*",),
        ),
    }
)

# -- ASL108: blocking waits on thread and process primitives -------------------------------------

JOINABLE_THREAD_QUEUES = (
    "queue.Queue",
    "queue.LifoQueue",
    "queue.PriorityQueue",
    "multiprocessing.JoinableQueue",
)
THREAD_QUEUES = (
    *JOINABLE_THREAD_QUEUES,
    "queue.SimpleQueue",
    "multiprocessing.Queue",
    "multiprocessing.SimpleQueue",
)

CATALOGUE.update(
    {
        **_entries(
            ("threading.Event.wait", "threading.Barrier.wait", "threading.Condition.wait"),
            Blocking(
                "ASL108",
                "waits for another thread",
                THREAD_WAIT,
                nonblocking_when=(_zero("timeout", 0),),
            ),
        ),
        "threading.Condition.wait_for": Blocking(
            "ASL108",
            "waits for another thread",
            THREAD_WAIT,
            nonblocking_when=(_zero("timeout", 1),),
        ),
        # Joining a thread the code has seen finish (`while t.is_alive(): await sleep(...)`) is
        # instant.
        **_entries(
            ("threading.Thread.join", "multiprocessing.Process.join"),
            Blocking(
                "ASL108",
                "waits for a thread or process to finish",
                THREAD_WAIT,
                nonblocking_when=(_zero("timeout", 0),),
                settled_by=(r"{receiver}\s*\.\s*is_alive\(\s*\)",),
            ),
        ),
        # Queue.put blocks only on a bounded, full queue, which the type does not tell: not listed.
        **_entries(
            _methods(THREAD_QUEUES, ("get",)),
            Blocking(
                "ASL108",
                "waits for an item from another thread",
                QUEUE_WAIT,
                nonblocking_when=(_false("block", 0), _zero("timeout", 1)),
            ),
        ),
        **_entries(
            _methods(JOINABLE_THREAD_QUEUES, ("join",)),
            Blocking("ASL108", "waits for other threads to process the queue", QUEUE_WAIT),
        ),
        # The result of a future the code checked with done() is already there.
        **_entries(
            ("concurrent.futures.Future.result", "concurrent.futures.Future.exception"),
            Blocking(
                "ASL108",
                "waits for another thread",
                FUTURE_WAIT,
                nonblocking_when=(_zero("timeout", 0),),
                settled_by=(r"{receiver}\s*\.\s*done\(\s*\)",),
            ),
        ),
        **_entries(
            ("concurrent.futures.wait", "concurrent.futures.as_completed"),
            Blocking(
                "ASL108",
                "waits for other threads",
                THREAD_WAIT,
                nonblocking_when=(_zero("timeout", 1),),
            ),
        ),
        **_entries(
            _methods(
                ("concurrent.futures.ThreadPoolExecutor", "concurrent.futures.ProcessPoolExecutor"),
                ("shutdown",),
            ),
            Blocking(
                "ASL108",
                "waits for the executor's work to finish",
                THREAD_WAIT,
                nonblocking_when=(_false("wait", 0),),
            ),
        ),
        **_entries(
            (
                *_methods(("multiprocessing.pool.Pool",), ("map", "starmap", "apply", "join")),
                "multiprocessing.pool.AsyncResult.get",
                "multiprocessing.pool.AsyncResult.wait",
            ),
            Blocking(
                "ASL108",
                "waits for worker processes",
                THREAD_WAIT,
                nonblocking_when=(_zero("timeout", 0),),
            ),
        ),
        **_entries(
            ("builtins.input", "getpass.getpass"),
            Blocking("ASL108", "waits for a line on standard input", IN_A_THREAD),
        ),
    }
)

# -- ASL109: nested event loops ------------------------------------------------------------------

CATALOGUE.update(
    _entries(
        (
            "asyncio.run",
            "asyncio.Runner.run",
            "uvloop.run",
            "trio.run",
            "anyio.run",
            f"{EVENT_LOOP}.run_until_complete",
            f"{EVENT_LOOP}.run_forever",
        ),
        Blocking("ASL109", "starts a nested event loop", NESTED_LOOP, fixable=False),
    )
)

#: Methods of a ``"<type>.*"`` entry that do no I/O (builders, accessors, local computations).
METHODS_THAT_DO_NOT_BLOCK: Mapping[str, FrozenSet[str]] = {
    "redis.Redis": frozenset(
        {
            "pipeline",
            "pubsub",
            "lock",
            "register_script",
            "get_encoder",
            "get_connection_kwargs",
            "set_response_callback",
            "get_retry",
            "set_retry",
            "load_external_module",
        }
    ),
    "botocore.client.BaseClient": frozenset(
        {
            "get_paginator",
            "get_waiter",
            "can_paginate",
            "generate_presigned_url",
            "generate_presigned_post",
        }
    ),
    "xmlrpc.client.ServerProxy": frozenset(),
}


def blocking_entry(qualname: str) -> Optional[Blocking]:
    """The catalogue entry of a qualified function or class (``"subprocess.run"``), else None."""
    return CATALOGUE.get(qualname)


def blocking_method(type_qualname: str, method: str) -> Optional[Blocking]:
    """The entry of ``method`` called on a value of type ``type_qualname``, else None."""
    entry = CATALOGUE.get(f"{type_qualname}.{method}")
    if entry is not None or method.startswith("_"):
        return entry
    if method in METHODS_THAT_DO_NOT_BLOCK.get(type_qualname, ()):
        return None
    return CATALOGUE.get(f"{type_qualname}.*")


#: The codes the catalogue reports under.
CODES = frozenset(entry.code for entry in CATALOGUE.values())
