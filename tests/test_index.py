"""The project index: definitions, classes and call sites across the files of a project."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from cli_helpers import finding_lines, run, write

from asynclint.discovery import module_name
from asynclint.index import OutlineCache, build_index

pytestmark = pytest.mark.usefixtures("isolated_cli")

PROJECT = {
    "pkg/__init__.py": """
        from .client import ApiClient
        from . import helpers
    """,
    "pkg/client.py": """
        import asyncio


        class Base:
            async def close(self):
                pass


        class ApiClient(Base):
            async def fetch(self, url):
                return url

            def sync_fetch(self, url):
                return url


        async def connect():
            return ApiClient()

        Client = ApiClient
    """,
    "pkg/helpers.py": """
        import time


        def pause():
            time.sleep(1)


        def load():
            return read_config("x")


        def read_config(path):
            with open(path) as f:
                return f.read()
    """,
    "pkg/service.py": """
        import asyncio

        from pkg import ApiClient
        from .client import connect, Base, Client
        from . import helpers


        class Service(Base):
            def __init__(self):
                self.client = ApiClient()

            async def run(self):
                self.client.fetch("a")
                self.client.sync_fetch("a")
                connect()
                self.close()
                helpers.load()
                await asyncio.wait_for(self.client.fetch("b"), 5)


        async def main():
            client = Client()
            client.fetch("b")
    """,
}


def make_project(root: Path) -> list:
    for name, text in PROJECT.items():
        write(root / name, textwrap.dedent(text).lstrip())
    return sorted(str(root / name) for name in PROJECT)


def index_of(root: Path, cache=None):
    return build_index([(path, module_name(path)) for path in make_project(root)], cache)


def test_lookup_follows_reexports_aliases_and_bases(tmp_path):
    index = index_of(tmp_path)
    fetch = index.lookup("pkg.ApiClient.fetch")
    assert (fetch.qualname, fetch.kind, fetch.is_async, fetch.line) == (
        "pkg.client.ApiClient.fetch",
        "method",
        True,
        10,
    )
    assert index.lookup("pkg.client.Client.fetch").qualname == "pkg.client.ApiClient.fetch"
    assert index.lookup("pkg.client.ApiClient.close").qualname == "pkg.client.Base.close"
    assert index.lookup("pkg.client.ApiClient.sync_fetch").is_async is False
    assert index.lookup("pkg.client.ApiClient").kind == "class"
    assert index.lookup("pkg.client.missing") is None
    assert index.lookup("elsewhere.thing") is None
    assert index.attribute_type("pkg.service.Service", "client") == "pkg.client.ApiClient"


def test_call_sites_record_their_context(tmp_path):
    index = index_of(tmp_path)
    (load,) = index.calls("pkg.helpers.load")
    assert (load.target, load.caller, load.line, load.returned) == (
        "pkg.helpers.read_config",
        "pkg.helpers.load",
        9,
        True,
    )
    read = [site for site in index.calls("pkg.helpers.read_config") if site.target.endswith("read")]
    assert read[0].managers == ("builtins.open",)
    callers = index.callers("pkg.client.ApiClient.fetch")
    assert sorted((site.caller, site.line, site.wrapper) for site in callers) == [
        ("pkg.service.Service.run", 13, None),
        ("pkg.service.Service.run", 18, "asyncio.wait_for"),
        ("pkg.service.main", 23, None),
    ]


def test_outlines_are_cached_by_content(tmp_path):
    cache = OutlineCache(str(tmp_path / "cache"))
    first = index_of(tmp_path / "project", cache)
    cache.save()
    again = OutlineCache(str(tmp_path / "cache"))
    assert len(again.entries) == len(PROJECT)
    second = index_of(tmp_path / "project", again)
    assert second.fingerprint == first.fingerprint
    write(tmp_path / "project" / "pkg" / "helpers.py", "def changed():\n    pass\n")
    third = build_index(
        [(p, module_name(p)) for p in sorted(str(p) for p in (tmp_path / "project").rglob("*.py"))],
        again,
    )
    assert third.fingerprint != first.fingerprint


def test_files_that_do_not_parse_are_left_out(tmp_path):
    write(tmp_path / "bad.py", "def (:\n")
    write(tmp_path / "good.py", "async def f():\n    pass\n")
    index = build_index([(str(tmp_path / name), name[:-3]) for name in ("bad.py", "good.py")])
    assert index.lookup("good.f").is_async


def test_rules_see_across_files(tmp_path):
    make_project(tmp_path)
    result = run("check", "--no-cache", "--select", "ASL200", "pkg")
    assert [(path, line, code) for path, line, _, code, _ in finding_lines(result.stdout)] == [
        ("pkg/service.py", 13, "ASL200"),
        ("pkg/service.py", 15, "ASL200"),
        ("pkg/service.py", 16, "ASL200"),
        ("pkg/service.py", 23, "ASL200"),
    ]


def test_the_findings_cache_is_invalidated_by_a_change_in_another_file(tmp_path, monkeypatch):
    monkeypatch.delenv("ASYNCLINT_NO_CACHE")
    write(tmp_path / "lib.py", "def work():\n    pass\n")
    write(tmp_path / "app.py", "from lib import work\n\nasync def main():\n    work()\n")
    assert run("check", "--select", "ASL200", "app.py", "lib.py").exit_code == 0
    assert (tmp_path / ".asynclint_cache" / "findings-v2.json").exists()
    write(tmp_path / "lib.py", "async def work():\n    pass\n")
    result = run("check", "--select", "ASL200", "app.py", "lib.py")
    assert [(path, line, code) for path, line, _, code, _ in finding_lines(result.stdout)] == [
        ("app.py", 4, "ASL200")
    ]


def test_installed_libraries_are_indexed_lazily_and_cached_by_source_file(tmp_path):
    from asynclint.engine import FileSettings, Linter
    from asynclint.index import LibraryIndex, OutlineIndex
    from asynclint.registry import load_rules
    from asynclint.source import decode

    site = tmp_path / "site"
    write(site / "fakehttp" / "__init__.py", "from .client import *\n")
    write(
        site / "fakehttp" / "client.py",
        textwrap.dedent("""
        __all__ = ["ClientSession"]

        class _Base:
            async def close(self):
                pass

        class ClientSession(_Base):
            def request(self, url):
                return url
    """),
    )
    write(
        site / "fakehttp" / "client.pyi",
        "class ClientSession:\n    async def close(self) -> None: ...\n    def request(self, "
        "url: str) -> str: ...\n",
    )
    code = textwrap.dedent("""
        import fakehttp

        async def main():
            session = fakehttp.ClientSession()
            session.request("x")
            session.close()
    """)
    rules = tuple(rule for rule in load_rules() if rule.code == "ASL200")
    libraries = LibraryIndex(str(tmp_path / "cache"), [str(site)])
    index = OutlineIndex([], libraries)
    result = Linter(index).lint_source(
        decode(code.encode(), "app.py"), FileSettings(rules, module_name="app")
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (7, "close() is never awaited: it never runs")
    ]
    assert index.lookup("fakehttp.ClientSession.close").path.endswith("client.pyi")  # a stub wins
    libraries.save()
    (stored,) = (tmp_path / "cache").glob("libraries-*/*.json")
    assert stored.name.startswith("fakehttp-")  # one file per top-level package and location
    assert LibraryIndex(str(tmp_path / "cache"), []).module("fakehttp") is None  # not on that path
    cached = LibraryIndex(str(tmp_path / "cache"), [str(site)])
    assert cached.module("fakehttp.client").classes["ClientSession"].members == {"close", "request"}
    assert not cached.dirty  # read from the cache, not outlined again
    (site / "fakehttp" / "client.pyi").unlink()  # the module's source is now another file
    again = LibraryIndex(str(tmp_path / "cache"), [str(site)])
    assert again.module("fakehttp.client").classes["ClientSession"].members == {"request"}
    assert again.module("fakehttp.client").path.endswith("client.py") and again.dirty
    assert (
        OutlineIndex([], LibraryIndex(None, [str(tmp_path / "missing")])).lookup(
            "fakehttp.ClientSession"
        )
        is None
    )


def test_task_wrappers_and_blocking_helpers_in_other_files(tmp_path):
    write(tmp_path / "app" / "__init__.py", "")
    write(
        tmp_path / "app" / "util.py",
        textwrap.dedent("""
        import asyncio


        def spawn(coro):
            return asyncio.create_task(coro)


        def spawn_twice(coro):
            return spawn(coro)


        def keep(coro, tasks):
            task = asyncio.create_task(coro)
            tasks.add(task)
            return task


        def read_settings(path):
            with open(path) as handle:
                return handle.read()
    """).lstrip(),
    )
    write(
        tmp_path / "app" / "main.py",
        textwrap.dedent("""
        from app.util import keep, read_settings, spawn
        from app import util


        async def work():
            pass


        async def main(tasks):
            spawn(work())
            util.spawn_twice(work())
            keep(work(), tasks)
            settings = read_settings("app.toml")
            return settings
    """).lstrip(),
    )
    result = run("check", "--no-cache", "--select", "ASL400,ASL110", "app")
    assert [(path, line, code) for path, line, _, code, _ in finding_lines(result.stdout)] == [
        ("app/main.py", 10, "ASL400"),
        ("app/main.py", 11, "ASL400"),
        ("app/main.py", 13, "ASL110"),
    ]
    assert "read_settings() -> open() (app/util.py:19)" in result.stdout


def test_the_outline_cache_ignores_itself_for_git_even_when_fixing(tmp_path, monkeypatch):
    monkeypatch.delenv("ASYNCLINT_NO_CACHE")
    write(tmp_path / "app.py", "import time\n\n\nasync def f():\n    time.sleep(1)\n")
    run("check", "--fix", "app.py")
    assert (tmp_path / ".asynclint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert any((tmp_path / ".asynclint_cache").glob("outlines-*.json"))


def test_star_imports_that_import_each_other_are_followed_once(tmp_path):
    from asynclint.index import OutlineIndex, outline

    names = [f"m{number}" for number in range(12)]
    stars = "".join(f"from .{name} import *\n" for name in names)
    modules = [outline(stars.encode(), f"pkg/{name}.py", f"pkg.{name}") for name in names]
    modules.append(
        outline((stars + "async def found():\n    pass\n").encode(), "pkg/__init__.py", "pkg")
    )
    index = OutlineIndex(modules)
    assert (
        index.lookup("pkg.m3.missing") is None
    )  # twelve modules, each star-importing all: no blow-up
    assert index.lookup("pkg.missing.deeper.name") is None
    assert index.lookup("pkg.found").is_async
