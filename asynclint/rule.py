"""The rule API: what a rule declares, what it can ask, and how it reports.

A rule is a class. Its metadata (code, name, message, rationale, examples, frameworks, whether it
is on by default, what kind of fix it offers) is documentation and configuration at once: the CLI's
``rules`` and ``explain`` commands, the README table and the config validator all read it.

A rule observes the syntax tree through visitor hooks named after libcst node classes,
``visit_Call(self, node)`` and ``leave_FunctionDef(self, node)``, called during the engine's one
traversal of each file. Everything a rule needs to know about the code around a node (qualified
names, the enclosing coroutine, how a value is used, the framework) it asks ``self.model``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, ClassVar, FrozenSet, List, Optional, Tuple, Union

import libcst as cst

if TYPE_CHECKING:
    from .engine import FileRun
    from .model import SemanticModel

FRAMEWORKS: FrozenSet[str] = frozenset({"asyncio", "trio", "anyio"})
#: How serious a finding is, most serious first. One value per rule (``Rule.severity``) or engine
#: diagnostic decides every output's level: SARIF ``level``, GitHub annotation command, GitLab
#: severity, the language server's diagnostic severity.
SEVERITIES: Tuple[str, ...] = ("error", "warning", "note")


class FixKind(str, Enum):
    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes


@dataclass(frozen=True)
class Fix:
    """Replace ``node`` with ``replacement``; ``imports`` are modules the replacement refers to.

    ``imports`` lists module names (``"asyncio"``) that must be bound by a plain ``import`` for the
    replacement to work; the fixer adds the missing ones once at the top of the module.
    """

    node: cst.CSTNode
    replacement: Union[cst.CSTNode, cst.RemovalSentinel]
    message: str
    applicability: FixKind = FixKind.SAFE
    imports: Tuple[str, ...] = ()


@dataclass
class Finding:
    """One reported problem, positioned 1-based (columns too, as flake8 and ruff print them)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    message: str
    fix_applicability: Optional[str] = None  # "safe" | "unsafe" | None
    fix_message: Optional[str] = None
    fix: Optional[Fix] = field(default=None, repr=False, compare=False)
    #: The fix as text edits, computed only when asked for (editors): see fixer.text_edits.
    edits: Optional[List[dict]] = field(default=None, repr=False, compare=False)

    @property
    def sort_key(self) -> Tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def portable(self) -> "Finding":
        """A copy without syntax-tree references, cheap to send between processes."""
        return Finding(
            self.path,
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.code,
            self.name,
            self.message,
            self.fix_applicability,
            self.fix_message,
            edits=self.edits,
        )


class Rule:
    """Base class of every rule. Subclasses set the metadata and define visitor hooks."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""  # kebab-case
    message: ClassVar[str] = ""  # the default one-line message
    rationale: ClassVar[str] = ""  # why it matters, for `asynclint explain`
    bad: ClassVar[str] = ""  # example that is flagged
    good: ClassVar[str] = ""  # the same code done right
    frameworks: ClassVar[FrozenSet[str]] = FRAMEWORKS
    default: ClassVar[bool] = True  # on unless deselected; opinionated rules say False
    #: A default-on rule runs by default only on files of these frameworks; on the others it runs
    #: when selected explicitly (``select``/``extend-select``). For rules whose verdict depends on
    #: the framework's semantics (trio cancels cleanup at once, asyncio does not).
    default_frameworks: ClassVar[FrozenSet[str]] = FRAMEWORKS
    fix_kind: ClassVar[FixKind] = FixKind.NONE
    #: One of SEVERITIES. Rules report code that works, but badly: "warning" unless a rule says more.
    severity: ClassVar[str] = "warning"
    #: The rule's documentation page, shown in SARIF, JSON and the editor. A third-party pack sets
    #: it; the built-in rules' pages are found from the package's ``[project.urls]`` "Rules" entry.
    url: ClassVar[Optional[str]] = None
    #: The engine skips parsing a file that contains none of the enabled rules' tokens.
    #: A rule that can fire without any of them must leave this empty (never skip).
    tokens: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, run: "FileRun") -> None:
        self._run = run
        self.model: "SemanticModel" = run.model

    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        fix: Optional[Fix] = None,
    ) -> None:
        """Report a finding at ``node``. A fix whose kind exceeds the rule's declared one is a bug."""
        if fix is not None and self.fix_kind is FixKind.NONE:
            raise TypeError(f"{self.code} declares no fix but reported one")
        self._run.add(self, node, message or self.message, fix)

    @classmethod
    def applies_to(cls, framework: str) -> bool:
        return framework in cls.frameworks

    @classmethod
    def check_metadata(cls) -> None:
        """Raise ValueError naming what a rule class is missing; run when a pack is loaded."""
        import re

        missing = [
            attr
            for attr in ("code", "name", "message", "rationale", "bad", "good")
            if not getattr(cls, attr)
        ]
        if missing:
            raise ValueError(f"rule {cls.__qualname__} lacks {', '.join(missing)}")
        if not re.fullmatch(r"ASL[1-9]\d\d", cls.code):
            raise ValueError(
                f"rule {cls.__qualname__}: code {cls.code!r} is not ASL followed by 3 digits (1xx-9xx)"
            )
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", cls.name):
            raise ValueError(f"rule {cls.code}: name {cls.name!r} is not kebab-case")
        if cls.severity not in SEVERITIES:
            raise ValueError(
                f"rule {cls.code}: severity {cls.severity!r} is not one of {', '.join(SEVERITIES)}"
            )
        for attr in ("frameworks", "default_frameworks"):
            unknown = getattr(cls, attr) - FRAMEWORKS
            if unknown:
                raise ValueError(f"rule {cls.code}: unknown {attr} {sorted(unknown)}")


@dataclass(frozen=True)
class Diagnostic:
    """An engine diagnostic (ASL0xx): metadata only, they are reported by the engine itself."""

    code: str
    name: str
    message: str
    rationale: str
    #: Reported whatever is selected (unless ignored); False: only when selected explicitly.
    default: bool = True
    #: One of SEVERITIES: a file that could not be linted is an error.
    severity: str = "error"


ENGINE_DIAGNOSTICS = {
    d.code: d
    for d in (
        Diagnostic(
            "ASL000",
            "internal-error",
            "asynclint failed on this file",
            "A rule or the engine crashed on this file. The rest of the run went on. Please report it "
            "with the file (or a reduced version of it).",
        ),
        Diagnostic(
            "ASL001",
            "syntax-error",
            "the file does not parse",
            "The file is not valid Python for the parser, so no rule could look at it. The message "
            "gives the parser's line and column.",
        ),
        Diagnostic(
            "ASL002",
            "undecodable-file",
            "the file is not decodable text",
            "The bytes could not be decoded with the encoding declared by a BOM or a PEP 263 "
            "'# -*- coding: ... -*-' line (UTF-8 when none is declared), or the file contains NUL "
            "bytes and looks binary.",
        ),
        Diagnostic(
            "ASL003",
            "unreadable-path",
            "the path cannot be read",
            "The path does not exist, is not readable, is a directory where a file was expected, "
            "or is a symbolic link that loops or dangles.",
        ),
        Diagnostic(
            "ASL004",
            "file-too-large",
            "the file is too large to lint",
            "Files over the size limit (8 MiB) are skipped: they are almost always generated.",
        ),
        Diagnostic(
            "ASL005",
            "fix-not-written",
            "a fix could not be written",
            "--fix computed a change but the file was left untouched: it is read-only, the fixed "
            "code did not parse, or writing failed. Nothing was lost.",
        ),
        Diagnostic(
            "ASL006",
            "unused-noqa",
            "a noqa comment suppresses nothing",
            "A '# noqa: CODE' comment names an asynclint rule that ran on the file and found "
            "nothing on that line, or a '# asynclint: noqa: CODE' file directive whose rules found "
            "nothing in the file, so the comment would hide the next real finding there without "
            "anyone deciding it should. Remove the code (or the comment). Also reported: an unknown "
            "ASL code in a noqa comment, and a '# asynclint: noqa' directive below the file's "
            "header, where it has no effect. Codes of rules that did not run (not selected, ignored "
            "for the file, another framework's) are never judged, nor are the peers' codes "
            "(ASYNC251 is there for flake8-async or ruff too, whose rule reaches further or less far), "
            "other tools' codes and a bare '# noqa'. Off unless selected: "
            "'--extend-select ASL006'.",
            default=False,
            severity="warning",
        ),
    )
}
