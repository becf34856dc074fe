"""Configuration: where it is found, what every key does, and how a bad file is reported."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest
from cli_helpers import CLEAN, MIXED, finding_lines, run, write

#: time.sleep in a coroutine, in a file that imports no async framework.
BARE_SLEEP = "import time\n\n\nasync def f():\n    time.sleep(1)\n"


pytestmark = pytest.mark.usefixtures("isolated_cli")


def rows(stdout: str):
    return [
        (os.path.normpath(path), code, message)
        for path, _, _, code, message in finding_lines(stdout)
    ]


def codes(stdout: str):
    return sorted(code for _, code, _ in rows(stdout))


def pyproject(directory: Path, body: str) -> Path:
    return write(directory / "pyproject.toml", "[tool.asynclint]\n" + textwrap.dedent(body))


# -- discovery ----------------------------------------------------------------------------------


def _nested_projects(tmp_path: Path) -> Path:
    pyproject(tmp_path, 'select = ["ASL400"]\n')  # outer: must lose to the nearer one
    pyproject(tmp_path / "proj", 'ignore = ["ASL400"]\n')  # nearest with [tool.asynclint]
    write(
        tmp_path / "proj" / "pkg" / "pyproject.toml", '[project]\nname = "pkg"\n'
    )  # no table: skipped
    return write(tmp_path / "proj" / "pkg" / "mod.py", MIXED)


def test_nearest_pyproject_with_a_tool_table_above_the_linted_file_is_used(tmp_path):
    _nested_projects(tmp_path)
    result = run("check", "proj/pkg/mod.py")
    assert codes(result.stdout) == ["ASL100", "ASL200"]
    assert result.exit_code == 1


def test_nearest_pyproject_is_found_for_a_directory_argument(tmp_path):
    _nested_projects(tmp_path)
    result = run("check", "proj/pkg")
    assert codes(result.stdout) == ["ASL100", "ASL200"]


def test_config_is_found_from_the_linted_path_not_the_working_directory(tmp_path, monkeypatch):
    mod = _nested_projects(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = run("check", str(mod))
    assert codes(result.stdout) == ["ASL100", "ASL200"]
    monkeypatch.chdir(tmp_path / "proj" / "pkg")
    assert codes(run("check", "mod.py").stdout) == ["ASL100", "ASL200"]


def test_pyproject_without_a_tool_table_gives_the_defaults(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.other]\nselect = ["X"]\n')
    write(tmp_path / "mod.py", MIXED)
    assert codes(run("check", "mod.py").stdout) == ["ASL100", "ASL200", "ASL400"]


def test_asynclint_toml_is_found(tmp_path):
    write(tmp_path / "proj" / "asynclint.toml", 'ignore = ["ASL100"]\n')
    write(tmp_path / "proj" / "src" / "mod.py", MIXED)
    result = run("check", "proj/src/mod.py")
    assert codes(result.stdout) == ["ASL200", "ASL400"]


def test_asynclint_toml_wins_over_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "asynclint.toml", 'ignore = ["ASL100"]\n')
    pyproject(tmp_path, 'ignore = ["ASL400"]\n')
    write(tmp_path / "mod.py", MIXED)
    assert codes(run("check", "mod.py").stdout) == ["ASL200", "ASL400"]


def test_config_option_uses_that_file_instead_of_the_discovered_one(tmp_path):
    pyproject(tmp_path / "proj", 'ignore = ["ASL400"]\n')
    write(tmp_path / "proj" / "mod.py", MIXED)
    write(tmp_path / "conf" / "custom.toml", 'select = ["ASL400"]\n')
    result = run("check", "--config", "conf/custom.toml", "proj/mod.py")
    assert codes(result.stdout) == ["ASL400"]


def test_config_option_reads_the_tool_table_of_a_pyproject(tmp_path):
    pyproject(tmp_path / "conf", 'select = ["ASL200"]\n')
    write(tmp_path / "proj" / "mod.py", MIXED)
    result = run("check", "--config", "conf/pyproject.toml", "proj/mod.py")
    assert codes(result.stdout) == ["ASL200"]


def test_config_option_with_a_missing_file_exits_2(tmp_path):
    write(tmp_path / "mod.py", MIXED)
    result = run("check", "--config", "missing.toml", "mod.py")
    assert result.exit_code == 2
    assert "missing.toml" in result.stderr
    assert result.stdout == ""


def test_stdin_filename_anchors_config_discovery(tmp_path):
    pyproject(tmp_path / "proj", 'select = ["ASL400"]\n')
    (tmp_path / "proj" / "pkg").mkdir(parents=True)
    result = run("check", "--stdin-filename", "proj/pkg/buffer.py", "-", input=MIXED)
    assert codes(result.stdout) == ["ASL400"]


# -- every key ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ('select = ["ASL400"]\n', ["ASL400"]),
        ('select = ["ASL1"]\n', ["ASL100"]),
        ('select = ["ASL1", "ASL2"]\n', ["ASL100", "ASL200"]),
        ('select = ["ASL400"]\nextend-select = ["ASL100"]\n', ["ASL100", "ASL400"]),
        ('extend-select = ["ASL100"]\n', ["ASL100", "ASL200", "ASL400"]),
        ('ignore = ["ASL200"]\n', ["ASL100", "ASL400"]),
        ('ignore = ["ASL1", "ASL4"]\n', ["ASL200"]),
        ('select = ["ASL"]\nignore = ["ASL400"]\n', ["ASL100", "ASL200"]),
        ("select = []\n", []),
    ],
    ids=[
        "select",
        "select-prefix",
        "select-two-prefixes",
        "extend-select",
        "extend-select-alone",
        "ignore",
        "ignore-prefixes",
        "select-all-ignore-one",
        "select-nothing",
    ],
)
def test_selection_keys(tmp_path, body, expected):
    pyproject(tmp_path, body)
    write(tmp_path / "mod.py", MIXED)
    result = run("check", "mod.py")
    assert codes(result.stdout) == expected
    assert result.exit_code == (1 if expected else 0)


def test_command_line_select_overrides_the_file(tmp_path):
    pyproject(tmp_path, 'select = ["ASL400"]\n')
    write(tmp_path / "mod.py", MIXED)
    assert codes(run("check", "--select", "ASL100", "mod.py").stdout) == ["ASL100"]


def test_command_line_ignore_adds_to_the_file(tmp_path):
    pyproject(tmp_path, 'ignore = ["ASL400"]\n')
    write(tmp_path / "mod.py", MIXED)
    assert codes(run("check", "--ignore", "ASL100", "mod.py").stdout) == ["ASL200"]


def test_per_file_ignores_key(tmp_path):
    pyproject(
        tmp_path / "proj",
        """\
        [tool.asynclint.per-file-ignores]
        "legacy/*.py" = ["ASL100"]
        "test_*.py" = ["ASL400", "ASL2"]
        """,
    )
    write(tmp_path / "proj" / "legacy" / "old.py", MIXED)
    write(tmp_path / "proj" / "pkg" / "test_x.py", MIXED)
    write(tmp_path / "proj" / "pkg" / "new.py", MIXED)
    # Run from outside the project: patterns are relative to the configuration file.
    result = run("check", "proj")
    found = {}
    for path, code, _ in rows(result.stdout):
        found.setdefault(os.path.relpath(path, "proj"), []).append(code)
    assert found == {
        os.path.join("legacy", "old.py"): ["ASL200", "ASL400"],
        os.path.join("pkg", "test_x.py"): ["ASL100"],
        os.path.join("pkg", "new.py"): ["ASL100", "ASL200", "ASL400"],
    }


def test_peers_codes_in_ignore_and_per_file_ignores(tmp_path):
    """A codebase moving from flake8-async or ruff keeps its ignore lists: the peers' codes stand
    for the asynclint codes of the published mapping (ASYNC251: ASL100, RUF006: ASL400)."""
    pyproject(
        tmp_path,
        """\
        ignore = ["ASYNC251", "ASYNC106"]  # ASYNC106 has no equivalent: accepted, does nothing

        [tool.asynclint.per-file-ignores]
        "tests/*" = ["RUF006", "ASYNC1"]
        """,
    )
    write(tmp_path / "app.py", MIXED)
    write(tmp_path / "tests" / "test_app.py", MIXED)
    result = run("check", ".")
    assert sorted((os.path.normpath(p), c) for p, c, _ in rows(result.stdout)) == [
        ("app.py", "ASL200"),
        ("app.py", "ASL400"),
        # tests/test_app.py: ASL100 (ASYNC251), ASL400 (RUF006) and ASL200 (ASYNC105, which the
        # prefix ASYNC1 covers) are all ignored
    ]
    assert codes(run("check", "--ignore", "ASYNC300", "app.py").stdout) == ["ASL200"]


@pytest.mark.parametrize(
    "body, mentions",
    [
        ('select = ["ASYNC251"]\n', "another tool's code; asynclint's equivalent is ASL100"),
        ('extend-select = ["ASYNC106"]\n', "another tool's code; asynclint has no equivalent"),
        ('ignore = ["ASYNC999"]\n', "unknown rule code or prefix 'ASYNC999'"),
    ],
)
def test_peers_codes_where_they_mean_nothing_are_errors(tmp_path, body, mentions):
    pyproject(tmp_path, body)
    write(tmp_path / "app.py", MIXED)
    result = run("check", "app.py")
    assert result.exit_code == 2
    assert mentions in result.stderr


def test_exclude_key_replaces_the_default_excludes(tmp_path):
    pyproject(tmp_path, 'exclude = ["generated"]\n')
    write(tmp_path / "generated" / "g.py", MIXED)
    write(tmp_path / "build" / "b.py", MIXED)
    write(tmp_path / "app.py", MIXED)
    paths = {path for path, _, _ in rows(run("check", ".").stdout)}
    assert paths == {"app.py", os.path.join("build", "b.py")}


def test_extend_exclude_key_adds_to_the_default_excludes(tmp_path):
    pyproject(tmp_path, 'extend-exclude = ["generated", "*_pb2.py"]\n')
    write(tmp_path / "generated" / "g.py", MIXED)
    write(tmp_path / "pkg" / "api_pb2.py", MIXED)
    write(tmp_path / "pkg" / "api.py", MIXED)
    write(tmp_path / "build" / "b.py", MIXED)
    write(tmp_path / "app.py", MIXED)
    paths = {path for path, _, _ in rows(run("check", ".").stdout)}
    assert paths == {"app.py", os.path.join("pkg", "api.py")}


def test_exclude_patterns_with_a_slash_match_paths_found_while_walking(tmp_path):
    pyproject(tmp_path, 'extend-exclude = ["pkg/gen_*.py", "src/vendor"]\n')
    write(tmp_path / "pkg" / "gen_api.py", MIXED)
    write(tmp_path / "pkg" / "api.py", MIXED)
    write(tmp_path / "src" / "vendor" / "lib.py", MIXED)
    write(tmp_path / "vendor" / "lib.py", MIXED)
    paths = {path for path, _, _ in rows(run("check", ".").stdout)}
    assert paths == {os.path.join("pkg", "api.py"), os.path.join("vendor", "lib.py")}


@pytest.mark.parametrize("framework", ["trio", "anyio"])
def test_framework_key_sets_the_sleep_in_message_and_fix(tmp_path, framework):
    pyproject(tmp_path, f'framework = "{framework}"\n')
    app = write(tmp_path / "app.py", BARE_SLEEP)
    result = run("check", "app.py")
    ((_, code, message),) = rows(result.stdout)
    assert code == "ASL100"
    assert f"{framework}.sleep" in message and "asyncio" not in message
    data = json.loads(run("check", "--format", "json", "app.py").stdout)
    assert f"{framework}.sleep" in data[0]["fix"]["message"]
    fixed = run("check", "--fix", "app.py")
    assert fixed.exit_code == 0
    text = app.read_text(encoding="utf-8")
    assert f"    await {framework}.sleep(1)\n" in text
    assert f"import {framework}\n" in text
    assert "asyncio" not in text


def test_without_framework_key_a_bare_file_defaults_to_asyncio(tmp_path):
    write(tmp_path / "app.py", BARE_SLEEP)
    ((_, code, message),) = rows(run("check", "app.py").stdout)
    assert code == "ASL100" and "asyncio.sleep" in message


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filename, content, mentions",
    [
        ("pyproject.toml", '[tool.asynclint]\ncolour = "red"\n', ["colour"]),
        ("asynclint.toml", 'colour = "red"\n', ["colour"]),
        ("pyproject.toml", '[tool.asynclint]\nselect = ["ASL999"]\n', ["select", "ASL999"]),
        (
            "pyproject.toml",
            '[tool.asynclint]\nextend-select = ["XYZ1"]\n',
            ["extend-select", "XYZ1"],
        ),
        ("asynclint.toml", 'ignore = ["ASL100", "ASL998"]\n', ["ignore", "ASL998"]),
        (
            "pyproject.toml",
            '[tool.asynclint.per-file-ignores]\n"tests/*" = ["ASL997"]\n',
            ["per-file-ignores", "ASL997"],
        ),
        ("pyproject.toml", '[tool.asynclint]\nselect = "ASL100"\n', ["select"]),
        ("asynclint.toml", "ignore = [100]\n", ["ignore"]),
        ("asynclint.toml", 'exclude = "build"\n', ["exclude"]),
        ("asynclint.toml", 'extend-exclude = "build"\n', ["extend-exclude"]),
        ("asynclint.toml", 'per-file-ignores = ["tests/*"]\n', ["per-file-ignores"]),
        ("asynclint.toml", 'per-file-ignores = { "tests/*" = "ASL100" }\n', ["per-file-ignores"]),
        ("pyproject.toml", '[tool.asynclint]\nframework = "twisted"\n', ["framework", "twisted"]),
        ("asynclint.toml", "framework = 3\n", ["framework"]),
        ("pyproject.toml", "[tool.asynclint]\nselect = [\n", []),
        ("asynclint.toml", "this is not toml\n", []),
        ("asynclint.toml", 'blocking-calls = ["mylib.fetch"]\n', ["blocking-calls"]),
        (
            "asynclint.toml",
            '[blocking-calls]\n"fetch" = "use afetch"\n',
            ["blocking-calls", "fetch"],
        ),
        (
            "pyproject.toml",
            '[tool.asynclint.timeout-calls]\n"mylib.call" = 3\n',
            ["timeout-calls", "mylib.call"],
        ),
    ],
    ids=[
        "unknown-key-pyproject",
        "unknown-key-asynclint-toml",
        "unknown-code-select",
        "unknown-prefix-extend-select",
        "unknown-code-ignore",
        "unknown-code-per-file-ignores",
        "select-string",
        "ignore-int-items",
        "exclude-string",
        "extend-exclude-string",
        "per-file-ignores-list",
        "per-file-ignores-value-string",
        "framework-unknown",
        "framework-int",
        "invalid-toml-pyproject",
        "invalid-toml-asynclint-toml",
        "catalogue-list",
        "catalogue-unqualified-name",
        "catalogue-note-int",
    ],
)
def test_config_errors_exit_2_naming_the_key_and_the_file(tmp_path, filename, content, mentions):
    config = write(tmp_path / filename, content)
    write(tmp_path / "app.py", CLEAN)
    result = run("check", "app.py")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert str(config) in result.stderr
    for mention in mentions:
        assert mention in result.stderr
    assert "Traceback" not in result.stderr


def test_config_error_in_a_file_given_with_config_option(tmp_path):
    write(tmp_path / "conf" / "bad.toml", 'selekt = ["ASL100"]\n')
    write(tmp_path / "app.py", CLEAN)
    result = run("check", "--config", "conf/bad.toml", "app.py")
    assert result.exit_code == 2
    assert "bad.toml" in result.stderr
    assert "selekt" in result.stderr


def test_config_error_exits_2_even_with_exit_zero(tmp_path):
    pyproject(tmp_path, 'select = ["ASL999"]\n')
    write(tmp_path / "app.py", MIXED)
    result = run("check", "--exit-zero", "app.py")
    assert result.exit_code == 2
    assert result.stdout == ""


def test_catalogue_tables_reach_the_rules(tmp_path):
    from asynclint import config as configuration
    from asynclint.registry import load_rules
    from asynclint.runner import Settings

    path = write(
        tmp_path / "asynclint.toml",
        '[coroutine-functions]\n"mylib.fetch" = "returns a coroutine"\n',
    )
    settings = Settings(configuration.load(str(path), load_rules()), load_rules()).for_path(
        str(tmp_path / "a.py")
    )
    assert settings.catalogues == (
        ("coroutine-functions", (("mylib.fetch", "returns a coroutine"),)),
    )


def test_a_rule_outside_its_default_frameworks_runs_only_when_selected(tmp_path):
    import libcst as cst

    from asynclint import Rule
    from asynclint.engine import FileSettings, Linter
    from asynclint.source import decode

    class TrioOnlyByDefault(Rule):
        code, name, message = "ASL951", "await-anything", "an await"
        rationale = bad = good = "x"
        default_frameworks = frozenset({"trio"})

        def visit_Await(self, node: cst.Await) -> None:
            self.report(node)

    def codes(text, explicit=frozenset()):
        source = decode(text.encode(), "case.py")
        settings = FileSettings((TrioOnlyByDefault,), explicit=explicit)
        return [f.code for f in Linter().lint_source(source, settings).findings]

    asyncio_file = "import asyncio\n\nasync def f():\n    await asyncio.sleep(1)\n"
    trio_file = "import trio\n\nasync def f():\n    await trio.sleep(1)\n"
    assert codes(trio_file) == ["ASL951"]
    assert codes(asyncio_file) == []
    assert codes(asyncio_file, explicit=frozenset({"ASL951"})) == ["ASL951"]
