"""The language server: ``asynclint server`` speaks the Language Server Protocol over stdio
(pygls 2).

What it does
    Diagnostics are published when a document is opened, changed (full or incremental sync) and
    saved; the text linted is the editor's buffer, never the file on disk. Each finding becomes a
    diagnostic with the rule code, source ``asynclint`` and the severity of the rule (Warning for
    rules, Error for the engine's own diagnostics such as ``ASL001`` syntax errors).

    Each diagnostic carries the rule's severity and, as ``codeDescription``, its documentation page.

    Code actions: a quick fix (``quickfix``) for every fixable finding in the requested range
    (unsafe fixes too, with " (unsafe)" in the title); "Ignore ASLnnn on this line", which adds the
    code to the line's ``# noqa`` comment (or writes one) as ``check --add-noqa`` does, for every
    rule finding in the range; and ``source.fixAll.asynclint``, which applies every safe fix to the
    document (what ``asynclint check --fix`` would write). When the client supports
    ``codeAction/resolve`` for ``edit``, the fixes' edits are computed only once an action is
    chosen.

Settings
    Read from ``initializationOptions`` and from ``workspace/didChangeConfiguration``, either
    nested, ``{"asynclint": {"select": [...]}}``, or flat, ``{"select": [...]}``. Keys:

    ``select``
        codes or prefixes to enable; replaces the configuration file's ``select``
    ``extendSelect`` (also ``extend-select``, ``extend_select``)
        codes or prefixes to enable in addition
    ``ignore``
        codes or prefixes to disable (the peers' codes too), added to the configuration file's
        ``ignore``

    A value is a list of strings or one comma-separated string; ``null`` leaves the key unset.
    Unknown keys under ``"asynclint"`` are reported and ignored (flat settings may hold other
    tools' keys: those are ignored silently). Unknown codes are reported and dropped.
    The settings of a ``didChangeConfiguration`` notification replace those of the previous one;
    a key it does not set falls back to ``initializationOptions``. A notification whose settings
    are ``null`` or ``{}`` makes the server ask the client (``workspace/configuration``, section
    ``asynclint``) when the client supports that.

    The settings are layered over the project configuration (``asynclint.toml`` or
    ``[tool.asynclint]`` in ``pyproject.toml``) found from each document's own path, exactly as
    the CLI's ``--select``/``--extend-select``/``--ignore`` are. Open documents are linted again
    when the settings change, when a configuration file is saved in the editor, and when the
    client reports a watched configuration file changed (the server asks to watch them).

Errors
    A broken configuration file, unknown codes in the settings, a rule pack that fails to load or
    an engine crash never stop the server: each is shown once (``window/showMessage``), logged
    (``window/logMessage``), and linting carries on with what is left (the default configuration
    in place of a broken file).

Positions
    The engine counts 1-based lines and code-point columns; LSP counts 0-based lines and, unless
    the client and server agree on another ``positionEncoding``, UTF-16 code units. The server
    accepts ``utf-32`` or ``utf-8`` when the client offers them (pygls negotiates); ``TextIndex``
    turns engine positions into LSP ones in the encoding agreed.

Work model
    All engine work runs, one job at a time, on one dedicated thread (the engine is not meant to
    be used from several threads at once), so the protocol loop stays responsive. A change
    cancels the pending lint of the same document; results for a text that has changed since
    are never published. A buffer over the CLI's size limit (2 MiB) gets ``ASL004`` instead of a
    lint.
"""

from __future__ import annotations

import asyncio
import bisect
import concurrent.futures
import dataclasses
import functools
import logging
import os
import queue
import re
import sys
import threading
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Set, Tuple
from urllib.parse import unquote

try:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path
except ImportError as _error:  # pygls 1.x has no pygls.lsp.server
    from importlib import metadata as _metadata

    try:
        _found = f"pygls {_metadata.version('pygls')} is installed"
    except _metadata.PackageNotFoundError:
        _found = "pygls is not installed"
    raise ImportError(f"the language server needs pygls >= 2 ({_found}): {_error}") from _error

from . import __version__
from . import config as configuration
from .engine import FileResult, FileSettings, Linter
from .findings import ENGINE_DIAGNOSTICS, Finding

logger = logging.getLogger(__name__)

SOURCE = "asynclint"
FIX_ALL_KIND = "source.fixAll.asynclint"
SETTINGS_SECTION = "asynclint"
CONFIG_FILE_NAMES = ("pyproject.toml", "asynclint.toml")
PYTHON_SUFFIXES = (".py", ".pyi")

#: Engine work can recurse deeply (code generation on deeply nested expressions): give its thread
#: room.
_ENGINE_STACK_BYTES = 64 * 1024 * 1024


# -- positions ------------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # LSP's line terminators (and the parser's)


def code_units(text: str, encoding: str) -> int:
    """The length of ``text`` in the code units of an LSP position encoding."""
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # UTF-16, the default


class TextIndex:
    """Converts between a text's character offsets, the engine's 1-based line/code-point column
    positions and LSP positions (0-based, in ``encoding`` code units)."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.text = text
        self.encoding = encoding
        breaks = list(_LINE_BREAK.finditer(text))
        self.starts = [0] + [
            match.end() for match in breaks
        ]  # offset of each line's first character
        self.ends = [match.start() for match in breaks] + [
            len(text)
        ]  # offset of each line's terminator

    def offset(self, line: int, column: int) -> int:
        """The offset of an engine position (1-based; clamped to the line and to the text)."""
        if line < 1:
            return 0
        if line > len(self.starts):
            return len(self.text)
        start, end = self.starts[line - 1], self.ends[line - 1]
        return min(start + max(column, 1) - 1, end)

    def position(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.ends[line])  # never inside a \r\n
        return types.Position(
            line=line, character=code_units(self.text[start:offset], self.encoding)
        )

    def lsp_position(self, line: int, column: int) -> types.Position:
        return self.position(self.offset(line, column))

    def lsp_range(self, line: int, column: int, end_line: int, end_column: int) -> types.Range:
        return types.Range(
            start=self.lsp_position(line, column), end=self.lsp_position(end_line, end_column)
        )

    def finding_range(self, finding: Finding) -> types.Range:
        return self.lsp_range(finding.line, finding.column, finding.end_line, finding.end_column)


@functools.cache
def _engine_edits_split_like_splitlines() -> bool:
    """How ``fixer.text_edits`` numbers lines: as ``str.splitlines`` does (which also breaks at
    form feeds, ``\\x1c``-``\\x1e``, ``\\x85``, ``\\u2028``...) or at LSP's line breaks only.
    Probed once, so that edits land right whichever the engine does."""
    from . import fixer

    edits = fixer.text_edits("a\x0cb\n", "a\x0cc\n")
    return bool(edits) and edits[0]["start"]["line"] == 2


def _engine_edit_offsets(text: str) -> Callable[[int, int], int]:
    """Maps an engine text edit's 1-based (line, column) to an offset in ``text``."""
    if not _engine_edits_split_like_splitlines():
        index = TextIndex(text)
        return index.offset
    starts = [0]
    for piece in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(piece))

    def offset(line: int, column: int) -> int:
        if line < 1:
            return 0
        if line > len(starts):
            return len(text)
        return min(starts[line - 1] + column - 1, len(text))

    return offset


def text_edits(text: str, edits: Iterable[dict], encoding: str) -> List[types.TextEdit]:
    """The engine's text edits (see ``Finding.edits``) as LSP TextEdits on ``text``."""
    offset = _engine_edit_offsets(text)
    index = TextIndex(text, encoding)
    result = []
    for edit in edits:
        start = offset(edit["start"]["line"], edit["start"]["column"])
        end = offset(edit["end"]["line"], edit["end"]["column"])
        result.append(
            types.TextEdit(
                range=types.Range(start=index.position(start), end=index.position(end)),
                new_text=edit["content"],
            )
        )
    return result


def _before(a: types.Position, b: types.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def ranges_touch(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges overlap or meet (a cursor at either end of a finding touches it)."""
    return not _before(a.end, b.start) and not _before(b.end, a.start)


# -- settings -------------------------------------------------------------------------------------

_SETTING_KEYS = {
    "select": "select",
    "ignore": "ignore",
    "extendSelect": "extend_select",
    "extend-select": "extend_select",
    "extend_select": "extend_select",
}


@dataclass(frozen=True)
class EditorSettings:
    """The editor's say over rule selection, layered over the project's configuration file."""

    select: Optional[Tuple[str, ...]] = None
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()


def read_settings(value: Any) -> Tuple[Dict[str, Tuple[str, ...]], List[str]]:
    """The asynclint keys set in a settings object (nested or flat) and the problems found in it."""
    problems: List[str] = []
    if value is None:
        return {}, problems
    if not isinstance(value, dict):
        return {}, [f"settings must be an object, not {type(value).__name__}"]
    nested = SETTINGS_SECTION in value
    table = value.get(SETTINGS_SECTION) if nested else value
    if table is None:
        return {}, problems
    if not isinstance(table, dict):
        return {}, [f"'{SETTINGS_SECTION}' settings must be an object, not {type(table).__name__}"]
    found: Dict[str, Tuple[str, ...]] = {}
    for key, item in table.items():
        name = _SETTING_KEYS.get(key)
        if name is None:
            if nested:  # flat settings may well hold other tools' keys
                problems.append(
                    f"unknown setting {key!r} ignored; known: select, extendSelect, ignore"
                )
            continue
        if item is None:
            continue
        if isinstance(item, str):
            codes = tuple(part for part in re.split(r"[,\s]+", item) if part)
        elif isinstance(item, list) and all(isinstance(part, str) for part in item):
            codes = tuple(part.strip() for part in item if part.strip())
        else:
            problems.append(f"setting {key!r} must be a list of codes, not {item!r}; ignored")
            continue
        found[name] = codes
    return found, problems


def layer_settings(*layers: Dict[str, Tuple[str, ...]]) -> EditorSettings:
    merged: Dict[str, Tuple[str, ...]] = {}
    for layer in layers:
        merged.update(layer)
    return EditorSettings(**merged)


# -- the engine's thread --------------------------------------------------------------------------


class _EngineThread:
    """One daemon thread that runs engine jobs in order. A job cancelled before it starts is
    skipped; being a daemon, the thread never holds up the process's exit."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Tuple[concurrent.futures.Future, Callable, tuple]] = (
            queue.SimpleQueue()
        )
        previous: Optional[int] = threading.stack_size()
        try:
            threading.stack_size(_ENGINE_STACK_BYTES)
        except (ValueError, RuntimeError):  # pragma: no cover - platform without the option
            previous = None
        try:
            self._thread = threading.Thread(target=self._run, name="asynclint-engine", daemon=True)
            self._thread.start()
        finally:
            if previous is not None:
                threading.stack_size(previous)

    def submit(self, function: Callable, *args: Any) -> concurrent.futures.Future:
        future: concurrent.futures.Future = concurrent.futures.Future()
        self._jobs.put((future, function, args))
        return future

    def _run(self) -> None:
        while True:
            future, function, args = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(function(*args))
            except BaseException as error:  # handed to whoever awaits the job
                future.set_exception(error)


@dataclass
class Outcome:
    """What one engine job produced: findings (or the fixed text) and problems to tell the user."""

    findings: List[Finding] = dataclasses.field(default_factory=list)
    fixed_text: Optional[str] = None
    problems: List[Tuple[types.MessageType, str]] = dataclasses.field(
        default_factory=list
    )  # (MessageType, message)


@dataclass(frozen=True)
class Target:
    """A document to lint: where it is (for its configuration) and what is in it."""

    uri: str
    path: str  # a file path, also for unsaved documents (then in the workspace root)
    text: str


DIAGNOSTICS, EDITS, FIX_ALL = "diagnostics", "edits", "fix-all"


class Workbench:
    """The engine side of the server. Used only from the engine thread."""

    def __init__(self) -> None:
        self.linter = Linter()
        self._configs: Dict[
            str, Tuple[Any, Any]
        ] = {}  # config path -> (stamp, Config | error message)
        self._settings: Dict[Any, Any] = {}
        self._results: Dict[Tuple[str, str, Any], Tuple[str, FileSettings, Outcome]] = {}

    def forget(self, uri: str) -> None:
        for key in [key for key in self._results if key[0] == uri]:
            del self._results[key]

    def forget_all(self) -> None:
        self._results.clear()
        self._settings.clear()

    # configuration

    def file_settings(
        self, path: str, editor: EditorSettings
    ) -> Tuple[Optional[FileSettings], List[Tuple[types.MessageType, str]]]:
        from .registry import RulePackError, load_rules
        from .runner import Settings

        problems: List[Tuple[types.MessageType, str]] = []
        try:
            rules = load_rules()
        except RulePackError as error:
            return None, [(types.MessageType.Error, f"asynclint: {error}; no rule runs")]
        config_path = configuration.find_config_file(path)
        key = (config_path, self._stamp(config_path), editor)
        cached = self._settings.get(key)
        if cached is None:
            if len(self._settings) > 64:  # stale stamps of edited configuration files
                self._settings.clear()
            config, problems = self._config(config_path, rules, os.path.dirname(path))
            config = dataclasses.replace(
                config, extend_select=list(config.extend_select), ignore=list(config.ignore)
            )
            codes = configuration.known_codes(rules)
            if editor.select is not None:
                config.select = self._known(editor.select, codes, "select", problems)
            config.extend_select += self._known(
                editor.extend_select, codes, "extendSelect", problems
            )
            config.ignore += self._known(editor.ignore, codes, "ignore", problems, peers=True)
            cached = self._settings[key] = (Settings(config, rules), problems)
        settings, problems = cached
        return settings.for_path(path), list(problems)

    @staticmethod
    def _stamp(path: Optional[str]) -> Any:
        if path is None:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return "missing"
        return (info.st_mtime_ns, info.st_size)

    def _config(self, path: Optional[str], rules, fallback_root: str):
        stamp = self._stamp(path)
        cached = self._configs.get(path or "")
        if cached is None or cached[0] != stamp:
            try:
                cached = (stamp, configuration.load(path, rules))
            except configuration.ConfigError as error:
                cached = (stamp, str(error))
            self._configs[path or ""] = cached
        loaded = cached[1]
        if isinstance(loaded, str):
            root = os.path.dirname(path) if path else fallback_root
            return configuration.Config(root=root), [
                (types.MessageType.Error, f"asynclint: {loaded}; using the default configuration")
            ]
        return loaded, []

    @staticmethod
    def _known(
        selectors: Sequence[str],
        codes: Sequence[str],
        key: str,
        problems: List[Tuple[types.MessageType, str]],
        peers: bool = False,
    ) -> List[str]:
        known, unknown = [], []
        for selector in selectors:
            try:
                configuration.check_codes([selector], codes, "", peers=peers)
            except configuration.ConfigError:
                unknown.append(selector)
            else:
                known.append(selector)
        if unknown:
            problems.append(
                (
                    types.MessageType.Warning,
                    f"asynclint: unknown rule code{'s' if len(unknown) > 1 else ''} or prefix"
                    f"{'es' if len(unknown) > 1 else ''} in the editor setting '{key}' ignored: "
                    f"{', '.join(unknown)}",
                )
            )
        return known

    # linting

    def lint(
        self,
        target: Target,
        editor: EditorSettings,
        mode: str = DIAGNOSTICS,
        codes: Optional[frozenset] = None,
    ) -> Outcome:
        """Lint a document's text. ``mode``: DIAGNOSTICS (findings), EDITS (findings with their
        fixes as text edits, only for the rules ``codes``) or FIX_ALL (the text with the safe fixes
        applied). The latest outcome per document and mode is remembered."""
        try:
            settings, problems = self.file_settings(target.path, editor)
            if settings is None:
                return Outcome(problems=problems)
            if codes is not None:
                settings = dataclasses.replace(
                    settings, rules=tuple(r for r in settings.rules if r.code in codes)
                )
            key = (target.uri, mode, codes)
            cached = self._results.get(key)
            if cached is not None and cached[0] == target.text and cached[1] == settings:
                return dataclasses.replace(cached[2], problems=problems)
            outcome = self._lint(target, settings, mode)
            self._results[key] = (target.text, settings, outcome)
            return dataclasses.replace(outcome, problems=problems)
        except Exception as error:  # the server must outlive any engine failure
            logger.exception("linting %s failed", target.uri)
            return Outcome(
                problems=[
                    (
                        types.MessageType.Error,
                        f"asynclint: internal error on {target.path}: {type(error).__name__}: "
                        f"{error}",
                    )
                ]
            )

    def _lint(self, target: Target, settings: FileSettings, mode: str) -> Outcome:
        from .source import MAX_FILE_BYTES, Source

        size = len(target.text.encode("utf-8", "surrogatepass"))
        if (
            size > MAX_FILE_BYTES
        ):  # as the CLI does: generated code, and far too slow to lint per keystroke
            if mode != DIAGNOSTICS or "ASL004" in settings.ignored_diagnostics:
                return Outcome()
            message = (
                f"file is {size / 1048576:.1f} MiB, over the {MAX_FILE_BYTES // 1048576} MiB "
                "limit; "
                "skipped"
            )
            return Outcome(
                findings=[
                    Finding(
                        target.path,
                        1,
                        1,
                        1,
                        1,
                        "ASL004",
                        ENGINE_DIAGNOSTICS["ASL004"].name,
                        message,
                    )
                ]
            )
        source = Source(target.path, target.text)
        if mode == FIX_ALL:
            result: FileResult = self.linter.lint_source(source, settings, fix=True)
            return Outcome(fixed_text=result.fixed_text)
        result = self.linter.lint_source(source, settings, edits=mode == EDITS)
        return Outcome(findings=[finding.portable() for finding in result.findings])


# -- the server -----------------------------------------------------------------------------------


def _capability(root: Any, dotted: str, default: Any = None) -> Any:
    value = root
    for name in dotted.split("."):
        value = getattr(value, name, None)
        if value is None:
            return default
    return value


#: A finding's severity (``rule.SEVERITIES``) as an LSP diagnostic severity.
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "note": types.DiagnosticSeverity.Information,
}


def _rules() -> tuple:
    from .registry import RulePackError, load_rules

    try:
        return load_rules()
    except RulePackError:  # told once by the lint that found it; severities fall back to defaults
        return ()


def _finding_key(finding: Finding) -> list:
    return [finding.code, finding.line, finding.column, finding.end_line, finding.end_column]


class AsynclintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            SOURCE, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
        )
        self.engine = _EngineThread()
        self.workbench = Workbench()
        self.initial_settings: Dict[str, Tuple[str, ...]] = {}
        self.changed_settings: Dict[str, Tuple[str, ...]] = {}
        self.editor_settings = EditorSettings()
        self.shown: Set[str] = set()
        self.pending: Dict[str, asyncio.Task] = {}
        self.open_uris: Set[str] = (
            set()
        )  # as the client spells them (pygls keys documents unquoted)
        self.shutdown_requested = False

    # engine access

    async def run_engine(self, function: Callable, *args: Any) -> Any:
        return await asyncio.wrap_future(self.engine.submit(function, *args))

    def target(self, uri: str) -> Optional[Tuple[Target, Optional[int]]]:
        """The open document at ``uri`` (text, version), or None when it is not open or not
        Python."""
        if unquote(uri) not in self.workspace.text_documents:
            return None
        document = self.workspace.get_text_document(uri)
        path = to_fs_path(uri)
        language = (document.language_id or "").lower()
        name = os.path.basename(path) if path else (document.filename or "untitled.py")
        if language not in ("", "python") and not name.endswith(PYTHON_SUFFIXES):
            return None
        if not path:
            path = os.path.join(self.workspace.root_path or os.getcwd(), name or "untitled.py")
        return Target(uri, path, document.source), document.version

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    # messages

    def tell(self, problems: Iterable[Tuple[types.MessageType, str]]) -> None:
        """Show each problem once (until the settings or configuration change) and log it."""
        for kind, message in problems:
            if message in self.shown:
                continue
            self.shown.add(message)
            logger.warning("%s", message)
            try:
                self.window_log_message(types.LogMessageParams(type=kind, message=message))
                self.window_show_message(types.ShowMessageParams(type=kind, message=message))
            except Exception:  # pragma: no cover - the client is gone
                logger.exception("could not send a message to the client")

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # pragma: no cover
            logger.exception("could not send a message to the client")

    # diagnostics

    def schedule(self, uri: str) -> None:
        """(Re)lint an open document; a lint pending for it is superseded."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        if not self.shutdown_requested:
            self.pending[uri] = asyncio.ensure_future(self._publish(uri))

    def schedule_all(self) -> None:
        for uri in sorted(self.open_uris):
            self.schedule(uri)

    def settings_changed(self) -> None:
        self.editor_settings = layer_settings(self.initial_settings, self.changed_settings)
        self.shown.clear()
        self.engine.submit(self.workbench.forget_all)
        self.schedule_all()

    async def _publish(self, uri: str) -> None:
        task = asyncio.current_task()
        try:
            opened = self.target(uri)
            if opened is None:
                return
            target, version = opened
            outcome: Outcome = await self.run_engine(
                self.workbench.lint, target, self.editor_settings
            )
            self.tell(outcome.problems)
            now = self.target(uri)
            if now is None or now[1] != version or now[0].text != target.text:
                return  # the document changed meanwhile: its own lint publishes
            index = TextIndex(target.text, self.encoding)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=uri,
                    version=version,
                    diagnostics=[self.diagnostic(f, index) for f in outcome.findings],
                )
            )
        except asyncio.CancelledError:
            pass
        except Exception as error:
            logger.exception("publishing diagnostics for %s failed", uri)
            self.tell(
                [
                    (
                        types.MessageType.Error,
                        f"asynclint: internal error: {type(error).__name__}: {error}",
                    )
                ]
            )
        finally:
            if self.pending.get(uri) is task:
                del self.pending[uri]

    @staticmethod
    def diagnostic(finding: Finding, index: TextIndex) -> types.Diagnostic:
        from .report import documentation_url, severity

        rules = _rules()
        data = (
            {"fix": finding.fix_applicability, "fixMessage": finding.fix_message}
            if finding.fix_applicability
            else None
        )
        url = documentation_url(finding.code, rules)
        return types.Diagnostic(
            range=index.finding_range(finding),
            message=finding.message,
            severity=SEVERITIES[severity(finding.code, rules)],
            code=finding.code,
            code_description=types.CodeDescription(href=url) if url else None,
            source=SOURCE,
            data=data,
        )

    # code actions

    def _wants(self, only: Optional[Sequence[str]], kind: str) -> bool:
        if not only:
            return True
        return any(kind == wanted or kind.startswith(wanted + ".") for wanted in only)

    def _resolvable(self) -> bool:
        properties = _capability(
            self.client_capabilities, "text_document.code_action.resolve_support.properties", []
        )
        return "edit" in properties

    def workspace_edit(
        self, uri: str, version: Optional[int], edits: List[types.TextEdit]
    ) -> types.WorkspaceEdit:
        if _capability(
            self.client_capabilities, "workspace.workspace_edit.document_changes", False
        ):
            identifier = types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version)
            return types.WorkspaceEdit(
                document_changes=[types.TextDocumentEdit(text_document=identifier, edits=edits)]
            )
        return types.WorkspaceEdit(changes={uri: edits})

    async def code_actions(
        self, params: types.CodeActionParams
    ) -> Optional[List[types.CodeAction]]:
        uri = params.text_document.uri
        opened = self.target(uri)
        if opened is None:
            return None
        target, version = opened
        only = params.context.only
        want_quick = self._wants(only, types.CodeActionKind.QuickFix)
        want_all = self._wants(only, FIX_ALL_KIND)
        if not (want_quick or want_all):
            return None
        settings = self.editor_settings
        outcome: Outcome = await self.run_engine(self.workbench.lint, target, settings)
        self.tell(outcome.problems)
        index = TextIndex(target.text, self.encoding)
        fixable = [f for f in outcome.findings if f.fix_applicability in ("safe", "unsafe")]
        in_range = (
            [f for f in fixable if ranges_touch(index.finding_range(f), params.range)]
            if want_quick
            else []
        )
        silenceable = (
            [
                f
                for f in outcome.findings
                if f.code not in ENGINE_DIAGNOSTICS  # engine diagnostics: noqa cannot silence them
                and ranges_touch(index.finding_range(f), params.range)
            ]
            if want_quick
            else []
        )
        offer_all = (
            want_all
            and any(f.fix_applicability == "safe" for f in fixable)
            and (bool(only) or bool(in_range) or self._resolvable())
        )
        lazy = self._resolvable()
        actions: List[types.CodeAction] = []
        if in_range:
            edits_by_key: Dict[tuple, Finding] = {}
            if not lazy:
                with_edits: Outcome = await self.run_engine(
                    self.workbench.lint,
                    target,
                    settings,
                    EDITS,
                    frozenset(f.code for f in in_range),
                )
                edits_by_key = {tuple(_finding_key(f)): f for f in with_edits.findings}
            for finding in in_range:
                action = types.CodeAction(
                    title=self.quick_fix_title(finding),
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[self.diagnostic(finding, index)],
                    is_preferred=finding.fix_applicability == "safe",
                )
                if lazy:
                    action.data = {"uri": uri, "version": version, "finding": _finding_key(finding)}
                else:
                    edited = edits_by_key.get(tuple(_finding_key(finding)))
                    if edited is None or not edited.edits:
                        continue
                    action.edit = self.workspace_edit(
                        uri, version, text_edits(target.text, edited.edits, self.encoding)
                    )
                actions.append(action)
        for finding in silenceable:
            ignore = await self.ignore_action(target, version, finding, index)
            if ignore is not None:
                actions.append(ignore)
        if offer_all:
            action = types.CodeAction(
                title="Fix all safely fixable asynclint findings", kind=FIX_ALL_KIND
            )
            if lazy:
                action.data = {"uri": uri, "version": version, "fixAll": True}
                actions.append(action)
            else:
                edit = await self.fix_all_edit(target, version)
                if edit is not None:
                    action.edit = edit
                    actions.append(action)
        return actions

    async def ignore_action(
        self, target: Target, version: Optional[int], finding: Finding, index: TextIndex
    ) -> Optional[types.CodeAction]:
        """ "Ignore this finding": its code added to the line's noqa comment (or a new one), as
        ``asynclint check --add-noqa`` writes it."""
        from . import fixer, noqa

        marked: noqa.Marked = await self.run_engine(
            noqa.add_codes, target.text, {finding.line: [finding.code]}
        )
        if not marked.directives:
            return None
        edits = text_edits(target.text, fixer.text_edits(target.text, marked.text), self.encoding)
        return types.CodeAction(
            title=f"Ignore {finding.code} on this line (# noqa)",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[self.diagnostic(finding, index)],
            is_preferred=False,
            edit=self.workspace_edit(target.uri, version, edits),
        )

    @staticmethod
    def quick_fix_title(finding: Finding) -> str:
        title = finding.fix_message or f"Fix {finding.code}"
        return f"{title} (unsafe)" if finding.fix_applicability == "unsafe" else title

    async def fix_all_edit(
        self, target: Target, version: Optional[int]
    ) -> Optional[types.WorkspaceEdit]:
        from . import fixer

        outcome: Outcome = await self.run_engine(
            self.workbench.lint, target, self.editor_settings, FIX_ALL
        )
        self.tell(outcome.problems)
        if outcome.fixed_text is None or outcome.fixed_text == target.text:
            return None
        edits = text_edits(
            target.text, fixer.text_edits(target.text, outcome.fixed_text), self.encoding
        )
        return self.workspace_edit(target.uri, version, edits)

    async def resolve_code_action(self, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        opened = self.target(data.get("uri", ""))
        if opened is None or action.edit is not None:
            return action
        target, version = opened
        if data.get("fixAll"):
            action.edit = await self.fix_all_edit(target, version)
            return action
        key = data.get("finding")
        if not (isinstance(key, list) and key):
            return action
        outcome: Outcome = await self.run_engine(
            self.workbench.lint, target, self.editor_settings, EDITS, frozenset([key[0]])
        )
        for finding in outcome.findings:
            if _finding_key(finding) == key and finding.edits:
                action.edit = self.workspace_edit(
                    target.uri, version, text_edits(target.text, finding.edits, self.encoding)
                )
                break
        return action

    # configuration

    async def pull_settings(self) -> Optional[Any]:
        if not _capability(self.client_capabilities, "workspace.configuration", False):
            return None
        try:
            values = await asyncio.wait_for(
                self.workspace_configuration_async(
                    types.ConfigurationParams(
                        items=[types.ConfigurationItem(section=SETTINGS_SECTION)]
                    )
                ),
                timeout=10,
            )
        except Exception as error:
            self.log(
                f"asynclint: workspace/configuration failed: {error}", types.MessageType.Warning
            )
            return None
        return {SETTINGS_SECTION: values[0]} if values else None

    async def watch_config_files(self) -> None:
        if not _capability(
            self.client_capabilities,
            "workspace.did_change_watched_files.dynamic_registration",
            False,
        ):
            return
        watchers = [
            types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_FILE_NAMES
        ]
        registration = types.Registration(
            id="asynclint-config-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await asyncio.wait_for(
                self.client_register_capability_async(
                    types.RegistrationParams(registrations=[registration])
                ),
                timeout=10,
            )
        except Exception as error:
            self.log(
                f"asynclint: cannot watch configuration files: {error}", types.MessageType.Warning
            )


def create_server() -> AsynclintServer:
    server = AsynclintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: AsynclintServer, params: types.InitializeParams) -> None:
        found, problems = read_settings(params.initialization_options)
        ls.initial_settings = found
        ls.editor_settings = layer_settings(found)
        for problem in problems:
            ls.log(f"asynclint: initializationOptions: {problem}", types.MessageType.Warning)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: AsynclintServer, params: types.InitializedParams) -> None:
        await ls.watch_config_files()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AsynclintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.open_uris.add(params.text_document.uri)
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AsynclintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: AsynclintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = to_fs_path(params.text_document.uri) or ""
        if os.path.basename(path) in CONFIG_FILE_NAMES:
            ls.settings_changed()  # the project configuration may have changed: everything again
        else:
            ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AsynclintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.open_uris.discard(uri)
        task = ls.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        ls.engine.submit(ls.workbench.forget, uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: AsynclintServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = params.settings
        if settings is None or settings == {}:  # the pull model: the client expects to be asked
            pulled = await ls.pull_settings()
            if pulled is not None:
                settings = pulled
            elif settings is None:  # nothing said, nothing to ask: keep the settings, lint again
                ls.settings_changed()
                return
        found, problems = read_settings(settings)
        for problem in problems:
            ls.tell([(types.MessageType.Warning, f"asynclint: settings: {problem}")])
        ls.changed_settings = found
        ls.settings_changed()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: AsynclintServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        if any(
            os.path.basename(to_fs_path(change.uri) or "") in CONFIG_FILE_NAMES
            for change in params.changes
        ):
            ls.settings_changed()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND], resolve_provider=True
        ),
    )
    async def code_action(ls: AsynclintServer, params: types.CodeActionParams):
        return await ls.code_actions(params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def code_action_resolve(
        ls: AsynclintServer, params: types.CodeAction
    ) -> types.CodeAction:
        return await ls.resolve_code_action(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: AsynclintServer, params: Any = None) -> None:
        ls.shutdown_requested = True
        for task in ls.pending.values():
            task.cancel()
        ls.pending.clear()

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit (or goes away).

    Exits 0 after a ``shutdown`` request, 1 when the client left without one (as LSP asks).
    """
    if sys.getrecursionlimit() < 10_000:
        sys.setrecursionlimit(10_000)  # code generation recurses on deeply nested expressions
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.WARNING,
        format="asynclint server: %(levelname)s: %(message)s",
    )
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never corrupt the protocol stream
    server = create_server()
    server.start_io(stdin, stdout)
    sys.exit(0 if server.shutdown_requested else 1)


__all__ = [
    "AsynclintServer",
    "EditorSettings",
    "TextIndex",
    "code_units",
    "create_server",
    "read_settings",
    "serve",
    "text_edits",
]
