"""Inputs that are not plain, well-formed, writable UTF-8 Python: each gets one clear diagnostic
(ASL001-ASL005), the rest of the run goes on, and --fix writes back exactly the same shape of
file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cli_helpers import finding_lines, run

BLOCKING = "import asyncio\nimport time\n\n\nasync def f():\n    time.sleep(1)\n"
BLOCKING_FIXED = "import asyncio\nimport time\n\n\nasync def f():\n    await asyncio.sleep(1)\n"


pytestmark = pytest.mark.usefixtures("isolated_cli")


def findings(stdout: str):
    """Findings with normalized paths."""
    return [(os.path.normpath(path), *rest) for path, *rest in finding_lines(stdout)]


def by_path(stdout: str):
    result = {}
    for path, _, _, code, _ in findings(stdout):
        result.setdefault(path, []).append(code)
    return result


def write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- syntax errors ------------------------------------------------------------------------------

#: Invalid on line 5 (CPython and libcst's own message both say line 5), valid lines after it.
SYNTAX_ERROR = (
    "import time\n\n\nasync def f():\n    x = = 1\n    time.sleep(1)\n\n\nasync def "
    "g():\n    pass\n"
)


def test_syntax_error_is_one_asl001_on_the_parsers_line(tmp_path):
    with pytest.raises(SyntaxError) as compiled:
        compile(SYNTAX_ERROR, "bad.py", "exec")
    assert compiled.value.lineno == 5
    write_bytes(tmp_path / "bad.py", SYNTAX_ERROR.encode())
    result = run("check", "bad.py")
    assert result.exit_code == 1
    ((path, line, _, code, message),) = findings(result.stdout)
    assert (path, code) == ("bad.py", "ASL001")
    assert line == 5
    assert "syntax" in message.lower()


def test_syntax_error_does_not_stop_the_run(tmp_path):
    write_bytes(tmp_path / "a_bad.py", SYNTAX_ERROR.encode())
    write_bytes(tmp_path / "b_good.py", BLOCKING.encode())
    for args in (["a_bad.py", "b_good.py"], ["."]):
        result = run("check", *args)
        assert result.exit_code == 1
        assert by_path(result.stdout) == {"a_bad.py": ["ASL001"], "b_good.py": ["ASL100"]}


def test_syntax_error_does_not_stop_a_parallel_run(tmp_path):
    for number in range(12):
        write_bytes(
            tmp_path / f"m{number:02}.py", (SYNTAX_ERROR if number % 5 == 0 else BLOCKING).encode()
        )
    result = run("check", "--jobs", "2", ".")
    assert result.exit_code == 1
    found = by_path(result.stdout)
    assert len(found) == 12
    assert sorted(path for path, codes in found.items() if codes == ["ASL001"]) == [
        "m00.py",
        "m05.py",
        "m10.py",
    ]


def test_syntax_error_is_reported_in_a_file_without_async_code(tmp_path):
    write_bytes(tmp_path / "plain.py", b"x = 1\ny = = 2\nz = 3\n")
    result = run("check", "plain.py")
    assert [code for _, _, _, code, _ in findings(result.stdout)] == ["ASL001"]
    assert result.exit_code == 1


def test_fix_leaves_a_file_with_a_syntax_error_alone(tmp_path):
    bad = write_bytes(tmp_path / "bad.py", SYNTAX_ERROR.encode())
    result = run("check", "--fix", "bad.py")
    assert bad.read_bytes() == SYNTAX_ERROR.encode()
    assert result.exit_code == 1


# -- encodings, BOM, newlines -------------------------------------------------------------------

LATIN1 = (
    "# -*- coding: latin-1 -*-\n"
    "import asyncio\nimport time\n\n\n"
    "async def f():\n"
    "    name = 'caf\u00e9 cr\u00e8me \u00bd'\n"
    "    time.sleep(1)\n"
)


def test_latin1_file_with_a_cookie_is_linted(tmp_path):
    write_bytes(tmp_path / "legacy.py", LATIN1.encode("latin-1"))
    result = run("check", "legacy.py")
    assert result.exit_code == 1
    assert [(line, column, code) for _, line, column, code, _ in findings(result.stdout)] == [
        (8, 5, "ASL100")
    ]


def test_fix_keeps_a_latin1_file_latin1(tmp_path):
    legacy = write_bytes(tmp_path / "legacy.py", LATIN1.encode("latin-1"))
    result = run("check", "--fix", "legacy.py")
    assert result.exit_code == 0
    expected = LATIN1.replace("    time.sleep(1)", "    await asyncio.sleep(1)").encode("latin-1")
    assert legacy.read_bytes() == expected
    assert b"caf\xe9" in legacy.read_bytes()


def test_fix_keeps_a_utf8_bom(tmp_path):
    source = BLOCKING.replace("import time\n", "import time\n\nNAME = 'na\u00efve \u2603'\n")
    app = write_bytes(tmp_path / "app.py", b"\xef\xbb\xbf" + source.encode("utf-8"))
    lint = run("check", "app.py")
    assert [code for _, _, _, code, _ in findings(lint.stdout)] == ["ASL100"]
    result = run("check", "--fix", "app.py")
    assert result.exit_code == 0
    expected = source.replace("    time.sleep(1)", "    await asyncio.sleep(1)")
    data = app.read_bytes()
    assert data == b"\xef\xbb\xbf" + expected.encode("utf-8")
    assert not data[3:].startswith(b"\xef\xbb\xbf")


def test_fix_keeps_crlf_on_every_line(tmp_path):
    # No `import asyncio`: the fix adds a line, which must get CRLF too.
    source = "import time\r\n\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n    time.sleep(2)\r\n"
    app = write_bytes(tmp_path / "app.py", source.encode())
    lint = run("check", "app.py")
    assert [(line, code) for _, line, _, code, _ in findings(lint.stdout)] == [
        (5, "ASL100"),
        (6, "ASL100"),
    ]
    result = run("check", "--fix", "app.py")
    assert result.exit_code == 0
    data = app.read_bytes()
    lines = data.split(b"\r\n")
    assert lines[-1] == b""  # ends with CRLF
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert b"import asyncio" in lines
    assert (
        lines.count(b"    await asyncio.sleep(1)") == 1
        and lines.count(b"    await asyncio.sleep(2)") == 1
    )
    assert len(lines) == len(source.encode().split(b"\r\n")) + 1


# -- undecodable and binary files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10async def f(): pass\n",
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    ],
    ids=["png", "elf"],
)
def test_binary_file_named_py_is_asl002(tmp_path, data):
    write_bytes(tmp_path / "image.py", data)
    write_bytes(tmp_path / "zgood.py", BLOCKING.encode())
    result = run("check", "image.py", "zgood.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"image.py": ["ASL002"], "zgood.py": ["ASL100"]}


@pytest.mark.parametrize(
    "data",
    [
        b"import time\nname = 'caf\xe9'\n\nasync def f():\n    time.sleep(1)\n",
        b"# -*- coding: utf-8 -*-\nname = 'caf\xe9'\n\nasync def f():\n    pass\n",
        b"\xff\xfe\x00\x00",
        b"# -*- coding: klingon -*-\nasync def f():\n    pass\n",
    ],
    ids=["latin1-without-cookie", "latin1-with-utf8-cookie", "utf32-bom", "unknown-cookie"],
)
def test_undecodable_file_is_one_asl002(tmp_path, data):
    write_bytes(tmp_path / "bad.py", data)
    write_bytes(tmp_path / "zgood.py", BLOCKING.encode())
    result = run("check", "bad.py", "zgood.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"bad.py": ["ASL002"], "zgood.py": ["ASL100"]}


def test_fix_leaves_an_undecodable_file_alone(tmp_path):
    data = b"import time\nname = 'caf\xe9'\n\nasync def f():\n    time.sleep(1)\n"
    bad = write_bytes(tmp_path / "bad.py", data)
    run("check", "--fix", "bad.py")
    assert bad.read_bytes() == data


def test_empty_file_is_clean(tmp_path):
    write_bytes(tmp_path / "empty.py", b"")
    write_bytes(tmp_path / "__init__.py", b"")
    result = run("check", "empty.py", "__init__.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert run("check", "--fix", "empty.py").exit_code == 0
    assert (tmp_path / "empty.py").read_bytes() == b""


def test_file_over_the_size_limit_is_asl004(tmp_path):
    write_bytes(tmp_path / "huge.py", b"# " + b"x" * (2 * 1024 * 1024) + b"\n")
    write_bytes(tmp_path / "zgood.py", BLOCKING.encode())
    result = run("check", "huge.py", "zgood.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"huge.py": ["ASL004"], "zgood.py": ["ASL100"]}


# -- unreadable paths ---------------------------------------------------------------------------


def test_missing_path_is_asl003_and_the_run_goes_on(tmp_path):
    write_bytes(tmp_path / "good.py", BLOCKING.encode())
    result = run("check", "missing.py", "good.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"missing.py": ["ASL003"], "good.py": ["ASL100"]}


def test_missing_path_alone_is_asl003_not_a_clean_run(tmp_path):
    result = run("check", "nowhere/missing.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {os.path.normpath("nowhere/missing.py"): ["ASL003"]}


@pytest.fixture
def locked_file(tmp_path):
    """A mode-000 file, next to a readable one; skipped where mode 000 does not stop this process
    (root, CAP_DAC_OVERRIDE): the missing-path tests cover ASL003 there."""
    locked = write_bytes(tmp_path / "locked.py", BLOCKING.encode())
    write_bytes(tmp_path / "zgood.py", BLOCKING.encode())
    locked.chmod(0)
    try:
        with open(locked, "rb"):
            pass
    except PermissionError:
        pass
    else:
        locked.chmod(0o644)
        pytest.skip("this process can read a mode-000 file (root?)")
    yield locked
    locked.chmod(0o644)


def test_unreadable_file_named_explicitly_is_asl003_and_the_run_goes_on(locked_file):
    result = run("check", "locked.py", "zgood.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"locked.py": ["ASL003"], "zgood.py": ["ASL100"]}


def test_unreadable_file_found_while_walking_is_asl003_and_the_run_goes_on(locked_file):
    result = run("check", ".")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"locked.py": ["ASL003"], "zgood.py": ["ASL100"]}


def test_directory_named_like_a_module_is_walked_into(tmp_path):
    write_bytes(tmp_path / "pkg" / "x.py" / "inner.py", BLOCKING.encode())
    write_bytes(tmp_path / "pkg" / "x.py" / "__init__.py", b"")
    expected = {os.path.join("pkg", "x.py", "inner.py"): ["ASL100"]}
    for args in (["pkg"], ["pkg/x.py"], ["."]):
        result = run("check", *args)
        assert by_path(result.stdout) == expected, args
        assert result.exit_code == 1


def _symlink_loop(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    os.symlink("b.py", directory / "a.py")
    os.symlink("a.py", directory / "b.py")


def test_symlink_loop_named_explicitly_is_asl003_and_the_run_goes_on(tmp_path):
    _symlink_loop(tmp_path)
    write_bytes(tmp_path / "good.py", BLOCKING.encode())
    result = run("check", "a.py", "good.py")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {"a.py": ["ASL003"], "good.py": ["ASL100"]}


def test_symlink_loop_found_while_walking_is_asl003_and_the_run_goes_on(tmp_path):
    _symlink_loop(tmp_path / "loop")
    write_bytes(tmp_path / "loop" / "good.py", BLOCKING.encode())
    result = run("check", "loop")
    assert result.exit_code == 1
    assert by_path(result.stdout) == {
        os.path.join("loop", "a.py"): ["ASL003"],
        os.path.join("loop", "b.py"): ["ASL003"],
        os.path.join("loop", "good.py"): ["ASL100"],
    }


def test_dangling_symlink_is_asl003(tmp_path):
    os.symlink("gone.py", tmp_path / "dangling.py")
    write_bytes(tmp_path / "good.py", BLOCKING.encode())
    for args in (["dangling.py", "good.py"], ["."]):
        result = run("check", *args)
        assert result.exit_code == 1
        assert by_path(result.stdout) == {"dangling.py": ["ASL003"], "good.py": ["ASL100"]}


def test_directory_symlink_loop_does_not_hang_the_walk(tmp_path):
    write_bytes(tmp_path / "src" / "good.py", BLOCKING.encode())
    os.symlink("..", tmp_path / "src" / "parent")
    result = run("check", "src")
    assert by_path(result.stdout) == {os.path.join("src", "good.py"): ["ASL100"]}


# -- writing fixes back -------------------------------------------------------------------------


def test_read_only_file_under_fix_stays_byte_identical_and_asl005_is_reported(tmp_path):
    app = write_bytes(tmp_path / "app.py", BLOCKING.encode())
    app.chmod(0o444)
    try:
        result = run("check", "--fix", "app.py")
        assert app.read_bytes() == BLOCKING.encode()
        assert stat.S_IMODE(app.stat().st_mode) == 0o444
        assert "ASL005" in [code for _, _, _, code, _ in findings(result.stdout)]
        assert result.exit_code == 1
    finally:
        app.chmod(0o644)


def test_read_only_file_under_fix_still_reports_its_unfixed_findings(tmp_path):
    app = write_bytes(tmp_path / "app.py", BLOCKING.encode())
    app.chmod(0o444)
    try:
        result = run("check", "--fix", "app.py")
        assert app.read_bytes() == BLOCKING.encode()
        # The file still contains time.sleep(): that finding is not gone.
        assert sorted(code for _, _, _, code, _ in findings(result.stdout)) == ["ASL005", "ASL100"]
    finally:
        app.chmod(0o644)


def test_fix_keeps_the_file_mode_and_leaves_no_temporary_files(tmp_path):
    script = write_bytes(tmp_path / "script.py", b"#!/usr/bin/env python3\n" + BLOCKING.encode())
    script.chmod(0o755)
    other = write_bytes(tmp_path / "private.py", BLOCKING.encode())
    other.chmod(0o600)
    result = run("check", "--fix", "script.py", "private.py")
    assert result.exit_code == 0
    assert script.read_bytes() == b"#!/usr/bin/env python3\n" + BLOCKING_FIXED.encode()
    assert stat.S_IMODE(script.stat().st_mode) == 0o755
    assert stat.S_IMODE(other.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.py", "script.py"]


def test_fix_through_a_symlink_keeps_the_link(tmp_path):
    target = write_bytes(tmp_path / "real" / "app.py", BLOCKING.encode())
    os.symlink(os.path.join("real", "app.py"), tmp_path / "link.py")
    result = run("check", "--fix", "link.py")
    assert result.exit_code == 0
    assert (tmp_path / "link.py").is_symlink()
    assert target.read_bytes() == BLOCKING_FIXED.encode()
