"""The pre-commit hooks, run by the real pre-commit against this checkout (``pre-commit try-repo``).

try-repo clones this repository at HEAD; when tracked files have uncommitted changes it commits them
(staged files and ``git add -u``, never untracked files) into a temporary shadow clone, so the hooks
run from the working tree's state of the tracked files. It installs the hook environment (``pip
install`` of this checkout, from PyPI: hence the ``network`` marker) into a temporary store of its
own on every call, whatever PRE_COMMIT_HOME says; PRE_COMMIT_HOME still points at a temporary
directory so that the user's pre-commit cache is never touched. Deselect offline with ``-m 'not
network'``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Dict

import pytest

pytest.importorskip("pre_commit")

ROOT = Path(__file__).parents[1]
TIMEOUT = 600

SOURCE = textwrap.dedent(
    """\
    import asyncio
    import time


    async def work():
        pass


    async def handler():
        time.sleep(1)
        asyncio.create_task(work())
    """
)
ASL100 = "app.py:10:5: ASL100 time.sleep() blocks the event loop; use 'await asyncio.sleep(...)'"
ASL400 = (
    "app.py:11:5: ASL400 task returned by create_task() is dropped; keep a reference "
    "until it is done"
)


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> Dict[str, str]:
    """The environment for git and pre-commit: a throwaway PRE_COMMIT_HOME shared by the module's
    tests, and no GIT_* variables from an enclosing git hook (they would point git at another
    repository)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PRE_COMMIT_COLOR"] = "never"
    return env


def git(repo: Path, env: Dict[str, str], *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture
def repo(tmp_path: Path, environment: Dict[str, str]) -> Path:
    """A throwaway git repository with one committed file holding ASL100 (fixable) and ASL400."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, environment, "init", "-q")
    git(repo, environment, "config", "user.name", "asynclint tests")
    git(repo, environment, "config", "user.email", "tests@asynclint.invalid")
    git(repo, environment, "config", "commit.gpgsign", "false")
    (repo / "app.py").write_text(SOURCE)
    # The same code in a file the configuration excludes: the hooks name it, and leave it alone.
    (repo / "pyproject.toml").write_text('[tool.asynclint]\nextend-exclude = ["migrations"]\n')
    (repo / "migrations").mkdir()
    (repo / "migrations" / "0001.py").write_text(SOURCE)
    git(repo, environment, "add", ".")
    git(repo, environment, "commit", "-q", "--no-verify", "-m", "an async app with two findings")
    return repo


def try_repo(repo: Path, environment: Dict[str, str], hook: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            hook,
            "--all-files",
            "--color",
            "never",
        ],
        cwd=repo,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def test_manifest_is_valid(environment: Dict[str, str]) -> None:
    manifest = str(ROOT / ".pre-commit-hooks.yaml")
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", manifest],
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.network
def test_check_hook_fails_with_the_findings(repo: Path, environment: Dict[str, str]) -> None:
    result = try_repo(repo, environment, "asynclint")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "- hook id: asynclint\n" in output
    assert ASL100 in output.splitlines()
    assert ASL400 in output.splitlines()
    assert "files were modified" not in output
    assert "migrations" not in output  # excluded, though pre-commit named it
    assert (repo / "app.py").read_text() == SOURCE  # checking changes nothing
    assert git(repo, environment, "status", "--porcelain") == ""  # nor leaves anything to commit


@pytest.mark.network
def test_fix_hook_fixes_and_fails_on_what_is_left(repo: Path, environment: Dict[str, str]) -> None:
    result = try_repo(repo, environment, "asynclint-fix")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "- hook id: asynclint-fix\n" in output
    assert "- files were modified by this hook" in output
    fixed = (repo / "app.py").read_text()
    assert "await asyncio.sleep(1)" in fixed
    assert fixed == SOURCE.replace("time.sleep(1)", "await asyncio.sleep(1)")
    lines = output.splitlines()
    assert ASL400 in lines  # the finding without a fix is still reported
    assert ASL100 not in lines  # the fixed one is not
    assert git(repo, environment, "status", "--porcelain") == " M app.py\n"
    assert (repo / "migrations" / "0001.py").read_text() == SOURCE  # excluded: not fixed


def readme_local_hook() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- pre-commit-local:[^>]*-->\n```yaml\n(.*?)```", readme, re.S)
    assert match, "the README's local hook block is gone"
    return match.group(1)


def test_the_readmes_local_hook(repo: Path, environment: Dict[str, str]) -> None:
    """The README's `repo: local` hook, run by the real pre-commit with the asynclint of this
    environment (language: system: nothing to download)."""
    (repo / ".pre-commit-config.yaml").write_text(readme_local_hook())
    env = {
        **environment,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), environment.get("PATH", "")]),
    }

    def pre_commit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--color", "never", *args],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )

    result = pre_commit("--all-files")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert ASL100 in output.splitlines() and ASL400 in output.splitlines()
    assert "migrations" not in output
    # A commit that touches only excluded files passes: nothing to lint is not an error.
    only_excluded = pre_commit("--files", "migrations/0001.py")
    assert only_excluded.returncode == 0, only_excluded.stdout + only_excluded.stderr
    assert "Passed" in only_excluded.stdout
