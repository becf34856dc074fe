"""ASL101-ASL109: calls that block the event loop, matched against catalogue.py.

One base class does the matching; each code is a subclass carrying its metadata and explanation.
A call is matched by its qualified name (``subprocess.run``), or, for a method, by the type the
semantic model knows its receiver has (``f.read()`` after ``with open(p) as f``). Receivers of
unknown type are never guessed from their names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import FrozenSet, List, Optional, Tuple

import libcst as cst

from asynclint import Fix, FixKind, Rule, Usage
from asynclint.fixes import awaited, can_await_here, reference_expression
from asynclint.model import SemanticModel
from asynclint.syntax import argument, child_nodes, dotted_name

from .catalogue import (
    FILE_TYPES,
    HTTP_CLIENT,
    TO_THREAD,
    Blocking,
    blocking_entry,
    blocking_method,
)

#: Where the calls a project declares blocking (config ``blocking-calls``) are reported when the
#: catalogue does not know them: most such entries are a team's own sync clients.
CONFIGURED_CODE = "ASL101"
_CONFIGURED = Blocking(CONFIGURED_CODE, "is declared blocking in the configuration", HTTP_CLIENT)

#: Usages where ``await <to_thread>(f, ...)`` can replace the call without restructuring the code.
_FIXABLE_USAGES = frozenset({Usage.DISCARDED, Usage.ASSIGNED, Usage.RETURNED})


@dataclass(frozen=True)
class BlockingMatch:
    entry: Blocking
    shown: str  # the call as written, for the message: "requests.get", "f.read"
    note: Optional[str] = None  # the configured replacement text, for configured calls


def match_blocking_call(model: SemanticModel, node: cst.Call) -> Optional[BlockingMatch]:
    """The catalogue (or configuration) entry a call matches, ignoring non-blocking argument
    forms."""
    cached = _LAST_MATCH
    if cached[0] is model and cached[1] is node:
        return cached[2]
    found = _match(model, node)
    cached[:] = [model, node, found]
    return found


_LAST_MATCH: list = [None, None, None]  # every ASL10x rule asks about the same call in turn


def _match(model: SemanticModel, node: cst.Call) -> Optional[BlockingMatch]:
    func = node.func
    configured = model.configured_catalogue("blocking-calls")
    entry: Optional[Blocking] = None
    name = model.qualified_name(func)
    if name is not None:
        entry = blocking_entry(name)
    if entry is None and name not in configured and isinstance(func, cst.Attribute):
        # a method: `session.get()` with `session = requests.Session()`, `mod.client.get()`...
        receiver_type = model.type_of(func.value)
        if receiver_type is not None:
            name = f"{receiver_type}.{func.attr.value}"
            entry = blocking_method(receiver_type, func.attr.value)
    note = configured.get(name) if name is not None else None
    if note is not None and entry is None:
        entry = _CONFIGURED
    if entry is None or not _blocks_with(entry, node, model):
        return None
    shown = dotted_name(func)
    if shown is None:
        written = model.module.code_for_node(func)
        shown = written if len(written) <= 40 and "\n" not in written else str(name)
    return BlockingMatch(entry, shown, note)


def _blocks_with(entry: Blocking, node: cst.Call, model: SemanticModel) -> bool:
    """False for the argument forms of the call that return at once."""
    if entry.needs_arguments and not node.args:
        return False
    for condition in entry.nonblocking_when:
        given = argument(node, condition.position, condition.keyword)
        if given is None:
            continue
        value = given.value
        if _literal(value) in condition.literals or (
            condition.mentions and _mentions(value, condition.mentions)
        ):
            return False
    if entry.settled_by and isinstance(node.func, cst.Attribute):
        if _settled(model, node.func.value, entry.settled_by):
            return False
    if entry.raised_instead and _catches(model, entry.raised_instead):
        return False
    if entry.file_argument is not None:
        keyword, position = entry.file_argument
        given = argument(node, position, keyword)
        return given is not None and model.type_of(given.value) in FILE_TYPES
    return True


def _mentions(node: cst.CSTNode, names: FrozenSet[str]) -> bool:
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Name) and current.value in names:
            return True
        if isinstance(current, cst.Attribute) and current.attr.value in names:
            return True  # ssl.SSLWantReadError
        pending.extend(child_nodes(current))
    return False


def _catches(model: SemanticModel, exceptions: FrozenSet[str]) -> bool:
    """The current node is in the body of a ``try`` (in the same function) that catches one of
    these."""
    child: Optional[cst.CSTNode] = None
    for ancestor in model.ancestors():
        if isinstance(ancestor, (cst.FunctionDef, cst.Lambda)):
            return False
        if isinstance(ancestor, (cst.Try, cst.TryStar)) and child is ancestor.body:
            for handler in ancestor.handlers:
                if handler.type is not None and _mentions(handler.type, exceptions):
                    return True
        child = ancestor
    return False


def _settled(model: SemanticModel, receiver: cst.BaseExpression, patterns: Tuple[str, ...]) -> bool:
    """The code around the call shows ``receiver`` is settled (see ``Blocking.settled_by``): the
    enclosing function is searched for a local name, the whole file for an attribute
    (``self._sock``)."""
    function = model.enclosing_function()
    region = (
        function.node if isinstance(receiver, cst.Name) and function is not None else model.module
    )
    written = model.module.code_for_node(receiver)
    key = ("settled", region, written, patterns)
    answer = model.memo.get(key)
    if answer is None:
        text = model.memo.get(("source", region))
        if not isinstance(text, str):
            text = model.memo[("source", region)] = model.module.code_for_node(region)
        receiver_pattern = rf"(?<![\w.]){re.escape(written)}"
        answer = model.memo[key] = any(
            re.search(p.replace("{receiver}", receiver_pattern), text) for p in patterns
        )
    return answer  # type: ignore[return-value]


def _literal(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, (cst.Integer, cst.Float)):
        return node.value
    return None


def _used_asynchronously(model: SemanticModel) -> bool:
    """The call's result is awaited, or entered by ``async with``: whatever the receiver's declared
    type says, the object is an async one (an AsyncSession annotated as Session, say)."""
    if model.usage() is Usage.AWAITED:
        return True
    parent = model.parent
    if isinstance(parent, cst.WithItem):
        statement = next((a for a in model.ancestors() if isinstance(a, cst.With)), None)
        return statement is not None and statement.asynchronous is not None
    return False


def _contains_await(node: cst.CSTNode) -> bool:
    pending = [node]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Await):
            return True
        if isinstance(current, (cst.Lambda, cst.FunctionDef)):
            continue
        pending.extend(child_nodes(current))
    return False


class BlockingCall(Rule):
    """Base of ASL101-ASL109: reports the catalogue's entries whose code is the subclass's."""

    fix_kind = FixKind.UNSAFE
    tokens = ("async",)
    not_flagged = """
        The call inside a sync def or lambda nested in the coroutine (it runs when that
        function is called, typically in a worker thread), the function passed uncalled to
        asyncio.to_thread() or loop.run_in_executor(), and methods of objects whose type asynclint
        cannot be sure of: a receiver is matched only when the model knows its type from a
        constructor, a factory, an annotation, a `with ... as` or a typed attribute, never from
        its name.
    """
    fix_safety = """
        The unsafe fix runs the call in a worker thread, `await asyncio.to_thread(f, *args,
        **kwargs)` (trio and anyio: `await trio.to_thread.run_sync(f, *args)`, through
        functools.partial when there are keyword arguments). It is offered where the call is a
        statement, an assignment's value or a returned value, never when an argument awaits.
    """

    def visit_Call(self, node: cst.Call) -> None:
        if not self.model.in_coroutine:
            return
        found = match_blocking_call(self.model, node)
        if found is None or found.entry.code != self.code or _used_asynchronously(self.model):
            return
        entry = found.entry
        if found.note is not None:
            message = f"{found.shown}() blocks the event loop (blocking-calls): {found.note}"
        else:
            message = (
                f"{found.shown}() {entry.does} in a coroutine; {entry.advice(self.model.framework)}"
            )
        self.report(node, message, fix=self._fix(node, entry, found.shown))

    def _fix(self, node: cst.Call, entry: Blocking, shown: str) -> Optional[Fix]:
        model = self.model
        if not entry.fixable or self.fix_kind is FixKind.NONE or not can_await_here(model):
            return None
        if model.usage() not in _FIXABLE_USAGES or _contains_await(node):
            return None
        if _receiver_blocks(model, node.func):
            # `db.execute(q).fetchone()`: moving only fetchone to a thread would hide execute
            return None
        framework = model.framework
        to_thread_name = TO_THREAD[framework]
        to_thread, imports = reference_expression(model, to_thread_name)
        function_arg = cst.Arg(
            node.func.with_changes(lpar=(), rpar=()) if not _needs_parens(node.func) else node.func
        )
        keywords = any(arg.keyword is not None or arg.star == "**" for arg in node.args)
        if framework == "asyncio" or not keywords:
            call = cst.Call(func=to_thread, args=[function_arg, *node.args])
        else:
            partial, more = reference_expression(model, "functools.partial")
            imports = (*imports, *more)
            call = cst.Call(
                func=to_thread,
                args=[cst.Arg(cst.Call(func=partial, args=[function_arg, *node.args]))],
            )
        return Fix(
            node,
            awaited(call, node, model),
            f"Run {shown}() in {to_thread_name}()",
            FixKind.UNSAFE,
            imports,
        )


def _receiver_blocks(model: SemanticModel, func: cst.BaseExpression) -> bool:
    """A blocking call inside the called expression itself (the receiver of a bound method)."""
    pending: List[cst.CSTNode] = [func]
    while pending:
        current = pending.pop()
        if isinstance(current, cst.Call) and _match(model, current) is not None:
            return True
        if not isinstance(current, (cst.Lambda, cst.FunctionDef)):
            pending.extend(child_nodes(current))
    return False


def _needs_parens(func: cst.BaseExpression) -> bool:
    return not isinstance(func, (cst.Name, cst.Attribute, cst.Call, cst.Subscript))


class BlockingHttpCall(BlockingCall):
    code = "ASL101"
    name = "blocking-http-call"
    summary = (
        "a sync HTTP request in a coroutine: `requests` (functions, `Session`), "
        "`httpx.get`/`httpx.Client`, `urllib.request.urlopen`, `urllib3`, `http.client`; also the"
        " calls your `blocking-calls` lists"
    )
    fix_summary = (
        "`await asyncio.to_thread(f, ...)` / `trio.to_thread.run_sync` / "
        "`anyio.to_thread.run_sync`; use `httpx.AsyncClient` or aiohttp"
    )
    message = "a sync HTTP request in a coroutine blocks the event loop"
    rationale = """
        A synchronous HTTP client waits for the server on the event loop's thread: DNS, connect,
        TLS, the request and the whole response, for as long as the server takes. Every other task
        stalls meanwhile. Flagged: requests (module functions and Session methods), httpx's sync
        API (httpx.get..., httpx.Client), urllib.request.urlopen and urlretrieve, urllib3
        (urllib3.request, PoolManager and connection-pool methods) and http.client connections.

        Use an async client: httpx.AsyncClient (all three frameworks) or aiohttp (asyncio).

        The calls a project lists under `blocking-calls` in [tool.asynclint] are reported under
        this code too, with the configured text as advice, unless the catalogue already files the
        name under another code.
    """
    bad = """
        import requests

        async def fetch_user(user_id):
            response = requests.get(f"{API}/users/{user_id}", timeout=10)
            return response.json()
    """
    good = """
        import httpx

        async def fetch_user(client: httpx.AsyncClient, user_id):
            response = await client.get(f"{API}/users/{user_id}", timeout=10)
            return response.json()
    """


class BlockingSubprocess(BlockingCall):
    code = "ASL102"
    name = "blocking-subprocess"
    summary = (
        "`subprocess.run/call/check_output...`, `Popen()` and its `wait`/`communicate`, "
        "`os.system`, `os.popen`, `os.spawn*`, `os.posix_spawn*`, `os.wait*` in a coroutine"
    )
    fix_summary = (
        "run it in a thread; use `asyncio.create_subprocess_exec` / `trio.run_process` / "
        "`anyio.run_process`"
    )
    message = "a sync subprocess call in a coroutine blocks the event loop"
    rationale = """
        subprocess.run() and its relatives start a program and wait for it to exit; os.system,
        os.spawn* and os.posix_spawn* do the same; os.wait*() and Popen.wait()/communicate() wait
        for a child. The event loop waits with them, for as long as the program runs.
        subprocess.Popen() and os.popen() are flagged too: they fork and exec from the loop's
        thread, and the pipe they hand back is read synchronously.

        Use the framework's process API: asyncio.create_subprocess_exec() (or _shell()) and await
        the process, trio.run_process(), anyio.run_process(). Popen.wait(timeout=0) is not flagged.
    """
    bad = """
        import subprocess

        async def convert(path):
            subprocess.run(["ffmpeg", "-i", path, path + ".mp3"], check=True)
    """
    good = """
        import asyncio

        async def convert(path):
            process = await asyncio.create_subprocess_exec("ffmpeg", "-i", path, path + ".mp3")
            await process.wait()
    """


class BlockingFileIO(BlockingCall):
    code = "ASL103"
    name = "blocking-file-io"
    summary = (
        "`open()`, `os.fdopen`, temporary files, `Path.read_text/write_bytes...`, and "
        "reads/writes on file objects known to come from them (`with open(p) as f: f.read()`), "
        "`json`/`pickle` `load`/`dump` on such files"
    )
    fix_summary = (
        "run it in a thread; use aiofiles / `trio.open_file` / `anyio.open_file`, `anyio.Path`"
    )
    message = "sync file I/O in a coroutine blocks the event loop"
    rationale = """
        Reading or writing a disk file waits for the disk on the event loop's thread. Local disks
        are usually fast, but a cold cache, a network file system or a large file stall every task.
        Flagged: open(), io.open(), os.fdopen(), codecs.open(), tempfile.TemporaryFile() and
        NamedTemporaryFile(), Path.open/read_text/read_bytes/write_text/write_bytes, and the
        read/write/flush/seek/truncate/close methods of file objects known to come from those
        (`with open(p) as f: f.read()`), and json/pickle/marshal load() and dump() on such files.
        File objects of unknown origin, io.StringIO and io.BytesIO are not flagged.

        Use aiofiles (asyncio), trio.open_file()/trio.Path, anyio.open_file()/anyio.Path, or run
        the whole read-and-parse step in a worker thread.
    """
    bad = """
        import json

        async def load_settings(path):
            with open(path) as f:
                return json.load(f)
    """
    good = """
        import anyio
        import json

        async def load_settings(path):
            text = await anyio.Path(path).read_text()
            return json.loads(text)
    """


class BlockingFilesystemOperation(BlockingCall):
    code = "ASL104"
    name = "blocking-filesystem-operation"
    summary = (
        "`os.listdir/walk/remove/rename/makedirs...`, `shutil` copies, moves and `rmtree`, "
        "`glob.glob`, `tempfile.mkstemp/mkdtemp/TemporaryDirectory`, "
        "`Path.iterdir/glob/mkdir/unlink/rename/touch...` in a coroutine"
    )
    fix_summary = "run it in a thread; use `trio.Path` / `anyio.Path`"
    message = "a sync filesystem operation in a coroutine blocks the event loop"
    rationale = """
        Listing, creating, moving, copying and deleting files are system calls that wait for the
        disk: os.listdir/scandir/walk, os.remove/rename/mkdir/makedirs and friends, shutil's
        copies, moves and tree removals, glob.glob, tempfile.mkstemp/mkdtemp/TemporaryDirectory,
        and Path.iterdir/glob/rglob/mkdir/unlink/rmdir/rename/replace/touch. A tree walk or an
        rmtree can take seconds, and the event loop waits for all of it.

        Use trio.Path or anyio.Path (their methods are awaitable), aiofiles.os, or run the
        operation in a worker thread.
    """
    bad = """
        import shutil

        async def purge(cache_dir):
            shutil.rmtree(cache_dir)
    """
    good = """
        import asyncio
        import shutil

        async def purge(cache_dir):
            await asyncio.to_thread(shutil.rmtree, cache_dir)
    """


class BlockingFilesystemQuery(BlockingCall):
    code = "ASL105"
    name = "blocking-filesystem-query"
    summary = (
        "`os.stat`, `os.path.exists/isfile/getsize/realpath...`, "
        "`Path.exists/is_file/stat/resolve...` in a coroutine (pure path computations are never "
        "flagged)"
    )
    fix_summary = "run it in a thread; use `trio.Path` / `anyio.Path`"
    message = "a sync filesystem query in a coroutine blocks the event loop"
    rationale = """
        os.stat, os.path.exists/isfile/isdir/getsize/getmtime/realpath..., Path.exists/is_file/
        stat/resolve... ask the file system about a path. Each is one system call, usually answered
        from the kernel's cache in microseconds, but on a network file system or a busy disk it
        waits like any other I/O. It has its own code so that a team can decide how strict to be.
        Pure path computations (os.path.join, normpath, basename, Path.with_suffix, PurePath) do
        not touch the file system and are never flagged; nor are os.getcwd, Path.cwd/absolute,
        os.path.abspath/relpath (the kernel knows the working directory without any I/O) and
        expanduser/Path.home (they read $HOME).

        Use trio.Path/anyio.Path (awaitable exists(), stat()...), aiofiles.os.path, or a worker
        thread.
    """
    bad = """
        import os

        async def serve_file(path):
            if not os.path.exists(path):
                raise NotFound(path)
    """
    good = """
        import anyio

        async def serve_file(path):
            if not await anyio.Path(path).exists():
                raise NotFound(path)
    """


class BlockingNetworkCall(BlockingCall):
    code = "ASL106"
    name = "blocking-network-call"
    summary = (
        "blocking DNS (`socket.getaddrinfo`, `gethostbyname`...), `socket.create_connection` and "
        "blocking socket methods, `ssl.create_default_context` and certificate loading, "
        "`smtplib`/`ftplib`/`poplib`/`imaplib`/`xmlrpc.client` in a coroutine"
    )
    fix_summary = (
        "run it in a thread; use `loop.getaddrinfo`, `asyncio.open_connection` / "
        "`trio.open_tcp_stream` / `anyio.connect_tcp`"
    )
    message = "a sync socket, DNS or TLS call in a coroutine blocks the event loop"
    rationale = """
        socket.getaddrinfo/gethostbyname/getfqdn... resolve names synchronously (seconds when a
        DNS server is slow); socket.create_connection and the connect/accept/recv/send methods of
        a blocking socket wait for the peer; ssl.create_default_context() and the SSLContext
        load_* methods read certificate files; smtplib, ftplib, poplib, imaplib and
        xmlrpc.client.ServerProxy talk to their servers over blocking sockets.

        Use the loop's resolver (loop.getaddrinfo(), trio.socket.getaddrinfo(),
        anyio.getaddrinfo()), the framework's streams (asyncio.open_connection(),
        trio.open_tcp_stream(), anyio.connect_tcp()), async protocol clients (aiosmtplib, aioftp,
        aioimaplib), or build TLS contexts once at start-up or in a worker thread.
    """
    bad = """
        import socket

        async def resolve(host):
            return socket.gethostbyname(host)
    """
    good = """
        import asyncio

        async def resolve(host):
            infos = await asyncio.get_running_loop().getaddrinfo(host, None)
            return infos[0][4][0]
    """


class BlockingDatabaseCall(BlockingCall):
    code = "ASL107"
    name = "blocking-database-call"
    summary = (
        "sync database and cache clients in a coroutine: `sqlite3`, `psycopg2`/`psycopg`, "
        "`pymysql`/`MySQLdb`/`mysql.connector`, `pymongo`, sync `redis`, SQLAlchemy sync engines "
        "and sessions, `Elasticsearch`, boto3 clients"
    )
    fix_summary = (
        "run it in a thread; use aiosqlite, asyncpg, `redis.asyncio`, `sqlalchemy.ext.asyncio`..."
    )
    message = "a sync database or cache call in a coroutine blocks the event loop"
    rationale = """
        Sync database drivers wait for the server on the calling thread: sqlite3, psycopg2 and
        psycopg's sync API, pymysql, MySQLdb, mysql.connector, pymongo, sync redis clients
        (redis.Redis, StrictRedis, redis.from_url: never redis.asyncio), SQLAlchemy's sync engine,
        connections and sessions, elasticsearch.Elasticsearch and boto3 clients. Connecting,
        executing, fetching and committing are flagged on connections and cursors whose type is
        known.

        Use the async driver: aiosqlite, asyncpg or psycopg's AsyncConnection, aiomysql or asyncmy,
        motor (or pymongo's AsyncMongoClient), redis.asyncio, sqlalchemy.ext.asyncio,
        elasticsearch.AsyncElasticsearch, aioboto3; or run the sync call in a worker thread.
    """
    bad = """
        import sqlite3

        async def get_user(user_id):
            db = sqlite3.connect("app.db")
            return db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
    """
    good = """
        import aiosqlite

        async def get_user(user_id):
            async with aiosqlite.connect("app.db") as db:
                async with db.execute("SELECT * FROM users WHERE id = ?", (user_id,)) as cursor:
                    return await cursor.fetchone()
    """


class BlockingThreadWait(BlockingCall):
    code = "ASL108"
    name = "blocking-thread-wait"
    summary = (
        "blocking waits in a coroutine: `threading.Event.wait`, `Thread.join`, `Condition.wait`, "
        "`queue.Queue.get/join`, `concurrent.futures` "
        "`result()`/`wait`/`as_completed`/`shutdown`, multiprocessing joins and pools, `input()` "
        "(not `block=False`/`timeout=0` forms)"
    )
    fix_summary = "run it in a thread; `await asyncio.wrap_future(f)`"
    message = "waiting on a thread or process primitive in a coroutine blocks the event loop"
    rationale = """
        threading.Event.wait, Thread.join, Condition.wait, Barrier.wait, queue.Queue.get and
        join, concurrent.futures.Future.result, concurrent.futures.wait/as_completed,
        Executor.shutdown, multiprocessing pools, processes and results, and input() suspend the
        thread until something else happens, and the event loop with it. If what it waits for
        needs the loop (a future completed by a task), it never happens: a deadlock.
    """
    not_flagged = (
        BlockingCall.not_flagged
        + """
        The forms that return at once (get(block=False), get_nowait(), join(timeout=0),
        wait(0), shutdown(wait=False)), and Queue.put, which blocks only on a bounded queue that is
        full. Await asyncio.wrap_future(future) for a concurrent future; use asyncio.Queue, trio
        memory channels or anyio memory object streams between tasks; run any other wait in a
        worker thread.
    """
    )
    bad = """
        import concurrent.futures

        executor = concurrent.futures.ThreadPoolExecutor()


        async def handle(job):
            future = executor.submit(render, job)
            return future.result()
    """
    good = """
        import asyncio
        import concurrent.futures

        executor = concurrent.futures.ThreadPoolExecutor()


        async def handle(job):
            future = executor.submit(render, job)
            return await asyncio.wrap_future(future)
    """


class NestedEventLoop(BlockingCall):
    code = "ASL109"
    name = "nested-event-loop"
    summary = (
        "`asyncio.run`, `loop.run_until_complete/run_forever`, `trio.run`, `anyio.run` inside a "
        "coroutine"
    )
    message = "starting an event loop inside a coroutine blocks (or breaks) the running one"
    rationale = """
        asyncio.run(), loop.run_until_complete(), loop.run_forever(), trio.run() and anyio.run()
        start an event loop and wait for it. Called from a coroutine, the outer loop is stuck
        until the inner one finishes, and asyncio refuses outright ("cannot be called from a
        running event loop"). Await the coroutine instead, or start a task for it.
    """
    not_flagged = """
        The call in a sync def or lambda nested in the coroutine, or handed uncalled
        to a worker thread (a new loop in another thread is legitimate).
    """
    fix_safety = """
        There is no automatic fix: the right change depends on what the code means.
    """
    bad = """
        import asyncio

        async def handler(request):
            data = asyncio.run(fetch(request.url))
            return render(data)
    """
    good = """
        async def handler(request):
            data = await fetch(request.url)
            return render(data)
    """
    fix_kind = FixKind.NONE


BLOCKING_CALL_RULES = (
    BlockingHttpCall,
    BlockingSubprocess,
    BlockingFileIO,
    BlockingFilesystemOperation,
    BlockingFilesystemQuery,
    BlockingNetworkCall,
    BlockingDatabaseCall,
    BlockingThreadWait,
    NestedEventLoop,
)

__all__ = ["BLOCKING_CALL_RULES", "BlockingCall", "BlockingMatch", "match_blocking_call"]
