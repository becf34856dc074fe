"""asynclint as a flake8 plugin: ``flake8 --select ASL`` reports what ``asynclint check`` reports.

flake8 finds the plugin through the ``flake8.extension`` entry point ``ASL`` and instantiates
:class:`AsynclintChecker` once per file, with the lines flake8 has already read (from the file or,
with ``flake8 -``, from standard input): the plugin never reads the file itself.

asynclint's own configuration applies exactly as for the CLI: the nearest ``asynclint.toml`` or
``pyproject.toml`` with ``[tool.asynclint]`` above the file decides which rules run, its
``per-file-ignores``, ``exclude`` and its framework. flake8's own selection, ``--extend-ignore``,
``--per-file-ignores`` and ``# noqa`` then filter what the plugin reports, as for any plugin.

Importing this module is cheap (flake8 imports every plugin at start, even for ``--version``);
the engine, libcst and the rules are imported when flake8 is about to check files.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Iterator, List, Optional, Sequence, Tuple

import asynclint

if TYPE_CHECKING:
    from .runner import Settings

#: Deeply nested expressions need more than Python's default limit; the CLI raises it the same way.
_RECURSION_LIMIT = 10_000


class AsynclintChecker:
    """One file's check. flake8 passes ``tree``, ``filename`` and ``lines`` by parameter name.

    ``tree`` (flake8's ``ast``) is unused, but requesting it is what makes this an AST plugin, run
    once per file; asynclint parses the text with libcst itself.
    """

    name = "asynclint"
    version = asynclint.__version__

    #: Per process (flake8's ``-j`` workers each have their own): loaded once, not once per file.
    _settings_by_config: ClassVar[Dict[Optional[str], Settings]] = {}
    _config_by_directory: ClassVar[Dict[str, Optional[str]]] = {}
    #: ``flake8 -``: the file name is only a display name, which the CLI never excludes either.
    _reading_stdin: ClassVar[bool] = False

    def __init__(self, tree: Any, filename: str, lines: Sequence[str]) -> None:
        self.filename = filename
        self.lines = lines
        # Configuration problems are raised here, not in run(): flake8 reports an exception from the
        # constructor as "<file>: "ASL" failed during execution due to ConfigError(...)".
        self.settings = self._settings(filename)

    @classmethod
    def parse_options(cls, option_manager: Any, options: Any, args: Any) -> None:
        """Called by flake8 once options are parsed, in the main process before it forks its
        workers: importing the engine here lets every worker inherit it instead of importing it
        again, while ``flake8 --version`` and ``--help`` never pay for it."""
        from . import engine, runner  # noqa: F401
        from .registry import RulePackError, load_rules

        cls._reading_stdin = "-" in (getattr(options, "filenames", None) or ())
        try:
            load_rules()
        except RulePackError:
            pass  # reported, file by file, by the constructor

    # -- configuration -----------------------------------------------------------------------------

    @classmethod
    def _settings(cls, filename: str) -> Settings:
        from . import config as configuration
        from .registry import load_rules
        from .runner import Settings

        directory = os.path.dirname(os.path.abspath(filename))
        try:
            path = cls._config_by_directory[directory]
        except KeyError:
            path = cls._config_by_directory[directory] = configuration.find_config_file(filename)
        settings = cls._settings_by_config.get(path)
        if settings is None:
            rules = load_rules()  # a broken rule pack raises RulePackError, naming the pack
            settings = Settings(
                configuration.load(path, rules), rules
            )  # ConfigError names file and key
            cls._settings_by_config[path] = settings
        return settings

    # -- the check ---------------------------------------------------------------------------------

    def run(self) -> Iterator[Tuple[int, int, str, type]]:
        for line, column, code, message in self._findings():
            # flake8 columns are 0-based (it adds 1 when printing); asynclint's are 1-based.
            yield line, column - 1, f"{code} {message}", type(self)

    def _findings(self) -> List[Tuple[int, int, str, str]]:
        from .discovery import excluded
        from .engine import Linter
        from .source import MAX_FILE_BYTES, Source

        config = self.settings.config
        if not self._reading_stdin and excluded(self.filename, config.excludes, config.root):
            # the CLI skips it, even when named on the command line: exclude, extend-exclude
            return []
        file_settings = self.settings.for_path(self.filename)
        text = "".join(self.lines)  # already decoded (BOM removed) by flake8
        size = _size(text, MAX_FILE_BYTES)
        if size > MAX_FILE_BYTES:  # skipped, as the CLI skips it (ASL004)
            if "ASL004" in file_settings.ignored_diagnostics:
                return []
            return [
                (
                    1,
                    1,
                    "ASL004",
                    f"file is {size / 1048576:.1f} MiB, over the "
                    f"{MAX_FILE_BYTES // 1048576} MiB limit; skipped",
                )
            ]
        limit = sys.getrecursionlimit()
        if limit < _RECURSION_LIMIT:
            sys.setrecursionlimit(_RECURSION_LIMIT)
        try:
            result = Linter().lint_source(Source(self.filename, text), file_settings)
        finally:
            if limit < _RECURSION_LIMIT:
                sys.setrecursionlimit(limit)
        # flake8 calls plugins only for files that CPython parses (syntax errors are its own E999),
        # so an ASL001 here means that libcst rejected valid code and the file went unchecked: the
        # CLI says so too, and so does the plugin. ASL000 (a rule crashed) likewise. The other
        # engine diagnostics concern reading and writing files, which the plugin never does.
        return [(f.line, f.column, f.code, f.message) for f in result.findings]


def _size(text: str, limit: int) -> int:
    """The file's size in bytes, for the CLI's size limit; 0 when it is clearly under ``limit``.

    flake8 gives text, not bytes, so the size is that of the text as UTF-8: exact for UTF-8 files
    with LF newlines, the common case.
    """
    if len(text) <= limit // 4:  # UTF-8 takes at most 4 bytes a character
        return 0
    return len(text.encode("utf-8", "surrogatepass"))


__all__ = ["AsynclintChecker"]
