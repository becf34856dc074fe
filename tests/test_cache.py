"""The findings cache: reused when nothing changed, ignored when anything did."""

from __future__ import annotations

import os

from cli_helpers import read_sealed, write_sealed
from click.testing import CliRunner

from asynclint.cache import CACHE_DIR
from asynclint.cli import main

BLOCKING = "import time\n\nasync def f():\n    time.sleep(1)\n"


def run(project, *args):
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        return runner.invoke(main, ["check", "--jobs", "1", *args, "app.py"])
    finally:
        os.chdir(cwd)


def cache_file(project):
    return project / CACHE_DIR / "findings-v2.json"


def tamper(project, message):
    """Rewrite the cached message (sealed with this user's key, as asynclint would write it), so
    that output shows whether the cache was used."""
    stored = read_sealed(cache_file(project), "findings")
    for entry in stored["files"].values():
        for row in entry[1]:
            row[6] = message
    write_sealed(cache_file(project), "findings", stored)


def test_unchanged_file_is_answered_from_the_cache(tmp_path):
    (tmp_path / "app.py").write_text(BLOCKING)
    first = run(tmp_path)
    assert first.exit_code == 1 and "ASL100" in first.output
    assert (tmp_path / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")
    tamper(tmp_path, "from the cache")
    assert "from the cache" in run(tmp_path).output
    assert "from the cache" not in run(tmp_path, "--no-cache").output


def test_changed_file_or_settings_are_linted_again(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    run(tmp_path)
    tamper(tmp_path, "from the cache")
    assert "from the cache" not in run(tmp_path, "--select", "ASL100,ASL200").output
    run(tmp_path)
    tamper(tmp_path, "from the cache")
    app.write_text(BLOCKING + "\n")
    result = run(tmp_path)
    assert "from the cache" not in result.output and "ASL100" in result.output


def test_a_broken_cache_is_ignored(tmp_path):
    (tmp_path / "app.py").write_text(BLOCKING)
    run(tmp_path)
    cache_file(tmp_path).write_text("{not json")
    result = run(tmp_path)
    assert result.exit_code == 1 and "ASL100" in result.output


def test_fix_runs_bypass_the_cache(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    run(tmp_path)
    tamper(tmp_path, "from the cache")
    result = run(tmp_path, "--fix")
    assert result.exit_code == 0
    assert "await asyncio.sleep(1)" in app.read_text()
