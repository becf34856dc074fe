"""ASL300 network-await-without-timeout."""

from __future__ import annotations

from typing import Optional, Tuple

import libcst as cst

from ..catalogue import Deadline
from .bounds import CallerAwareRule, call_has_any_timeout, call_has_timeout, deadline_argument
from .catalogue import (
    NETWORK_FUNCTIONS,
    NETWORK_METHODS,
    NO_TIMEOUT,
    SESSIONS_WITHOUT_DEFAULT,
    Operation,
)


class NetworkAwaitWithoutTimeout(CallerAwareRule):
    code = "ASL300"
    name = "network-await-without-timeout"
    summary = (
        "a network operation (asyncio streams, loop `sock_*`/`create_connection`, websockets "
        "`recv`, aiohttp websocket `receive`, trio/anyio TCP streams, your `timeout-calls`) "
        "awaited with no timeout scope, `wait_for` or timeout argument, in a coroutine not "
        "bounded by all its callers"
    )
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
    """
    not_flagged = """
        An await inside a timeout scope of the same coroutine, at any depth
        (async with asyncio.timeout()/timeout_at(), async_timeout.timeout(), with
        trio.fail_after()/move_on_after()/fail_at()/move_on_at(), anyio.fail_after()/
        move_on_after(), trio or anyio CancelScope(deadline=...)); a call wrapped in
        asyncio.wait_for(..., finite timeout); a call given its own timeout argument (aiohttp's
        ws.receive(timeout=...), a websocket created with receive_timeout=...); and an await in a
        coroutine every one of whose callers in the file awaits it under a timeout (or through
        wait_for). A coroutine passed around uncalled (a handler, a callback) may be called from
        anywhere, so its awaits are reported.
    """
    options = """
        Your own clients: list their coroutine functions or methods in the configuration, by
        qualified name ("<type>.<method>" for methods of a class the model can type):

            [tool.asynclint.timeout-calls]
            "myapp.rpc.Client.call" = "RPC to the billing service"

        Code that a framework already bounds (a server handler reading a request body under the
        server's own read timeout, a websocket handler that waits for the client by design) is
        still reported when it awaits a catalogued operation; mark the line with
        `# noqa: ASL300`, or disable the rule for those modules with per-file-ignores.

        In library and protocol code most unbounded reads are deliberate (a connection's
        reader loop waits for the next frame for as long as the connection lives, heartbeats
        detect dead peers, the public entry point holds the deadline several calls up), and a
        StreamReader annotation does not say whether a socket or a subprocess pipe is behind it.
        Enable it for application code: `extend-select = ["ASL300"]`.
    """
    bad = """
        import asyncio

        async def fetch_status(host):
            reader, writer = await asyncio.open_connection(host, 80)
            writer.write(b"STATUS\\n")
            return await reader.readline()
    """
    good = """
        import asyncio

        async def fetch_status(host):
            async with asyncio.timeout(10):
                reader, writer = await asyncio.open_connection(host, 80)
                writer.write(b"STATUS\\n")
                return await reader.readline()
    """
    default = False
    tokens = ("async",)

    def visit_Call(self, node: cst.Call) -> None:
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
        configured = self.model.configured_catalogue("timeout-calls")
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
        arg = deadline_argument(creation, Deadline(None, "timeout"))
        if arg is None or not isinstance(arg.value, cst.Call):
            return False
        return self.all_fields_none(arg.value)
