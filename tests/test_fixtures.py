"""The fixture contract: every rule's annotated example file, its exact findings and its exact fix.

``fixtures/ASL123.py`` (and variants such as ``ASL123_trio.py``) mark each line that must be flagged
with ``# error: ASL123``; every other line must stay clean, under the rule itself (selected
explicitly) and every default-on rule at once. Where the rule
fixes, ``ASL123.fixed.py`` is the exact result of ``asynclint check --select ASL123 --fix
--unsafe-fixes``, and linting that result again finds nothing left to fix.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from asynclint.engine import FileSettings, Linter
from asynclint.registry import load_rules
from asynclint.rule import FixKind
from asynclint.source import decode

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
FIXTURE_NAME = re.compile(r"(ASL\d{3})(?:_[a-z0-9_]+)?\.py")
EXPECTED = re.compile(r"#\s*error:\s*(ASL\d{3}(?:\s*,\s*ASL\d{3})*)")

RULES = {rule.code: rule for rule in load_rules()}
CASES = sorted(
    path
    for path in FIXTURES.glob("ASL*.py")
    if not path.name.endswith(".fixed.py") and FIXTURE_NAME.fullmatch(path.name)
)


def expected_findings(text: str) -> set:
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECTED.search(line)
        if match:
            found.update((number, code.strip()) for code in match.group(1).split(","))
    return found


def lint(path: Path, rules, *, fix: bool = False):
    source = decode(path.read_bytes(), str(path))
    own = path.name[:6]  # ASL123.py, ASL123_trio.py, ASL123.fixed.py
    settings = FileSettings(tuple(rules), module_name="fixture", explicit=frozenset({own}))
    return source, Linter().lint_source(source, settings, fix=fix, unsafe_fixes=True)


def test_every_rule_has_a_fixture():
    covered = {FIXTURE_NAME.fullmatch(path.name).group(1) for path in CASES}
    assert sorted(set(RULES) - covered) == []


def test_every_fixture_names_a_rule():
    assert sorted({FIXTURE_NAME.fullmatch(p.name).group(1) for p in CASES} - set(RULES)) == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fixture_findings_are_exact(path: Path):
    code = FIXTURE_NAME.fullmatch(path.name).group(1)
    source, result = lint(
        path, [rule for rule in RULES.values() if rule.default or rule.code == code]
    )
    expected = expected_findings(source.text)
    assert expected, f"{path.name} flags nothing: a fixture needs flagged cases"
    actual = {(finding.line, finding.code) for finding in result.findings}
    assert sorted(actual - expected) == [], "reported but not marked '# error:'"
    assert sorted(expected - actual) == [], "marked '# error:' but not reported"


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fixture_fix_is_exact(path: Path):
    code = FIXTURE_NAME.fullmatch(path.name).group(1)
    rule = RULES[code]
    fixed_path = path.with_name(path.stem + ".fixed.py")
    if rule.fix_kind is FixKind.NONE:
        assert not fixed_path.exists(), f"{code} declares no fix, yet {fixed_path.name} exists"
        return
    assert fixed_path.exists(), f"{code} fixes: {fixed_path.name} must hold the expected result"
    _, result = lint(path, [rule], fix=True)
    expected = fixed_path.read_text(encoding="utf-8")
    assert result.fixed_text == expected

    _, again = lint(fixed_path, [rule], fix=False)
    assert [f for f in again.findings if f.fix is not None] == []
