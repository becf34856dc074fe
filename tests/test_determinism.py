"""Same answer every time: findings are a function of the project and the settings only, not of
the number of workers, the order files are linted in, which other files share the run, or the
order of definitions in a file. The generated project puts every cross-file question at and
around its limits: helper chains longer and shorter than the depth followed, call cycles,
re-export chains around the resolution depth, star imports that import each other, and task
wrappers around their depth."""

from __future__ import annotations

import ast
import json
import random
import textwrap

import pytest
from cli_helpers import run, write

from asynclint import config as configuration
from asynclint.discovery import discover
from asynclint.registry import load_rules
from asynclint.runner import RunOptions, Settings, lint_files

SELECT = "ASL110,ASL200,ASL400"
CHAIN, ALIASES, SPAWNERS = 10, 11, 6
USE_FILES, COROUTINES = 8, 6


#: Task wrappers of the file itself that return each other's results: which one is asked about
#: first must not matter.
LOCAL_WRAPPERS = """

def wrap_a(coro, again):
    if again:
        return wrap_b(coro, again)
    return asyncio.create_task(coro)


def wrap_b(coro, again):
    return wrap_a(coro, again)


async def work():
    pass
"""


def targets():
    """Calls a coroutine can make into the helper modules, each asking a cross-file question."""
    calls = [f"chain.c{i}()" for i in range(CHAIN)]
    calls += ["cycle.a()", "cycle.b()", "cycle.e()", "star_a.fetch()", "star_b.helper()"]
    calls += [f"alias_{k}.thing()" for k in range(ALIASES)]
    calls += [f"spawn.s{k}(work())" for k in range(SPAWNERS)]
    return [*calls, "wrap_a(work(), 1)", "wrap_b(work(), 1)"]


def helpers():
    files = {"proj/__init__.py": ""}
    chain = ["import time\n"]
    for i in range(CHAIN):
        body = f"c{i + 1}()" if i + 1 < CHAIN else "time.sleep(1)"
        chain.append(f"\ndef c{i}():\n    {body}\n")
    files["proj/chain.py"] = "".join(chain)
    files["proj/cycle.py"] = textwrap.dedent("""
        def a():
            b()
            d()


        def b():
            a()


        def d():
            return open("settings.toml").read()


        def e():
            f()


        def f():
            e()
    """)
    for k in range(ALIASES):
        files[f"proj/alias_{k}.py"] = (
            f"from .alias_{k + 1} import thing\n"
            if k + 1 < ALIASES
            else "async def thing():\n    pass\n"
        )
    files["proj/star_a.py"] = "from .star_b import *\nfrom .star_c import *\n"
    files["proj/star_b.py"] = "from .star_a import *\nfrom .star_c import *\n"
    files["proj/star_c.py"] = (
        "import time\nfrom .star_a import *\n\n\nasync def fetch():\n    pass\n\n\n"
        "def helper():\n    time.sleep(1)\n"
    )
    spawn = ["import asyncio\n"]
    for k in range(SPAWNERS):
        body = f"s{k + 1}(coro)" if k + 1 < SPAWNERS else "asyncio.create_task(coro)"
        spawn.append(f"\ndef s{k}(coro):\n    return {body}\n")
    files["proj/spawn.py"] = "".join(spawn)
    return files


def use_files(seed: int):
    generator = random.Random(seed)
    pool = targets()
    imports = ", ".join(["chain", "cycle", "spawn", "star_a", "star_b"])
    aliases = ", ".join(f"alias_{k}" for k in range(ALIASES))
    files = {}
    for number in range(USE_FILES):
        parts = [f"import asyncio\n\nfrom proj import {imports}\nfrom proj import {aliases}\n"]
        parts.append(LOCAL_WRAPPERS)
        for index in range(COROUTINES):
            calls = generator.sample(pool, generator.randint(2, 5))
            body = "".join(f"    {call}\n" for call in calls)
            parts.append(f"\n\nasync def job_{index}():\n{body}")
        files[f"proj/use_{number}.py"] = "".join(parts)
    return files


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    files = {**helpers(), **use_files(seed=12)}
    for name, text in files.items():
        write(tmp_path / name, text)
    return tmp_path


def located(findings):
    """Findings as (path, enclosing function, code, message): independent of line numbers."""
    functions = {}
    answer = set()
    for path, line, code, message in findings:
        if path not in functions:
            with open(path, encoding="utf-8") as handle:
                tree = ast.parse(handle.read())
            functions[path] = [
                (node.lineno, node.end_lineno, node.name)
                for node in ast.walk(tree)
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            ]
        names = [name for start, end, name in functions[path] if start <= line <= end]
        answer.add((path, names[-1] if names else "", code, message))
    return answer


def calls(path, line):
    with open(path, encoding="utf-8") as handle:
        return handle.read().splitlines()[line - 1].strip()


def cli(*args):
    result = run(
        "check", "--no-cache", "--exit-zero", "--select", SELECT, "--format", "json", *args
    )
    return [(f["path"], f["line"], f["code"], f["message"]) for f in json.loads(result.stdout)]


def api(files):
    """Lint exactly ``files``, in this order, in one process."""
    rules = load_rules()
    config = configuration.Config(root=".", select=SELECT.split(","))
    results = lint_files(list(files), Settings(config, rules), RunOptions(jobs=1))
    return sorted(
        (f.path, f.line, f.code, f.message) for result in results for f in result.findings
    )


def test_findings_do_not_depend_on_workers_order_company_or_definition_order(project):
    expected = cli("--jobs", "1", "proj")
    # The questions at the limits are answered, each the same way wherever it is asked.
    flagged = {(code, calls(path, line)) for path, line, code, _ in expected}
    reported = {
        *(("ASL110", f"chain.c{i}()") for i in range(3, CHAIN)),  # at most 7 functions deep
        ("ASL110", "cycle.a()"),
        ("ASL110", "cycle.b()"),  # b -> a -> d, through the cycle
        ("ASL110", "star_b.helper()"),  # through star imports that import each other
        ("ASL200", "star_a.fetch()"),
        *(("ASL200", f"alias_{k}.thing()") for k in range(2, ALIASES)),  # 8 re-exports at most
        *(("ASL400", f"spawn.s{k}(work())") for k in range(2, SPAWNERS)),  # 3 wrappers at most
        ("ASL400", "wrap_a(work(), 1)"),
        ("ASL400", "wrap_b(work(), 1)"),
    }
    assert flagged == reported

    assert cli("--jobs", "2", "proj") == expected

    files, _ = discover(["proj"], [], str(project))
    generator = random.Random(5)
    for _ in range(3):
        shuffled = list(files)
        generator.shuffle(shuffled)
        assert api(shuffled) == expected

    # A use file's findings are the same whichever other files share the run.
    shared = [path for path in files if "/use_" not in path]
    for number in (0, 5):
        own = f"proj/use_{number}.py"
        alone = [row for row in api([own, *reversed(shared)]) if row[0] == own]
        assert alone == [row for row in expected if row[0] == own]

    # Swapping two coroutines in a file changes only where their findings are.
    before = located(expected)
    path = project / "proj" / "use_3.py"
    text = path.read_text()
    head, *jobs = text.split("\n\n\nasync def job_")
    first = next(number for number, job in enumerate(jobs) if "wrap_" in job)
    later = len(jobs) - 2 if first != len(jobs) - 2 else len(jobs) - 3
    jobs[first], jobs[later] = jobs[later], jobs[first]  # the first to ask about a wrapper moves
    path.write_text("\n\n\nasync def job_".join([head, *jobs]))
    assert located(cli("--jobs", "1", "proj")) == before
