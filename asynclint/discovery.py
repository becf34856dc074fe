"""Finding the files to lint: ``*.py`` under the given paths, minus excludes and ``.gitignore``d
paths."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterator, List, Optional, Sequence, Tuple

from .source import SourceError, inside, read_regular


@dataclass(frozen=True)
class Unreadable:
    """A path the user named (or a ``*.py`` entry found) that cannot be linted, or is not
    followed."""

    path: str
    reason: str  # the whole message: "cannot read: Permission denied", "not a regular file..."


def _relative(path: str, root: str) -> Tuple[bool, str, List[str]]:
    """Whether ``path`` is inside ``root``, its '/'-separated path relative to it (absolute when
    outside) and that path's components."""
    absolute = os.path.abspath(path)
    inside = absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep)
    relative = (
        os.path.relpath(absolute, root).replace(os.sep, "/")
        if inside
        else absolute.replace(os.sep, "/")
    )
    return inside, relative, [part for part in relative.split("/") if part not in ("", ".")]


def excluded(path: str, patterns: Sequence[str], root: str, below: Optional[str] = None) -> bool:
    """A pattern without a slash excludes any path with a component that matches it (``build``,
    ``*.egg-info``); a pattern with one matches the path relative to ``root`` (the configuration's
    directory), or any trailing part of a path outside it.

    ``below``: a directory named on the command line, which is linted even when excluded: only
    the components of ``path`` below it are matched."""
    inside, relative, parts = _relative(path, root)
    first = len(_relative(below, root)[2]) if below is not None else 0
    for pattern in patterns:
        stripped = pattern.strip("/")
        if "/" in stripped:
            if len(parts) > first and (
                fnmatch.fnmatch(relative, stripped)
                or (not inside and fnmatch.fnmatch(relative, "*/" + stripped))
            ):
                return True
            if any(
                fnmatch.fnmatch("/".join(parts[:n]), stripped) for n in range(first + 1, len(parts))
            ):
                return True  # a directory matched: everything below it is excluded
        elif any(fnmatch.fnmatch(part, stripped) for part in parts[first:]):
            return True
    return False


def display_path(path: str) -> str:
    """A path as the user reads it: without leading './' (as ruff and flake8 print paths)."""
    prefixes = tuple(os.curdir + sep for sep in (os.sep, os.altsep) if sep)
    while path.startswith(prefixes) and len(path) > 2:
        path = path[2:]
    return path


#: A ``.gitignore`` larger than this is not read (git's own files are a few KB).
MAX_GITIGNORE_BYTES = 1024 * 1024


class _GitIgnore:
    """The ``.gitignore`` files from a walk's root down, each applied to the paths below it."""

    def __init__(self, warn: Callable[[str], None]) -> None:
        self._specs: dict = {}
        self._warn = warn

    def spec(self, directory: str):
        if directory not in self._specs:
            self._specs[directory] = self._load(os.path.join(directory, ".gitignore"))
        return self._specs[directory]

    def _load(self, path: str):
        """The patterns of one .gitignore; a line git would not understand either is skipped with a
        warning (git ignores such a line and goes on)."""
        if not os.path.lexists(path):
            return None
        try:
            data, _ = read_regular(path, MAX_GITIGNORE_BYTES)
        except SourceError as error:
            self._warn(f"{path}: {error.message}; its patterns are not applied")
            return None
        import pathspec

        kept = []
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except Exception as error:  # the pattern library's errors differ by version and kind
                self._warn(f"{path}:{number}: invalid pattern {line!r} skipped ({error})")
                continue
            kept.append(line)
        return pathspec.GitIgnoreSpec.from_lines(kept)

    def ignored(self, path: str, is_dir: bool, owners: Sequence[str]) -> bool:
        for owner in owners:
            spec = self.spec(owner)
            if spec is None:
                continue
            relative = os.path.relpath(path, owner).replace(os.sep, "/")
            if spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return False


@dataclass
class Discovered:
    """What the paths given hold: files to lint (sorted, unique, shown without './'), the paths that
    cannot be read, and how many named paths ``force_exclude`` left out."""

    files: List[str]
    unreadable: List[Unreadable]
    excluded: int = 0

    def __iter__(self) -> Iterator:
        """Unpacks as ``files, unreadable``."""
        return iter((self.files, self.unreadable))


def discover(
    paths: Sequence[str],
    excludes: Sequence[str],
    root: str = ".",
    force_exclude: bool = False,
    warn: Optional[Callable[[str], None]] = None,
) -> Discovered:
    """The ``*.py`` files under ``paths``, less excludes and what ``.gitignore`` files ignore.

    A path named here is linted even when excluded or git-ignored (a directory's contents are still
    filtered), as ruff does, unless ``force_exclude``: then excludes and ``.gitignore`` apply to the
    named paths too (what a pre-commit hook, which names every file, wants). ``warn`` hears about
    what is skipped without being a finding (a bad .gitignore line)."""
    files: List[str] = []
    problems: List[Unreadable] = []
    gitignore = _GitIgnore(warn or (lambda message: None))
    root = os.path.abspath(root)
    skipped = 0
    for path in paths:
        if force_exclude and (
            excluded(path, excludes, root)
            or gitignore.ignored(
                path, os.path.isdir(path), _repository_ignores(path, gitignore, root)
            )
        ):
            skipped += 1
            continue
        if os.path.isdir(path):
            files.extend(_walk(path, excludes, root, gitignore, problems))
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
            unique.append(display_path(file))
    shown = [Unreadable(display_path(problem.path), problem.reason) for problem in problems]
    return Discovered(sorted(unique), shown, skipped)


def _repository_ignores(
    start: str, gitignore: _GitIgnore, root: Optional[str] = None
) -> Tuple[str, ...]:
    """Directories above ``start``, up to its git repository's top, whose .gitignore applies to it.

    Outside a repository only a walked tree's own .gitignore files count: none above ``start``,
    or, given the ``root`` a named path is resolved against, those from ``root`` down to it."""
    owners: List[str] = []
    outside: Tuple[str, ...] = ()
    directory = os.path.dirname(os.path.abspath(start))
    while True:
        if gitignore.spec(directory) is not None:
            owners.append(directory)
        if directory == root:
            outside = tuple(reversed(owners))
        if os.path.exists(os.path.join(directory, ".git")):
            return tuple(reversed(owners))
        parent = os.path.dirname(directory)
        if parent == directory:
            return outside
        directory = parent


def _walk(
    top: str, excludes: Sequence[str], root: str, gitignore: _GitIgnore, problems: List[Unreadable]
) -> Iterator[str]:
    above = _repository_ignores(top, gitignore)
    if gitignore.ignored(top, True, above):
        above = ()  # named, so linted: only the .gitignore files inside it apply
    owners_by_dir = {os.path.dirname(top): above}
    tree = os.path.realpath(top)

    def unreadable(error: OSError) -> None:
        problems.append(
            Unreadable(error.filename or top, f"cannot read: {error.strerror or error}")
        )

    for directory, subdirs, names in os.walk(top, onerror=unreadable, followlinks=False):
        parent_owners = owners_by_dir.get(os.path.dirname(directory), ())
        owners = (
            (*parent_owners, directory)
            if gitignore.spec(directory) is not None
            else tuple(parent_owners)
        )
        owners_by_dir[directory] = owners
        kept = []
        for sub in sorted(subdirs):
            full = os.path.join(directory, sub)
            if excluded(full, excludes, root, top) or gitignore.ignored(full, True, owners):
                continue
            if os.path.islink(full):
                continue  # never follow directory links: they can loop
            kept.append(sub)
        subdirs[:] = kept
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            full = os.path.join(directory, name)
            if excluded(full, excludes, root, top) or gitignore.ignored(full, False, owners):
                continue
            if os.path.islink(full):
                target = os.path.realpath(full)
                if not inside(target, tree):
                    problems.append(
                        Unreadable(
                            full, "a symbolic link to a file outside the linted tree; skipped"
                        )
                    )
                    continue
            try:
                info = os.stat(full)
            except OSError:
                problems.append(Unreadable(full, _why_unreadable(full)))
                continue
            if stat.S_ISDIR(info.st_mode):
                continue  # a directory named like a module: os.walk descends into it
            if not stat.S_ISREG(info.st_mode):
                problems.append(Unreadable(full, _why_unreadable(full)))
                continue
            yield full


def _why_unreadable(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    if stat.S_ISREG(info.st_mode):
        return "cannot read"
    return "not a regular file (a device, FIFO or socket); skipped"


@lru_cache(maxsize=4096)
def _package_parts(directory: str) -> Tuple[str, ...]:
    if not os.path.isfile(os.path.join(directory, "__init__.py")):
        return ()
    parent = os.path.dirname(directory)
    if parent == directory:
        return (os.path.basename(directory),)
    return (*_package_parts(parent), os.path.basename(directory))


def module_name(path: str) -> str:
    """The dotted module name of a file, from the packages (directories with ``__init__.py``)
    around it."""
    absolute = os.path.abspath(path)
    stem = os.path.splitext(os.path.basename(absolute))[0]
    parts = _package_parts(os.path.dirname(absolute))
    if stem == "__init__":
        return ".".join(parts) or "__init__"
    return ".".join((*parts, stem)) if stem.isidentifier() else stem
