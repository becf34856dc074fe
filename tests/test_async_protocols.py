"""The one question behind ASL201/ASL202: which of the with/for protocols a value supports."""

from __future__ import annotations

import textwrap

import libcst as cst

from asynclint.index import EMPTY_INDEX, ProjectIndex
from asynclint.model import SemanticModel
from asynclint.rules.coroutines.protocols import (
    AENTER,
    AITER,
    ENTER,
    ITER,
    AsyncProtocols,
    async_only,
    function_support,
)


def protocols(code: str, index: ProjectIndex = EMPTY_INDEX) -> AsyncProtocols:
    module = cst.parse_module(textwrap.dedent(code))
    return AsyncProtocols(SemanticModel(module, module_name="pkg.mod", index=index))


def test_library_classes_including_sync_look_alikes():
    known = protocols("")
    assert async_only(known.support("asyncio.Lock"), "with")
    assert async_only(known.support("aiohttp.ClientSession"), "with")
    assert not async_only(known.support("trio.CancelScope"), "with")
    assert not async_only(known.support("trio.MemoryReceiveChannel"), "with")
    assert async_only(known.support("trio.MemoryReceiveChannel"), "for")
    assert known.support("somelib.Unknown") is None


def test_classes_of_the_file_through_their_bases():
    known = protocols("""
        import contextlib
        from somelib import Base

        class Pool:
            async def __aenter__(self): ...
        class Traced(Pool): ...
        class Both(Pool):
            def __enter__(self): ...
        class Managed(contextlib.AbstractAsyncContextManager): ...
        class Sequence:
            def __aiter__(self): ...
            def __getitem__(self, index): ...
        class Unknowable(Base):
            async def __aenter__(self): ...
    """)
    assert known.support("pkg.mod.Traced") == frozenset({AENTER})
    assert known.support("pkg.mod.Both") == frozenset({ENTER, AENTER})
    assert async_only(known.support("pkg.mod.Managed"), "with")
    assert known.support("pkg.mod.Sequence") == frozenset({AITER, ITER})
    assert known.support("pkg.mod.Unknowable") is None


def test_functions_by_form():
    def support(code):
        return function_support(cst.parse_statement(textwrap.dedent(code)))

    assert support("@asynccontextmanager\nasync def f():\n    yield\n") == frozenset({AENTER})
    assert support("@contextlib.contextmanager\ndef f():\n    yield\n") == frozenset({ENTER})
    assert support("async def f():\n    yield 1\n") == frozenset({AITER})
    assert support("def f():\n    yield 1\n") == frozenset({ITER})
    assert support("async def f():\n    def g():\n        yield\n    return g\n") is None
    assert support("@wrapper\nasync def f():\n    yield 1\n") is None


OTHER_FILE = """
import contextlib
from unknown import Mystery


class Pool:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        pass


class Traced(Pool):
    pass


class Opaque(Mystery):
    async def __aenter__(self):
        return self


async def rows():
    yield 1


@contextlib.asynccontextmanager
async def transaction():
    yield


def numbers():
    yield 1
"""


def test_definitions_described_by_the_index():
    from asynclint.index import OutlineIndex, outline

    index = OutlineIndex([outline(OTHER_FILE.encode(), "pkg/db.py", "pkg.db")])
    known = protocols("", index)
    assert async_only(known.support("pkg.db.Pool"), "with")
    assert async_only(known.support("pkg.db.Traced"), "with")
    assert known.support("pkg.db.Opaque") is None  # an unresolvable base may bring __enter__
    assert async_only(known.support("pkg.db.rows"), "for")
    assert async_only(known.support("pkg.db.transaction"), "with")
    assert not async_only(known.support("pkg.db.numbers"), "for")
