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

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, ClassVar, FrozenSet, Optional, Protocol, Tuple, Union

import libcst as cst

from .findings import SEVERITIES

if TYPE_CHECKING:
    from .model import SemanticModel


class Reporter(Protocol):
    """Where a rule's reports go: the engine's pass over one file."""

    model: SemanticModel

    def add(self, rule: Rule, node: cst.CSTNode, message: str, fix: Optional[Fix]) -> None: ...


FRAMEWORKS: FrozenSet[str] = frozenset({"asyncio", "trio", "anyio"})


class FixKind(str, Enum):
    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"  # applied only with --unsafe-fixes


@dataclass(frozen=True)
class Fix:
    """Replace ``node`` with ``replacement``; what the replacement needs at module level comes
    with it.

    ``imports`` lists module names (``"asyncio"``) that must be bound by a plain ``import`` for the
    replacement to work; the fixer adds the missing ones once at the top of the module.
    ``definitions`` lists module-level names the replacement uses, with the source of their value
    (``(("_background_tasks", "set()"),)``): the fixer adds ``name = value`` once, after the
    imports, unless the module already has exactly that; a fix whose name already means something
    else in the module is not applied.
    """

    node: cst.CSTNode
    replacement: Union[cst.CSTNode, cst.RemovalSentinel, cst.FlattenSentinel]
    message: str
    applicability: FixKind = FixKind.SAFE
    imports: Tuple[str, ...] = ()
    definitions: Tuple[Tuple[str, str], ...] = ()


class Rule:
    """Base class of every rule. Subclasses set the metadata and define visitor hooks."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = (
        ""  # kebab-case; the class is named after it (blocking-sleep: BlockingSleep)
    )
    message: ClassVar[str] = ""  # the default one-line message
    #: The documentation, rendered by ``asynclint explain``, the README table and docs/rules/
    #: (see asynclint/docs.py). Text fields are paragraphs separated by blank lines; an indented
    #: paragraph is code, lines starting with "- " are a list.
    summary: ClassVar[str] = ""  # what it finds, one line of markdown (default: the message)
    fix_summary: ClassVar[str] = ""  # what its fix does, one line of markdown
    rationale: ClassVar[str] = ""  # Why: why it matters, what exactly it reports
    not_flagged: ClassVar[str] = ""  # Not flagged: the near misses it leaves alone on purpose
    fix_safety: ClassVar[str] = ""  # Fix safety: when the fix may change behaviour
    options: ClassVar[str] = ""  # Options: configuration that changes what it reports
    bad: ClassVar[str] = ""  # example that is flagged, with its imports: it must run as written
    good: ClassVar[str] = ""  # the same code done right: nothing is flagged in it
    frameworks: ClassVar[FrozenSet[str]] = FRAMEWORKS
    default: ClassVar[bool] = True  # on unless deselected; opinionated rules say False
    #: A default-on rule runs by default only on files of these frameworks; on the others it runs
    #: when selected explicitly (``select``/``extend-select``). For rules whose verdict depends on
    #: the framework's semantics (trio cancels cleanup at once, asyncio does not).
    default_frameworks: ClassVar[FrozenSet[str]] = FRAMEWORKS
    fix_kind: ClassVar[FixKind] = FixKind.NONE
    #: One of SEVERITIES. A rule reports code that works, but badly: "warning" unless it says more.
    severity: ClassVar[str] = "warning"
    #: The rule's documentation page, shown in SARIF, JSON and the editor. A third-party pack sets
    #: it; the built-in rules' pages are found from the package's ``[project.urls]`` "Rules" entry.
    url: ClassVar[Optional[str]] = None
    #: The engine skips parsing a file that contains none of the enabled rules' tokens.
    #: A rule that can fire without any of them must leave this empty (never skip).
    tokens: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, run: Reporter) -> None:
        self._run = run
        self.model: SemanticModel = run.model

    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        fix: Optional[Fix] = None,
    ) -> None:
        """Report a finding at ``node``. A fix whose kind exceeds the rule's declared one is a
        bug."""
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
                f"rule {cls.__qualname__}: code {cls.code!r} is not ASL followed by 3 digits "
                "(1xx-9xx)"
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
