"""Finding the files to lint: ``*.py`` under the given paths, minus excludes and ``.gitignore``d paths."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator, List, Sequence, Tuple


@dataclass(frozen=True)
class Unreadable:
    """A path the user named (or a ``*.py`` entry found) that cannot be linted."""

    path: str
    reason: str


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    """A path is excluded when any of its components, or its whole path, matches a pattern."""
    normalized = path.replace(os.sep, "/")
    for pattern in patterns:
        if "/" in pattern.strip("/"):
            if fnmatch.fnmatch(normalized, pattern) or fnmatch.fnmatch(normalized, "*/" + pattern.strip("/")):
                return True
        elif any(fnmatch.fnmatch(part, pattern.strip("/")) for part in normalized.split("/") if part not in ("", ".")):
            return True
    return False


class _GitIgnore:
    """The ``.gitignore`` files from a walk's root down, each applied to the paths below it."""

    def __init__(self) -> None:
        self._specs: dict = {}

    def spec(self, directory: str):
        if directory not in self._specs:
            path = os.path.join(directory, ".gitignore")
            spec = None
            if os.path.isfile(path):
                try:
                    import pathspec

                    with open(path, encoding="utf-8", errors="replace") as handle:
                        spec = pathspec.PathSpec.from_lines("gitwildmatch", handle)
                except OSError:
                    spec = None
            self._specs[directory] = spec
        return self._specs[directory]

    def ignored(self, path: str, is_dir: bool, owners: Sequence[str]) -> bool:
        for owner in owners:
            spec = self.spec(owner)
            if spec is None:
                continue
            relative = os.path.relpath(path, owner).replace(os.sep, "/")
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False


def discover(paths: Sequence[str], excludes: Sequence[str]) -> Tuple[List[str], List[Unreadable]]:
    """Files to lint, sorted and unique, and the named paths that cannot be read."""
    files: List[str] = []
    problems: List[Unreadable] = []
    gitignore = _GitIgnore()
    for path in paths:
        if _excluded(path, excludes):
            continue
        if os.path.isdir(path):
            files.extend(_walk(path, excludes, gitignore, problems))
        elif os.path.isfile(path):
            files.append(path)
        else:
            problems.append(Unreadable(path, _why_unreadable(path)))
    seen = set()
    unique = []
    for file in files:
        key = os.path.normpath(file)
        if key not in seen:
            seen.add(key)
            unique.append(file)
    return sorted(unique), problems


def _walk(root: str, excludes: Sequence[str], gitignore: _GitIgnore, problems: List[Unreadable]) -> Iterator[str]:
    owners_by_dir = {}
    for directory, subdirs, names in os.walk(root, onerror=None, followlinks=False):
        parent_owners = owners_by_dir.get(os.path.dirname(directory), ())
        owners = (*parent_owners, directory) if gitignore.spec(directory) is not None else tuple(parent_owners)
        owners_by_dir[directory] = owners
        kept = []
        for sub in sorted(subdirs):
            full = os.path.join(directory, sub)
            if _excluded(sub, excludes) or gitignore.ignored(full, True, owners):
                continue
            if os.path.islink(full):
                continue  # never follow directory links: they can loop
            kept.append(sub)
        subdirs[:] = kept
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            full = os.path.join(directory, name)
            if _excluded(name, excludes) or gitignore.ignored(full, False, owners):
                continue
            if os.path.islink(full) and not os.path.exists(full):
                problems.append(Unreadable(full, _why_unreadable(full)))
                continue
            if os.path.isdir(full):
                continue  # a directory named like a module: os.walk descends into it
            yield full


def _why_unreadable(path: str) -> str:
    try:
        os.stat(path)
    except OSError as error:
        return error.strerror or str(error)
    return "not a regular file"


@lru_cache(maxsize=4096)
def _package_parts(directory: str) -> Tuple[str, ...]:
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return ()
    parent = os.path.dirname(directory)
    if parent == directory:
        return (os.path.basename(directory),)
    return (*_package_parts(parent), os.path.basename(directory))


def module_name(path: str) -> str:
    """The dotted module name of a file, from the packages (directories with ``__init__.py``) around it."""
    absolute = os.path.abspath(path)
    stem = os.path.splitext(os.path.basename(absolute))[0]
    parts = _package_parts(os.path.dirname(absolute))
    if stem == "__init__":
        return ".".join(parts) or "__init__"
    return ".".join((*parts, stem)) if stem.isidentifier() else stem

