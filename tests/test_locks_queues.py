"""Lock and queue identities (what a project index must use to plug facts in), and the messages
that name a second place."""

from __future__ import annotations

import textwrap

import libcst as cst

from asynclint.engine import _Hooks, walk
from asynclint.model import SemanticModel
from asynclint.rules.primitives import identity
from asynclint.testing import lint


def identities(code: str, module_name: str = "pkg.mod"):
    """identity() of the receiver of every ``<x>.acquire()`` call, in source order."""
    module = cst.parse_module(textwrap.dedent(code))
    model = SemanticModel(module, module_name=module_name)
    found = []

    def visit_call(node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "acquire":
            found.append(identity(model, node.func.value))

    hooks = _Hooks([])
    hooks.visit[cst.Call] = [visit_call]
    walk(module, model, hooks)
    return found


def test_identities_name_where_the_lock_lives():
    code = """
        import asyncio
        from pkg.state import SHARED
        GLOBAL = asyncio.Lock()

        class Base:
            def __init__(self):
                self._lock = asyncio.Lock()

        class Child(Base):
            async def run(self, given):
                local = asyncio.Lock()
                alias = self._lock
                GLOBAL.acquire()
                self._lock.acquire()
                alias.acquire()
                SHARED.acquire()
                local.acquire()
                given.acquire()
    """
    assert identities(code) == [
        "pkg.mod.GLOBAL",
        "pkg.mod.Base._lock",  # named after the class that sets it
        "pkg.mod.Base._lock",  # through a local alias
        "pkg.state.SHARED",  # an import names the defining module
        "pkg.mod.Child.run.<locals>.local",
        None,  # a parameter is whatever the caller passes
    ]


def findings_of(code: str, *codes: str):
    return lint(code, *codes).findings


def test_lock_order_names_the_other_place():
    findings = findings_of(
        """
        import asyncio
        a = asyncio.Lock()
        b = asyncio.Lock()

        async def one():
            async with a:
                async with b:
                    pass

        async def two():
            async with b:
                async with a:
                    pass
        """,
        "ASL503",
    )
    assert [(f.line, f.code) for f in findings] == [(13, "ASL503")]
    assert "line 8 takes b while holding a" in findings[0].message


def test_join_is_not_flagged_when_the_queue_reaches_other_code():
    code = """
        import asyncio
        from workers import drain
        q = asyncio.Queue()

        async def main():
            {handoff}
            await q.join()
    """
    assert [f.code for f in findings_of(code.format(handoff="pass"), "ASL600")] == ["ASL600"]
    assert findings_of(code.format(handoff="await drain(q)"), "ASL600") == []
    assert (
        findings_of(
            code.format(handoff="registry = {'q': q}\n            registry['q'] = q"), "ASL600"
        )
        == []
    )
