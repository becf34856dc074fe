"""The README is part of the product: its rule table and its rule example must stay true."""

from __future__ import annotations

import re
from pathlib import Path

import libcst as cst

from asynclint.engine import FileSettings, Linter
from asynclint.findings import ENGINE_DIAGNOSTICS
from asynclint.registry import load_rules
from asynclint.source import decode

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def table_rows():
    return {
        match.group(1): match.group(2)
        for match in re.finditer(r"^\| (ASL\d{3}) \| ([a-z0-9-]+) \|", README, re.M)
    }


def test_rule_table_lists_every_rule_and_diagnostic():
    expected = {rule.code: rule.name for rule in load_rules()}
    expected.update({code: d.name for code, d in ENGINE_DIAGNOSTICS.items()})
    assert table_rows() == expected


def test_rule_table_states_defaults_and_fixes():
    for rule in load_rules():
        row = next(line for line in README.splitlines() if line.startswith(f"| {rule.code} |"))
        assert row.rstrip().endswith("| on |" if rule.default else "| off |")
        assert row.split("|")[4].strip().startswith(rule.fix_kind.value)


def test_the_rule_written_in_the_readme_works():
    block = re.search(r"```python\n(.*?class BlockingInput.*?)```", README, re.S).group(1)
    namespace: dict = {}
    exec(compile(block, "README.md", "exec"), namespace)
    rule = namespace["BlockingInput"]
    rule.check_metadata()
    source = decode(
        b"import asyncio\n\nasync def ask():\n    name = input('name? ')\n    return name\n",
        "ask.py",
    )
    result = Linter().lint_source(source, FileSettings((rule,)), fix=True, unsafe_fixes=True)
    assert [
        (f.line, f.code) for f in Linter().lint_source(source, FileSettings((rule,))).findings
    ] == [(4, "ASL950")]
    assert "name = await asyncio.to_thread(input, 'name? ')" in result.fixed_text
    cst.parse_module(result.fixed_text)
