"""Fix edits for editors: applied as an editor would, each one removes exactly its finding."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from asynclint.registry import load_rules
from asynclint.testing import lint

FIXTURES = sorted(
    p
    for p in (Path(__file__).resolve().parent.parent / "fixtures").glob("ASL*.py")
    if not p.name.endswith(".fixed.py")
)
RULES = load_rules()


def apply_edits(text: str, edits) -> str:
    """Apply 1-based (line, column) edits, end exclusive, from the last to the first."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))

    def offset(position):
        return starts[position["line"] - 1] + position["column"] - 1

    for edit in sorted(
        edits, key=lambda e: (e["start"]["line"], e["start"]["column"]), reverse=True
    ):
        text = text[: offset(edit["start"])] + edit["content"] + text[offset(edit["end"]) :]
    return text


def findings_of(text: str, *, edits: bool = False):
    """Every rule, none selected explicitly, as the module ``__main__``."""
    return lint(
        text,
        *RULES,
        path="case.py",
        module_name="__main__",
        explicit=(),
        unsafe_fixes=False,
        edits=edits,
        dedent=False,
    ).findings


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_each_fix_edit_removes_its_finding(path: Path):
    text = path.read_text(encoding="utf-8")
    findings = findings_of(text, edits=True)
    fixable = [f for f in findings if f.edits is not None]
    assert all(f.edits is None for f in findings if f.fix_applicability is None)
    for finding in fixable:
        edited = apply_edits(text, finding.edits)
        cst.parse_module(edited)
        before = sum(1 for f in findings if f.code == finding.code)
        after = sum(1 for f in findings_of(edited) if f.code == finding.code)
        assert after == before - 1, (
            f"line {finding.line}: the edits did not remove exactly this finding"
        )


def test_edits_keep_crlf_and_insert_the_import_once():
    text = "import time\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n"
    (finding,) = [f for f in findings_of(text, edits=True) if f.code == "ASL100"]
    assert (
        apply_edits(text, finding.edits)
        == "import time\r\nimport asyncio\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n"
    )
