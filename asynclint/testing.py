"""Testing rules: lint a snippet, and hold a rule to its fixture.

For the built-in rules and for third-party packs alike::

    from asynclint.testing import check_fixture, lint

    def test_my_rule():
        result = lint("import time\\nasync def f():\\n    time.sleep(1)\\n", "ASL100")
        assert [(f.line, f.code) for f in result.findings] == [(3, "ASL100")]

    def test_fixture():
        check_fixture("fixtures/ASL950.py", MyRule)

A fixture is a Python file in which every line that must be flagged ends with a marker,
``# error: ASL950``, and every other line must stay clean. A marker may also give the column
(1-based, as asynclint prints it) and a fragment of the message, checked when present::

    time.sleep(1)  # error: ASL100 @5 "blocks the event loop"
    call(a, b)  # error: ASL101, ASL300 @12

Where the rule fixes, ``<fixture>.fixed.py`` next to it is the exact result of
``asynclint check --select CODE --fix --unsafe-fixes`` on the fixture.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Mapping, Optional, Sequence, Set, Tuple, Type, Union

from .engine import FileResult, FileSettings, Linter
from .index import EMPTY_INDEX, ProjectIndex
from .registry import load_rules
from .rule import FixKind, Rule
from .source import decode

RuleLike = Union[str, Type[Rule]]

#: ``ASL123.py``, ``ASL123_trio.py``: the code of the rule a fixture is about.
FIXTURE_NAME = re.compile(r"(ASL\d{3})(?:_[a-z0-9_]+)?\.py")
_MARKER = re.compile(r"#\s*error:\s*(?P<items>ASL\d{3}.*)$")
_ITEM = re.compile(r'\s*(?P<code>ASL\d{3})(?:\s*@(?P<column>\d+))?(?:\s*"(?P<fragment>[^"]*)")?\s*')


@dataclass(frozen=True)
class Expected:
    """One marker item: a finding of ``code`` on ``line``, at ``column`` and with ``fragment`` in
    its message when those are given."""

    line: int
    code: str
    column: Optional[int] = None
    fragment: Optional[str] = None


def expected_findings(text: str) -> List[Expected]:
    """The findings a fixture's markers ask for, in line order."""
    expected: List[Expected] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _MARKER.search(line)
        if match is None:
            continue
        for item in match.group("items").split(","):
            parsed = _ITEM.fullmatch(item)
            if parsed is None:
                raise ValueError(f"line {number}: cannot read the marker item {item.strip()!r}")
            column = parsed.group("column")
            expected.append(
                Expected(
                    number,
                    parsed.group("code"),
                    int(column) if column else None,
                    parsed.group("fragment"),
                )
            )
    return expected


def resolve_rules(rules: Iterable[RuleLike]) -> Tuple[Type[Rule], ...]:
    """Rule classes for codes (looked up among the registered rules) or classes."""
    registered: Optional[Dict[str, Type[Rule]]] = None
    resolved = []
    for rule in rules:
        if isinstance(rule, str):
            if registered is None:
                registered = {r.code: r for r in load_rules()}
            if rule not in registered:
                raise KeyError(f"no registered rule has the code {rule}")
            resolved.append(registered[rule])
        else:
            resolved.append(rule)
    return tuple(resolved)


def lint(
    text: str,
    *rules: RuleLike,
    path: str = "example.py",
    module_name: Optional[str] = None,
    framework: Optional[str] = None,
    explicit: Optional[Iterable[str]] = None,
    catalogues: Mapping[str, Mapping[str, str]] = {},
    index: ProjectIndex = EMPTY_INDEX,
    fix: bool = False,
    unsafe_fixes: bool = True,
    edits: bool = False,
    dedent: bool = True,
) -> FileResult:
    """Lint ``text`` as the file ``path`` and return the engine's result (``findings``, and
    ``fixed_text`` with ``fix``).

    ``rules``: codes of registered rules or rule classes; none means every default-on rule.
    ``explicit``: the codes selected explicitly, which run even on frameworks outside a rule's
    ``default_frameworks`` (default: the codes of ``rules``, as ``--select`` would make them).
    ``catalogues``: configuration extensions, ``{"blocking-calls": {"mylib.fetch": "note"}}``.
    ``index``: the project index the file is linted against (default: none).
    ``dedent``: remove the common indentation first, for snippets written inside a test.
    """
    classes = resolve_rules(rules) if rules else tuple(r for r in load_rules() if r.default)
    if dedent:
        text = textwrap.dedent(text)
    settings = FileSettings(
        classes,
        framework=framework,
        module_name=module_name or _module_name(path),
        explicit=frozenset(
            explicit if explicit is not None else (rule.code for rule in resolve_rules(rules))
        ),
        catalogues=tuple(
            sorted((key, tuple(sorted(table.items()))) for key, table in catalogues.items())
        ),
    )
    return Linter(index).lint_source(
        decode(text.encode("utf-8"), path),
        settings,
        fix=fix,
        unsafe_fixes=unsafe_fixes,
        edits=edits,
    )


def _module_name(path: str) -> str:
    parts = Path(path).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts) or "example"


def fixture_rule(path: Union[str, Path]) -> str:
    """The code a fixture file is about, from its name."""
    match = FIXTURE_NAME.fullmatch(Path(path).name)
    if match is None:
        raise ValueError(f"{Path(path).name} is not a fixture name (ASLnnn.py, ASLnnn_variant.py)")
    return match.group(1)


def _lint_fixture(path: Path, rule: Type[Rule], *, fix: bool, only_rule: bool) -> FileResult:
    """The fixture under its rule, selected explicitly, with (unless ``only_rule``) every
    default-on rule at once: a near miss must not trip any of them either."""
    rules: Sequence[Type[Rule]] = (rule,)
    if not only_rule:
        others = [r for r in load_rules() if r.default and r.code != rule.code]
        rules = tuple(sorted([*others, rule], key=lambda r: r.code))
    source = decode(path.read_bytes(), str(path))
    settings = FileSettings(tuple(rules), module_name="fixture", explicit=frozenset({rule.code}))
    return Linter().lint_source(source, settings, fix=fix, unsafe_fixes=True)


def check_findings(path: Union[str, Path], rule: Optional[RuleLike] = None) -> None:
    """Assert that the fixture's findings are exactly what its markers say."""
    path = Path(path)
    (rule_class,) = resolve_rules([rule if rule is not None else fixture_rule(path)])
    result = _lint_fixture(path, rule_class, fix=False, only_rule=False)
    expected = expected_findings(path.read_text(encoding="utf-8"))
    assert expected, f"{path.name} flags nothing: a fixture needs flagged cases"
    wanted: Set[Tuple[int, str]] = {(e.line, e.code) for e in expected}
    actual: Set[Tuple[int, str]] = {(f.line, f.code) for f in result.findings}
    extra, missing = sorted(actual - wanted), sorted(wanted - actual)
    assert not extra and not missing, (
        f"{path.name}: reported but not marked '# error:' {extra}; "
        f"marked '# error:' but not reported {missing}"
    )
    for item in expected:
        found = [f for f in result.findings if (f.line, f.code) == (item.line, item.code)]
        if item.column is not None:
            columns = sorted(f.column for f in found)
            assert item.column in columns, (
                f"{path.name}:{item.line}: {item.code} expected at column {item.column}, "
                f"reported at {columns}"
            )
        if item.fragment is not None:
            messages = [f.message for f in found]
            assert any(item.fragment in message for message in messages), (
                f"{path.name}:{item.line}: {item.code} message should contain "
                f"{item.fragment!r}: {messages}"
            )


def fixed_text(path: Union[str, Path], rule: Optional[RuleLike] = None) -> str:
    """What ``asynclint check --select CODE --fix --unsafe-fixes`` makes of the fixture."""
    path = Path(path)
    (rule_class,) = resolve_rules([rule if rule is not None else fixture_rule(path)])
    result = _lint_fixture(path, rule_class, fix=True, only_rule=True)
    return result.fixed_text if result.fixed_text is not None else path.read_text(encoding="utf-8")


def check_fix(path: Union[str, Path], rule: Optional[RuleLike] = None) -> None:
    """Assert that the fixture's ``.fixed.py`` is exactly the fixed fixture (and exists exactly
    when the rule fixes), and that the fixed file has nothing left to fix."""
    path = Path(path)
    (rule_class,) = resolve_rules([rule if rule is not None else fixture_rule(path)])
    fixed_path = path.with_name(path.stem + ".fixed.py")
    if rule_class.fix_kind is FixKind.NONE:
        assert not fixed_path.exists(), (
            f"{rule_class.code} declares no fix, yet {fixed_path.name} exists"
        )
        return
    assert fixed_path.exists(), (
        f"{rule_class.code} fixes: {fixed_path.name} must hold the expected result "
        "(pytest --update-fixtures writes it for review)"
    )
    assert fixed_text(path, rule_class) == fixed_path.read_text(encoding="utf-8"), (
        f"{fixed_path.name} differs from the fix (pytest --update-fixtures rewrites it for review)"
    )
    again = _lint_fixture(fixed_path, rule_class, fix=False, only_rule=True)
    assert [f for f in again.findings if f.fix is not None] == [], (
        f"{fixed_path.name} still has fixable findings"
    )


def check_fixture(path: Union[str, Path], rule: Optional[RuleLike] = None) -> None:
    """Hold a rule to its fixture: exact findings, and exact fix where the rule fixes.
    ``rule`` (a code or a class) defaults to the code the file is named after."""
    check_findings(path, rule)
    check_fix(path, rule)


def update_fixed(path: Union[str, Path], rule: Optional[RuleLike] = None) -> Optional[Path]:
    """Write the fixture's ``.fixed.py`` from the engine's output (for review, then commit);
    None when the rule does not fix."""
    path = Path(path)
    (rule_class,) = resolve_rules([rule if rule is not None else fixture_rule(path)])
    if rule_class.fix_kind is FixKind.NONE:
        return None
    fixed_path = path.with_name(path.stem + ".fixed.py")
    fixed_path.write_text(fixed_text(path, rule_class), encoding="utf-8")
    return fixed_path


__all__ = [
    "Expected",
    "check_findings",
    "check_fix",
    "check_fixture",
    "expected_findings",
    "fixed_text",
    "fixture_rule",
    "lint",
    "update_fixed",
]
