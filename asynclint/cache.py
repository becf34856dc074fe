"""The findings cache: a file whose size, modification time and settings are unchanged since the
last run is not linted again.

One sealed JSON file per project root (``.asynclint_cache/``, which ignores itself for git; see
``asynclint.storage`` for why a cache that arrived with the repository is not believed). An entry
records the file's size and modification time, and a fingerprint of everything else that decides
its findings: the tool's version, the source of the engine and rule modules (so an edited rule
invalidates), the file's enabled rules, framework and module name.
"""

from __future__ import annotations

import hashlib
import inspect
import os
from typing import Dict, Iterable, List, Optional, Set, Type

from . import __version__
from .engine import FileSettings
from .findings import Finding
from .rule import Rule
from .storage import (
    CacheDirectory,
    Malformed,
    check_number,
    check_optional_text,
    check_rows,
    check_text,
    check_time,
)

CACHE_DIR = ".asynclint_cache"
_FORMAT = 2


def _code_fingerprint(rules: Iterable[Type[Rule]]) -> str:
    """Version plus size and mtime of every module that defines behaviour (engine and rules)."""
    modules: Set[str] = set()
    for (
        rule
    ) in rules:  # every module of a rule's package: catalogues and helpers decide findings too
        source = inspect.getsourcefile(rule)
        if source:
            directory = os.path.dirname(source)
            modules.update(
                os.path.join(directory, name)
                for name in os.listdir(directory)
                if name.endswith(".py")
            )
    package = os.path.dirname(os.path.abspath(__file__))
    modules.update(
        os.path.join(package, name) for name in os.listdir(package) if name.endswith(".py")
    )
    parts = [__version__]
    for path in sorted(m for m in modules if m):
        try:
            info = os.stat(path)
            parts.append(f"{path}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            parts.append(path)
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()


class FindingsCache:
    def __init__(self, root: str, rules: Iterable[Type[Rule]]) -> None:
        self.directory = os.path.join(root, CACHE_DIR)
        self.store = CacheDirectory(self.directory)
        self.name = f"findings-v{_FORMAT}.json"
        self.code = _code_fingerprint(rules)
        self.entries: Dict[str, list] = {}
        self.dirty = False
        #: What else the findings depend on (the project index's fingerprint), set by the runner.
        self.context = ""
        stored = self.store.read(self.name, "findings")
        if type(stored) is dict and stored.get("code") == self.code:
            self.entries = _entries(stored.get("files"))

    @staticmethod
    def _key(path: str) -> str:
        return os.path.abspath(path)

    def _stamp(self, path: str, settings: FileSettings) -> Optional[List[object]]:
        try:
            info = os.stat(path)
        except OSError:
            return None
        configured = (
            sorted(rule.code for rule in settings.rules),
            settings.framework,
            settings.module_name,
            sorted(settings.ignored_diagnostics),
            sorted(settings.explicit),
            settings.catalogues,
        )
        return [
            info.st_size,
            info.st_mtime_ns,
            hashlib.sha1(repr(configured).encode()).hexdigest(),
            self.context,
        ]

    def get(self, path: str, settings: FileSettings) -> Optional[List[Finding]]:
        entry = self.entries.get(self._key(path))
        stamp = self._stamp(path, settings)
        if entry is None or stamp is None or entry[0] != stamp:
            return None
        return [Finding(path, *fields) for fields in entry[1]]  # checked when read

    def put(self, path: str, settings: FileSettings, findings: List[Finding]) -> None:
        stamp = self._stamp(path, settings)
        if stamp is None:
            return
        rows = [
            [
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                f.code,
                f.name,
                f.message,
                f.fix_applicability,
                f.fix_message,
            ]
            for f in findings
        ]
        self.entries[self._key(path)] = [stamp, rows]
        self.dirty = True

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is silently skipped."""
        if self.dirty:
            self.store.write(self.name, "findings", {"code": self.code, "files": self.entries})


def _entries(files: object) -> Dict[str, list]:
    """The stored entries, each checked; nothing when any is not one asynclint wrote."""
    if type(files) is not dict:
        return {}
    try:
        for path, entry in files.items():
            check_text(path)
            ((stamp, rows),) = check_rows([entry], 2)
            ((size, mtime, settings, context),) = check_rows([stamp], 4)
            check_number(size), check_time(mtime), check_text(settings), check_text(context)
            for row in check_rows(rows, 9):
                for number in row[:4]:
                    check_number(number)
                for text in row[4:7]:
                    check_text(text)
                if row[7] not in (None, "safe", "unsafe"):
                    raise Malformed("fix applicability expected")
                check_optional_text(row[8])
    except Malformed:
        return {}
    return files
