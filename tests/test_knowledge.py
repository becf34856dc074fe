"""Library knowledge shipped with asynclint: the same findings whether the libraries are installed
or not, an installed library winning over the shipped outline, and shipped data that the current
format reads."""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from cli_helpers import run, write

from asynclint import config as configuration
from asynclint.discovery import module_name
from asynclint.engine import Linter
from asynclint.index import (
    NO_SHIPPED,
    OUTLINE_VERSION,
    SHIPPED,
    LibraryIndex,
    OutlineIndex,
    build_index,
    outline_from_data,
)
from asynclint.registry import load_rules
from asynclint.runner import RunOptions, Settings, lint_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHIPPED_DIR = ROOT / "asynclint" / "library_outlines"
#: Libraries the fixtures and the project below use, installed by the test extra at the pinned
#: versions of scripts/build_knowledge.py.
USED = ("trio", "anyio", "aiohttp", "httpx", "redis", "sqlalchemy", "websockets")


#: The test extra installs the pinned libraries on Python 3.10 and newer (their own minimum).
needs_libraries = pytest.mark.skipif(
    sys.version_info < (3, 10), reason="the pinned libraries need Python 3.10"
)


def pinned():
    spec = importlib.util.spec_from_file_location(
        "build_knowledge", ROOT / "scripts" / "build_knowledge.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def stdlib_only():
    """A search path with the standard library and nothing installed."""
    paths = sysconfig.get_paths()
    found = [paths["stdlib"], paths["platstdlib"], os.path.join(paths["platstdlib"], "lib-dynload")]
    return [path for path in dict.fromkeys(found) if os.path.isdir(path)]


def findings(files, search_path, shipped):
    rules = load_rules()
    config = configuration.Config(root=".", select=["ASL"])
    index = build_index(
        [(path, module_name(path)) for path in files],
        libraries=LibraryIndex(None, search_path, shipped),
    )
    index.load_imported_libraries()
    results = lint_files(files, Settings(config, rules), RunOptions(jobs=2), Linter(index))
    return sorted(
        (os.path.basename(f.path), f.line, f.code, f.message)
        for result in results
        for f in result.findings
    )


PROJECT = {
    "app/__init__.py": "",
    "app/clients.py": """
        import aiohttp
        import httpx
        import redis
        import redis.asyncio
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine


        def sync_cache():
            return redis.Redis()


        def http_session():
            return aiohttp.ClientSession()


        async def database():
            engine = create_async_engine("sqlite+aiosqlite://")
            return AsyncSession(engine)


        class Api:
            def __init__(self):
                self.client = httpx.AsyncClient()
                self.cache = redis.asyncio.Redis()
    """,
    "app/jobs.py": """
        import aiohttp
        import anyio
        import httpx
        import redis
        import redis.asyncio
        import trio
        import websockets
        from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

        from .clients import Api, database, sync_cache


        async def fetch(url):
            client = httpx.AsyncClient()
            client.get(url)
            response = await client.get(url)
            await client.aclose()
            session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(10))
            session.close()
            return response


        async def cached(api: Api, key):
            cache = redis.asyncio.Redis()
            await cache.get(key)
            store = redis.Redis()
            return store.get(key) or await api.cache.get(key)


        async def trio_job():
            trio.sleep(1)
            trio.lowlevel.checkpoint()
            async with trio.open_nursery() as nursery:
                nursery.start_soon(fetch, "x")


        async def anyio_job():
            anyio.sleep(1)
            anyio.open_file("data.txt")
            async with anyio.create_task_group() as group:
                group.start_soon(fetch, "x")


        async def sockets():
            connection = await websockets.connect("ws://example")
            connection.send("x")
            await connection.close()


        async def sessions():
            engine = create_async_engine("sqlite+aiosqlite://")
            session = AsyncSession(engine)
            session.execute("select 1")
            await session.close()
            other = await database()
            await other.close()
    """,
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name, text in PROJECT.items():
        write(tmp_path / name, textwrap.dedent(text).lstrip())
    return sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.py"))


@needs_libraries
def test_the_libraries_used_are_installed_in_the_test_environment():
    pins = {name.lower(): version for name, version, _, _ in pinned().PINNED}
    for top in USED:
        library = LibraryIndex(None, None)
        assert library.installed(top), f"{top} is missing: pip install -e '.[test]'"
        kind, description = library.source(top)
        assert kind == "installed" and pins[description.split()[0].lower()] in description


@needs_libraries
def test_findings_are_the_same_with_and_without_the_libraries_installed(project):
    installed = findings(project, None, SHIPPED)
    shipped = findings(project, stdlib_only(), SHIPPED)
    assert shipped == installed
    # What only knowledge of the libraries tells (the rest is in asynclint's own catalogues).
    unknown = findings(project, stdlib_only(), NO_SHIPPED)
    learned = {
        (code, source_line(name, line)) for name, line, code, _ in set(installed) - set(unknown)
    }
    assert learned == {
        ("ASL200", "client.get(url)"),  # httpx.AsyncClient
        ("ASL200", "session.close()"),  # aiohttp.ClientSession
        ("ASL200", 'connection.send("x")'),  # websockets
        ("ASL200", 'session.execute("select 1")'),  # sqlalchemy.ext.asyncio.AsyncSession
    }


def source_line(name, line):
    return Path("app", name).read_text().splitlines()[line - 1].strip()


@needs_libraries
def test_the_fixtures_give_the_same_findings_with_and_without_the_libraries_installed():
    """Every fixture that imports a library asynclint ships knowledge of."""
    shipped = "|".join(top for top in SHIPPED.catalogue if SHIPPED.catalogue[top][1] != "python")
    imports = re.compile(rf"^\s*(?:import|from)\s+(?:{shipped})\b", re.M)
    files = sorted(
        str(path)
        for path in FIXTURES.glob("*.py")
        if not path.name.endswith(".fixed.py") and imports.search(path.read_text(encoding="utf-8"))
    )
    assert len(files) > 20
    assert findings(files, stdlib_only(), SHIPPED) == findings(files, None, SHIPPED)


def test_an_installed_library_wins_over_the_shipped_outline(tmp_path):
    site = tmp_path / "site"
    write(
        site / "trio" / "__init__.py",
        "def sleep(seconds):\n    pass\n\n\nasync def custom():\n    pass\n",
    )
    index = OutlineIndex([], LibraryIndex(None, [str(site)], SHIPPED))
    assert index.lookup("trio.custom").is_async
    assert not index.lookup("trio.sleep").is_async  # the installed one, however odd
    assert index.lookup("trio.open_nursery") is None  # never half from the shipped outline
    assert index.libraries.source("trio")[0] == "installed"
    bare = OutlineIndex([], LibraryIndex(None, [], SHIPPED))
    assert bare.lookup("trio.sleep").is_async and bare.lookup("trio.custom") is None
    assert bare.libraries.source("trio") == ("shipped", f"trio {dict(pinned_versions())['trio']}")


def pinned_versions():
    return [(name.lower(), version) for name, version, _, _ in pinned().PINNED]


def test_the_shipped_outlines_match_the_pins_and_the_current_format():
    catalogue = json.loads((SHIPPED_DIR / "catalogue.json").read_text())
    assert catalogue["format"] == OUTLINE_VERSION, "run scripts/build_knowledge.py"
    listed = {entry[1].lower(): entry for entry in catalogue["libraries"]}
    assert set(dict(pinned_versions())) | {"python"} == set(listed)
    total = 0
    for name, version in pinned_versions():
        filename, _, shipped_version, tops = listed[name]
        assert shipped_version == version, f"{name}: run scripts/build_knowledge.py --only {name}"
        path = SHIPPED_DIR / filename
        total += path.stat().st_size
        stored = json.loads(gzip.decompress(path.read_bytes()))
        assert stored["format"] == OUTLINE_VERSION and stored["modules"]
        for module, data in stored["modules"].items():
            decoded = outline_from_data(data)
            assert decoded.name == module and module.split(".")[0] in tops
            assert all(not f.calls for f in decoded.functions.values())
    assert total < 1024 * 1024  # compact: a few hundred KB


@needs_libraries
def test_show_settings_says_where_each_library_comes_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "app.py", "import trio\nimport asyncio\nimport notalibrary\n")
    result = run("check", "--no-cache", "--show-settings", "app.py")
    assert result.exit_code == 0
    assert "  trio: installed trio " in result.stdout
    assert "standard library" in result.stdout and "asyncio" in result.stdout
    assert "unknown (not installed, not shipped): notalibrary" in result.stdout
    monkeypatch.setattr(sys, "path", stdlib_only())
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    shipped = run("check", "--no-cache", "--show-settings", "app.py")
    assert f"  trio: shipped trio {dict(pinned_versions())['trio']}" in shipped.stdout


def test_the_readme_names_the_shipped_versions():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for name, version, _, _ in pinned().PINNED:
        assert f"{name} {version}" in readme, f"README: the shipped {name} is {version}"
