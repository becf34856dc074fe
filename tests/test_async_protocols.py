"""The one question behind ASL201/ASL202: which of the with/for protocols a value supports."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import FrozenSet, Optional, Tuple

import libcst as cst

from asynclint.index import ProjectIndex, Symbol
from asynclint.model import SemanticModel
from asynclint.rules.async_protocols import AENTER, AITER, ENTER, ITER, AsyncProtocols, async_only, function_support


def protocols(code: str, index: ProjectIndex = ProjectIndex()) -> AsyncProtocols:
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


@dataclass(frozen=True)
class IndexedSymbol(Symbol):
    """What the project index is asked to attach to definitions of other files."""

    support: Optional[FrozenSet[str]] = None
    protocol_names: Optional[FrozenSet[str]] = None
    bases: Optional[Tuple[Optional[str], ...]] = None


class FakeIndex(ProjectIndex):
    SYMBOLS = {
        "pkg.db.Pool": IndexedSymbol("pkg.db.Pool", "class", protocol_names=frozenset({AENTER}), bases=("builtins.object",)),
        "pkg.db.Traced": IndexedSymbol("pkg.db.Traced", "class", protocol_names=frozenset(), bases=("pkg.db.Pool",)),
        "pkg.db.Opaque": IndexedSymbol("pkg.db.Opaque", "class", protocol_names=frozenset({AENTER}), bases=(None,)),
        "pkg.db.rows": IndexedSymbol("pkg.db.rows", "function", support=frozenset({AITER})),
    }

    def lookup(self, qualname):
        return self.SYMBOLS.get(qualname)


def test_definitions_described_by_the_index():
    known = protocols("", FakeIndex())
    assert async_only(known.support("pkg.db.Traced"), "with")
    assert known.support("pkg.db.Opaque") is None
    assert async_only(known.support("pkg.db.rows"), "for")
