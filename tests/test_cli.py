"""The ``asynclint`` command line: output formats, exit codes, selection, fixing, stdin, the
``rules``/``explain`` commands, ``# noqa``, file discovery and per-file-ignores."""

from __future__ import annotations

import difflib
import io
import json
import os
import re
import subprocess
import sys
import textwrap
from importlib import metadata
from pathlib import Path

import pytest
from cli_helpers import CLEAN, MIXED, finding_lines, run, write
from cli_helpers import FINDING_LINE as LINE

import asynclint
from asynclint.registry import load_rules

#: ASL100 at 6:5 (safe fix); `import asyncio` is present, so the fix adds no import.
BLOCKING = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)\n"
BLOCKING_FIXED = "import asyncio\nimport time\n\n\nasync def f():\n    await asyncio.sleep(1)\n"
#: ASL200 at 6:5 (unsafe fix).
NEVER_AWAITED = "async def g():\n    pass\n\n\nasync def f():\n    g()\n"
NEVER_AWAITED_FIXED = "async def g():\n    pass\n\n\nasync def f():\n    await g()\n"
#: ASL400 at 9:5 (no fix).
DANGLING = (
    "import asyncio\n\n\nasync def work():\n    pass\n\n\nasync def f():\n    "
    "asyncio.create_task(work())\n"
)


pytestmark = pytest.mark.usefixtures("isolated_cli")


parse_lines = finding_lines


def codes(stdout: str):
    return sorted(row[3] for row in parse_lines(stdout))


# -- text format, ordering, jobs ----------------------------------------------------------------


def test_text_format_is_path_line_col_code_message(tmp_path):
    write(tmp_path / "app.py", BLOCKING)
    result = run("check", "app.py")
    assert result.exit_code == 1
    rows = parse_lines(result.stdout)
    assert len(rows) == 1
    path, line, column, code, message = rows[0]
    assert (path, line, column, code) == ("app.py", 6, 5, "ASL100")
    assert "time.sleep" in message
    # The summary is not on stdout: stdout holds only finding lines.
    assert result.stdout.endswith("\n")


def _make_many_files(root: Path, count: int = 12):
    """Files whose names sort differently as strings and numbers, findings on varying lines, and
    two findings on one line (columns 5 and 20)."""
    expected = 0
    for number in range(count):
        padding = "\n" * (number % 4)
        body = (
            "import asyncio\nimport time\n"
            + padding
            + "\n\nasync def work():\n    pass\n\n\nasync def f():\n"
            "    time.sleep(1); time.sleep(2)\n"
            "    asyncio.create_task(work())\n"
        )
        if number % 3 == 0:
            body += "    work()\n"
            expected += 1
        expected += 3
        write(root / f"m{number}.py", body)
    return expected


def test_text_output_is_sorted_by_path_line_column(tmp_path):
    expected = _make_many_files(tmp_path / "pkg")
    result = run("check", "--jobs", "1", "pkg")
    assert result.exit_code == 1
    rows = parse_lines(result.stdout)
    assert len(rows) == expected
    keys = [(path, line, column) for path, line, column, _, _ in rows]
    assert keys == sorted(keys)
    # Two findings on the same line come out in column order.
    same_line = [row for row in rows if row[0].endswith("m1.py") and row[3] == "ASL100"]
    assert [row[2] for row in same_line] == [5, 20]


def test_output_order_does_not_depend_on_argument_order(tmp_path):
    _make_many_files(tmp_path / "pkg")
    names = sorted(str(Path("pkg") / f"m{n}.py") for n in range(12))
    forward = run("check", "--jobs", "1", *names)
    backward = run("check", "--jobs", "1", *reversed(names))
    assert forward.exit_code == backward.exit_code == 1
    assert forward.stdout == backward.stdout
    keys = [row[:3] for row in parse_lines(forward.stdout)]
    assert keys == sorted(keys)


def test_output_is_identical_with_one_and_two_jobs(tmp_path):
    # 12 files: the runner uses workers only with >= 4 files per worker, so --jobs 2 engages the
    # pool.
    _make_many_files(tmp_path / "pkg")
    one = run("check", "--jobs", "1", "pkg")
    two = run("check", "--jobs", "2", "pkg")
    assert one.exit_code == two.exit_code == 1
    assert one.stdout == two.stdout
    assert len(parse_lines(one.stdout)) > 12
    one_json = run("check", "--jobs", "1", "--format", "json", "pkg")
    two_json = run("check", "--jobs", "2", "--format", "json", "pkg")
    assert json.loads(one_json.stdout) == json.loads(two_json.stdout)


# -- JSON ---------------------------------------------------------------------------------------

JSON_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "code",
    "name",
    "message",
    "fix",
    "url",
}


def test_json_format_objects_have_exactly_the_documented_keys(tmp_path):
    write(tmp_path / "app.py", MIXED)
    result = run("check", "--format", "json", "app.py")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 3
    for item in data:
        assert set(item) == JSON_KEYS
        for key in ("line", "column", "end_line", "end_column"):
            assert isinstance(item[key], int) and item[key] >= 1
        for key in ("path", "code", "name", "message"):
            assert isinstance(item[key], str) and item[key]
        assert item["url"].endswith(f"/{item['code']}.md")  # the rule's page
        assert item["path"] == "app.py"
        if item["fix"] is not None:
            assert set(item["fix"]) == {"applicability", "message"}
            assert item["fix"]["applicability"] in ("safe", "unsafe")
            assert isinstance(item["fix"]["message"], str) and item["fix"]["message"]
    by_code = {item["code"]: item for item in data}
    assert sorted(by_code) == ["ASL100", "ASL200", "ASL400"]
    assert by_code["ASL100"]["name"] == "blocking-sleep"
    assert by_code["ASL100"]["fix"]["applicability"] == "safe"
    assert by_code["ASL200"]["fix"]["applicability"] == "unsafe"
    assert by_code["ASL400"]["fix"]["applicability"] == "unsafe"
    # 1-based positions, end exclusive: the span is exactly the call.
    sleep = by_code["ASL100"]
    assert (sleep["line"], sleep["column"], sleep["end_line"]) == (10, 5, 10)
    source_line = MIXED.splitlines()[sleep["line"] - 1]
    assert source_line[sleep["column"] - 1 : sleep["end_column"] - 1] == "time.sleep(1)"


def test_json_agrees_with_text(tmp_path):
    write(tmp_path / "app.py", MIXED)
    text_rows = parse_lines(run("check", "app.py").stdout)
    data = json.loads(run("check", "--format", "json", "app.py").stdout)
    assert [(d["path"], d["line"], d["column"], d["code"], d["message"]) for d in data] == text_rows


def test_json_of_a_clean_file_is_an_empty_array(tmp_path):
    write(tmp_path / "app.py", CLEAN)
    result = run("check", "--format", "json", "app.py")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


# -- exit codes ---------------------------------------------------------------------------------


def test_exit_0_when_clean(tmp_path):
    write(tmp_path / "app.py", CLEAN)
    result = run("check", "app.py")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_exit_1_with_findings(tmp_path):
    write(tmp_path / "app.py", DANGLING)
    result = run("check", "app.py")
    assert result.exit_code == 1
    assert codes(result.stdout) == ["ASL400"]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-such-option", "app.py"],
        ["check", "--format", "xml", "app.py"],
        ["check", "--select", "ASL999", "app.py"],
        ["check", "--ignore", "NOPE1", "app.py"],
        ["check", "--extend-select", "ASL9", "app.py"],
        ["check", "--jobs", "0", "app.py"],
        ["check", "-", "app.py"],
        ["no-such-command"],
    ],
    ids=lambda args: " ".join(args),
)
def test_exit_2_on_usage_errors(tmp_path, args):
    write(tmp_path / "app.py", BLOCKING)
    result = run(*args)
    assert result.exit_code == 2
    assert parse_lines(result.stdout) == []
    assert result.stderr.strip()


def test_exit_zero_reports_but_exits_0(tmp_path):
    write(tmp_path / "app.py", BLOCKING)
    result = run("check", "--exit-zero", "app.py")
    assert result.exit_code == 0
    assert codes(result.stdout) == ["ASL100"]


def test_exit_zero_does_not_hide_usage_errors(tmp_path):
    write(tmp_path / "app.py", BLOCKING)
    assert run("check", "--exit-zero", "--select", "ASL999", "app.py").exit_code == 2


# -- selection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, expected",
    [
        ([], ["ASL100", "ASL200", "ASL400"]),
        (["--select", "ASL400"], ["ASL400"]),
        (["--select", "ASL100,ASL400"], ["ASL100", "ASL400"]),
        (["--select", "ASL1"], ["ASL100"]),
        (["--select", "ASL"], ["ASL100", "ASL200", "ASL400"]),
        (["--select", "ASL400", "--extend-select", "ASL100"], ["ASL100", "ASL400"]),
        (["--select", "ASL4", "--extend-select", "ASL2"], ["ASL200", "ASL400"]),
        (["--ignore", "ASL200"], ["ASL100", "ASL400"]),
        (["--ignore", "ASL1"], ["ASL200", "ASL400"]),
        (["--ignore", "ASL1,ASL4"], ["ASL200"]),
        (["--select", "ASL", "--ignore", "ASL2"], ["ASL100", "ASL400"]),
    ],
    ids=lambda value: (
        " ".join(value) if isinstance(value, list) and value and value[0].startswith("-") else None
    ),
)
def test_select_extend_select_ignore(tmp_path, options, expected):
    write(tmp_path / "app.py", MIXED)
    result = run("check", *options, "app.py")
    assert codes(result.stdout) == expected
    assert result.exit_code == 1


def test_ignoring_everything_found_exits_0(tmp_path):
    write(tmp_path / "app.py", BLOCKING)
    result = run("check", "--ignore", "ASL100", "app.py")
    assert result.exit_code == 0
    assert result.stdout == ""


# -- statistics, show-source --------------------------------------------------------------------


def test_statistics_counts_per_rule_instead_of_listing(tmp_path):
    write(tmp_path / "a.py", MIXED)
    write(tmp_path / "b.py", BLOCKING)
    result = run("check", "--statistics", "a.py", "b.py")
    assert result.exit_code == 1
    assert not any(LINE.match(line) for line in result.stdout.splitlines())
    counts = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^\s*(\d+)\s+(ASL\d{3})\b.*?\b([a-z0-9]+(?:-[a-z0-9]+)+)\s*$", line)
        assert match, f"unexpected statistics line {line!r}"
        counts[match.group(2)] = (int(match.group(1)), match.group(3))
    assert counts == {
        "ASL100": (2, "blocking-sleep"),
        "ASL200": (1, "coroutine-never-awaited"),
        "ASL400": (1, "dangling-task"),
    }


def test_show_source_prints_the_line_and_a_caret_under_the_column(tmp_path):
    write(tmp_path / "app.py", BLOCKING)
    result = run("check", "--show-source", "app.py")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert LINE.match(lines[0])
    index = next(i for i, line in enumerate(lines) if line.rstrip().endswith("time.sleep(1)"))
    assert index > 0
    source_line, caret_line = lines[index], lines[index + 1]
    assert caret_line.strip() and set(caret_line.strip()) == {"^"}
    assert caret_line.index("^") == source_line.index("time.sleep(1)")


# -- fixing -------------------------------------------------------------------------------------


def test_fix_rewrites_the_file_and_exits_0_when_nothing_remains(tmp_path):
    app = write(tmp_path / "app.py", BLOCKING)
    result = run("check", "--fix", "app.py")
    assert app.read_text(encoding="utf-8") == BLOCKING_FIXED
    assert result.exit_code == 0
    assert result.stdout == ""


def test_fix_exit_code_reflects_remaining_findings(tmp_path):
    source = (
        "import asyncio\nimport time\n\n\nasync def work():\n    pass\n\n\n"
        "async def f():\n    time.sleep(1)\n    asyncio.create_task(work())\n"
    )
    app = write(tmp_path / "app.py", source)
    result = run("check", "--fix", "app.py")
    text = app.read_text(encoding="utf-8")
    assert "await asyncio.sleep(1)" in text and "time.sleep" not in text
    assert "    asyncio.create_task(work())\n" in text
    assert result.exit_code == 1
    assert codes(result.stdout) == ["ASL400"]


def test_fix_applies_only_safe_fixes_by_default(tmp_path):
    app = write(tmp_path / "app.py", NEVER_AWAITED)
    result = run("check", "--fix", "app.py")
    assert app.read_text(encoding="utf-8") == NEVER_AWAITED
    assert result.exit_code == 1
    assert codes(result.stdout) == ["ASL200"]


def test_unsafe_fixes_are_applied_with_unsafe_fixes(tmp_path):
    app = write(tmp_path / "app.py", NEVER_AWAITED)
    result = run("check", "--fix", "--unsafe-fixes", "app.py")
    assert app.read_text(encoding="utf-8") == NEVER_AWAITED_FIXED
    assert result.exit_code == 0
    assert result.stdout == ""


def test_unsafe_fixes_without_fix_change_nothing(tmp_path):
    app = write(tmp_path / "app.py", NEVER_AWAITED)
    result = run("check", "--unsafe-fixes", "app.py")
    assert app.read_text(encoding="utf-8") == NEVER_AWAITED
    assert result.exit_code == 1


def test_diff_prints_a_unified_diff_and_leaves_the_file_untouched(tmp_path):
    app = write(tmp_path / "app.py", BLOCKING)
    before = app.read_bytes()
    result = run("check", "--diff", "app.py")
    assert app.read_bytes() == before
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("--- ") and "app.py" in line for line in lines)
    assert any(line.startswith("+++ ") and "app.py" in line for line in lines)
    assert any(line.startswith("@@ ") for line in lines)
    assert "-    time.sleep(1)" in lines
    assert "+    await asyncio.sleep(1)" in lines
    # The diff is exactly the change --fix would make.
    expected = "".join(
        difflib.unified_diff(BLOCKING.splitlines(True), BLOCKING_FIXED.splitlines(True), "x", "x")
    )
    body = lambda text: [x for x in text.splitlines() if not x.startswith(("---", "+++"))]  # noqa: E731
    assert body(result.stdout) == body(expected)


def test_diff_respects_unsafe_fixes(tmp_path):
    app = write(tmp_path / "app.py", NEVER_AWAITED)
    safe_only = run("check", "--diff", "app.py")
    assert "+    await g()" not in safe_only.stdout.splitlines()
    with_unsafe = run("check", "--diff", "--unsafe-fixes", "app.py")
    assert "+    await g()" in with_unsafe.stdout.splitlines()
    assert with_unsafe.exit_code == 1
    assert app.read_text(encoding="utf-8") == NEVER_AWAITED


def test_diff_of_a_clean_file_is_empty_and_exits_0(tmp_path):
    write(tmp_path / "app.py", CLEAN)
    result = run("check", "--diff", "app.py")
    assert result.stdout == ""
    assert result.exit_code == 0


# -- standard input -----------------------------------------------------------------------------


def test_stdin_is_linted_under_the_stdin_filename(tmp_path):
    result = run("check", "--stdin-filename", "x.py", "-", input=BLOCKING)
    assert result.exit_code == 1
    assert [row[:4] for row in parse_lines(result.stdout)] == [("x.py", 6, 5, "ASL100")]


def test_stdin_clean_buffer_exits_0(tmp_path):
    result = run("check", "--stdin-filename", "x.py", "-", input=CLEAN)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_stdin_json_uses_the_stdin_filename(tmp_path):
    result = run("check", "--stdin-filename", "pkg/x.py", "--format", "json", "-", input=MIXED)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert sorted(item["code"] for item in data) == ["ASL100", "ASL200", "ASL400"]
    assert {item["path"] for item in data} == {"pkg/x.py"}
    assert all(JSON_KEYS <= set(item) for item in data)


def test_stdin_fix_writes_the_fixed_buffer_to_stdout_and_no_file(tmp_path):
    on_disk = write(tmp_path / "x.py", "# the file on disk is not the buffer\n")
    result = run("check", "--stdin-filename", "x.py", "--fix", "-", input=BLOCKING)
    assert result.stdout == BLOCKING_FIXED
    assert result.exit_code == 0
    assert on_disk.read_text(encoding="utf-8") == "# the file on disk is not the buffer\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.py"]


def test_stdin_fix_of_a_buffer_with_nothing_to_fix_echoes_it(tmp_path):
    result = run("check", "--stdin-filename", "x.py", "--fix", "-", input=DANGLING)
    assert result.stdout == DANGLING
    assert result.exit_code == 1


# -- rules, explain, version --------------------------------------------------------------------


def test_rules_lists_every_rule(tmp_path):
    result = run("rules")
    assert result.exit_code == 0
    rows = {
        line.split()[0]: line.split()
        for line in result.stdout.splitlines()
        if re.match(r"^ASL\d{3}\b", line)
    }
    assert {"ASL100", "ASL200", "ASL400"} <= set(rows)
    assert rows["ASL100"][1] == "blocking-sleep"
    assert rows["ASL200"][1] == "coroutine-never-awaited"
    assert rows["ASL400"][1] == "dangling-task"
    assert {rule.code for rule in load_rules()} == set(rows)


def test_rules_json(tmp_path):
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    by_code = {item["code"]: item for item in data}
    assert [item["code"] for item in data] == sorted(by_code)
    assert {rule.code for rule in load_rules()} == set(by_code)
    assert by_code["ASL100"]["name"] == "blocking-sleep"
    assert by_code["ASL100"]["fix"] == "safe"
    assert by_code["ASL200"]["fix"] == "unsafe"
    assert by_code["ASL400"]["fix"] == "unsafe"
    for item in data:
        assert item["message"]
        assert isinstance(item["default"], bool)
        assert set(item["frameworks"]) <= {"asyncio", "trio", "anyio"}


def _normalized(text: str) -> str:
    return " ".join(text.split())


def test_explain_shows_rationale_flagged_and_good_examples(tmp_path):
    rule = {r.code: r for r in load_rules()}["ASL100"]
    result = run("explain", "ASL100")
    assert result.exit_code == 0
    assert "ASL100" in result.stdout and "blocking-sleep" in result.stdout
    assert _normalized(textwrap.dedent(rule.rationale).split("\n\n")[0]) in _normalized(
        result.stdout
    )
    output_lines = [line.strip() for line in result.stdout.splitlines()]
    for example in (rule.bad, rule.good):
        for line in textwrap.dedent(example).strip().splitlines():
            if line.strip():
                assert line.strip() in output_lines
    assert output_lines.index("time.sleep(0.5)") < output_lines.index("await asyncio.sleep(0.5)")


def test_explain_unknown_code_exits_2(tmp_path):
    result = run("explain", "ASL999")
    assert result.exit_code == 2
    assert "ASL999" in result.stderr
    assert result.stdout == ""


def test_version(tmp_path):
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"asynclint {metadata.version('asynclint')}"
    assert asynclint.__version__ == metadata.version("asynclint")


# -- noqa ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "comment, expected",
    [
        ("", ["ASL100"]),
        ("  # noqa", []),
        ("  # noqa: ASL100", []),
        ("  # noqa:ASL100", []),
        ("  # noqa: ASL400, ASL100", []),
        ("  # noqa: ASL400", ["ASL100"]),
        ("  # noqa: ASL200", ["ASL100"]),
    ],
)
def test_noqa(tmp_path, comment, expected):
    write(tmp_path / "app.py", BLOCKING.rstrip("\n") + comment + "\n")
    result = run("check", "app.py")
    assert codes(result.stdout) == expected
    assert result.exit_code == (1 if expected else 0)


def test_noqa_only_applies_to_its_own_line(tmp_path):
    source = (
        "import time\n\n\nasync def f():  # noqa\n    time.sleep(1)\n    time.sleep(2)  # noqa\n"
    )
    write(tmp_path / "app.py", source)
    rows = parse_lines(run("check", "app.py").stdout)
    assert [(row[1], row[3]) for row in rows] == [(5, "ASL100")]


# -- discovery ----------------------------------------------------------------------------------

DEFAULT_EXCLUDED_DIRS = [
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    ".tox",
    ".nox",
    ".git",
    ".eggs",
    "pkg.egg-info",
    "site-packages",
    ".mypy_cache",
]


@pytest.mark.parametrize("args", [["."], []], ids=["dot", "no-paths"])
def test_default_excludes_are_skipped_when_walking(tmp_path, args):
    for directory in DEFAULT_EXCLUDED_DIRS:
        write(tmp_path / directory / "inner" / "mod.py", BLOCKING)
    write(tmp_path / "src" / "app.py", BLOCKING)
    result = run("check", *args)
    paths = {os.path.normpath(row[0]) for row in parse_lines(result.stdout)}
    assert paths == {os.path.join("src", "app.py")}
    assert result.exit_code == 1


def test_gitignore_is_respected_when_walking(tmp_path):
    write(tmp_path / ".gitignore", "generated/\n*_pb2.py\n!keep_pb2.py\n/local_only.py\n")
    write(tmp_path / "sub" / ".gitignore", "secret.py\n")
    for name in [
        "app.py",
        "generated/g.py",
        "api_pb2.py",
        "pkg/api_pb2.py",
        "keep_pb2.py",
        "local_only.py",
        "sub/local_only.py",
        "sub/secret.py",
        "sub/ok.py",
        "pkg/generated/deep.py",
    ]:
        write(tmp_path / name, BLOCKING)
    result = run("check", ".")
    paths = {os.path.relpath(row[0]) for row in parse_lines(result.stdout)}
    assert paths == {
        "app.py",
        "keep_pb2.py",
        os.path.join("sub", "local_only.py"),
        os.path.join("sub", "ok.py"),
    }


def test_gitignore_of_the_repository_applies_when_walking_a_subdirectory(tmp_path):
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".gitignore", "generated/\n")
    write(tmp_path / "src" / "generated" / "g.py", BLOCKING)
    write(tmp_path / "src" / "app.py", BLOCKING)
    result = run("check", "src")
    paths = {os.path.normpath(row[0]) for row in parse_lines(result.stdout)}
    assert paths == {os.path.join("src", "app.py")}


def test_non_python_files_are_not_linted_when_walking(tmp_path):
    write(tmp_path / "notes.txt", BLOCKING)
    write(tmp_path / "script.pyw.bak", BLOCKING)
    write(tmp_path / "app.py", BLOCKING)
    paths = {os.path.normpath(row[0]) for row in parse_lines(run("check", ".").stdout)}
    assert paths == {"app.py"}


# -- per-file-ignores ---------------------------------------------------------------------------


def test_per_file_ignores(tmp_path):
    write(
        tmp_path / "pyproject.toml",
        "[tool.asynclint]\nper-file-ignores = "
        '{ "tests/*" = ["ASL100"], "legacy_*.py" = ["ASL1", "ASL4"] }\n',
    )
    write(tmp_path / "tests" / "test_app.py", MIXED)
    write(tmp_path / "src" / "legacy_io.py", MIXED)
    write(tmp_path / "src" / "app.py", MIXED)
    result = run("check", ".")
    found = {}
    for path, _, _, code, _ in parse_lines(result.stdout):
        found.setdefault(os.path.normpath(path), []).append(code)
    assert found == {
        os.path.join("tests", "test_app.py"): ["ASL200", "ASL400"],
        os.path.join("src", "legacy_io.py"): ["ASL200"],
        os.path.join("src", "app.py"): ["ASL100", "ASL200", "ASL400"],
    }


# -- the installed program ----------------------------------------------------------------------


def test_installed_program_runs_in_a_subprocess(tmp_path):
    write(tmp_path / "app.py", BLOCKING)
    write(tmp_path / "clean.py", CLEAN)
    env = {**os.environ, "ASYNCLINT_NO_CACHE": "1"}
    completed = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "app.py", "clean.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1, completed.stderr
    lines = completed.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("app.py:6:5: ASL100 ")
    assert "time.sleep" in lines[0]
    assert completed.stderr.strip()  # the summary goes to stderr, not stdout
    clean = subprocess.run(
        [sys.executable, "-m", "asynclint", "check", "clean.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout == ""


# -- named paths, empty runs, path display ------------------------------------------------------


def test_a_named_path_is_linted_even_when_excluded_or_git_ignored(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.asynclint]\nextend-exclude = ["legacy"]\n')
    write(tmp_path / ".gitignore", "generated/\nscratch.py\n")
    for name in ["legacy/old.py", "generated/gen.py", "scratch.py", "build/b.py", "app.py"]:
        write(tmp_path / name, BLOCKING)
    write(tmp_path / "build" / ".venv" / "inner.py", BLOCKING)  # excluded below a named directory
    write(tmp_path / "generated" / "dist" / "deep.py", BLOCKING)
    walked = {row[0] for row in parse_lines(run("check", ".").stdout)}
    assert walked == {"app.py"}
    named = ["legacy/old.py", "generated", "scratch.py", "build"]
    found = {row[0] for row in parse_lines(run("check", *named).stdout)}
    assert found == {"legacy/old.py", "generated/gen.py", "scratch.py", "build/b.py"}
    # --force-exclude: excludes and .gitignore apply to the named paths too.
    forced = run("check", "--force-exclude", *named, "app.py")
    assert {row[0] for row in parse_lines(forced.stdout)} == {"app.py"}


def test_paths_print_without_a_leading_dot_slash(tmp_path):
    write(tmp_path / "pkg" / "app.py", BLOCKING)
    for args in (["."], [], ["./pkg"], ["./pkg/app.py"]):
        result = run("check", *args)
        assert [row[0] for row in parse_lines(result.stdout)] == ["pkg/app.py"], args
    data = json.loads(run("check", "--format", "json", ".").stdout)
    assert [item["path"] for item in data] == ["pkg/app.py"]


def test_a_run_that_matches_no_python_file_exits_2(tmp_path):
    (tmp_path / "docs").mkdir()
    write(tmp_path / "docs" / "index.md", "# docs\n")
    result = run("check", "docs")
    assert result.exit_code == 2
    assert "no Python files found in docs" in result.stderr
    assert "All checks passed" not in result.stdout + result.stderr


def test_force_exclude_of_every_named_file_is_not_an_error(tmp_path):
    """What a pre-commit hook meets when every changed file is excluded."""
    write(tmp_path / "pyproject.toml", '[tool.asynclint]\nextend-exclude = ["migrations"]\n')
    write(tmp_path / "migrations" / "0001.py", BLOCKING)
    result = run("check", "--force-exclude", "migrations/0001.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "every path named is excluded" in result.stderr
    sarif = run("check", "--force-exclude", "--format", "sarif", "migrations/0001.py")
    assert sarif.exit_code == 0 and json.loads(sarif.stdout)["runs"][0]["results"] == []


def test_force_exclude_applies_to_the_stdin_filename(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.asynclint]\nextend-exclude = ["migrations"]\n')
    args = ["check", "--force-exclude", "--stdin-filename", "migrations/0001.py"]
    assert run(*args, "-", input=BLOCKING).stdout == ""
    assert run(*args, "--fix", "-", input=BLOCKING).stdout == BLOCKING
    assert codes(run("check", "--stdin-filename", "migrations/0001.py", "-", input=BLOCKING).stdout)


# -- colour and progress ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, env, coloured",
    [
        ([], {}, False),  # not a terminal
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "0"}, False),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
    ],
)
def test_colour(tmp_path, monkeypatch, args, env, coloured):
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    write(tmp_path / "app.py", BLOCKING)
    result = run("check", *args, "app.py")
    assert ("\x1b[" in result.stdout) is coloured
    plain = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert [row[:4] for row in parse_lines(plain)] == [("app.py", 6, 5, "ASL100")]
    diff = run("check", *args, "--diff", "app.py").stdout
    assert ("\x1b[" in diff) is coloured


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_for_long_runs_on_a_terminal(monkeypatch):
    from asynclint.cli import _Progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    assert _Progress.for_terminal(io.StringIO()) is None  # a pipe or a file
    monkeypatch.setenv("CI", "true")
    assert _Progress.for_terminal(_Terminal()) is None  # a CI log
    monkeypatch.delenv("CI")
    assert _Progress.for_terminal(_Terminal()) is not None

    now = [0.0]
    stream = _Terminal()
    progress = _Progress(stream, clock=lambda: now[0], delay=2.0)
    progress(1, 4)
    assert stream.getvalue() == ""  # a short run shows nothing
    now[0] = 2.5
    progress(2, 4)
    assert stream.getvalue() == "\r\x1b[Kasynclint: 2/4 files"
    now[0] = 2.55
    progress(3, 4)  # too soon after the last one
    progress(4, 4)  # the last one always shows
    progress.close()
    assert stream.getvalue().endswith("asynclint: 4/4 files\r\x1b[K")
    assert "3/4" not in stream.getvalue()
    quiet = _Terminal()
    _Progress(quiet, clock=lambda: 0.0).close()
    assert quiet.getvalue() == ""


def test_a_run_with_progress_has_the_same_results(tmp_path, monkeypatch):
    from asynclint import cli

    calls = []

    class Recorder:
        def __init__(self, stream) -> None:
            pass

        def __call__(self, done, total) -> None:
            calls.append((done, total))

        def close(self) -> None:
            calls.append("closed")

    monkeypatch.setattr(cli._Progress, "for_terminal", classmethod(lambda cls, s: Recorder(s)))
    for index in range(10):
        write(tmp_path / f"m{index}.py", BLOCKING)
    result = run("check", "-j", "2", ".")
    assert len(parse_lines(result.stdout)) == 10
    assert calls == [(done, 10) for done in range(1, 11)] + ["closed"]


# -- --diff, explain, rules -----------------------------------------------------------------------


def test_diff_ends_with_a_summary(tmp_path):
    write(tmp_path / "a.py", BLOCKING)
    write(tmp_path / "b.py", BLOCKING + NEVER_AWAITED.replace("async def f", "async def h"))
    result = run("check", "--diff", ".")
    assert result.stderr.strip().splitlines()[-1] == (
        "Would fix 2 findings in 2 files (1 more with --unsafe-fixes)."
    )
    result = run("check", "--diff", "--unsafe-fixes", ".")
    assert result.stderr.strip().splitlines()[-1] == "Would fix 3 findings in 2 files."
    write(tmp_path / "a.py", CLEAN)
    write(tmp_path / "b.py", DANGLING)  # its fix is unsafe
    result = run("check", "--diff", ".")
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == "No fixes to apply (1 with --unsafe-fixes)."
    write(tmp_path / "b.py", CLEAN)
    assert run("check", "--diff", ".").stderr.strip() == "No fixes to apply."


def test_diff_applies_with_git_even_without_a_final_newline(tmp_path):
    app = write(tmp_path / "app.py", BLOCKING.rstrip("\n"))
    patch = run("check", "--diff", "app.py").stdout
    assert patch.endswith("\\ No newline at end of file\n")
    (tmp_path / "fix.patch").write_text(patch)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    applied = subprocess.run(
        ["git", "apply", "-p0", "fix.patch"], cwd=tmp_path, capture_output=True, text=True
    )
    assert applied.returncode == 0, applied.stderr
    assert app.read_text() == BLOCKING_FIXED.rstrip("\n")


def test_explain_accepts_a_rule_name(tmp_path):
    by_code = run("explain", "ASL100")
    by_name = run("explain", "blocking-sleep")
    assert by_name.exit_code == 0 and by_name.stdout == by_code.stdout
    assert "ASYNC251" in by_code.stdout  # the peers' codes for it
    assert by_code.stdout.rstrip().endswith("/ASL100.md")
    assert run("explain", "unused-noqa").stdout.startswith("ASL006 unused-noqa:")
    unknown = run("explain", "no-such-rule")
    assert unknown.exit_code == 2 and "no-such-rule" in unknown.stderr


def test_rules_json_publishes_severity_pages_and_peers_codes(tmp_path):
    from asynclint.config import peer_table

    data = {item["code"]: item for item in json.loads(run("rules", "--format", "json").stdout)}
    assert data["ASL100"]["peer_codes"] == ["ASYNC251"]
    assert data["ASL400"]["peer_codes"] == ["ASYNC300", "RUF006"]
    assert data["ASL100"]["severity"] == "warning"
    assert data["ASL100"]["url"].endswith("/ASL100.md")
    published = {(peer, item["code"]) for item in data.values() for peer in item["peer_codes"]}
    assert published == {(peer, code) for peer, codes in peer_table().items() for code in codes}
    engine = {
        item["code"]: item for item in json.loads(run("rules", "--all", "--format", "json").stdout)
    }
    assert engine["ASL006"]["default"] is False and engine["ASL001"]["severity"] == "error"
