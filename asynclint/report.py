"""Output formats. Every format receives findings already sorted by path, line and column."""

from __future__ import annotations

import json
from collections import Counter
from typing import Callable, Dict, List, Sequence, TextIO

from .rule import Finding


def text(findings: Sequence[Finding], out: TextIO, *, show_source: bool = False, **_: object) -> None:
    """``path:line:col: CODE message``, the format flake8 prints and editors parse."""
    lines_by_path: Dict[str, List[str]] = {}
    for finding in findings:
        out.write(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}\n")
        if show_source:
            if finding.path not in lines_by_path:
                lines_by_path[finding.path] = _read_lines(finding.path)
            lines = lines_by_path[finding.path]
            if 0 < finding.line <= len(lines):
                source_line = lines[finding.line - 1]
                width = (finding.end_column - finding.column) if finding.end_line == finding.line else len(source_line) - finding.column + 1
                out.write(f"    {source_line}\n    {' ' * (finding.column - 1)}{'^' * max(1, width)}\n")


def _read_lines(path: str) -> List[str]:
    from .source import SourceError, read

    try:
        return read(path).text.splitlines()
    except SourceError:
        return []


def as_dict(finding: Finding) -> dict:
    fix = None
    if finding.fix_applicability is not None:
        fix = {"applicability": finding.fix_applicability, "message": finding.fix_message}
        if finding.edits is not None:
            fix["edits"] = finding.edits
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "fix": fix,
    }


def json_format(findings: Sequence[Finding], out: TextIO, **_: object) -> None:
    json.dump([as_dict(finding) for finding in findings], out, indent=2)
    out.write("\n")


def statistics(findings: Sequence[Finding], out: TextIO) -> None:
    counts = Counter((finding.code, finding.name) for finding in findings)
    fixable = Counter(finding.code for finding in findings if finding.fix_applicability == "safe")
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if fixable[code] else "   "
        out.write(f"{count:>6}  {code}  {marker} {name}\n")


FORMATS: Dict[str, Callable[..., None]] = {"text": text, "json": json_format}
