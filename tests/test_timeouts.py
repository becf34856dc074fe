"""ASL3xx beyond the fixtures: the timeout-calls catalogue extension and callers in other files."""

from __future__ import annotations

from asynclint.index import EMPTY_INDEX, CallSite, ProjectIndex
from asynclint.rules.timeouts.network_await_without_timeout import NetworkAwaitWithoutTimeout
from asynclint.testing import lint


def findings(text, *, index=None, catalogues=None):
    result = lint(
        text,
        NetworkAwaitWithoutTimeout,
        path="pkg/worker.py",
        catalogues=catalogues or {},
        index=index if index is not None else EMPTY_INDEX,
    )
    return [(f.line, f.code, f.message) for f in result.findings]


USER_CLIENT = """
    import myapp.rpc
    from myapp.rpc import Client

    async def charge(client: Client):
        await myapp.rpc.call("charge")
        await client.send("charge")
        await myapp.rpc.call("charge", timeout=5)
        await client.send("charge", deadline=None)
"""


def test_timeout_calls_extend_the_catalogue():
    catalogues = {"timeout-calls": {"myapp.rpc.Client.send": "billing RPC", "myapp.rpc.call": ""}}
    found = findings(USER_CLIENT, catalogues=catalogues)
    assert [(line, code) for line, code, _ in found] == [
        (6, "ASL300"),
        (7, "ASL300"),
        (9, "ASL300"),
    ]
    assert "billing RPC" in found[1][2]


def test_unconfigured_clients_are_not_guessed():
    assert findings(USER_CLIENT) == []


HELPER = """
    import asyncio

    async def read_reply(reader: asyncio.StreamReader):
        return await reader.readline()
"""


class Callers(ProjectIndex):
    def __init__(self, *sites):
        self.sites = sites

    def callers(self, qualname):
        return tuple(site for site in self.sites if site.target == qualname)


def site(caller, **context):
    return CallSite("pkg.worker.read_reply", caller, "pkg/other.py", 10, 5, **context)


def test_callers_in_other_files_that_all_bound_the_coroutine_silence_it():
    index = Callers(
        site("pkg.other.a", awaited=True, managers=("asyncio.timeout",)),
        site("pkg.other.b", wrapper="asyncio.wait_for"),
        site("pkg.other.c", awaited=True, managers=("contextlib.suppress", "trio.fail_after")),
    )
    assert findings(HELPER, index=index) == []


def test_one_unbounded_caller_elsewhere_keeps_the_finding():
    index = Callers(
        site("pkg.other.a", awaited=True, managers=("asyncio.timeout",)),
        site("pkg.other.b", awaited=True, managers=("trio.CancelScope",)),  # no deadline known
    )
    assert [code for _, code, _ in findings(HELPER, index=index)] == ["ASL300"]


def test_without_any_caller_the_await_is_reported():
    assert [code for _, code, _ in findings(HELPER, index=Callers())] == ["ASL300"]


def test_a_caller_elsewhere_bounded_by_its_own_callers_counts():
    index = Callers(
        site("pkg.other.read_all", awaited=True),
        CallSite(
            "pkg.other.read_all", "pkg.main.run", "pkg/main.py", 3, 5, wrapper="asyncio.wait_for"
        ),
    )
    assert findings(HELPER, index=index) == []
    index = Callers(site("pkg.other.read_all", awaited=True))  # read_all itself has no caller
    assert [code for _, code, _ in findings(HELPER, index=index)] == ["ASL300"]
