"""The documentation is generated from the rules and held to them: examples that run as written,
the README's table and the pages under docs/rules/ up to date, rules named and placed after
their names."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from asynclint import docs
from asynclint.registry import load_rules
from asynclint.testing import lint

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
DEFAULT = tuple(rule for rule in RULES if rule.default)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_bad_example_is_flagged_as_written(rule):
    found = lint(docs.example(rule.bad), rule).findings
    assert rule.code in {f.code for f in found}, f"{rule.code}'s bad example is not flagged"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_good_example_is_clean(rule):
    rules = tuple(sorted({rule, *DEFAULT}, key=lambda r: r.code))
    found = lint(docs.example(rule.good), *rules, explicit=(rule.code,)).findings
    assert [(f.line, f.code, f.message) for f in found] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_class_and_module_are_named_after_the_rule(rule):
    camel = "".join(part.capitalize() for part in rule.name.split("-"))
    assert rule.__name__.lower() == camel.lower(), f"{rule.code} {rule.name}: class {rule.__name__}"
    module = rule.__module__.rsplit(".", 1)[-1]
    own_logic = any(n.startswith(("visit_", "leave_")) for n in vars(rule))
    if own_logic:  # a rule with logic has a module of its own; data-only variants share one
        assert module == rule.name.replace("-", "_"), f"{rule.code} lives in {rule.__module__}"


def test_readme_table_is_generated():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.replace_table(readme, docs.rules_table(RULES)) == readme, (
        "README.md's rule table is out of date: replace it with `asynclint rules --format markdown`"
    )


def test_rule_pages_are_generated():
    directory = ROOT / "docs" / "rules"
    pages = dict(docs.rule_pages(RULES))
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in directory.glob("*.md")}
    assert sorted(on_disk) == sorted(pages)
    stale = sorted(name for name, text in pages.items() if on_disk[name] != text)
    assert stale == [], (
        f"out of date: {stale}; regenerate with `asynclint rules --format markdown "
        "--pages docs/rules`"
    )


def test_explain_keeps_code_blocks_and_lists():
    network = next(rule for rule in RULES if rule.code == "ASL300")
    text = docs.explain_text(network)
    assert '    [tool.asynclint.timeout-calls]\n    "myapp.rpc.Client.call"' in text
    never_awaited = next(rule for rule in RULES if rule.code == "ASL200")
    assert "\n- a statement of its own" in docs.explain_text(never_awaited)
    for heading in ("Why:", "Fix safety:", "Options:", "Flagged:", "Instead:"):
        assert f"\n{heading}\n" in text or text.startswith(heading)
    assert inspect.getmodule(network).__name__ in text
