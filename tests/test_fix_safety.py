"""Fixes that never break or lose anything: CPython judges every fixed text, a fix is written only
over the bytes that were read, and writing keeps what the user had (owner, attributes, links,
newlines)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import libcst as cst
import pytest
from cli_helpers import finding_lines, run

from asynclint import Fix, FixKind, Rule
from asynclint.engine import FileSettings, Linter
from asynclint.source import Source

BLOCKING = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)\n"
BLOCKING_FIXED = "import asyncio\nimport time\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

pytestmark = pytest.mark.usefixtures("isolated_cli")


def codes(stdout: str):
    return sorted(code for _, _, _, code, _ in finding_lines(stdout))


# -- 11. CPython judges every fix ------------------------------------------------------------------


@pytest.mark.parametrize("fixed", sorted(FIXTURES.glob("*.fixed.py")), ids=lambda p: p.name)
def test_every_expected_fix_compiles(fixed):
    compile(fixed.read_text(encoding="utf-8"), str(fixed), "exec")


CLASS_BODY = """\
import asyncio
import time


async def build(items):
    lock = asyncio.Lock()

    class Settings:
        time.sleep(1)
        with lock:
            pass
        delays = [time.sleep(0) for _ in items]

    return Settings, lambda: time.sleep(2)
"""


def test_no_fix_is_offered_where_await_is_not_allowed(tmp_path):
    """A class body runs when the coroutine runs (so it blocks), but 'await' and 'async with'
    are not allowed there: 'safe' fixes wrote code CPython rejects."""
    app = tmp_path / "app.py"
    app.write_text(CLASS_BODY)
    result = run("check", "--fix", "app.py")
    assert codes(result.stdout) == ["ASL100", "ASL100", "ASL201"]
    assert app.read_text() == CLASS_BODY
    diff = run("check", "--diff", "app.py")
    assert diff.stdout == ""
    edits = run("check", "--format", "json", "--stdin-filename", "app.py", "-", input=CLASS_BODY)
    assert all(finding["fix"] is None for finding in json.loads(edits.stdout))


class AwaitEverywhere(Rule):
    """A rule with a careless fix: it puts 'await' before every call, wherever it is."""

    code = "ASL999"
    name = "await-everywhere"
    message = "call"
    rationale = bad = good = "x"
    fix_kind = FixKind.SAFE

    def visit_Call(self, node: cst.Call) -> None:
        self.report(node, fix=Fix(node, cst.Await(expression=node), "Insert 'await'"))


def test_a_fix_cpython_rejects_is_not_applied_nor_offered():
    text = "print(1)\n\n\nasync def f():\n    print(2)\n"
    settings = FileSettings((AwaitEverywhere,))
    fixed = Linter().lint_source(Source("m.py", text), settings, fix=True)
    assert fixed.fixed_text is None  # 'await print(1)' at module level does not compile
    assert sorted(f.code for f in fixed.findings) == ["ASL005", "ASL999", "ASL999"]
    assert any("CPython rejects" in f.message for f in fixed.findings if f.code == "ASL005")
    offered = Linter().lint_source(Source("m.py", text), settings, edits=True)
    by_line = {f.line: f for f in offered.findings}
    assert by_line[1].edits is None and by_line[1].fix_applicability is None
    assert by_line[5].edits and by_line[5].fix_applicability == "safe"


# -- 12. never over an edit made meanwhile ---------------------------------------------------------


def test_fix_does_not_overwrite_a_file_saved_while_it_ran(tmp_path, monkeypatch):
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    edited = BLOCKING + "\n\nasync def g():\n    time.sleep(2)\n"
    original = Linter.lint_source

    def edit_meanwhile(self, source, *args, **kwargs):
        result = original(self, source, *args, **kwargs)
        app.write_text(edited)  # an editor saves while asynclint works
        return result

    monkeypatch.setattr(Linter, "lint_source", edit_meanwhile)
    result = run("check", "--fix", "app.py")
    assert app.read_text() == edited
    found = finding_lines(result.stdout)
    assert ("ASL005" in [code for _, _, _, code, _ in found]) and any(
        "changed since asynclint read it" in message for *_, message in found
    )
    assert result.exit_code == 1


def test_fix_does_not_overwrite_a_file_replaced_with_the_same_size(tmp_path, monkeypatch):
    """Same size, and the modification time restored: the bytes still tell."""
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    info = app.stat()
    other = BLOCKING.replace("time.sleep(1)", "time.sleep(7)")
    original = Linter.lint_source

    def edit_meanwhile(self, source, *args, **kwargs):
        result = original(self, source, *args, **kwargs)
        app.write_text(other)
        os.utime(app, ns=(info.st_atime_ns, info.st_mtime_ns))
        return result

    monkeypatch.setattr(Linter, "lint_source", edit_meanwhile)
    run("check", "--fix", "app.py")
    assert app.read_text() == other


# -- 13. writing keeps what the user had -----------------------------------------------------------


def test_fix_keeps_hard_links_in_place(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    os.link(app, tmp_path / "alias.py")
    inode = app.stat().st_ino
    assert run("check", "--fix", "app.py").exit_code == 0
    assert app.read_text() == BLOCKING_FIXED == (tmp_path / "alias.py").read_text()
    assert app.stat().st_ino == inode and app.stat().st_nlink == 2


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown")
def test_fix_keeps_owner_and_group(tmp_path):
    """A root CI job must not turn the files it fixes into root:root."""
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    os.chown(app, 4321, 8765)
    assert run("check", "--fix", "app.py").exit_code == 0
    assert app.read_text() == BLOCKING_FIXED
    assert (app.stat().st_uid, app.stat().st_gid) == (4321, 8765)


def test_fix_keeps_extended_attributes(tmp_path):
    app = tmp_path / "app.py"
    app.write_text(BLOCKING)
    try:
        os.setxattr(app, "user.origin", b"review-42")
    except (AttributeError, OSError):
        pytest.skip("no user extended attributes on this file system")
    assert run("check", "--fix", "app.py").exit_code == 0
    assert app.read_text() == BLOCKING_FIXED
    assert os.getxattr(app, "user.origin") == b"review-42"


def test_fix_keeps_the_final_carriage_return_of_a_cr_only_file(tmp_path):
    app = tmp_path / "app.py"
    app.write_bytes(BLOCKING.replace("\n", "\r").encode())
    assert run("check", "--fix", "app.py").exit_code == 0
    assert app.read_bytes() == BLOCKING_FIXED.replace("\n", "\r").encode()
    stdin = run(
        "check", "--fix", "--stdin-filename", "app.py", "-", input=BLOCKING.replace("\n", "\r")
    )
    assert stdin.stdout == BLOCKING_FIXED.replace("\n", "\r")


def test_a_link_named_on_the_command_line_is_never_written_out_of_its_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "shared.py"
    target.write_text(BLOCKING)
    project = tmp_path / "project"
    project.mkdir()
    os.symlink(target, project / "link.py")
    os.chdir(project)
    result = run("check", "--fix", "link.py")
    assert target.read_text() == BLOCKING
    assert "ASL005" in codes(result.stdout)
    assert "outside the linted tree" in result.stdout
    assert stat.S_ISLNK(os.lstat(project / "link.py").st_mode)
