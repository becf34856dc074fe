"""asynclint's own code passes the linters it asks of contributors (CONTRIBUTING.md): ruff's
checks and format, mypy, and asynclint itself. The tools come with the ``dev`` extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("asynclint", "rules", "tests", "benchmarks")


def run(*command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module", autouse=True)
def tools() -> None:
    missing = [
        tool
        for tool in ("ruff", "mypy")
        if subprocess.run([sys.executable, "-m", tool, "--version"], capture_output=True).returncode
    ]
    assert not missing, f"{', '.join(missing)} missing: pip install -e '.[dev]'"


def test_ruff_check() -> None:
    run("ruff", "check", *SOURCES)


def test_ruff_format() -> None:
    run("ruff", "format", "--check", *SOURCES)


def test_mypy() -> None:
    run("mypy")  # files and options: [tool.mypy] in pyproject.toml


def test_asynclint_lints_itself() -> None:
    run("asynclint", "check", "--no-cache", "asynclint", "rules")
