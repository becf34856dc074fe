"""Inputs crafted to take a run down (or that an unlucky user has lying around): special files,
native parser crashes, amplification of memory and time, broken configuration. Each costs one
diagnostic for the file or the setting concerned; the run goes on and the machine survives.

Tests that would hang or crash the test process if the guard regressed run in a subprocess with a
time limit."""

from __future__ import annotations

import json
import os
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
        "import sys; from asynclint.cli import main; "
        f"sys.argv = ['asynclint', *{list(args)!r}]; main()",
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
        settings = FileSettings(tuple(load_rules()))
        print([f.code for f in Linter(index).lint_path("x.py", settings).findings])
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


# -- 7. native parser crashes, 8. memory and time amplification ----------------------------------

HEADER = "import time\n\n\nasync def f():\n    time.sleep(1)\n\n\n"

#: Texts that crashed libcst's native parser (SIGSEGV) or took gigabytes, by what they repeat.
CRAFTED = {
    "plus_chain": "x = " + " + ".join(["a"] * 9000) + "\n",
    "or_chain": "x = " + " or ".join(["a"] * 9000) + "\n",
    "dotted_import": "import " + ".".join(["a"] * 9000) + "\n",
    "attribute_chain": "x = a" + ".b" * 5000 + "\n",
    "brackets": "x = " + "[" * 1500 + "]" * 1500 + "\n",  # CPython rejects this itself
    "nested_lists": ("x = " + "[" * 190 + "]" * 190 + "\n") * 42,  # 16 KB, 1.4 GiB in libcst
    "parenthesised_tuple": "x = " + "(" * 190 + ", ".join(["a"] * 7000) + ")" * 190 + "\n",
    "concatenated_strings": "x = " + " ".join(['"a"'] * 9000) + "\n",
    "comprehension_clauses": "x = [a " + "for a in b " * 3000 + "]\n",
}


def crafted_tree(directory: Path) -> None:
    for name, body in CRAFTED.items():
        (directory / f"{name}.py").write_text(HEADER + body)
    (directory / "zgood.py").write_text(HEADER)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_crafted_files_cost_one_diagnostic_each_and_the_run_goes_on(tmp_path, jobs):
    crafted_tree(tmp_path)
    result = cli("check", "--select", "ASL", "--jobs", jobs, ".", cwd=tmp_path, timeout=300)
    assert result.returncode == 1, result.stderr[-2000:]
    found = by_path(result.stdout)
    assert sorted(found.pop("zgood.py")) == ["ASL100", "ASL205"]
    assert set(found) == {f"{name}.py" for name in CRAFTED}
    for name, codes in found.items():
        assert codes in (["ASL001"], ["ASL007"]), (name, codes)
    assert "Traceback" not in result.stderr


def test_crafted_text_on_standard_input_is_one_diagnostic(tmp_path):
    for name in ("or_chain", "nested_lists"):
        result = subprocess.run(
            [sys.executable, "-m", "asynclint", "check", "--stdin-filename", "x.py", "-"],
            input=HEADER + CRAFTED[name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 1, result.stderr[-2000:]
        assert [code for _, _, _, code, _ in finding_lines(result.stdout)] == ["ASL007"]


def test_crafted_text_in_the_language_server_is_one_diagnostic(tmp_path):
    pytest.importorskip("pygls")
    result = python(
        f"""
        import json
        from asynclint import lsp
        bench = lsp.Workbench()
        texts = {json.dumps({n: HEADER + CRAFTED[n] for n in ("or_chain", "dotted_import")})}
        for name, text in sorted(texts.items()):
            target = lsp.Target("file:///w/" + name, "/w/" + name + ".py", text)
            outcome = bench.lint(target, lsp.EditorSettings())
            print(name, [f.code for f in outcome.findings])
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split("\n")[:2] == ["dotted_import ['ASL007']", "or_chain ['ASL007']"]


#: At the nesting limit, in each shape that nests: linted, fixed, no ASL000, in every front end.
AT_THE_LIMIT = {
    "or_chain": "x = " + " or ".join(["a"] * 190) + "\n",
    "attribute_chain": "x = a" + ".b" * 190 + "\n",
    "subscripts": "x = a" + "[0]" * 190 + "\n",
    "lambdas": "x = " + "lambda: " * 190 + "a\n",
    "brackets": "x = " + "[" * 190 + "]" * 190 + "\n",
    "elif_chain": "if a:\n    pass\n" + "elif a:\n    pass\n" * 190,
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_files_at_the_nesting_limit_are_linted_and_fixed(tmp_path, jobs):
    for name, body in AT_THE_LIMIT.items():
        (tmp_path / f"{name}.py").write_text(HEADER + body)
    result = cli("check", "--jobs", jobs, ".", cwd=tmp_path, timeout=300)
    found = by_path(result.stdout)
    assert found == {f"{name}.py": ["ASL100"] for name in AT_THE_LIMIT}, result.stderr[-2000:]
    fixed = cli("check", "--fix", "--jobs", jobs, ".", cwd=tmp_path, timeout=300)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr[-2000:]
    for name, body in AT_THE_LIMIT.items():
        text = (tmp_path / f"{name}.py").read_text()
        assert (
            text
            == "import time\nimport asyncio\n"
            + HEADER[len("import time\n") :].replace("time.sleep(1)", "await asyncio.sleep(1)")
            + body
        )


def test_a_worker_that_dies_costs_its_file_and_is_replaced(tmp_path):
    """Whatever kills a worker (a native crash the screen did not foresee, the OOM killer), the
    other files keep their results: no BrokenProcessPool, no lost run."""
    for number in range(12):
        (tmp_path / f"m{number:02}.py").write_text(HEADER)
    result = python(
        """
        import os, signal
        from asynclint import config, engine, registry, runner
        original = engine.Linter.lint_path
        def lint_path(self, path, *args, **kwargs):
            if path.endswith(("m03.py", "m07.py")):
                os.kill(os.getpid(), signal.SIGSEGV)
            return original(self, path, *args, **kwargs)
        engine.Linter.lint_path = lint_path
        rules = registry.load_rules()
        settings = runner.Settings(config.Config(root="."), rules)
        files = sorted(p for p in os.listdir(".") if p.endswith(".py"))
        results = runner.lint_files(files, settings, runner.RunOptions(jobs=2))
        for result in results:
            print(result.path, [(f.code, f.message) for f in result.findings])
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 12
    for line in lines:
        if line.startswith(("m03.py", "m07.py")):
            assert "ASL000" in line and "SIGSEGV" in line
        else:
            assert "'ASL100'" in line, line


def test_a_file_over_the_time_budget_is_asl006_and_the_run_goes_on(tmp_path):
    for number in range(8):
        (tmp_path / f"m{number:02}.py").write_text(HEADER)
    result = python(
        """
        import os
        from asynclint import config, engine, registry, runner
        original = engine.Linter.lint_source
        def lint_source(self, source, *args, **kwargs):
            if source.path.endswith("m05.py"):
                spins = 0
                while True:  # CPU time: the budget counts it, not time spent waiting
                    spins += 1
            return original(self, source, *args, **kwargs)
        engine.Linter.lint_source = lint_source
        settings = runner.Settings(config.Config(root="."), registry.load_rules())
        files = sorted(p for p in os.listdir(".") if p.endswith(".py"))
        for jobs in (1, 2):
            options = runner.RunOptions(jobs=jobs, time_budget=1.0)
            for result in runner.lint_files(files, settings, options):
                print(jobs, result.path, [f.code for f in result.findings])
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    for line in result.stdout.splitlines():
        _, path, codes = line.split(" ", 2)
        assert codes == ("['ASL007']" if path == "m05.py" else "['ASL100']"), line


def test_files_at_the_nesting_limit_in_the_language_server(tmp_path):
    """The server's engine thread runs with the interpreter's default recursion limit."""
    pytest.importorskip("pygls")
    result = python(
        f"""
        import json, sys
        from asynclint import lsp
        assert sys.getrecursionlimit() == 1000
        bench = lsp.Workbench()
        for name, body in sorted(json.loads({json.dumps(json.dumps(AT_THE_LIMIT))}).items()):
            target = lsp.Target("file:///w/" + name, "/w/" + name + ".py", {HEADER!r} + body)
            found = bench.lint(target, lsp.EditorSettings())
            fixed = bench.lint(target, lsp.EditorSettings(), mode=lsp.FIX_ALL)
            codes = [f.code for f in found.findings]
            print(name, codes, found.problems, fixed.fixed_text is not None)
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines() == [
        f"{name} ['ASL100'] [] True" for name in sorted(AT_THE_LIMIT)
    ], result.stderr[-2000:]


# -- 9. interprocedural searches are polynomial ---------------------------------------------------


def layered_callers(levels: int, width: int) -> str:
    """A coroutine at the bottom awaits the network; every coroutine of a level is awaited, with
    no timeout, by every coroutine of the level above."""
    lines = ["import asyncio", ""]
    lines += ["async def l0_0(host):", "    await asyncio.open_connection(host, 80)", ""]
    for level in range(1, levels):
        for number in range(width):
            lines.append(f"async def l{level}_{number}(host):")
            below = range(width) if level > 1 else range(1)
            lines += [f"    await l{level - 1}_{callee}(host)" for callee in below]
            lines.append("")
    return "\n".join(lines)


def test_the_callers_timeout_search_is_polynomial(tmp_path, monkeypatch):
    """Every level of callers multiplied the work (a 67 KB generated file took 19 s): each
    (function, level) is now decided once."""
    from asynclint.engine import FileSettings, Linter
    from asynclint.registry import load_rules
    from asynclint.rules.timeouts import bounds as timeouts
    from asynclint.source import Source

    width = 10
    asked = []
    original = timeouts.CallerAwareRule.callers_bound

    def counting(self, definition, qualname, depth):
        asked.append(depth)
        return original(self, definition, qualname, depth)

    monkeypatch.setattr(timeouts.CallerAwareRule, "callers_bound", counting)
    rules = tuple(rule for rule in load_rules() if rule.code == "ASL300")
    result = Linter().lint_source(
        Source("layers.py", layered_callers(6, width)), FileSettings(rules, module_name="layers")
    )
    assert [(f.line, f.code) for f in result.findings] == [(4, "ASL300")]
    levels = timeouts.CALLER_DEPTH + 2
    assert len(asked) <= levels * width * width, len(asked)


def test_attribute_types_that_name_each_other_do_not_recurse_without_end(tmp_path):
    """``self.x = B.y()`` in A and ``self.y = A.x()`` in B: looking either up asked the other
    again, until RecursionError (two files of a 14,500-file corpus got ASL000)."""
    from asynclint.index import build_index

    (tmp_path / "a.py").write_text(
        "from b import B\n\n\nclass A:\n    def __init__(self):\n        self.x = B.y()\n"
    )
    (tmp_path / "b.py").write_text(
        "from a import A\n\n\nclass B:\n    def __init__(self):\n        self.y = A.x()\n"
    )
    index = build_index([(str(tmp_path / "a.py"), "a"), (str(tmp_path / "b.py"), "b")])
    assert index.lookup("a.A.x") is None
    assert index.callers("b.B.y") == index.callers("b.B.y")
    assert [site.caller for site in index.callers("a.A.x")] == ["b.B.__init__"]


# -- 10. diagnostics, not tracebacks ---------------------------------------------------------------


def test_bad_gitignore_lines_are_skipped_with_a_warning_as_git_does(tmp_path):
    (tmp_path / ".gitignore").write_text("[z-a]\nfoo\\\nignored/\n")
    (tmp_path / "ignored").mkdir()
    (tmp_path / "ignored" / "x.py").write_text(BLOCKING)
    (tmp_path / "good.py").write_text(BLOCKING)
    result = run("check", ".")
    assert by_path(result.stdout) == {"good.py": ["ASL100"]}
    assert result.exit_code == 1
    assert "warning" in result.stderr and "[z-a]" in result.stderr and "foo\\" in result.stderr


def write_config(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.py").write_text(BLOCKING)


@pytest.mark.parametrize(
    "name, data, named",
    [
        ("pyproject.toml", b"[tool.asynclint]\nignore = ['ASL1\xe9']\n", "not UTF-8"),
        ("pyproject.toml", b'[tool.asynclint]\nframework = ["trio"]\n', "framework"),
        ("asynclint.toml", b'framework = ["trio"]\n', "framework"),
        ("pyproject.toml", b"[tool.asynclint]\nselect = " + b"[" * 5000 + b"]" * 5000, "nested"),
        ("asynclint.toml", b"select = " + b"[" * 5000 + b"]" * 5000, "nested"),
    ],
    ids=[
        "non-utf8",
        "framework-list",
        "framework-list-asynclint-toml",
        "deep-array",
        "deep-array-2",
    ],
)
def test_configuration_errors_exit_2_naming_the_file_and_the_problem(tmp_path, name, data, named):
    write_config(tmp_path, name, data)
    result = run("check", ".")
    assert result.exit_code == 2, result.output
    assert name in result.stderr and named in result.stderr
    assert result.stdout == ""


def test_a_tool_key_that_is_not_a_table_is_an_error_when_the_file_is_the_configuration(tmp_path):
    write_config(tmp_path, "pyproject.toml", b'tool = "x"\n')
    assert by_path(run("check", ".").stdout) == {"good.py": ["ASL100"]}  # not asynclint's file
    result = run("check", "--config", "pyproject.toml", ".")
    assert result.exit_code == 2 and "'tool' must be a table" in result.stderr


def test_dotted_keys_configure_asynclint_like_a_table(tmp_path):
    write_config(tmp_path, "pyproject.toml", b'tool.asynclint.ignore = ["ASL100"]\n')
    (tmp_path / "other.py").write_text("import asyncio\n\n\nasync def f():\n    asyncio.sleep(1)\n")
    assert by_path(run("check", ".").stdout) == {"other.py": ["ASL200"]}
    write_config(tmp_path, "pyproject.toml", b'[tool]\nasynclint.ignore = ["ASL200"]\n')
    assert by_path(run("check", ".").stdout) == {"good.py": ["ASL100"]}


def test_a_deeply_nested_findings_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.delenv("ASYNCLINT_NO_CACHE")
    (tmp_path / "good.py").write_text(BLOCKING)
    assert by_path(run("check", ".").stdout) == {"good.py": ["ASL100"]}
    (cache,) = (tmp_path / ".asynclint_cache").glob("findings-*.json")
    cache.write_text("[" * 100_000 + "]" * 100_000)
    assert by_path(run("check", ".").stdout) == {"good.py": ["ASL100"]}


def test_a_long_chain_in_a_function_body_does_not_break_the_outline(tmp_path):
    """The index walks function bodies; it recursed once per term of ``a + a + ...``."""
    from asynclint.index import outline

    chain = "def g():\n    pass\n\n\ndef f():\n    return " + " + ".join(["g()"] * 10_500) + "\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(20_000)  # so that CPython's parser accepts it (3x the limit)
    try:
        found = outline(chain.encode(), "chain.py", "chain")
    finally:
        sys.setrecursionlimit(limit)
    assert found is not None
    assert len(found.functions["f"].calls) == 10_500


def test_a_long_chain_costs_its_file_only(tmp_path):
    (tmp_path / "chain.py").write_text(
        HEADER + "def g():\n    return " + " + ".join(["a"] * 10_500) + "\n"
    )
    (tmp_path / "good.py").write_text(HEADER)
    result = run("check", ".")
    assert by_path(result.stdout) == {"chain.py": ["ASL007"], "good.py": ["ASL100"]}


def test_comment_lines_full_of_hashes_between_strings_are_screened_in_linear_time(tmp_path):
    """The check that two string literals are concatenated split '####' comments every way it
    could: Django's global_settings.py (23 KB, banners between settings) ran out of the time
    budget."""
    banner = "#" * 30
    text = (
        'NAME = "app"\n\n' + f"{banner}\n# SECTION #\n{banner}\n\nUSER_MODEL = 'auth.User'\n" * 20
    )
    result = python(
        f"""
        from asynclint.guard import screen
        print(screen({text!r}, "settings.py"))
        """,
        tmp_path,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == "None", result.stderr[-2000:]


def test_nested_brackets_are_refused_before_cpython_parses_them(tmp_path, monkeypatch):
    """CPython's parser, too, spends memory per token times bracket depth: 1.9 MB of lists nested
    100 deep took 1.3 GiB in the index's outline pass before the engine's screen refused it."""
    from asynclint import index

    line = "x = " + "[" * 100 + ",".join(["[]"] * 20) + "]" * 100 + "\n"
    text = HEADER + line * (1_900_000 // len(line))
    (tmp_path / "nested.py").write_text(text)
    (tmp_path / "zgood.py").write_text(HEADER)
    result = run("check", "--select", "ASL", ".")
    found = by_path(result.stdout)
    assert found["nested.py"] == ["ASL007"] and sorted(found["zgood.py"]) == ["ASL100", "ASL205"]

    def refuse(*args, **kwargs):
        raise AssertionError("CPython's parser was given the nested text")

    monkeypatch.setattr(index.ast, "parse", refuse)
    assert index.outline(text.encode(), "nested.py", "nested") is None
