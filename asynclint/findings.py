"""What a run produces: findings, and the engine's own diagnostics (ASL0xx) with their metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, List, Optional, Tuple

if TYPE_CHECKING:
    from .rule import Fix


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

    def portable(self) -> Finding:
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


#: How serious a finding is, most serious first. One value per rule (``Rule.severity``) or engine
#: diagnostic decides every output's level: SARIF ``level``, GitHub annotation command, GitLab
#: severity, the language server's diagnostic severity.
SEVERITIES: Tuple[str, ...] = ("error", "warning", "note")


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
            "A rule or the engine crashed on this file. The rest of the run went on. Please "
            "report it "
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
            "is not a regular file (a FIFO or a device: never read, it could hang or never end), "
            "is a symbolic link that loops or dangles, or is a link found while walking whose "
            "target is outside the linted tree (not followed).",
        ),
        Diagnostic(
            "ASL004",
            "file-too-large",
            "the file is too large to lint",
            "Files over the size limit (2 MiB) are skipped: they are almost always generated, and "
            "parsing one costs gigabytes.",
        ),
        Diagnostic(
            "ASL005",
            "fix-not-written",
            "a fix could not be written",
            "--fix computed a change but the file was left untouched: it is read-only, it changed "
            "on disk since asynclint read it (an editor saved it, another --fix ran), it is a "
            "symbolic link to a file outside the linted tree, the fixed code would not compile "
            "with CPython, or writing failed. Nothing was lost.",
        ),
        Diagnostic(
            "ASL006",
            "unused-noqa",
            "a noqa comment suppresses nothing",
            "A '# noqa: CODE' comment names an asynclint rule that ran on the file and found "
            "nothing on that line, or a '# asynclint: noqa: CODE' file directive whose rules found "
            "nothing in the file, so the comment would hide the next real finding there without "
            "anyone deciding it should. Remove the code (or the comment). Also reported: an "
            "unknown ASL code in a noqa comment, and a '# asynclint: noqa' directive below the "
            "file's header, where it has no effect. Codes of rules that did not run (not selected, "
            "ignored for the file, another framework's) are never judged, nor are the peers' codes "
            "(ASYNC251 is there for flake8-async or ruff too, whose rule reaches further or less "
            "far), other tools' codes and a bare '# noqa'. Off unless selected: "
            "'--extend-select ASL006'.",
            default=False,
            severity="warning",
        ),
        Diagnostic(
            "ASL007",
            "too-complex",
            "the file is too complex to analyse safely",
            "The file is nested more deeply than 200 levels (counting how the parser nests chains "
            "such as `a or b or ...`), or the product of its size and its nesting would cost the "
            "parser more than about 2 GiB of memory, or its analysis took more than 60 s of CPU "
            "time. Such files are almost always generated, or crafted to exhaust the machine. The "
            "file is skipped; the run goes on.",
        ),
    )
}
