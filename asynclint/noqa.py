"""Suppression comments: one reading of them for every front end.

``asynclint check`` (files and standard input), the language server and the flake8 plugin all lint
through ``Linter.lint_source``, which filters its findings here; ``check --add-noqa`` and the
language server's "ignore" quick fix write comments that this module reads back.

On a line
    ``# noqa`` silences every finding on its line; ``# noqa: ASL100, ASL4`` the codes listed and
    those a listed prefix starts (as flake8 reads it); a peer's code (``# noqa: ASYNC251``) the
    asynclint codes it stands for in the published mapping (``config.peer_table``). The directive
    may follow other text in the comment (``# type: ignore  # noqa: ASL100``); ``noqa`` is
    case-insensitive and the colon may be followed by one space or none. Only comments count: the
    same words inside a string do nothing.

    A statement continued by backslashes, or holding a string that spans lines, is one line here, as
    flake8 and ruff count it: its comment, which can only stand at the end of its last physical
    line, covers every physical line of it. Inside brackets each physical line stands for itself.

For a file
    ``# asynclint: noqa`` silences the whole file (it is not linted at all);
    ``# asynclint: noqa: ASL100, ASL2`` silences those codes in the whole file. The directive is a
    comment in the file's header: before the first statement, the module docstring excepted (below a
    shebang, an encoding line or a licence, above or below the docstring). Anywhere else it does
    nothing (ASL006 says so when selected).
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Collection, Dict, Iterable, List, Mapping, Optional, Set, Tuple

from . import config as configuration

_CODE = r"[A-Z]+[0-9]+"
_CODES = rf"(?P<codes>{_CODE}(?:[,\s]+{_CODE})*)"
#: A line directive, bare or with codes, anywhere in a comment (flake8's syntax).
LINE_DIRECTIVE = re.compile(rf"#\s*noqa(?::\s?{_CODES})?", re.IGNORECASE)
#: A file directive, bare or with codes.
FILE_DIRECTIVE = re.compile(rf"#\s*asynclint\s*:\s*noqa(?::\s?{_CODES})?", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]+")
_MENTIONS_NOQA = re.compile("noqa", re.IGNORECASE)
_MENTIONS_ASYNCLINT = re.compile("asynclint", re.IGNORECASE)


def mentions_noqa(text: str) -> bool:
    """Cheap screen: a text without the word has no directive at all."""
    return _MENTIONS_NOQA.search(text) is not None


@dataclass
class Directive:
    """One ``noqa`` directive: where it stands and what it silences."""

    line: int  # 1-based physical line of the comment
    column: int  # 1-based column of its '#'
    end_column: int  # exclusive
    codes: Optional[Tuple[str, ...]]  # as written, upper-cased; None: every code
    codes_end: int  # 0-based offset in the line where its code list ends (to add codes there)
    file_level: bool = False
    #: The listed codes that silenced a finding.
    used: Set[str] = field(default_factory=set)

    def match(self, code: str) -> Optional[str]:
        """The listed code (or prefix, or peer code) that covers ``code``; "" for a bare noqa."""
        if self.codes is None:
            return ""
        for listed in self.codes:
            if configuration.matches(code, (listed,)):
                return listed
        return None


def _directive(match: re.Match[str], line: int, offset: int, file_level: bool) -> Directive:
    codes = match.group("codes")
    return Directive(
        line=line,
        column=offset + match.start() + 1,
        end_column=offset + match.end() + 1,
        codes=None
        if codes is None
        else tuple(part.upper() for part in _SPLIT.split(codes) if part),
        codes_end=offset + (match.end("codes") if codes is not None else match.end()),
        file_level=file_level,
    )


def _physical_lines(text: str) -> List[str]:
    """The lines as the engine numbers them: ending at \\n, \\r\\n or \\r."""
    return io.StringIO(text, newline="").readlines()


def _readline(lines: List[str]):
    """A tokenizer's readline over ``lines`` with \n endings (columns and line numbers unchanged):
    Python's tokenizer does not take a lone \r for a line break, CPython's compiler does."""
    iterator = iter(lines)

    def readline() -> str:
        line = next(iterator, "")
        return line.rstrip("\r\n") + "\n" if line.endswith(("\r", "\n")) else line

    return readline


class Suppressions:
    """The directives of one text, and the logical lines they cover."""

    def __init__(self, text: str) -> None:
        self.lines = _physical_lines(text)
        #: physical line -> (first, last) physical line of its logical line, where they differ.
        self._logical: Dict[int, Tuple[int, int]] = {}
        self.line_directives: Dict[int, List[Directive]] = {}
        self.file_directives: List[Directive] = []
        #: File directives below the header: they do nothing.
        self.misplaced: List[Directive] = []
        #: The last physical line read as part of a complete logical line: the whole text when the
        #: tokenizer reads it to the end; past it, each physical line stands for itself.
        self.read_to = len(self.lines)
        self._scan()

    # -- reading -----------------------------------------------------------------------------------

    def _scan(self) -> None:
        first, last = 0, -1  # the logical line being read (0: none yet)
        pending: List[Directive] = []  # its directives, kept once it ends
        header, docstring = True, 0  # 0: before it, 1: in its statement, 2: after it
        done = 0  # the last physical line of the last complete logical line
        skip = (tokenize.ENDMARKER, tokenize.DEDENT, tokenize.ENCODING)
        try:
            for token in tokenize.generate_tokens(_readline(self.lines)):
                kind = token.type
                if kind in skip:
                    continue
                start_line, end_line = token.start[0], token.end[0]
                first = start_line if first == 0 else min(first, start_line)
                last = max(last, end_line)
                if header:
                    header, docstring = _still_header(kind, docstring)
                if kind == tokenize.COMMENT:
                    self._comment(token, header, pending)
                elif kind in (tokenize.NL, tokenize.NEWLINE):
                    if last > first:
                        for line in range(first, last + 1):
                            self._logical[line] = (first, last)
                    for directive in pending:
                        self.line_directives.setdefault(directive.line, []).append(directive)
                    pending.clear()
                    done = last
                    first, last = 0, -1
        except (tokenize.TokenError, SyntaxError, ValueError):
            # Not Python the tokenizer reads to the end (the parser may still: a newer grammar).
            # Past the last complete logical line, every physical line stands for itself.
            self.read_to = done
            for number in range(done + 1, len(self.lines) + 1):
                for match in LINE_DIRECTIVE.finditer(self.lines[number - 1]):
                    directive = _directive(match, number, 0, file_level=False)
                    self.line_directives.setdefault(number, []).append(directive)

    def _comment(self, token: tokenize.TokenInfo, header: bool, pending: List[Directive]) -> None:
        line, offset = token.start
        file_match = FILE_DIRECTIVE.search(token.string)
        if file_match is not None:
            directive = _directive(file_match, line, offset, file_level=True)
            (self.file_directives if header else self.misplaced).append(directive)
        for match in LINE_DIRECTIVE.finditer(token.string):
            pending.append(_directive(match, line, offset, file_level=False))

    # -- asking ------------------------------------------------------------------------------------

    def logical(self, line: int) -> Tuple[int, int]:
        """The first and last physical line of the logical line that ``line`` belongs to."""
        return self._logical.get(line, (line, line))

    def suppressing(self, line: int, code: str, *, mark: bool = True) -> Optional[Directive]:
        """The directive that silences ``code`` on ``line`` (recorded as used), or None."""
        first, last = self.logical(line)
        candidates = [
            d for number in range(first, last + 1) for d in self.line_directives.get(number, ())
        ]
        for directive in (*candidates, *self.file_directives):
            listed = directive.match(code)
            if listed is not None:
                if mark and listed:
                    directive.used.add(listed)
                return directive
        return None

    def unused(self, ran: Collection[str], known: Collection[str]) -> List[Tuple[Directive, str]]:
        """Directives that silence nothing, each with what to say about it.

        Only asynclint's own codes and prefixes are judged, and only when every rule one stands
        for ran on the file (selected for it, for its framework): a code for a rule that did not
        run may be needed another time. A peer's code (``ASYNC251``) is never judged: it is there
        for the peer too, whose rule reaches further or less far than asynclint's; nor are other
        tools' codes, engine codes or a bare ``noqa``. An ``ASL`` code that names no known code
        is reported as unknown.
        """
        found: List[Tuple[Directive, str]] = []
        everything = set(known) | set(ran)
        directives = [d for ds in self.line_directives.values() for d in ds]
        for directive in sorted((*directives, *self.file_directives), key=_position):
            if directive.codes is None:
                continue
            unused, unknown = [], []
            for listed in directive.codes:
                if listed in directive.used or not listed.startswith("ASL"):
                    continue
                denoted = [code for code in everything if configuration.matches(code, (listed,))]
                if not denoted:
                    unknown.append(listed)
                    continue
                rules = [code for code in denoted if not code.startswith("ASL0")]
                if rules and all(code in ran for code in rules):
                    unused.append(listed)
            parts = []
            where = "in this file" if directive.file_level else "on this line"
            kind = "file-level noqa" if directive.file_level else "noqa"
            if unused:
                parts.append(
                    f"unused {kind} code{'s' if len(unused) > 1 else ''} {', '.join(unused)}: "
                    f"no such finding {where}"
                )
            if unknown:
                parts.append(
                    f"unknown code{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                    f"in a {kind} comment"
                )
            if parts:
                found.append((directive, "; ".join(parts)))
        for directive in self.misplaced:
            found.append(
                (
                    directive,
                    "'# asynclint: noqa' has no effect below the first statement; "
                    "move it to the file's header",
                )
            )
        return found


def _position(directive: Directive) -> Tuple[int, int]:
    return directive.line, directive.column


def _still_header(kind: int, docstring: int) -> Tuple[bool, int]:
    """One token further into the file: (still in the header, docstring state)."""
    if kind in (tokenize.COMMENT, tokenize.NL):
        return True, docstring
    if kind == tokenize.STRING and docstring in (0, 1):
        return True, 1
    if kind == tokenize.NEWLINE and docstring == 1:
        return True, 2
    return False, docstring


def file_silenced(text: str) -> bool:
    """Whether a bare ``# asynclint: noqa`` in the header silences the whole file.

    Reads only the header's tokens, so it costs next to nothing on any file."""
    if _MENTIONS_ASYNCLINT.search(text) is None:
        return False
    header, docstring = True, 0
    try:
        for token in tokenize.generate_tokens(_readline(_physical_lines(text))):
            if token.type in (tokenize.ENCODING, tokenize.INDENT, tokenize.DEDENT):
                continue
            header, docstring = _still_header(token.type, docstring)
            if not header:
                return False
            if token.type == tokenize.COMMENT:
                match = FILE_DIRECTIVE.search(token.string)
                if match is not None and match.group("codes") is None:
                    return True
    except (tokenize.TokenError, SyntaxError, ValueError):
        return False
    return False


# -- writing ---------------------------------------------------------------------------------------


@dataclass
class Marked:
    """What ``add_codes`` did: the new text, how many comments it wrote or extended, and the lines
    it could not mark (a ``noqa`` there would not be read back as one)."""

    text: str
    directives: int = 0
    skipped: List[int] = field(default_factory=list)


def add_codes(text: str, wanted: Mapping[int, Iterable[str]]) -> Marked:
    """``text`` with a ``# noqa`` for each line's codes: added to the code list of the noqa comment
    of the logical line when it has one, else as a new comment at the end of the logical line (after
    any comment already there). Lines that cannot be marked so that the result still compiles and
    reads back as silencing those codes are left alone and listed."""
    wanted_lines = {line: sorted(set(codes)) for line, codes in wanted.items() if codes}
    skipped: List[int] = []
    for _ in range(2):  # a line that fails the check is dropped, and the rest tried again
        marked = _mark(text, wanted_lines)
        failed = _check(text, marked.text, wanted_lines)
        if failed is None:
            marked.skipped = sorted(set(skipped) | set(marked.skipped))
            return marked
        skipped.extend(failed)
        wanted_lines = {line: codes for line, codes in wanted_lines.items() if line not in failed}
    return Marked(text, 0, sorted(set(skipped) | set(wanted)))


def _mark(text: str, wanted: Mapping[int, List[str]]) -> Marked:
    suppressions = Suppressions(text)
    lines = list(suppressions.lines)
    targets: Dict[int, List[str]] = {}
    skipped: List[int] = []
    for line, codes in sorted(wanted.items()):
        if not 0 < line <= suppressions.read_to:  # past what the tokenizer could read: unsure
            skipped.append(line)
            continue
        missing = [c for c in codes if suppressions.suppressing(line, c, mark=False) is None]
        target = suppressions.logical(line)[1]
        for code in missing:
            if code not in targets.setdefault(target, []):
                targets[target].append(code)
    count = 0
    for target, codes in targets.items():
        if not codes:
            continue
        original = lines[target - 1]
        body = original.rstrip("\r\n")
        ending = original[len(body) :]
        existing = [d for d in suppressions.line_directives.get(target, ()) if d.codes is not None]
        if existing:
            directive = existing[-1]
            at = directive.codes_end
            body = body[:at] + "".join(f", {code}" for code in codes) + body[at:]
        else:
            body = body.rstrip() + "  # noqa: " + ", ".join(codes)
        lines[target - 1] = body + ending
        count += 1
    return Marked("".join(lines), count, skipped)


def _check(before: str, after: str, wanted: Mapping[int, List[str]]) -> Optional[List[int]]:
    """None when ``after`` compiles (if ``before`` did) and silences what was wanted; else the
    lines that are not silenced (all of them when it no longer compiles)."""
    if after == before:
        return None
    if _compiles(before) and not _compiles(after):
        return sorted(wanted)
    suppressions = Suppressions(after)
    failed = [
        line
        for line, codes in wanted.items()
        if any(suppressions.suppressing(line, code, mark=False) is None for code in codes)
    ]
    return failed or None


def _compiles(text: str) -> bool:
    import ast

    try:
        compile(text, "<asynclint>", "exec", ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


__all__ = [
    "FILE_DIRECTIVE",
    "LINE_DIRECTIVE",
    "Directive",
    "Marked",
    "Suppressions",
    "add_codes",
    "file_silenced",
    "mentions_noqa",
]
