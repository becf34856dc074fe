"""The flake8 plugin, run by the real flake8 in a subprocess: ``flake8 --select ASL`` prints exactly
the lines ``asynclint check`` prints, asynclint's configuration applies, and flake8's own
``--extend-ignore``, ``--per-file-ignores``, ``# noqa`` and standard input work on top of it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List, Optional

import pytest

import asynclint

pytest.importorskip("flake8")

TIMEOUT = 300

BLOCKING = textwrap.dedent(
    """\
    import asyncio
    import time


    async def handler():
        time.sleep(1)
        await asyncio.sleep(0)


    def sync_helper():
        time.sleep(1)  # near miss: not in a coroutine


    async def offloaded():
        await asyncio.to_thread(time.sleep, 1)  # near miss: run in a thread

        def nested():
            time.sleep(1)  # near miss: a nested sync def

        return nested
    """
)

NEVER_AWAITED = textwrap.dedent(
    """\
    async def fetch():
        return 1


    async def caller():
        fetch()
        value = await fetch()  # near miss: awaited
        return value
    """
)

DANGLING = textwrap.dedent(
    """\
    import asyncio

    background = set()


    async def work():
        pass


    async def spawn():
        asyncio.create_task(work())
        task = asyncio.create_task(work())  # near miss: kept
        background.add(task)
        return task
    """
)

# One of each, in a package, after a non-ASCII string and with tab indentation: columns are counted
# in characters by both tools.
MIXED = (
    "import asyncio\n"
    "import time\n"
    "\n"
    "\n"
    "async def work():\n"
    "\tpass\n"
    "\n"
    "\n"
    "async def everything():\n"
    "\tlabel = 'héllo wörld'; time.sleep(1)\n"
    "\twork()\n"
    "\tasyncio.create_task(work())\n"
)

CLEAN = textwrap.dedent(
    """\
    import asyncio
    import time


    async def fine():
        await asyncio.sleep(1)
        task = asyncio.create_task(fine())
        await task


    def blocking_is_fine_here():
        time.sleep(1)
    """
)

NOQA = textwrap.dedent(
    """\
    import time


    async def silenced():
        time.sleep(1)  # noqa: ASL100


    async def wrong_code():
        time.sleep(2)  # noqa: ASL400
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small project. Its empty ``[tool.asynclint]`` keeps any configuration above tmp_path
    out."""
    (tmp_path / "pyproject.toml").write_text("[tool.asynclint]\n")
    (tmp_path / "blocking.py").write_text(BLOCKING)
    (tmp_path / "coros.py").write_text(NEVER_AWAITED)
    (tmp_path / "tasks.py").write_text(DANGLING)
    (tmp_path / "clean.py").write_text(CLEAN)
    (tmp_path / "noqa.py").write_text(NOQA)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mixed.py").write_text(MIXED)
    (tmp_path / "pkg" / "crlf.py").write_bytes(BLOCKING.replace("\n", "\r\n").encode())
    return tmp_path


FILES = [
    "blocking.py",
    "coros.py",
    "tasks.py",
    "clean.py",
    "noqa.py",
    "pkg/__init__.py",
    "pkg/mixed.py",
    "pkg/crlf.py",
]


def _run(args: List[str], cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def flake8(cwd: Path, *args: str, stdin: Optional[str] = None, expect: int = 1) -> List[str]:
    """flake8's output lines, sorted. ``--isolated``: no setup.cfg, tox.ini or .flake8 applies.

    flake8 prints the paths it walks as it walked them (``./app.py`` under ``.``), asynclint
    without the ``./``: that difference is removed here, nothing else."""
    result = _run(["flake8", "--isolated", "--select", "ASL", *args], cwd, stdin)
    assert result.returncode == expect, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return sorted(
        line[2:] if line.startswith("./") else line for line in result.stdout.splitlines()
    )


def asynclint_check(
    cwd: Path, *args: str, stdin: Optional[str] = None, expect: int = 1
) -> List[str]:
    result = _run(["asynclint", "check", "--no-cache", *args], cwd, stdin)
    assert result.returncode == expect, (result.stdout, result.stderr)
    return sorted(result.stdout.splitlines())


def codes_by_file(lines: List[str]) -> List[tuple]:
    return sorted((line.split(":")[0].lstrip("./"), line.split(" ")[1]) for line in lines)


EXPECTED = [
    ("blocking.py", "ASL100"),
    ("coros.py", "ASL200"),
    ("noqa.py", "ASL100"),
    ("pkg/crlf.py", "ASL100"),
    ("pkg/mixed.py", "ASL100"),
    ("pkg/mixed.py", "ASL200"),
    ("pkg/mixed.py", "ASL400"),
    ("tasks.py", "ASL400"),
]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_same_lines_as_the_cli_for_named_files(project: Path, jobs: str) -> None:
    expected = asynclint_check(project, *FILES)
    assert codes_by_file(expected) == EXPECTED  # the project is what it claims to be
    assert flake8(project, "-j", jobs, *FILES) == expected


def test_same_lines_as_the_cli_for_a_directory(project: Path) -> None:
    expected = asynclint_check(project, ".")
    assert codes_by_file(expected) == EXPECTED
    assert flake8(project, ".") == expected


def test_exact_positions_and_messages(project: Path) -> None:
    """Spot-check the text itself: 1-based columns, counted in characters (tabs and non-ASCII)."""
    lines = flake8(project, "pkg/mixed.py", "noqa.py")
    assert lines == [
        "noqa.py:9:5: ASL100 time.sleep() blocks the event loop; use 'await asyncio.sleep(...)'",
        "pkg/mixed.py:10:25: ASL100 time.sleep() blocks the event loop; use 'await "
        "asyncio.sleep(...)'",
        "pkg/mixed.py:11:2: ASL200 work() is never awaited: it never runs",
        "pkg/mixed.py:12:2: ASL400 task returned by create_task() is dropped; keep a reference "
        "until it is done",
    ]


def test_flake8_extend_ignore(project: Path) -> None:
    lines = flake8(project, "--extend-ignore", "ASL400", *FILES)
    assert codes_by_file(lines) == [item for item in EXPECTED if item[1] != "ASL400"]
    assert lines == [line for line in asynclint_check(project, *FILES) if " ASL400 " not in line]


def test_flake8_per_file_ignores(project: Path) -> None:
    lines = flake8(project, "--per-file-ignores", "tasks.py:ASL400 pkg/*:ASL1,ASL2", *FILES)
    assert codes_by_file(lines) == [
        ("blocking.py", "ASL100"),
        ("coros.py", "ASL200"),
        ("noqa.py", "ASL100"),
        ("pkg/mixed.py", "ASL400"),
    ]


def test_noqa(project: Path) -> None:
    """``# noqa: ASL100`` silences its line; a noqa for another code does not."""
    assert [line.split(" ")[0] for line in flake8(project, "noqa.py")] == ["noqa.py:9:5:"]
    (project / "noqa.py").write_text(NOQA.replace("  # noqa: ASL400", "  # noqa"))
    assert flake8(project, "noqa.py", expect=0) == []


def test_peers_codes_prefixes_and_file_directives_read_as_the_cli_reads_them(project: Path) -> None:
    """The plugin's findings pass through asynclint's one noqa reading before flake8's own: a
    peer's code (flake8-async's ASYNC251) and a file directive silence what they silence in the
    CLI."""
    (project / "noqa.py").write_text(
        NOQA.replace("  # noqa: ASL400", "  # noqa: ASYNC251").replace(
            "  # noqa: ASL100", "  # noqa:ASL1"
        )
    )
    (project / "blocking.py").write_text("# asynclint: noqa\n" + BLOCKING)
    (project / "coros.py").write_text("# asynclint: noqa: ASL2\n" + NEVER_AWAITED)
    expected = asynclint_check(project, *FILES)
    assert ("noqa.py", "ASL100") not in codes_by_file(expected)
    assert ("blocking.py", "ASL100") not in codes_by_file(expected)
    assert ("coros.py", "ASL200") not in codes_by_file(expected)
    assert flake8(project, *FILES) == expected


def test_asynclint_configuration_applies(project: Path) -> None:
    """``[tool.asynclint]``: ignore, per-file-ignores and exclude, exactly as for the CLI."""
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
        [tool.asynclint]
        ignore = ["ASL200"]
        extend-exclude = ["tasks.py"]

        [tool.asynclint.per-file-ignores]
        "pkg/*" = ["ASL100"]
        """
        )
    )
    # flake8 applies its own --exclude to the files it is given, and so the plugin asynclint's:
    # what the CLI does with --force-exclude (without it, a file named is linted even if excluded).
    expected = asynclint_check(project, "--force-exclude", *FILES)
    assert codes_by_file(expected) == [
        ("blocking.py", "ASL100"),
        ("noqa.py", "ASL100"),
        ("pkg/mixed.py", "ASL400"),
    ]
    assert flake8(project, *FILES) == expected
    named = asynclint_check(project, *FILES)
    assert codes_by_file(named) == sorted([*codes_by_file(expected), ("tasks.py", "ASL400")])
    assert flake8(project, ".") == asynclint_check(project, ".")


def test_asynclint_configuration_is_found_from_a_subdirectory(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.asynclint]\nignore = ["ASL400"]\n')
    expected = asynclint_check(project / "pkg", "mixed.py")
    assert [line.split(" ")[1] for line in expected] == ["ASL100", "ASL200"]
    assert flake8(project / "pkg", "mixed.py") == expected


def test_opt_in_selection_from_the_configuration(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.asynclint]\nselect = ["ASL4"]\n')
    expected = asynclint_check(project, *FILES)
    assert codes_by_file(expected) == [("pkg/mixed.py", "ASL400"), ("tasks.py", "ASL400")]
    assert flake8(project, *FILES) == expected


def test_broken_configuration_is_an_error_not_silence(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.asynclint]\nignor = ["ASL200"]\n')
    result = _run(["flake8", "--isolated", "--select", "ASL", "blocking.py"], project)
    assert result.returncode != 0
    assert "unknown key 'tool.asynclint.ignor'" in result.stdout + result.stderr
    assert "ASL100" not in result.stdout


def test_stdin(project: Path) -> None:
    source = (project / "pkg" / "mixed.py").read_text()
    lines = flake8(project, "--stdin-display-name", "x.py", "-", stdin=source)
    assert lines == asynclint_check(project, "--stdin-filename", "x.py", "-", stdin=source)
    assert codes_by_file(lines) == [("x.py", "ASL100"), ("x.py", "ASL200"), ("x.py", "ASL400")]
    # The text comes from standard input, not from the file the display name happens to name.
    assert flake8(project, "--stdin-display-name", "blocking.py", "-", stdin=CLEAN, expect=0) == []


def test_stdin_honours_per_file_ignores_by_display_name(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.asynclint.per-file-ignores]\n"pkg/*" = ["ASL100"]\n'
    )
    lines = flake8(project, "--stdin-display-name", "pkg/x.py", "-", stdin=MIXED)
    assert lines == asynclint_check(project, "--stdin-filename", "pkg/x.py", "-", stdin=MIXED)
    assert [line.split(" ")[1] for line in lines] == ["ASL200", "ASL400"]


def test_syntax_errors_are_flake8s_own(project: Path) -> None:
    """flake8 reports E999 and runs no plugin on the file; the other files are still checked."""
    (project / "broken.py").write_text("async def f(:\n    pass\n")
    result = _run(
        ["flake8", "--isolated", "--select", "ASL,E999", "broken.py", "tasks.py"], project
    )
    assert sorted(
        (line.split(":")[0], line.split(" ")[1]) for line in result.stdout.splitlines()
    ) == [("broken.py", "E999"), ("tasks.py", "ASL400")]


def test_registered_with_flake8() -> None:
    result = _run(["flake8", "--version"], Path.cwd())
    assert result.returncode == 0, result.stderr
    assert f"asynclint: {asynclint.__version__}" in result.stdout


def test_importing_the_plugin_is_cheap() -> None:
    """flake8 imports every plugin at start: the parser and the rules wait until files are
    checked."""
    code = (
        "import sys, asynclint.flake8_plugin\n"
        "print(sorted(m for m in ('libcst', 'asynclint.engine') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.stdout.strip() == "[]", result.stderr


# -- in process: what flake8 hands the plugin, and what it does with it
# ---------------------------------


@pytest.fixture
def fresh_plugin(monkeypatch):
    from asynclint.flake8_plugin import AsynclintChecker

    monkeypatch.setattr(AsynclintChecker, "_settings_by_config", {})
    monkeypatch.setattr(AsynclintChecker, "_config_by_directory", {})
    return AsynclintChecker


def test_lints_the_lines_it_is_given_never_the_file(
    project: Path, monkeypatch, fresh_plugin
) -> None:
    monkeypatch.chdir(project)
    lines = MIXED.splitlines(keepends=True)
    checker = fresh_plugin(None, "does-not-exist.py", lines)
    results = list(checker.run())
    assert [(line, column, text.split(" ")[0]) for line, column, text, _ in results] == [
        (10, 24, "ASL100"),
        (11, 1, "ASL200"),
        (12, 1, "ASL400"),
    ]  # 0-based columns
    assert all(kind is fresh_plugin for *_, kind in results)
    (project / "blocking.py").write_text("")
    assert (
        list(fresh_plugin(None, "blocking.py", lines).run()) == results
    )  # the lines, not the file


def test_configuration_is_loaded_once_per_process(project: Path, monkeypatch, fresh_plugin) -> None:
    from asynclint import config

    monkeypatch.chdir(project)
    loaded = []
    real_load = config.load
    monkeypatch.setattr(
        config, "load", lambda path, rules: loaded.append(path) or real_load(path, rules)
    )
    for name in FILES:
        list(fresh_plugin(None, name, (project / name).read_text().splitlines(keepends=True)).run())
    assert loaded == [str(project / "pyproject.toml")]
