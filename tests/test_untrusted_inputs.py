"""Inputs crafted to take a run down (or that an unlucky user has lying around): special files,
native parser crashes, amplification of memory and time, broken configuration. Each costs one
diagnostic for the file or the setting concerned; the run goes on and the machine survives.

Tests that would hang or crash the test process if the guard regressed run in a subprocess with a
time limit."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_helpers import finding_lines, run

BLOCKING = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)\n"

pytestmark = pytest.mark.usefixtures("isolated_cli")

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
needs_dev_zero = pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")


def by_path(stdout: str):
    result = {}
    for path, _, _, code, _ in finding_lines(stdout):
        result.setdefault(os.path.normpath(path), []).append(code)
    return result


def python(code: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (a hang fails the test instead of the suite)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "ASYNCLINT_NO_CACHE": "1"},
    )


def cli(*args: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    return python(
        f"import sys; from asynclint.cli import main; sys.argv = ['asynclint', *{list(args)!r}]; main()",
        cwd,
        timeout,
    )


# -- 6. only regular files are read ---------------------------------------------------------------


@needs_fifo
def test_a_fifo_in_a_walked_tree_is_skipped_not_waited_on(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "good.py").write_text(BLOCKING)
    result = cli("check", ".", cwd=tmp_path, timeout=60)
    assert by_path(result.stdout) == {"pipe.py": ["ASL003"], "good.py": ["ASL100"]}
    assert "not a regular file" in result.stdout
    assert result.returncode == 1


@needs_fifo
def test_a_fifo_named_on_the_command_line_is_asl003(tmp_path):
    os.mkfifo(tmp_path / "pipe.py")
    result = cli("check", "pipe.py", cwd=tmp_path, timeout=60)
    assert by_path(result.stdout) == {"pipe.py": ["ASL003"]}


@needs_fifo
def test_a_file_swapped_for_a_fifo_after_the_walk_is_not_waited_on(tmp_path):
    """The walk saw a regular file; by the time the index and the engine read it, it is a FIFO."""
    os.mkfifo(tmp_path / "pipe.py")
    result = python(
        """
        from asynclint.engine import FileSettings, Linter
        from asynclint.index import build_index
        from asynclint.registry import load_rules
        index = build_index([("pipe.py", "pipe")])
        assert "pipe" not in index.modules
        result = Linter(index).lint_path("pipe.py", FileSettings(tuple(load_rules())))
        print([(f.code, f.message) for f in result.findings])
        """,
        tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "ASL003" in result.stdout and "not a regular file" in result.stdout


@needs_dev_zero
def test_dev_zero_linked_as_a_module_is_never_read(tmp_path):
    """/dev/zero never ends: reading it before checking what it is exhausts memory."""
    os.symlink("/dev/zero", tmp_path / "x.py")
    (tmp_path / "good.py").write_text(BLOCKING)
    # Walked: the link leads out of the tree, so it is not followed at all.
    walked = cli("check", ".", cwd=tmp_path, timeout=60)
    assert by_path(walked.stdout) == {"x.py": ["ASL003"], "good.py": ["ASL100"]}
    assert "outside the linted tree" in walked.stdout
    # Named: discovery, the index and the engine each see a device, not a file.
    named = cli("check", "x.py", "good.py", cwd=tmp_path, timeout=60)
    assert by_path(named.stdout) == {"x.py": ["ASL003"], "good.py": ["ASL100"]}
    direct = python(
        """
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))  # reading it would hit this
        from asynclint.engine import FileSettings, Linter
        from asynclint.index import build_index
        from asynclint.registry import load_rules
        index = build_index([("x.py", "x")])
        assert "x" not in index.modules
        print([f.code for f in Linter(index).lint_path("x.py", FileSettings(tuple(load_rules()))).findings])
        """,
        tmp_path,
        timeout=60,
    )
    assert direct.returncode == 0, direct.stderr
    assert direct.stdout.strip() == "['ASL003']"


def test_a_regular_file_that_grows_past_the_limit_while_read_is_asl004(tmp_path, monkeypatch):
    from asynclint import source

    path = tmp_path / "big.py"
    path.write_bytes(b"x = 1\n" * 100)
    with pytest.raises(source.SourceError) as error:
        source.read_regular(str(path), 64)
    assert error.value.code == "ASL004"
    data, info = source.read_regular(str(path), 600)
    assert len(data) == info.st_size == 600


def test_a_symlinked_file_inside_the_tree_is_linted_and_one_outside_is_listed(tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.py").write_text(BLOCKING)
    tree = tmp_path / "project"
    (tree / "pkg").mkdir(parents=True)
    (tree / "pkg" / "real.py").write_text(BLOCKING)
    os.symlink(os.path.join("pkg", "real.py"), tree / "alias.py")
    os.symlink(os.path.join("..", "elsewhere", "secret.py"), tree / "escape.py")
    os.chdir(tree)
    result = run("check", ".")
    assert by_path(result.stdout) == {
        "alias.py": ["ASL100"],
        "escape.py": ["ASL003"],
        os.path.join("pkg", "real.py"): ["ASL100"],
    }
    assert "outside the linted tree" in result.stdout
    before = (outside / "secret.py").read_bytes()
    run("check", "--fix", ".")
    assert (outside / "secret.py").read_bytes() == before
    assert "await asyncio.sleep(1)" in (tree / "pkg" / "real.py").read_text()
