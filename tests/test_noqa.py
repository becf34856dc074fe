"""Suppression comments, read one way by every front end: ``# noqa`` with codes, prefixes and the
peers' codes, logical lines, ``# asynclint: noqa`` for a file, unused-noqa reports (ASL006) and
``check --add-noqa``. The language server and the flake8 plugin have their own tests through the
real hosts (test_lsp.py, test_flake8.py)."""

from __future__ import annotations

import ast
import textwrap

import pytest
from cli_helpers import finding_lines, run, write

from asynclint import noqa

pytestmark = pytest.mark.usefixtures("isolated_cli")

#: ASL100 on line 5.
BLOCKING = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


def rows(stdout: str):
    return [(line, code) for _, line, _, code, _ in finding_lines(stdout)]


def codes(stdout: str):
    return sorted(code for _, code in rows(stdout))


@pytest.mark.parametrize(
    "comment, expected",
    [
        ("  # noqa: ASYNC251", []),  # flake8-async's and ruff's code for time.sleep in a coroutine
        ("  # noqa:ASYNC251", []),
        ("  # noqa: ASYNC2", []),  # a prefix of a peer code
        ("  # noqa:ASL1", []),  # a prefix, as flake8 reads it
        ("  # noqa: asl100", []),
        ("  # NOQA: E501, ASL100", []),
        ("  # type: ignore  # noqa: ASL100", []),
        ("  # noqa: ASYNC300", ["ASL100"]),  # a peer code for another rule
        ("  # noqa: RUF006", ["ASL100"]),
        ("  # noqa: E501", ["ASL100"]),
        ("  # noqa: ASL2", ["ASL100"]),
        ("  # noqa: ASL10", []),
    ],
)
def test_noqa_codes_prefixes_and_peers_codes(tmp_path, comment, expected):
    write(tmp_path / "app.py", BLOCKING.rstrip("\n") + comment + "\n")
    result = run("check", "app.py")
    assert codes(result.stdout) == expected
    # Standard input reads them the same way.
    piped = run("check", "--stdin-filename", "app.py", "-", input=BLOCKING.rstrip("\n") + comment)
    assert codes(piped.stdout) == expected


def test_only_comments_count_not_strings(tmp_path):
    write(tmp_path / "app.py", BLOCKING.rstrip("\n") + '; note = "# noqa"\n')
    assert codes(run("check", "app.py").stdout) == ["ASL100"]


def test_a_statement_over_several_lines_is_one_line_for_noqa(tmp_path):
    source = textwrap.dedent(
        '''\
        import time


        async def f():
            time.sleep(1) or \\
                None  # noqa: ASL100
            time.sleep(len("""
            """))  # noqa: ASL100
            print(
                time.sleep(1),
                None,  # noqa: ASL100
            )
        '''
    )
    write(tmp_path / "app.py", source)
    # Backslash continuations and multi-line strings join physical lines; brackets do not.
    assert rows(run("check", "app.py").stdout) == [(10, "ASL100")]


@pytest.mark.parametrize(
    "header",
    [
        "# asynclint: noqa\n",
        "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# asynclint: noqa\n",
        '"""A module."""\n# asynclint: noqa\n',
        '# Licence text.\n\n# asynclint: noqa\n"""A module."""\n',
        "# ASYNCLINT: NOQA\n",
    ],
)
def test_file_directive_in_the_header_silences_the_file(tmp_path, header):
    write(tmp_path / "app.py", header + BLOCKING + "async def g():\n    g()\n")
    result = run("check", "app.py")
    assert result.stdout == "" and result.exit_code == 0


def test_file_directive_with_codes(tmp_path):
    source = "# asynclint: noqa: ASL2, ASYNC251\n" + BLOCKING + "\nasync def g():\n    g()\n"
    write(tmp_path / "app.py", source)
    assert codes(run("check", "app.py").stdout) == []
    write(tmp_path / "app.py", source.replace("ASL2, ", ""))
    assert codes(run("check", "app.py").stdout) == ["ASL200"]


def test_file_directive_below_the_first_statement_does_nothing(tmp_path):
    write(
        tmp_path / "app.py",
        "import time\n# asynclint: noqa\n\n\nasync def f():\n    time.sleep(1)\n",
    )
    result = run("check", "app.py", "--extend-select", "ASL006")
    assert rows(result.stdout) == [(2, "ASL006"), (6, "ASL100")]
    assert "no effect below the first statement" in result.stdout


def test_a_silenced_file_is_not_linted_at_all(tmp_path):
    write(tmp_path / "gen.py", "# asynclint: noqa\nasync def f(:\n")
    result = run("check", "gen.py")
    assert result.stdout == "" and result.exit_code == 0


# -- unused noqa (ASL006) --------------------------------------------------------------------------

UNUSED = textwrap.dedent(
    """\
    import asyncio
    import time


    async def f():
        time.sleep(1)  # noqa: ASL100
        await asyncio.sleep(1)  # noqa: ASL100
        await asyncio.sleep(2)  # noqa: ASYNC251, E501
        await asyncio.sleep(3)  # noqa
        await asyncio.sleep(4)  # noqa: ASL205
        await asyncio.sleep(5)  # noqa: ASL999
        await asyncio.sleep(6)  # noqa: ASL100, ASL006
        await asyncio.sleep(7)  # noqa: ASL400
    """
)


def test_unused_noqa_is_reported_only_when_selected(tmp_path):
    write(tmp_path / "app.py", UNUSED)
    assert run("check", "app.py").exit_code == 0
    result = run("check", "--extend-select", "ASL006", "app.py")
    found = finding_lines(result.stdout)
    assert [(line, code, message) for _, line, _, code, message in found] == [
        (7, "ASL006", "unused noqa code ASL100: no such finding on this line"),
        # line 8: a peer's code is there for the peer too (and E501 for another tool);
        # line 9: a bare noqa may be another tool's; line 10: ASL205 did not run (off by default)
        (11, "ASL006", "unknown code ASL999 in a noqa comment"),
        # line 12: the comment silences its own report
        (13, "ASL006", "unused noqa code ASL400: no such finding on this line"),
    ]
    assert [column for _, _, column, _, _ in found] == [29, 29, 29]  # where the '#' is
    assert result.exit_code == 1


def test_codes_of_rules_that_did_not_run_are_not_judged(tmp_path):
    write(tmp_path / "app.py", UNUSED)
    write(
        tmp_path / "pyproject.toml", '[tool.asynclint]\nper-file-ignores = {"app.py" = ["ASL1"]}\n'
    )
    # ASL100 is ignored for the file: its codes are not judged; ASL205, selected now, is.
    result = run("check", "--extend-select", "ASL006,ASL205", "app.py")
    assert rows(result.stdout) == [(10, "ASL006"), (11, "ASL006"), (13, "ASL006")]


def test_unused_file_level_codes(tmp_path):
    write(tmp_path / "app.py", "# asynclint: noqa: ASL100, ASL400\n" + BLOCKING)
    result = run("check", "--extend-select", "ASL006", "app.py")
    assert finding_lines(result.stdout) == [
        (
            "app.py",
            1,
            1,
            "ASL006",
            "unused file-level noqa code ASL400: no such finding in this file",
        )
    ]


def test_a_file_with_no_relevant_rule_is_still_judged(tmp_path):
    write(tmp_path / "quiet.py", "x = 1  # noqa: ASL100\n")
    assert rows(run("check", "--extend-select", "ASL006", "quiet.py").stdout) == [(1, "ASL006")]
    assert run("check", "quiet.py").exit_code == 0


# -- --add-noqa ------------------------------------------------------------------------------------

ADD = textwrap.dedent(
    '''\
    import asyncio
    import time


    async def f():
        time.sleep(1)  # noqa: E501 (a long line)
        time.sleep(2)  # see issue 12
        asyncio.create_task(f()); time.sleep(3)
        x = time.sleep(4) or \\
            None
        time.sleep(len("""
        """))
        await asyncio.sleep(0)
    '''
)

ADDED = textwrap.dedent(
    '''\
    import asyncio
    import time


    async def f():
        time.sleep(1)  # noqa: E501, ASL100 (a long line)
        time.sleep(2)  # see issue 12  # noqa: ASL100
        asyncio.create_task(f()); time.sleep(3)  # noqa: ASL100, ASL400
        x = time.sleep(4) or \\
            None  # noqa: ASL100
        time.sleep(len("""
        """))  # noqa: ASL100
        await asyncio.sleep(0)
    '''
)


def test_add_noqa_marks_every_finding_and_the_result_is_clean(tmp_path):
    write(tmp_path / "app.py", ADD)
    write(tmp_path / "clean.py", "x = 1\n")
    result = run("check", "--add-noqa", ".")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Added 5 noqa comments to 1 file." in result.stderr
    assert (tmp_path / "app.py").read_text() == ADDED
    ast.parse(ADDED)
    assert run("check", ".").exit_code == 0
    again = run("check", "--add-noqa", ".")
    assert "Added 0 noqa comments to 0 files." in again.stderr
    assert (tmp_path / "app.py").read_text() == ADDED
    # Nothing it wrote is unused.
    assert run("check", "--extend-select", "ASL006", ".").exit_code == 0


def test_add_noqa_keeps_newlines_and_encoding_and_marks_only_what_is_selected(tmp_path):
    source = (
        "# -*- coding: latin-1 -*-\r\nimport time\r\n\r\n"
        "async def f():\r\n    s = 'é'; time.sleep(1)\r\n    f()\r\n"
    )
    (tmp_path / "app.py").write_bytes(source.encode("latin-1"))
    run("check", "--add-noqa", "--select", "ASL200", "app.py")
    expected = source.replace("    f()\r\n", "    f()  # noqa: ASL200\r\n")
    assert (tmp_path / "app.py").read_bytes() == expected.encode("latin-1")


def test_add_noqa_leaves_engine_diagnostics_alone(tmp_path):
    write(tmp_path / "bad.py", "async def f(:\n")
    result = run("check", "--add-noqa", "bad.py")
    assert (tmp_path / "bad.py").read_text() == "async def f(:\n"
    assert "Added 0 noqa comments to 0 files." in result.stderr


@pytest.mark.parametrize("other", [["--fix"], ["--diff"], ["--stdin-filename", "x.py", "-"]])
def test_add_noqa_does_not_combine_with_fixing_or_stdin(tmp_path, other):
    write(tmp_path / "x.py", BLOCKING)
    result = run("check", "--add-noqa", *other, input="")
    assert result.exit_code == 2 and "--add-noqa" in result.stderr


# -- the module's own contract ---------------------------------------------------------------------


def test_add_codes_skips_what_it_cannot_read_back():
    text = "x = 1\n"
    marked = noqa.add_codes(text, {5: ["ASL100"], 1: ["ASL100"]})
    assert marked.text == "x = 1  # noqa: ASL100\n"
    assert marked.skipped == [5] and marked.directives == 1


def test_a_line_that_does_not_tokenize_falls_back_to_its_own_text():
    text = 'x = 1  # noqa: ASL100\ny = """never closed\n'  # the tokenizer stops at the end
    suppressions = noqa.Suppressions(text)
    assert suppressions.suppressing(1, "ASL100") is not None
    assert suppressions.read_to < 2
    assert noqa.add_codes(text, {2: ["ASL100"]}).skipped == [2]


def test_lone_carriage_returns_are_line_breaks():
    text = "import time\rx = 1  # noqa: ASL100\ry = 2\r"
    suppressions = noqa.Suppressions(text)
    assert suppressions.suppressing(2, "ASL100") is not None
    assert suppressions.suppressing(3, "ASL100") is None
    assert noqa.add_codes(text, {3: ["ASL200"]}).text == text.replace(
        "y = 2", "y = 2  # noqa: ASL200"
    )
