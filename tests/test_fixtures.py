"""The fixture contract: every rule's annotated example file, its exact findings and its exact fix.

``fixtures/ASL123.py`` (and variants such as ``ASL123_trio.py``) mark each line that must be flagged
with ``# error: ASL123`` (optionally ``@column`` and a ``"message fragment"``); every other line
must stay clean, under the rule itself (selected explicitly) and every default-on rule at once.
Where the rule fixes, ``ASL123.fixed.py`` is the exact result of ``asynclint check --select ASL123
--fix --unsafe-fixes``, and linting that result again finds nothing left to fix.
``pytest --update-fixtures`` rewrites the ``.fixed.py`` files from the engine's output, for review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from asynclint.registry import load_rules
from asynclint.testing import FIXTURE_NAME, check_findings, check_fix, fixture_rule, update_fixed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RULES = {rule.code: rule for rule in load_rules()}
CASES = sorted(
    path
    for path in FIXTURES.glob("ASL*.py")
    if not path.name.endswith(".fixed.py") and FIXTURE_NAME.fullmatch(path.name)
)


def test_every_rule_has_a_fixture():
    covered = {fixture_rule(path) for path in CASES}
    assert sorted(set(RULES) - covered) == []


def test_every_fixture_names_a_rule():
    assert sorted({fixture_rule(path) for path in CASES} - set(RULES)) == []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fixture_findings_are_exact(path: Path):
    check_findings(path)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_fixture_fix_is_exact(path: Path, request: pytest.FixtureRequest):
    if request.config.getoption("update_fixtures"):
        update_fixed(path)
    check_fix(path)
