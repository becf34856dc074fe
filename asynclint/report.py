"""Output formats. Every format receives findings already sorted by path, line and column."""

from __future__ import annotations

import json
import os
import textwrap
from collections import Counter
from functools import lru_cache
from typing import (
    TYPE_CHECKING,
    Callable,
    Dict,
    Iterable,
    List,
    Optional,
    Sequence,
    TextIO,
    Type,
    Union,
)

from .findings import ENGINE_DIAGNOSTICS, Diagnostic, Finding

if TYPE_CHECKING:
    from .rule import Rule

# -- what every format says the same way -----------------------------------------------------------


def severity(code: str, rules: Iterable[object] = ()) -> str:
    """The one severity of a code (``rule.SEVERITIES``), from its rule or engine diagnostic; every
    format and the language server derive their level from it."""
    for rule in rules:
        if getattr(rule, "code", None) == code:
            return getattr(rule, "severity", "warning")
    diagnostic = ENGINE_DIAGNOSTICS.get(code)
    return diagnostic.severity if diagnostic is not None else "warning"


#: The ``[project.urls]`` entry of pyproject.toml under which each built-in rule's page is found
#: (``<url>/ASL100.md``): the one place the documentation's address is written down.
RULES_URL_LABEL = "Rules"
BUILTIN_PACK = "asynclint.rules"


@lru_cache(maxsize=1)
def rules_url() -> Optional[str]:
    """The base address of the rules' pages, from the installed package's metadata (None when
    asynclint runs uninstalled)."""
    from importlib import metadata

    try:
        entries = metadata.metadata("asynclint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = entry.partition(",")
        if label.strip() == RULES_URL_LABEL and url.strip():
            return url.strip().rstrip("/")
    return None


def documentation_url(code: str, rules: Iterable[object] = ()) -> Optional[str]:
    """Where a rule is documented: its own ``url`` when its pack sets one, the built-in pack's
    page for a built-in rule, else None (engine diagnostics: ``asynclint explain`` has them)."""
    for rule in rules:
        if getattr(rule, "code", None) != code:
            continue
        own = getattr(rule, "url", None)
        if own:
            return own
        base = rules_url()
        module = getattr(rule, "__module__", "") or ""
        if base and (module == BUILTIN_PACK or module.startswith(BUILTIN_PACK + ".")):
            return f"{base}/{code}.md"
    return None


class Palette:
    """ANSI styles for a terminal, or none at all."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def paint(self, text: str, *styles: str) -> str:
        if not self.enabled or not text:
            return text
        codes = {"bold": "1", "dim": "2", "red": "31", "green": "32", "cyan": "36"}
        return f"\033[{';'.join(codes[style] for style in styles)}m{text}\033[0m"


PLAIN = Palette(False)


def text(
    findings: Sequence[Finding],
    out: TextIO,
    *,
    show_source: bool = False,
    palette: Palette = PLAIN,
    **_: object,
) -> None:
    """``path:line:col: CODE message``, the format flake8 prints and editors parse."""
    lines_by_path: Dict[str, List[str]] = {}
    paint = palette.paint
    colon = paint(":", "cyan")
    for finding in findings:
        out.write(
            f"{paint(finding.path, 'bold')}{colon}{finding.line}{colon}{finding.column}{colon} "
            f"{paint(finding.code, 'bold', 'red')} {finding.message}\n"
        )
        if show_source:
            if finding.path not in lines_by_path:
                lines_by_path[finding.path] = _read_lines(finding.path)
            lines = lines_by_path[finding.path]
            if 0 < finding.line <= len(lines):
                source_line = lines[finding.line - 1]
                width = (
                    (finding.end_column - finding.column)
                    if finding.end_line == finding.line
                    else len(source_line) - finding.column + 1
                )
                caret = paint("^" * max(1, width), "red")
                out.write(f"    {source_line}\n    {' ' * (finding.column - 1)}{caret}\n")


def _read_lines(path: str) -> List[str]:
    from .source import SourceError, read

    try:
        return read(path).text.splitlines()
    except SourceError:
        return []


def as_dict(finding: Finding, rules: Iterable[object] = ()) -> dict:
    fix: Optional[Dict[str, object]] = None
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
        "url": documentation_url(finding.code, rules),
    }


def json_format(
    findings: Sequence[Finding], out: TextIO, *, rules: Sequence[type] = (), **_: object
) -> None:
    json.dump([as_dict(finding, rules) for finding in findings], out, indent=2)
    out.write("\n")


def statistics(findings: Sequence[Finding], out: TextIO) -> None:
    counts = Counter((finding.code, finding.name) for finding in findings)
    fixable = Counter(finding.code for finding in findings if finding.fix_applicability == "safe")
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        marker = "[*]" if fixable[code] else "   "
        out.write(f"{count:>6}  {code}  {marker} {name}\n")


# --- CI formats -----------------------------------------------------------------------------------

SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
INFORMATION_URI = "https://pypi.org/project/asynclint/"


def _is_engine_code(code: str) -> bool:
    """Engine diagnostics are ASL0xx (ASL000-ASL005 today); rules are ASL100 and up."""
    return code.startswith("ASL0")


def _report_path(path: str) -> str:
    """The path as given, with '/' separators and without a leading './' (CI tools want
    repo-relative paths)."""
    if os.sep != "/":
        path = path.replace(os.sep, "/")
    while path.startswith("./") and len(path) > 2:
        path = path[2:]
    return path


def _folded(text: str) -> str:
    """Dedent and fold all whitespace runs into single spaces: one line of prose."""
    return " ".join(text.split())


# SARIF 2.1.0 -------------------------------------------------------------------------------------


def _sarif_descriptor(meta: Union[Type[Rule], Diagnostic]) -> dict:
    """A reportingDescriptor for a rule class or an engine Diagnostic."""
    from . import docs

    code, name, message = meta.code, meta.name, meta.message
    rationale = meta.rationale or message
    engine = _is_engine_code(code)
    text_parts = [f"{code} {name}: {message}"]
    markdown_parts = [f"**{code} `{name}`**: {message}"]
    properties: dict
    if isinstance(meta, Diagnostic):  # an engine diagnostic, or a rule known by its findings only
        text_parts.append(docs.as_text(rationale))
        markdown_parts.append(docs.as_markdown(rationale))
        properties = (
            {"tags": ["asynclint", "engine"], "fixKind": "none"}
            if engine
            else {"tags": ["asynclint", "async"], "fixKind": "none", "enabledByDefault": True}
        )
    else:
        for heading, text in docs.sections(meta):
            text_parts.append(f"{heading}:\n\n{docs.as_text(text)}")
            markdown_parts.append(f"**{heading}**\n\n{docs.as_markdown(text)}")
        bad, good = docs.example(meta.bad), docs.example(meta.good)
        text_parts.append("Flagged:\n\n" + textwrap.indent(bad, "    "))
        markdown_parts.append(f"Flagged:\n\n```python\n{bad}\n```")
        text_parts.append("Instead:\n\n" + textwrap.indent(good, "    "))
        markdown_parts.append(f"Instead:\n\n```python\n{good}\n```")
        properties = {
            "tags": ["asynclint", "async", *sorted(meta.frameworks)],
            "fixKind": meta.fix_kind.value,
            "enabledByDefault": bool(meta.default),
        }
    # A rule known by its findings only (described as a Diagnostic) warns, as every rule does.
    level = meta.severity if engine or not isinstance(meta, Diagnostic) else "warning"
    descriptor = {
        "id": code,
        "name": name,
        "shortDescription": {"text": message},
        "fullDescription": {
            "text": " ".join(str(text) for kind, text in docs.blocks(rationale) if kind == "prose")
        },
        "help": {"text": "\n\n".join(text_parts), "markdown": "\n\n".join(markdown_parts)},
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }
    url = documentation_url(code, [meta]) if not engine else None
    if url:
        descriptor["helpUri"] = url
    return descriptor


def _sarif_artifact_location(path: str) -> dict:
    """A URI for the path: a file: URI when absolute, else a relative reference against
    %SRCROOT%."""
    from pathlib import Path
    from urllib.parse import quote

    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    relative = quote(_report_path(path), safe="/")
    if relative.startswith(
        "/"
    ):  # rooted but driveless ('\\x' on Windows): no base to resolve against
        return {"uri": relative}
    return {"uri": relative, "uriBaseId": "%SRCROOT%"}


def sarif(
    findings: Sequence[Finding],
    out: TextIO,
    *,
    rules: Sequence[Type[Rule]] = (),
    **_: object,
) -> None:
    """A SARIF 2.1.0 log with one run, for GitHub code scanning and other SARIF viewers.

    ``tool.driver.rules`` describes every engine diagnostic and every registered rule, enabled or
    not, at the level of its severity, with its rationale and examples as help and its page as
    ``helpUri``, so that a viewer can show the rule's documentation next to a result. Columns are
    1-based Unicode code points, end exclusive, which is SARIF's own convention. Fixes are not
    included.
    """
    from . import __version__

    descriptors: List[dict] = []
    index_of: Dict[str, int] = {}

    def describe(meta: Union[Type[Rule], Diagnostic]) -> None:
        code = meta.code
        if code not in index_of:
            index_of[code] = len(descriptors)
            descriptors.append(_sarif_descriptor(meta))

    for diagnostic in sorted(ENGINE_DIAGNOSTICS.values(), key=lambda d: d.code):
        describe(diagnostic)
    for rule in sorted(rules, key=lambda r: r.code):
        describe(rule)

    results = []
    for finding in findings:
        if (
            finding.code not in index_of
        ):  # a rule not passed in `rules`: describe it from the finding
            describe(Diagnostic(finding.code, finding.name, finding.message, ""))
        descriptor = descriptors[index_of[finding.code]]
        result: dict = {
            "ruleId": finding.code,
            "ruleIndex": index_of[finding.code],
            "level": descriptor["defaultConfiguration"]["level"],
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": _sarif_artifact_location(finding.path),
                        "region": {
                            "startLine": max(1, finding.line),
                            "startColumn": max(1, finding.column),
                            "endLine": max(1, finding.end_line, finding.line),
                            "endColumn": max(1, finding.end_column),
                        },
                    },
                }
            ],
        }
        if finding.fix_applicability is not None:
            result["properties"] = {
                "fix": {"applicability": finding.fix_applicability, "message": finding.fix_message}
            }
        results.append(result)

    log = {
        "$schema": SARIF_SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "asynclint",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    json.dump(log, out, indent=2)
    out.write("\n")


# GitHub Actions workflow commands ----------------------------------------------------------------


def escape_workflow_data(value: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF, as GitHub's actions toolkit does."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_workflow_property(value: str) -> str:
    """Escape a workflow command property value: the message escapes plus ``:`` and ``,``."""
    return escape_workflow_data(value).replace(":", "%3A").replace(",", "%2C")


#: A severity as a GitHub workflow command, and as a GitLab Code Quality severity.
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
GITLAB_SEVERITIES = {"error": "critical", "warning": "major", "note": "minor"}


def github(
    findings: Sequence[Finding], out: TextIO, *, rules: Sequence[type] = (), **_: object
) -> None:
    """One GitHub Actions workflow command per finding; the runner turns them into annotations.

    The command is the finding's severity, as in SARIF: ``::error`` for engine diagnostics (a file
    that could not be linted), ``::warning`` for rules (any finding still makes ``asynclint check``
    exit 1 and fail the step). Columns are 1-based, ``endColumn`` exclusive as everywhere in
    asynclint; the path is printed as given (with ``/`` separators), so run asynclint from the
    repository root with relative paths.
    """
    for finding in findings:
        properties = ",".join(
            f"{key}={escape_workflow_property(str(value))}"
            for key, value in (
                ("file", _report_path(finding.path)),
                ("line", finding.line),
                ("col", finding.column),
                ("endLine", finding.end_line),
                ("endColumn", finding.end_column),
                ("title", f"{finding.code} {finding.name}"),
            )
        )
        command = GITHUB_COMMANDS[severity(finding.code, rules)]
        out.write(f"::{command} {properties}::{escape_workflow_data(finding.message)}\n")


# GitLab Code Quality ------------------------------------------------------------------------------


def gitlab(
    findings: Sequence[Finding], out: TextIO, *, rules: Sequence[type] = (), **_: object
) -> None:
    """A GitLab Code Quality report (a Code Climate issue list) as a JSON array.

    Severity follows the finding's: ``critical`` for errors (engine diagnostics: the file could
    not be linted at all), ``major`` for warnings (rules), ``minor`` for notes. The fingerprint is
    the SHA-256 of path, code, message and the number of earlier identical (path, code, message)
    findings in the file, so it survives edits that only move the code, and GitLab can tell new
    findings from old ones in merge requests.
    """
    import hashlib

    seen: Counter = Counter()
    issues = []
    for finding in findings:
        path = _report_path(finding.path)
        key = (path, finding.code, finding.message)
        occurrence = seen[key]
        seen[key] += 1
        fingerprint = hashlib.sha256(
            f"{path}:{finding.code}:{finding.message}:{occurrence}".encode()
        )
        issues.append(
            {
                "type": "issue",
                "check_name": finding.code,
                "description": f"{finding.code} {finding.message}",
                "categories": ["Bug Risk"],
                "fingerprint": fingerprint.hexdigest(),
                "severity": GITLAB_SEVERITIES[severity(finding.code, rules)],
                "location": {
                    "path": path,
                    "lines": {"begin": finding.line, "end": max(finding.end_line, finding.line)},
                },
            }
        )
    json.dump(issues, out, indent=2)
    out.write("\n")


FORMATS: Dict[str, Callable[..., None]] = {
    "text": text,
    "json": json_format,
    "sarif": sarif,
    "github": github,
    "gitlab": gitlab,
}
