"""The engine: one parse, one semantic model and one traversal per file, for every enabled rule.

Rules never walk the tree themselves. The engine walks it once with its own iterative walker
(libcst's visitor rebuilds every node as it goes, which costs more than the parse), keeps the
model's stack in step, and calls each rule's ``visit_<Node>``/``leave_<Node>`` hooks. Positions are
computed only for files that have findings, in one code-generation pass, and fixes are applied only
when asked for.
"""

from __future__ import annotations

import ast
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Type

import libcst as cst

from . import fixer, noqa
from .findings import ENGINE_DIAGNOSTICS, Finding
from .guard import compiles, screen
from .index import EMPTY_INDEX, ProjectIndex, overlay
from .model import SemanticModel
from .rule import Fix, FixKind, Rule
from .source import Source, SourceError, read, write_fixed
from .syntax import child_fields, positions
from .workers import OverBudget, deadline

#: Fix passes per file: a fix can enable another (a nested call), but never forever.
MAX_FIX_PASSES = 10


# isinstance() against libcst's abstract base classes is slow; classify each concrete type once.
_NODE, _SEQUENCE, _OTHER = "node", "sequence", "other"
_VALUE_KINDS: Dict[type, str] = {}
_NODE_TYPES: set = set()


def _value_kind(value: object) -> str:
    if isinstance(value, cst.CSTNode):
        _NODE_TYPES.add(type(value))
        return _NODE
    return _SEQUENCE if isinstance(value, (tuple, list)) else _OTHER


def _is_node(item: object) -> bool:
    return _value_kind(item) is _NODE


class _Hooks:
    """The enabled rules' visitor hooks, indexed by node class, for one file."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.visit: Dict[type, List[Callable]] = {}
        self.leave: Dict[type, List[Callable]] = {}
        for rule in rules:
            for attribute, (table, node_type) in _hook_names(type(rule)).items():
                getattr(self, table).setdefault(node_type, []).append(getattr(rule, attribute))


_HOOK_CACHE: Dict[type, Dict[str, Tuple[str, type]]] = {}


def _hook_names(rule_type: type) -> Dict[str, Tuple[str, type]]:
    hooks = _HOOK_CACHE.get(rule_type)
    if hooks is None:
        hooks = {}
        for attribute in dir(rule_type):
            prefix, _, node_name = attribute.partition("_")
            if prefix in ("visit", "leave") and node_name:
                node_type = getattr(cst, node_name, None)
                if not (isinstance(node_type, type) and issubclass(node_type, cst.CSTNode)):
                    raise TypeError(
                        f"{rule_type.__name__}.{attribute}: libcst has no node class {node_name}"
                    )
                hooks[attribute] = (prefix, node_type)
        _HOOK_CACHE[rule_type] = hooks
    return hooks


def walk(module: cst.Module, model: SemanticModel, hooks: _Hooks) -> None:
    """Visit every node once, depth first, in source order, keeping the model's stack in step.

    Leave events are not queued: a node is left when the walk next returns to its depth.
    """
    visit, leave = hooks.visit, hooks.leave
    stack = model.stack
    pending: List[Tuple[cst.CSTNode, int]] = [(module, 0)]
    while pending:
        node, depth = pending.pop()
        while len(stack) > depth:
            _leave(stack, model, leave)
        node_type = type(node)
        model.enter(node)
        for hook in visit.get(node_type, ()):
            hook(node)
        fields = child_fields(node_type)
        children: List[cst.CSTNode] = []
        for name in fields:
            value = getattr(node, name)
            kind = _VALUE_KINDS.get(type(value))
            if kind is None:
                kind = _VALUE_KINDS[type(value)] = _value_kind(value)
            if kind is _NODE:
                children.append(value)
            elif kind is _SEQUENCE:
                children.extend(
                    item for item in value if type(item) in _NODE_TYPES or _is_node(item)
                )
        depth += 1
        for child in reversed(children):
            pending.append((child, depth))
    while stack:
        _leave(stack, model, leave)


def _leave(
    stack: List[cst.CSTNode], model: SemanticModel, leave: Dict[type, List[Callable]]
) -> None:
    node = stack[-1]
    for hook in leave.get(type(node), ()):
        hook(node)
    model.leave(node)


def parse_module(text: str) -> cst.Module:
    """Parse with libcst, without re-validating each node the parser builds.

    Node validation exists to catch hand-built trees that could not be printed back; the parser's
    output is valid by construction, and validating it costs about a sixth of the parse. Fix
    replacements, built by rules, are still validated: validation is off only during this call.
    """
    node_class = cst.CSTNode
    with _VALIDATION_SWITCH:  # the switch is process-wide: one parse at a time may hold it
        validate = node_class.__dict__.get("__post_init__")
        if validate is None or validate is _no_validation:
            return cst.parse_module(text)
        node_class.__post_init__ = _no_validation  # type: ignore[method-assign]
        try:
            return cst.parse_module(text)
        finally:
            node_class.__post_init__ = validate  # type: ignore[method-assign]


_VALIDATION_SWITCH = threading.Lock()


def _no_validation(self: cst.CSTNode) -> None:
    return None


@dataclass
class _Report:
    rule: Rule
    node: cst.CSTNode
    message: str
    fix: Optional[Fix]


class FileRun:
    """One file's pass: the model, the rule instances and what they reported."""

    def __init__(self, model: SemanticModel) -> None:
        self.model = model
        self.reports: List[_Report] = []

    def add(self, rule: Rule, node: cst.CSTNode, message: str, fix: Optional[Fix]) -> None:
        self.reports.append(_Report(rule, node, message, fix))


@dataclass
class FileResult:
    path: str
    findings: List[Finding] = field(default_factory=list)
    fixed_text: Optional[str] = None  # set when --fix changed the file
    fixes_applied: int = 0
    unfixed_findings: List[Finding] = field(default_factory=list)  # before any fix was applied
    source: Optional[Source] = None


@dataclass(frozen=True)
class FileSettings:
    """What the engine needs to know to lint one file (derived from the configuration)."""

    rules: Tuple[Type[Rule], ...]
    framework: Optional[str] = None
    module_name: str = "__main__"
    ignored_diagnostics: frozenset = frozenset()
    #: Codes selected explicitly: they run even on frameworks outside their default_frameworks.
    explicit: frozenset = frozenset()
    #: The configured catalogue extensions, as sorted ((key, ((name, note), ...)), ...) (hashable).
    catalogues: Tuple[Tuple[str, Tuple[Tuple[str, str], ...]], ...] = ()


class Linter:
    """Lints sources with a fixed set of rule classes. Picklable, so workers can carry it."""

    def __init__(self, index: ProjectIndex = EMPTY_INDEX) -> None:
        self.index = index

    # -- public entry points --------------------------------------------------------------------

    def lint_path(
        self,
        path: str,
        settings: FileSettings,
        *,
        fix: bool = False,
        unsafe_fixes: bool = False,
        write: bool = True,
        time_budget: Optional[float] = None,
        roots: Sequence[str] = (),
    ) -> FileResult:
        """Lint a file, and write its fixes back (with ``fix`` and ``write``). ``time_budget``
        (seconds) bounds the analysis: a file over it gets ASL007 and is not written. Fixes are
        written only inside ``roots`` (real paths; empty: anywhere) and only over the file as it
        was read."""
        try:
            with deadline(time_budget):
                try:
                    source = read(path)
                except SourceError as error:
                    return self._diagnostic(path, error, settings)
                result = self.lint_source(source, settings, fix=fix, unsafe_fixes=unsafe_fixes)
        except OverBudget:
            result = FileResult(path)
            self._add_diagnostic(
                result,
                settings,
                "ASL007",
                f"analysis took over {time_budget:g} s of CPU time (the time budget); stopped",
            )
            return result
        if result.fixed_text is not None and write:
            try:
                write_fixed(path, source, source.encode(result.fixed_text), roots)
            except OSError as error:
                # Nothing changed on disk, so what was found in the file as it is still stands.
                result.findings = result.unfixed_findings
                result.fixed_text = None
                result.fixes_applied = 0
                self._add_diagnostic(
                    result, settings, "ASL005", f"fixes not written: {error.strerror or error}"
                )
        return result

    def lint_source(
        self,
        source: Source,
        settings: FileSettings,
        *,
        fix: bool = False,
        unsafe_fixes: bool = False,
        edits: bool = False,
    ) -> FileResult:
        """Lint one source. ``fix`` applies fixes (safe ones, and unsafe ones with ``unsafe_fixes``)
        to a fixed point; ``edits`` describes each finding's fix as text edits instead."""
        result = FileResult(source.path, source=source)
        _ensure_recursion_room()
        if noqa.file_silenced(source.text):
            return result  # '# asynclint: noqa' in the header: the file is not linted
        rules = self._relevant_rules(source.text, settings)
        judge_noqa = UNUSED_NOQA not in settings.ignored_diagnostics
        if not rules and not (judge_noqa and noqa.mentions_noqa(source.text)):
            # Nothing to analyse, but a file that does not compile is still worth saying so.
            if settings.rules and "ASL001" not in settings.ignored_diagnostics:
                error = _syntax_error(source.text, source.path)
                if error is not None:
                    self._add_diagnostic(result, settings, "ASL001", *error)
            return result
        text = source.text
        problem = screen(text, source.path)
        if problem is not None:
            self._add_diagnostic(
                result, settings, problem.code, problem.message, problem.line, problem.column
            )
            return result
        applied_total = 0
        for _ in range(MAX_FIX_PASSES if fix else 1):
            try:
                module = parse_module(text)
            except cst.ParserSyntaxError as error:
                if text is not source.text:  # a fix broke the code: keep the last good version
                    break
                # CPython accepted the code (the screen) but libcst does not.
                self._add_diagnostic(
                    result,
                    settings,
                    "ASL001",
                    f"syntax error: {error.message}",
                    line=error.raw_line,
                    column=error.raw_column + 1,
                )
                return result
            try:
                findings, ran = self._run_rules(module, source.path, text, settings, rules)
                findings = _suppress(findings, text, source.path, ran, judge_noqa)
            except Exception as error:  # a crash on one file must not end the run
                self._add_diagnostic(
                    result, settings, "ASL000", f"internal error: {type(error).__name__}: {error}"
                )
                return result
            result.findings = findings
            if text is source.text:
                result.unfixed_findings = findings
            if edits:
                for finding in findings:
                    if finding.fix is not None:
                        fixed_text, _ = _apply_fixes(module, [finding.fix], text)
                        if compiles(fixed_text, source.path) is None:
                            finding.edits = fixer.text_edits(text, fixed_text)
                        else:  # never offer an editor code that CPython rejects
                            finding.fix = None
                            finding.fix_applicability = finding.fix_message = None
            if not fix:
                break
            fixes = [f.fix for f in findings if f.fix is not None and _allowed(f.fix, unsafe_fixes)]
            if not fixes:
                break
            new_text, applied = _apply_fixes(module, fixes, text)
            if applied == 0 or new_text == text:
                break
            problem = compiles(new_text, source.path)
            if problem is not None:
                self._add_diagnostic(
                    result, settings, "ASL005", _refusal(problem, text, source.path)
                )
                break
            text = new_text
            applied_total += applied
        if applied_total:
            result.fixed_text = text
            result.fixes_applied = applied_total
        return result

    # -- internals ------------------------------------------------------------------------------

    def _relevant_rules(self, text: str, settings: FileSettings) -> Tuple[Type[Rule], ...]:
        """The pre-filter: rules none of whose tokens occur in the file cannot fire, so are
        dropped."""
        return tuple(
            rule
            for rule in settings.rules
            if not rule.tokens or any(t in text for t in rule.tokens)
        )

    def _run_rules(
        self,
        module: cst.Module,
        path: str,
        text: str,
        settings: FileSettings,
        rule_types: Sequence[Type[Rule]],
    ) -> Tuple[List[Finding], FrozenSet[str]]:
        """The rules' findings, before noqa comments, and the codes of the file's rules that ran:
        every rule enabled for the file that applies to its framework (those the pre-filter left
        out ran too, in effect: they could not fire)."""
        index = overlay(self.index, text, path, settings.module_name)
        model = SemanticModel(
            module,
            module_name=settings.module_name,
            framework=settings.framework,
            index=index,
            settings={key: dict(table) for key, table in settings.catalogues},
            is_package=os.path.basename(path) == "__init__.py",
        )
        run = FileRun(model)
        framework = model.framework
        ran = frozenset(
            rule_type.code
            for rule_type in settings.rules
            if rule_type.applies_to(framework)
            and (framework in rule_type.default_frameworks or rule_type.code in settings.explicit)
        )
        rules = [rule_type(run) for rule_type in rule_types if rule_type.code in ran]
        if rules:
            walk(module, model, _Hooks(rules))
        if not run.reports:
            return [], ran
        spans = positions(module)
        findings = []
        for report in run.reports:
            span = spans[report.node]
            line, column = span.start.line, span.start.column + 1
            fix = report.fix
            findings.append(
                Finding(
                    path,
                    line,
                    column,
                    span.end.line,
                    span.end.column + 1,
                    report.rule.code,
                    report.rule.name,
                    report.message,
                    fix.applicability.value if fix else None,
                    fix.message if fix else None,
                    fix,
                )
            )
        findings.sort(key=lambda f: f.sort_key)
        return findings, ran

    def _diagnostic(self, path: str, error: SourceError, settings: FileSettings) -> FileResult:
        result = FileResult(path)
        self._add_diagnostic(
            result, settings, error.code, error.message, line=error.line, column=error.column
        )
        return result

    @staticmethod
    def _add_diagnostic(
        result: FileResult,
        settings: FileSettings,
        code: str,
        message: str,
        line: int = 1,
        column: int = 1,
    ) -> None:
        if code in settings.ignored_diagnostics:
            return
        diagnostic = ENGINE_DIAGNOSTICS[code]
        result.findings.append(
            Finding(result.path, line, column, line, column, code, diagnostic.name, message)
        )


def _refusal(problem: SourceError, before: str, path: str) -> str:
    """Why the fixes of a pass were not applied: the fixed text does not compile (or is too
    complex); said differently when the text before the fixes did not compile either."""
    if problem.code != "ASL001":
        return (
            f"the fixed code would be {problem.message.replace('; skipped', '')}; fixes not applied"
        )
    already = compiles(before, path)
    if already is not None:
        return (
            f"the file does not compile with CPython ({already.message}, line {already.line}); "
            "fixes not applied"
        )
    return (
        f"a fix produced code that CPython rejects ({problem.message}, line {problem.line}); "
        "those fixes were not applied"
    )


def _apply_fixes(module: cst.Module, fixes: Sequence[Fix], text: str) -> Tuple[str, int]:
    """The text with ``fixes`` applied, ending as ``text`` does: libcst drops the final line break
    of a file whose lines end with a carriage return alone."""
    fixed, applied = fixer.apply(module, fixes)
    if text.endswith("\r") and not fixed.endswith(("\r", "\n")):
        fixed += "\r"
    return fixed, applied


#: Python frames the engine may need: libcst's code generation and transformers recurse about
#: ten frames per level of the screened syntax tree (at most guard.MAX_NESTING levels).
RECURSION_LIMIT = 10_000


def _ensure_recursion_room() -> None:
    if sys.getrecursionlimit() < RECURSION_LIMIT:
        sys.setrecursionlimit(RECURSION_LIMIT)


#: The engine diagnostic for noqa comments that silence nothing; off unless selected.
UNUSED_NOQA = "ASL006"


def _suppress(
    findings: List[Finding], text: str, path: str, ran: FrozenSet[str], judge: bool
) -> List[Finding]:
    """The findings that no noqa comment silences; with ``judge``, plus an ASL006 finding for each
    noqa comment that silences nothing it could (see ``noqa.Suppressions.unused``)."""
    if not (findings or judge) or not noqa.mentions_noqa(text):
        return findings
    suppressions = noqa.Suppressions(text)
    kept = [f for f in findings if suppressions.suppressing(f.line, f.code) is None]
    if not judge:
        return kept
    from .registry import all_codes

    name = ENGINE_DIAGNOSTICS[UNUSED_NOQA].name
    for directive, message in suppressions.unused(ran, all_codes()):
        if suppressions.suppressing(directive.line, UNUSED_NOQA, mark=False) is None:
            line = directive.line
            kept.append(
                Finding(
                    path,
                    line,
                    directive.column,
                    line,
                    directive.end_column,
                    UNUSED_NOQA,
                    name,
                    message,
                )
            )
    kept.sort(key=lambda f: f.sort_key)
    return kept


def _syntax_error(text: str, path: str) -> Optional[Tuple[str, int, int]]:
    """CPython's verdict on the code: (message, line, column) of its syntax error, or None."""
    try:
        compile(text, path, "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        return f"syntax error: {error.msg}", error.lineno or 1, error.offset or 1
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


def _allowed(fix: Fix, unsafe_fixes: bool) -> bool:
    return fix.applicability is FixKind.SAFE or (
        unsafe_fixes and fix.applicability is FixKind.UNSAFE
    )
