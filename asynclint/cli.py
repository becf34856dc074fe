"""The ``asynclint`` command. Exit status: 0 clean, 1 findings, 2 usage or configuration error."""

from __future__ import annotations

import difflib
import os
import sys
from typing import Any, Dict, List, Optional, Sequence

import click

from . import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def _fail(message: str) -> click.exceptions.Exit:
    click.echo(f"asynclint: error: {message}", err=True)
    return click.exceptions.Exit(EXIT_ERROR)


def _codes_option(value: Optional[str]) -> Optional[List[str]]:
    if value is None:
        return None
    return [part.strip() for part in value.replace(" ", ",").split(",") if part.strip()]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(
    __version__, "--version", prog_name="asynclint", message="%(prog)s %(version)s"
)
def main() -> None:
    """Find the mistakes that stall, hang, lose or deadlock Python async code."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option(
    "--unsafe-fixes",
    is_flag=True,
    help="Also apply fixes that may change behaviour (with --fix or --diff).",
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; change no file.")
@click.option(
    "--select",
    metavar="CODES",
    help="Comma-separated codes or prefixes to enable (replaces the config's select).",
)
@click.option("--extend-select", metavar="CODES", help="Codes or prefixes to enable in addition.")
@click.option(
    "--ignore", metavar="CODES", help="Codes or prefixes to disable (added to the config's ignore)."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif", "github", "gitlab"]),
    default="text",
    show_default=True,
)
@click.option(
    "--stdin-filename", metavar="PATH", help="The path of the file read from standard input ('-')."
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option(
    "--statistics",
    is_flag=True,
    help="Print the number of findings per rule instead of the findings.",
)
@click.option(
    "--show-source", is_flag=True, help="Show the offending source line under each finding."
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: the CPU count].",
)
@click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), help="Use this configuration file."
)
@click.option(
    "--no-cache", is_flag=True, help="Neither read nor write the findings cache (.asynclint_cache)."
)
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Add '# noqa: CODE' to every line with a finding (merged with its noqa comment), "
    "instead of reporting.",
)
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Apply exclude, extend-exclude and .gitignore to the paths named too (pre-commit hooks).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text output: auto is on a terminal unless NO_COLOR is set (or FORCE_COLOR).",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings, the cache and where each imported library's knowledge comes "
    "from; lint nothing.",
)
def check(
    paths: Sequence[str],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    select: Optional[str],
    extend_select: Optional[str],
    ignore: Optional[str],
    output_format: str,
    stdin_filename: Optional[str],
    exit_zero: bool,
    statistics: bool,
    show_source: bool,
    jobs: Optional[int],
    config_path: Optional[str],
    no_cache: bool,
    add_noqa: bool,
    force_exclude: bool,
    color: str,
    show_settings: bool,
) -> None:
    """Lint PATHS (files or directories; '-' reads standard input; default: the current
    directory). A file or directory named here is linted even when excluded or git-ignored,
    unless --force-exclude."""
    from . import config as configuration
    from . import report
    from .registry import RulePackError, load_rules
    from .runner import RunOptions, Settings, default_jobs, lint_files, tree_roots

    try:
        rules = load_rules()
    except RulePackError as error:
        raise _fail(str(error)) from None

    reading_stdin = list(paths) == ["-"] or (not paths and stdin_filename is not None)
    if "-" in paths and not reading_stdin:
        raise _fail("'-' (standard input) cannot be combined with other paths") from None
    if add_noqa and (fix or diff or reading_stdin):
        raise _fail("--add-noqa cannot be combined with --fix, --diff or standard input") from None
    if reading_stdin and show_settings:
        raise _fail("--show-settings describes a run over paths, not standard input") from None
    anchor = stdin_filename if reading_stdin and stdin_filename else (paths[0] if paths else ".")
    try:
        found = config_path or configuration.find_config_file(anchor)
        config = configuration.load(found, rules)
        codes = configuration.known_codes(rules)
        for option, value in (
            ("--select", select),
            ("--extend-select", extend_select),
            ("--ignore", ignore),
        ):
            if value is not None:
                configuration.check_codes(
                    _codes_option(value) or [], codes, option, peers=option == "--ignore"
                )
    except configuration.ConfigError as error:
        raise _fail(str(error)) from None
    if select is not None:
        config.select = _codes_option(select)
    config.extend_select += _codes_option(extend_select) or []
    config.ignore += _codes_option(ignore) or []
    settings = Settings(config, rules)
    options = RunOptions(
        fix=fix or diff,
        unsafe_fixes=unsafe_fixes,
        write=fix and not diff and not reading_stdin,
        jobs=jobs or default_jobs(),
        roots=tree_roots(list(paths) or ["."]),
    )

    palette = report.Palette(_color_wanted(color, sys.stdout))
    nothing_to_lint = False
    if reading_stdin:
        from .discovery import excluded

        skip = bool(
            force_exclude
            and stdin_filename
            and excluded(stdin_filename, config.excludes, config.root)
        )
        results = [
            _lint_stdin(
                stdin_filename or "-",
                settings,
                options,
                edits=output_format == "json" and not fix,
                skip=skip,
            )
        ]
    else:
        from .discovery import discover
        from .engine import FileResult
        from .findings import ENGINE_DIAGNOSTICS, Finding

        discovered = discover(
            list(paths) or ["."],
            config.excludes,
            config.root,
            force_exclude,
            warn=lambda message: click.echo(f"asynclint: warning: {message}", err=True),
        )
        files, unreadable = discovered.files, discovered.unreadable
        if not files and not unreadable and not show_settings:
            if not discovered.excluded:
                named = ", ".join(paths) if paths else "the current directory"
                raise _fail(f"no Python files found in {named}") from None
            nothing_to_lint = True  # a hook named only excluded files: nothing is wrong
        cache = None
        if not no_cache and not add_noqa and not os.environ.get("ASYNCLINT_NO_CACHE"):
            from .cache import FindingsCache

            cache = FindingsCache(config.root, rules)
        if show_settings:
            _show_settings(files, settings, options, cache, no_cache)
            return _exit(EXIT_CLEAN)
        progress = _Progress.for_terminal(sys.stderr)
        try:
            results = lint_files(files, settings, options, cache=cache, progress=progress)
        finally:
            if progress is not None:
                progress.close()
        for problem in unreadable:
            if "ASL003" not in settings.ignored_diagnostics:
                name = ENGINE_DIAGNOSTICS["ASL003"].name
                results.append(
                    FileResult(
                        problem.path,
                        [
                            Finding(
                                problem.path,
                                1,
                                1,
                                1,
                                1,
                                "ASL003",
                                name,
                                problem.reason,
                            )
                        ],
                    )
                )

    findings = sorted((f for result in results for f in result.findings), key=lambda f: f.sort_key)
    fixed = sum(result.fixes_applied for result in results)

    if add_noqa:
        _add_noqa(results)
        return _exit(EXIT_CLEAN)
    if diff:
        changed = _print_diffs(results, palette)
        _diff_summary(results, unsafe_fixes)
        return _exit(EXIT_FINDINGS if changed and not exit_zero else EXIT_CLEAN)
    if reading_stdin and fix:
        result = results[0]
        source = result.source.text if result.source is not None else ""
        sys.stdout.write(result.fixed_text if result.fixed_text is not None else source)
        _summary(findings, fixed, unsafe_fixes, err=True)
        return _exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN)

    out = sys.stdout
    if statistics:
        report.statistics(findings, out)
    else:
        report.FORMATS[output_format](
            findings, out, show_source=show_source, rules=rules, palette=palette
        )
    if nothing_to_lint:
        click.echo("Nothing to lint: every path named is excluded (--force-exclude).", err=True)
    elif output_format == "text":
        _summary(findings, fixed, unsafe_fixes, err=True)
    return _exit(EXIT_FINDINGS if findings and not exit_zero else EXIT_CLEAN)


def _color_wanted(choice: str, stream) -> bool:
    """--color always/never; auto: not when NO_COLOR is set, always when FORCE_COLOR is (and not
    "0"), else when ``stream`` is a terminal (not a dumb one)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return _is_terminal(stream)


def _is_terminal(stream) -> bool:
    try:
        return bool(stream.isatty()) and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


class _Progress:
    """``asynclint: 1200/14500 files`` on one self-erasing line of a terminal, for long runs.

    Shown only when standard error is a terminal outside CI, and only once the run has taken
    ``delay`` seconds, at most ten times a second; erased before the results are printed."""

    def __init__(self, stream, clock=None, delay: float = 2.0) -> None:
        import time

        self.stream = stream
        self.clock = clock or time.monotonic
        self.delay = delay
        self.started = self.clock()
        self.shown_at: Optional[float] = None

    @classmethod
    def for_terminal(cls, stream) -> Optional[_Progress]:
        if not _is_terminal(stream) or os.environ.get("CI"):
            return None
        return cls(stream)

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self.shown_at is not None and now - self.shown_at < 0.1 and done < total:
            return
        self.shown_at = now
        self.stream.write(f"\r\033[Kasynclint: {done}/{total} files")
        self.stream.flush()

    def close(self) -> None:
        if self.shown_at is not None:
            self.stream.write("\r\033[K")
            self.stream.flush()


def _add_noqa(results) -> None:
    """Write ``# noqa: CODE`` for every rule finding (noqa does not silence engine diagnostics)."""
    from .noqa import add_codes
    from .source import SourceError, read, write_fixed

    comments = files = 0
    for result in results:
        wanted: dict = {}
        for finding in result.findings:
            if not finding.code.startswith("ASL0"):
                wanted.setdefault(finding.line, set()).add(finding.code)
        if not wanted:
            continue
        try:
            source = read(result.path)
        except SourceError as error:
            click.echo(f"asynclint: {result.path}: {error.message}; no noqa added", err=True)
            continue
        if result.source is None or source.text != result.source.text:
            click.echo(f"asynclint: {result.path}: changed while linted; no noqa added", err=True)
            continue
        marked = add_codes(source.text, wanted)
        for line in marked.skipped:
            click.echo(
                f"asynclint: {result.path}:{line}: a noqa comment cannot be placed for this line "
                "(it would not be read back as one); skipped",
                err=True,
            )
        if not marked.directives:
            continue
        try:
            write_fixed(result.path, source, source.encode(marked.text))
        except OSError as error:
            click.echo(
                f"asynclint: {result.path}: not written: {error.strerror or error}", err=True
            )
            continue
        comments += marked.directives
        files += 1
    plural = lambda n, word: f"{n} {word}{'s' if n != 1 else ''}"  # noqa: E731
    click.echo(
        f"Added {plural(comments, 'noqa comment')} to {plural(files, 'file')}.",
        err=True,
    )


def _show_settings(files, settings, options, cache, no_cache: bool) -> None:
    """What a run would use: configuration, rules, cache, and the source of library knowledge."""
    from .runner import project_index
    from .storage import KEY_NAME, user_cache_home

    config = settings.config
    echo = click.echo
    echo(f"configuration: {config.path or '(none: defaults)'}")
    echo(f"root: {config.root}")
    echo(f"framework: {config.framework or '(detected per file)'}")
    echo(f"rules ({len(settings.enabled)}): {', '.join(rule.code for rule in settings.enabled)}")
    echo(f"files: {len(files)}")
    if cache is None:
        reason = "--no-cache" if no_cache else "ASYNCLINT_NO_CACHE is set"
        echo(f"cache: off ({reason})")
    elif not cache.store.usable:
        echo(f"cache: off ({cache.directory} cannot be used; see the warning above)")
    else:
        echo(
            f"cache: {cache.directory} (authenticated with "
            f"{os.path.join(user_cache_home(), KEY_NAME)})"
        )
    tasks = [(path, settings.for_path(path), options) for path in files]
    from .index import OutlineIndex

    index = project_index(tasks, cache, options.jobs)
    libraries = getattr(index, "libraries", None)
    if libraries is None or not isinstance(index, OutlineIndex):
        return
    echo("libraries the project imports (an installed package wins over a shipped outline):")
    groups: dict = {}
    for top in index.imported_libraries():
        kind, description = libraries.source(top)
        if kind in ("stdlib", "compiled", "missing"):
            groups.setdefault(kind, []).append(top)
        else:
            echo(f"  {top}: {kind} {description}")
    if groups.get("stdlib"):
        from .index import sysconfig_stdlib

        echo(f"  standard library ({sysconfig_stdlib()}): {', '.join(groups['stdlib'])}")
    if groups.get("compiled"):
        echo(f"  built in or compiled (no source to read): {', '.join(groups['compiled'])}")
    if groups.get("missing"):
        echo(f"  unknown (not installed, not shipped): {', '.join(groups['missing'])}")


def _exit(code: int) -> None:
    sys.stdout.flush()
    raise click.exceptions.Exit(code)


def _lint_stdin(path: str, settings, options, edits: bool = False, skip: bool = False):
    from .engine import FileResult, Linter
    from .findings import ENGINE_DIAGNOSTICS, Finding
    from .source import SourceError, decode

    data = sys.stdin.buffer.read()
    try:
        source = decode(data, path)
    except SourceError as error:
        return FileResult(
            path,
            [
                Finding(
                    path,
                    error.line,
                    error.column,
                    error.line,
                    error.column,
                    error.code,
                    ENGINE_DIAGNOSTICS[error.code].name,
                    error.message,
                )
            ],
        )
    if skip:  # --force-exclude and an excluded --stdin-filename: the buffer goes through as it is
        return FileResult(path, source=source)
    return Linter().lint_source(
        source,
        settings.for_path(path),
        fix=options.fix,
        unsafe_fixes=options.unsafe_fixes,
        edits=edits,
    )


def _print_diffs(results, palette) -> bool:
    """A unified diff of each fixed file: the changed lines with three lines of context."""
    changed = False
    styles = {"+": ("green",), "-": ("red",), "@": ("cyan",)}
    for result in results:
        if result.fixed_text is None or result.source is None:
            continue
        changed = True
        before = result.source.text.splitlines(keepends=True)
        after = result.fixed_text.splitlines(keepends=True)
        for line in difflib.unified_diff(before, after, result.path, result.path):
            body = line.rstrip("\r\n")
            header = line.startswith(("---", "+++"))
            style = ("bold",) if header else styles.get(line[:1], ())
            sys.stdout.write(palette.paint(body, *style) + line[len(body) :])
            if not line.endswith(("\n", "\r")):  # the file's last line has no line break
                sys.stdout.write("\n\\ No newline at end of file\n")
    return changed


def _diff_summary(results, unsafe_fixes: bool) -> None:
    fixed = sum(result.fixes_applied for result in results if result.fixed_text is not None)
    files = sum(1 for result in results if result.fixed_text is not None)
    unsafe = 0
    if not unsafe_fixes:
        unsafe = sum(
            1 for result in results for f in result.findings if f.fix_applicability == "unsafe"
        )
    if fixed:
        line = (
            f"Would fix {fixed} finding{'s' if fixed != 1 else ''} "
            f"in {files} file{'s' if files != 1 else ''}"
        )
    else:
        line = "No fixes to apply"
    if unsafe:
        line += f" ({unsafe} {'more ' if fixed else ''}with --unsafe-fixes)"
    click.echo(line + ".", err=True)


def _summary(findings, fixed: int, unsafe_fixes: bool, err: bool) -> None:
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} finding{'s' if fixed != 1 else ''}.")
    if findings:
        safe = sum(1 for f in findings if f.fix_applicability == "safe")
        unsafe = sum(1 for f in findings if f.fix_applicability == "unsafe")
        line = f"Found {len(findings)} finding{'s' if len(findings) != 1 else ''}"
        hints = []
        if safe:
            hints.append(f"{safe} fixable with --fix")
        if unsafe and not unsafe_fixes:
            hints.append(f"{unsafe} more with --fix --unsafe-fixes")
        parts.append(line + (f" ({'; '.join(hints)})." if hints else "."))
    elif not fixed:
        parts.append("All checks passed.")
    click.echo(" ".join(parts), err=err)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
def clean(paths: Sequence[str]) -> None:
    """Remove the cache (.asynclint_cache) that checking PATHS would use (default: the current
    directory's)."""
    from . import config as configuration
    from .cache import CACHE_DIR
    from .storage import remove_tree

    roots = []
    for path in paths or ["."]:
        found = configuration.find_config_file(path)
        root = os.path.dirname(os.path.abspath(found)) if found else os.getcwd()
        if root not in roots:
            roots.append(root)
    for root in roots:
        directory = os.path.join(root, CACHE_DIR)
        try:
            removed = remove_tree(directory)
        except OSError as error:
            raise _fail(f"cannot remove {directory}: {error.strerror or error}") from None
        click.echo(f"Removed {directory}" if removed else f"No cache at {directory}")


@main.command()
@click.option(
    "--stdio",
    is_flag=True,
    hidden=True,
    help="Accepted for LSP clients that pass it; stdio is the only transport.",
)
def server(stdio: bool) -> None:
    """Run the language server (LSP over standard input and output) for editors."""
    try:
        from .lsp import serve
    except ImportError as error:
        raise _fail(
            f"the language server needs pygls: pip install 'asynclint[lsp]' ({error})"
        ) from None
    serve()


@main.command("rules")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the README's rule table.",
)
@click.option(
    "--all", "show_all", is_flag=True, help="Include the engine's own diagnostics (ASL0xx)."
)
@click.option(
    "--pages",
    "pages_directory",
    type=click.Path(file_okay=False, path_type=str),
    help="With --format markdown: write a page per rule (ASLnnn.md) and an index into this "
    "directory.",
)
def rules_command(output_format: str, show_all: bool, pages_directory: Optional[str]) -> None:
    """List the rules: code, name, default state, fix kind, frameworks."""
    import json

    from .config import peer_table
    from .findings import ENGINE_DIAGNOSTICS
    from .registry import RulePackError, load_rules
    from .report import documentation_url

    try:
        rules = load_rules()
    except RulePackError as error:
        raise _fail(str(error)) from None
    if output_format == "markdown":
        from . import docs

        if pages_directory is None:
            click.echo(docs.rules_table(rules))
            return
        os.makedirs(pages_directory, exist_ok=True)
        for name, content in docs.rule_pages(rules):
            with open(os.path.join(pages_directory, name), "w", encoding="utf-8") as page:
                page.write(content)
        return
    if pages_directory is not None:
        raise _fail("--pages needs --format markdown")
    peers = peer_table()

    def peer_codes(code: str) -> List[str]:
        return sorted(peer for peer, codes in peers.items() if code in codes)

    rows: List[Dict[str, Any]] = [
        {
            "code": r.code,
            "name": r.name,
            "message": r.message,
            "default": r.default,
            "fix": r.fix_kind.value,
            "frameworks": sorted(r.frameworks),
            "module": r.__module__,
            "severity": r.severity,
            "url": documentation_url(r.code, rules),
            "peer_codes": peer_codes(r.code),
        }
        for r in rules
    ]
    if show_all:
        rows[:0] = [
            {
                "code": d.code,
                "name": d.name,
                "message": d.message,
                "default": d.default,
                "fix": "none",
                "frameworks": ["anyio", "asyncio", "trio"],
                "module": "asynclint.engine",
                "severity": d.severity,
                "url": None,
                "peer_codes": [],
            }
            for d in ENGINE_DIAGNOSTICS.values()
        ]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    width = max((len(row["name"]) for row in rows), default=4)
    click.echo(f"{'code':<7} {'name':<{width}}  {'default':<7}  {'fix':<6}  frameworks")
    for row in rows:
        click.echo(
            f"{row['code']:<7} {row['name']:<{width}}  {'on' if row['default'] else 'off':<7}  "
            f"{row['fix']:<6}  {', '.join(row['frameworks'])}"
        )


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a rule, by code or name: why it matters, what it leaves alone, its fix, its
    options, examples."""
    from .docs import as_text, explain_text
    from .findings import ENGINE_DIAGNOSTICS
    from .registry import RulePackError, load_rules

    wanted = code.strip()
    for diagnostic in ENGINE_DIAGNOSTICS.values():
        if wanted.upper() == diagnostic.code or wanted.lower() == diagnostic.name:
            click.echo(
                f"{diagnostic.code} {diagnostic.name}: {diagnostic.message}\n\n"
                f"{as_text(diagnostic.rationale)}"
            )
            return
    try:
        rules = load_rules()
    except RulePackError as error:
        raise _fail(str(error)) from None
    rule = next((r for r in rules if wanted.upper() == r.code or wanted.lower() == r.name), None)
    if rule is None:
        raise _fail(f"unknown rule code or name {code!r}; 'asynclint rules' lists them") from None
    click.echo(explain_text(rule))


if __name__ == "__main__":  # pragma: no cover
    main(prog_name="asynclint")
