"""The semantic model, asked directly: names, scopes, usage, types and callees."""

from __future__ import annotations

import textwrap
from typing import Dict, List

import libcst as cst
import pytest

from asynclint.engine import _Hooks, walk
from asynclint.model import SemanticModel, Usage


class Probe:
    """Records what the model says about every call whose function is named in ``targets``."""

    def __init__(self, model: SemanticModel, ask) -> None:
        self.model = model
        self.ask = ask
        self.answers: Dict[str, List[object]] = {}

    def visit_Call(self, node: cst.Call) -> None:
        key = cst.Module([]).code_for_node(node)
        self.answers.setdefault(key, []).append(self.ask(self.model, node))


def probe(code: str, ask, module_name: str = "pkg.mod") -> Dict[str, object]:
    module = cst.parse_module(textwrap.dedent(code))
    model = SemanticModel(module, module_name=module_name)
    recorder = Probe(model, ask)
    hooks = _Hooks([])
    hooks.visit[cst.Call] = [recorder.visit_Call]
    walk(module, model, hooks)
    return {
        key: values[0] if len(values) == 1 else values for key, values in recorder.answers.items()
    }


def qualified(model, node):
    return model.qualified_name(node.func)


def test_qualified_names_through_imports():
    answers = probe(
        """
        import time as t
        import os.path
        import a.b as c
        from time import sleep as nap
        from . import sibling
        from ..up import thing
        t.sleep(1)
        os.path.exists("x")
        c.run()
        nap(1)
        sibling.go()
        thing()
        open("f")
        undefined_name()
        """,
        qualified,
    )
    assert answers["t.sleep(1)"] == "time.sleep"
    assert answers['os.path.exists("x")'] == "os.path.exists"
    assert answers["c.run()"] == "a.b.run"
    assert answers["nap(1)"] == "time.sleep"
    assert answers["sibling.go()"] == "pkg.sibling.go"
    assert answers["thing()"] == "up.thing"
    assert answers['open("f")'] == "builtins.open"
    assert answers["undefined_name()"] is None


def test_shadowing_by_parameters_assignments_and_globals():
    answers = probe(
        """
        import time
        from time import sleep

        def by_parameter(sleep):
            sleep(1)

        def by_assignment():
            time = object()
            time.sleep(2)

        def by_loop_target(items):
            for sleep in items:
                sleep(3)

        def by_global():
            global sleep
            sleep(4)

        def by_local_import():
            from asyncio import sleep
            sleep(5)

        lambda sleep: sleep(6)
        [sleep(7) for sleep in range(3)]
        """,
        qualified,
    )
    assert answers["sleep(1)"] is None
    assert answers["time.sleep(2)"] is None
    assert answers["sleep(3)"] is None
    assert answers["sleep(4)"] == "time.sleep"
    assert answers["sleep(5)"] == "asyncio.sleep"
    assert answers["sleep(6)"] is None
    assert answers["sleep(7)"] is None


def test_in_coroutine_follows_the_scope_stack():
    answers = probe(
        """
        async def coroutine():
            a()
            def nested():
                b()
            lambda: c()
            class Inner:
                d()
                async def method(self):
                    e()
            [f() for _ in xs]

        def plain():
            g()
        """,
        lambda model, node: model.in_coroutine,
    )
    assert answers == {
        "a()": True,
        "b()": False,
        "c()": False,
        "d()": True,
        "e()": True,
        "f()": True,
        "g()": False,
    }


@pytest.mark.parametrize(
    "statement, usage",
    [
        ("await f()", Usage.AWAITED),
        ("f()", Usage.DISCARDED),
        ("x = f()", Usage.ASSIGNED),
        ("x: int = f()", Usage.ASSIGNED),
        ("return f()", Usage.RETURNED),
        ("yield f()", Usage.YIELDED),
        ("g(f())", Usage.ARGUMENT),
        ("g(key=f())", Usage.ARGUMENT),
        ("if f(): pass", Usage.CONDITION),
        ("while not f(): pass", Usage.CONDITION),
        ("x = a and f()", Usage.CONDITION),
        ("(f() if c else 1)", Usage.DISCARDED),
        ("x = 1 if f() else 2", Usage.CONDITION),
        ("items = [f()]", Usage.OTHER),
        ("f().attribute", Usage.OTHER),
    ],
)
def test_usage(statement, usage):
    code = "async def host(g, a, c):\n" + textwrap.indent(statement, "    ") + "\n"
    answers = probe(
        code,
        lambda model, node: (
            model.usage() if cst.Module([]).code_for_node(node.func) == "f" else None
        ),
    )
    assert answers["f()"] == usage


def test_types_from_factories_annotations_and_self_attributes():
    answers = probe(
        """
        import asyncio
        from asyncio import AbstractEventLoop

        class Service:
            def __init__(self):
                self.loop = asyncio.new_event_loop()
                self.maybe = asyncio.new_event_loop() if True else None
                self.other = None

            def start(self, given: AbstractEventLoop, unknown):
                self.loop.probe()
                given.probe()
                unknown.probe()
                self.maybe.probe()
                local = asyncio.get_running_loop()
                local.probe()
                asyncio.get_event_loop().probe()
        """,
        lambda model, node: (
            model.type_of(node.func.value)
            if isinstance(node.func, cst.Attribute) and node.func.attr.value == "probe"
            else "-"
        ),
    )
    assert answers["self.loop.probe()"] == "asyncio.AbstractEventLoop"
    assert answers["given.probe()"] == "asyncio.AbstractEventLoop"
    assert answers["unknown.probe()"] is None
    assert answers["self.maybe.probe()"] is None  # a conditional value is not a certain type
    assert answers["local.probe()"] == "asyncio.AbstractEventLoop"
    assert answers["asyncio.get_event_loop().probe()"] == "asyncio.AbstractEventLoop"


def receiver_type(model, node):
    return (
        model.type_of(node.func.value)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "probe"
        else "-"
    )


def test_types_through_members_with_unpacking_and_awaits(monkeypatch):
    from asynclint import knowledge

    monkeypatch.setitem(knowledge.FACTORY_TYPES, "lib.Path", "lib.Path")
    monkeypatch.setitem(knowledge.FACTORY_TYPES, "lib.open", "lib.File")
    monkeypatch.setitem(knowledge.MEMBER_TYPES, "lib.Path.parent", "lib.Path")
    monkeypatch.setitem(knowledge.MEMBER_TYPES, "lib.Path.__truediv__", "lib.Path")
    monkeypatch.setitem(knowledge.MEMBER_TYPES, "lib.Path.open", "lib.File")
    monkeypatch.setitem(knowledge.MEMBER_TYPES, "lib.Pool.__aenter__", "lib.Connection")
    monkeypatch.setitem(knowledge.FACTORY_TYPES, "lib.Pool", "lib.Pool")
    monkeypatch.setitem(knowledge.AWAITED_TYPES, "lib.connect", ("lib.Reader", "lib.Writer"))
    monkeypatch.setitem(knowledge.AWAITED_TYPES, "lib.Pool.acquire", "lib.Connection")
    answers = probe(
        """
        from typing import Optional
        import lib

        async def f(maybe: Optional[lib.Path], union: "lib.Path | None", other: lib.Path | None):
            p = lib.Path("x")
            (p / "a").probe()
            p.parent.parent.probe()
            p.open().probe()
            with lib.open("f") as handle:
                handle.probe()
            with p.open() as same:
                same.probe()
            async with lib.Pool() as conn:
                conn.probe()
            reader, writer = await lib.connect()
            reader.probe()
            writer.probe()
            first, *rest = await lib.connect()
            first.probe()
            a, b = lib.Path("a"), lib.open("b")
            b.probe()
            pool = lib.Pool()
            connection = await pool.acquire()
            connection.probe()
            maybe.probe()
            other.probe()
            p.unknown.probe()
        """,
        receiver_type,
    )
    assert answers['(p / "a").probe()'] == "lib.Path"
    assert answers["p.parent.parent.probe()"] == "lib.Path"
    assert answers["p.open().probe()"] == "lib.File"
    assert answers["handle.probe()"] == "lib.File"
    assert answers["same.probe()"] == "lib.File"
    assert answers["conn.probe()"] == "lib.Connection"
    assert answers["reader.probe()"] == "lib.Reader"
    assert answers["writer.probe()"] == "lib.Writer"
    assert answers["first.probe()"] is None  # starred unpacking is not followed
    assert answers["b.probe()"] == "lib.File"
    assert answers["connection.probe()"] == "lib.Connection"
    assert answers["maybe.probe()"] == "lib.Path"
    assert answers["other.probe()"] == "lib.Path"
    assert answers["p.unknown.probe()"] is None


def test_callees_through_classes_and_bases():
    answers = probe(
        """
        class Base:
            async def close(self): ...
            def flush(self): ...

        class Child(Base):
            async def run(self):
                self.close()
                self.flush()
                super().close()
                self.missing()
                helper()

            @staticmethod
            async def static(self):
                self.close()

        async def helper(): ...
        """,
        lambda model, node: (lambda s: s and (s.qualname, s.is_async))(model.callee(node)),
    )
    assert answers["self.close()"] == [("pkg.mod.Base.close", True), None]
    assert answers["self.flush()"] == ("pkg.mod.Base.flush", False)
    assert answers["super().close()"] == ("pkg.mod.Base.close", True)
    assert answers["self.missing()"] is None
    assert answers["helper()"] == ("pkg.mod.helper", True)


def test_framework_detection():
    def framework(code, configured=None):
        return SemanticModel(cst.parse_module(code), framework=configured).framework

    assert framework("import asyncio\n") == "asyncio"
    assert framework("import trio\n") == "trio"
    assert framework("from anyio import sleep\nimport asyncio\n") == "anyio"
    assert framework("import trio\n", configured="anyio") == "anyio"
    assert framework("x = 1\n") == "asyncio"
    own_module = SemanticModel(
        cst.parse_module("from .. import _core\n"), module_name="trio._core.tests"
    )
    assert own_module.framework == "trio"


def test_reference_reuses_aliases_and_asks_for_missing_imports():
    model = SemanticModel(cst.parse_module("import asyncio as aio\n"))
    assert model.reference("asyncio.sleep") == ("aio.sleep", ())
    assert model.reference("trio.sleep") == ("trio.sleep", ("trio",))


def test_reference_skips_an_alias_shadowed_where_it_is_asked():
    answers = probe(
        """
        import asyncio as aio
        import asyncio as loop_lib

        def f(aio):
            g()
        """,
        lambda model, node: model.reference("asyncio.sleep"),
    )
    assert answers["g()"] == ("loop_lib.sleep", ())


def test_reference_reads_the_module_bindings_once_per_file(monkeypatch):
    """A fix per finding asks reference() once each: scanning every module binding per question
    made --fix quadratic (8,000 findings: 20 s; 50,000: minutes)."""
    scans = []
    source = "import asyncio\n" + "".join(f"x{i} = {i}\n" for i in range(500))
    model = SemanticModel(cst.parse_module(source))
    real_bindings = type(model.module_scope).bindings

    def counting(scope):
        found = real_bindings(scope)
        if scope is model.module_scope:
            scans.append(1)
        return found

    monkeypatch.setattr(type(model.module_scope), "bindings", counting)
    for _ in range(200):
        assert model.reference("asyncio.sleep") == ("asyncio.sleep", ())
    # one read to build the alias table, then one lookup of "asyncio" per question (it was two
    # per question: a scan of every binding, then the lookup)
    assert len(scans) <= 201


def test_relative_imports_in_a_package_init_start_from_the_package():
    module = cst.parse_module(
        "from . import intent\nfrom .. import sibling\nintent.setup()\nsibling.go()\n"
    )
    model = SemanticModel(module, module_name="app.components.alexa", is_package=True)
    calls = [node.body[0].value for node in module.body[2:]]
    model.stack = [module]
    assert [model.qualified_name(call.func) for call in calls] == [
        "app.components.alexa.intent.setup",
        "app.components.sibling.go",
    ]
    plain = SemanticModel(module, module_name="app.components.alexa")
    assert plain.qualified_name(calls[0].func) == "app.components.intent.setup"


def test_self_attributes_bound_from_a_local_of_the_method(monkeypatch):
    from asynclint import knowledge

    monkeypatch.setitem(knowledge.AWAITED_TYPES, "lib.connect", ("lib.Reader", "lib.Writer"))
    answers = probe(
        """
        import lib

        class Connection:
            async def open(self):
                reader, writer = await lib.connect()
                self._writer = writer

            async def send(self):
                self._writer.probe()
        """,
        receiver_type,
    )
    assert answers["self._writer.probe()"] == "lib.Writer"
