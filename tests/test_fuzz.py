"""Property-based tests: whatever the input, the engine answers with findings, never an exception,
and its fixes are safe.

Inputs are valid Python from hypothesmith and mutations of the fixtures (truncated, bytes flipped,
deeply nested, odd line breaks and encodings). For each, with every rule selected and
``--fix --unsafe-fixes``:

* no exception escapes (a problem with a file is a finding about it);
* every fixed text compiles with CPython;
* fixing the fixed text again changes nothing;
* the findings of a project of such files are the same with one worker and with two.

CI runs a few examples per test; a longer run is
``ASYNCLINT_FUZZ_EXAMPLES=500 .venv/bin/pytest tests/test_fuzz.py -p no:randomly -q`` (the
README's "Fuzzing" section).
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path
from typing import List, Tuple

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from asynclint import config as configuration  # noqa: E402
from asynclint.engine import FileSettings, Linter, _ensure_recursion_room  # noqa: E402
from asynclint.registry import load_rules  # noqa: E402
from asynclint.runner import RunOptions, Settings, lint_files  # noqa: E402
from asynclint.source import SourceError, decode  # noqa: E402

EXAMPLES = int(os.environ.get("ASYNCLINT_FUZZ_EXAMPLES", "40"))
FIXTURES = sorted((Path(__file__).resolve().parent.parent / "fixtures").glob("*.py"))
RULES = tuple(load_rules())
EVERY_RULE = FileSettings(RULES, explicit=frozenset(rule.code for rule in RULES))

_ensure_recursion_room()  # as the engine does on first use (hypothesis warns about a change)

fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


# -- inputs ---------------------------------------------------------------------------------------


def _nest(text: str, position: int, depth: int, kind: int) -> str:
    """Insert an expression nested ``depth`` deep at the start of the line around ``position``."""
    start = text.rfind("\n", 0, position) + 1
    shapes = [
        "[" * depth + "]" * depth,
        "(" * depth + "a" + ")" * depth,
        " or ".join(["a"] * depth),
        "a" + ".b" * depth,
        "lambda: " * depth + "a",
        "-" * depth + "a",
        '"a" ' * depth,
    ]
    indent = text[start : len(text) - len(text[start:].lstrip(" "))]
    return text[:start] + f"{indent}x = {shapes[kind % len(shapes)]}\n" + text[start:]


@st.composite
def mutated_fixture(draw) -> bytes:
    fixture = draw(st.sampled_from(FIXTURES))
    text = fixture.read_text(encoding="utf-8")
    mutation = draw(
        st.sampled_from(["truncate", "flip", "nest", "newlines", "encoding", "splice", "none"])
    )
    data = text.encode("utf-8")
    if mutation == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif mutation == "flip":
        flipped = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            where = draw(st.integers(0, max(0, len(flipped) - 1)))
            if flipped:
                flipped[where] = draw(st.integers(0, 255))
        data = bytes(flipped)
    elif mutation == "nest":
        depth = draw(st.sampled_from([5, 50, 150, 199, 201, 400, 3000]))
        position = draw(st.integers(0, len(text)))
        data = _nest(text, position, depth, draw(st.integers(0, 6))).encode("utf-8")
    elif mutation == "newlines":
        newline = draw(st.sampled_from(["\r\n", "\r", "\n\r", "\x0c\n", "\x0b\n"]))
        if draw(st.booleans()):
            data = text.replace("\n", newline).encode("utf-8")
        else:  # mixed
            lines = text.split("\n")
            data = "".join(
                line + (newline if draw(st.booleans()) else "\n") for line in lines
            ).encode("utf-8")
    elif mutation == "encoding":
        form = draw(st.sampled_from(["bom", "latin-1", "utf-16", "cp1252-cookie", "nul"]))
        if form == "bom":
            data = codecs.BOM_UTF8 + data
        elif form == "latin-1":
            data = b"# -*- coding: latin-1 -*-\n" + text.encode("latin-1", "replace")
        elif form == "utf-16":
            data = text.encode("utf-16")
        elif form == "cp1252-cookie":
            data = b"# coding: cp1252\n" + text.encode("cp1252", "replace") + b"\x81\x8d"
        else:
            data = data[: len(data) // 2] + b"\x00" + data[len(data) // 2 :]
    elif mutation == "splice":
        other = draw(st.sampled_from(FIXTURES)).read_bytes()
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + other[draw(st.integers(0, len(other))) :]
    return data


def generated_python():
    hypothesmith = pytest.importorskip("hypothesmith")
    return hypothesmith.from_grammar().map(lambda text: text.encode("utf-8", "surrogatepass"))


# -- properties -----------------------------------------------------------------------------------


def check_one(data: bytes) -> None:
    """Lint and fix one file: no exception, fixed text compiles, a second pass is a no-op."""
    try:
        source = decode(data, "fuzzed.py")
    except SourceError:
        return  # ASL002: nothing to analyse
    linter = Linter()
    result = linter.lint_source(source, EVERY_RULE, fix=True, unsafe_fixes=True)
    assert all(finding.code != "ASL000" for finding in result.findings), result.findings
    if result.fixed_text is None:
        return
    compile(result.fixed_text, "fuzzed.py", "exec", dont_inherit=True)
    fixed = decode(source.encode(result.fixed_text), "fuzzed.py")
    again = linter.lint_source(fixed, EVERY_RULE, fix=True, unsafe_fixes=True)
    assert again.fixed_text is None, "a second fix pass changed the fixed text"


@fuzz
@given(mutated_fixture())
def test_mutated_fixtures(data):
    check_one(data)


@fuzz
@given(generated_python())
def test_generated_python(data):
    check_one(data)


def lint_project(files: List[Tuple[str, bytes]]) -> Tuple[list, list]:
    """The findings of a project of ``files``, linted with one worker and with two."""
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for name, data in files:
            path = os.path.join(directory, name)
            with open(path, "wb") as handle:
                handle.write(data)
            paths.append(path)
        config = configuration.Config(root=directory, select=["ASL"])
        runs = []
        for jobs in (1, 2):
            results = lint_files(paths, Settings(config, RULES), RunOptions(jobs=jobs))
            runs.append(
                [
                    (os.path.basename(f.path), f.line, f.column, f.code, f.message)
                    for result in results
                    for f in result.findings
                ]
            )
        return runs[0], runs[1]


@settings(
    max_examples=max(2, EXAMPLES // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(st.lists(mutated_fixture(), min_size=8, max_size=10))
def test_findings_are_the_same_with_one_and_two_workers(texts):
    one, two = lint_project([(f"m{number:02}.py", data) for number, data in enumerate(texts)])
    assert all(code != "ASL000" for _, _, _, code, _ in one), one
    assert two == one
