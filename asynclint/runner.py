"""Running the linter over many files: per-file settings, worker processes, ordered results."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, List, Optional, Sequence, Tuple, Type

from . import config as configuration
from .discovery import module_name
from .engine import FileResult, FileSettings, Linter
from .findings import ENGINE_DIAGNOSTICS
from .index import LibraryIndex, OutlineCache, ProjectIndex, build_index, library_search_path
from .rule import Rule
from .source import Source
from .workers import imap_isolated

if TYPE_CHECKING:
    from .cache import FindingsCache

#: Below this many files a pool costs more than it saves.
_MIN_FILES_PER_WORKER = 4


#: CPU seconds one file's analysis may take before it is stopped and reported (ASL007). Real files
#: take a few seconds at most; this keeps a pathological one from holding up a CI job forever.
FILE_TIME_BUDGET = 60.0
#: A worker stuck in native code (where the budget's signal cannot stop it) is killed after this
#: many times the budget, in wall time (generous: a loaded machine slows everything).
_STUCK_WORKER_FACTOR = 10


@dataclass(frozen=True)
class RunOptions:
    fix: bool = False
    unsafe_fixes: bool = False
    write: bool = True  # False for --diff: compute fixes, show them, touch nothing
    jobs: int = 1
    #: Real paths of the linted trees: fixes are never written through a link out of them.
    roots: Tuple[str, ...] = ()
    time_budget: Optional[float] = FILE_TIME_BUDGET


def tree_roots(paths: Sequence[str]) -> Tuple[str, ...]:
    """The linted trees of command-line paths: a directory itself, a file's directory."""
    return tuple(
        os.path.realpath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
        for path in paths
    )


class Settings:
    """Turns the configuration into each file's FileSettings."""

    def __init__(self, config: configuration.Config, rules: Sequence[Type[Rule]]) -> None:
        self.config = config
        self.enabled = configuration.select_rules(rules, config)
        self.explicit = frozenset(
            rule.code for rule in self.enabled if configuration.explicitly_selected(rule, config)
        )
        self.catalogues = tuple(
            sorted((key, tuple(sorted(table.items()))) for key, table in config.catalogues.items())
        )
        # Engine diagnostics are reported whatever is selected, unless explicitly ignored; those
        # that are off by default (ASL006) only when select or extend-select names them.
        self.ignored_diagnostics = frozenset(
            code
            for code, diagnostic in ENGINE_DIAGNOSTICS.items()
            if configuration.matches(code, config.ignore)
            or not (diagnostic.default or configuration.explicitly_selected(diagnostic, config))
        )

    def for_path(self, path: str) -> FileSettings:
        rules = self.enabled
        ignored = self.ignored_diagnostics
        extra = configuration.per_file_ignored(self.config, path)
        if extra:
            rules = tuple(rule for rule in rules if not configuration.matches(rule.code, extra))
            ignored = ignored | {
                code for code in ENGINE_DIAGNOSTICS if configuration.matches(code, extra)
            }
        return FileSettings(
            rules, self.config.framework, module_name(path), ignored, self.explicit, self.catalogues
        )


_worker_linter: Optional[Linter] = None


def _init_worker(linter: Linter) -> None:
    global _worker_linter
    _worker_linter = linter


def _lint_one(task: Tuple[str, FileSettings, RunOptions]) -> FileResult:
    path, settings, options = task
    linter = _worker_linter or Linter()
    result = linter.lint_path(
        path,
        settings,
        fix=options.fix,
        unsafe_fixes=options.unsafe_fixes,
        write=options.write,
        time_budget=options.time_budget,
        roots=options.roots,
    )
    return _portable(result, keep_source=not options.write)


def _worker_died(task: Tuple[str, FileSettings, RunOptions], reason: str) -> FileResult:
    """The result of a file whose worker process died on it (a native crash, the OOM killer)."""
    path, settings, _ = task
    result = FileResult(path)
    code = "ASL007" if reason == "over the time budget" else "ASL000"
    Linter._add_diagnostic(
        result, settings, code, f"the worker process linting this file died: {reason}"
    )
    return result


def _portable(result: FileResult, keep_source: bool) -> FileResult:
    result.findings = [finding.portable() for finding in result.findings]
    result.unfixed_findings = []
    if result.source is not None:
        result.source = Source(result.source.path, result.source.text) if keep_source else None
    return result


def lint_files(
    files: Sequence[str],
    settings: Settings,
    options: RunOptions,
    linter: Optional[Linter] = None,
    cache: Optional[FindingsCache] = None,
    progress: Optional[Callable[[int, int], None]] = None,
) -> List[FileResult]:
    """Lint ``files``, in worker processes when there are enough of them; results in input order.

    With a cache, files whose findings are cached are not linted again (when nothing is fixed).
    ``progress(done, total)`` is called as each file that is linted is done.
    """
    tasks = [(path, settings.for_path(path), options) for path in files]
    if linter is None:
        linter = Linter(project_index(tasks, cache, options.jobs))
    if cache is not None:
        cache.context = linter.index.fingerprint  # findings may depend on any file of the project
    results: List[Optional[FileResult]] = [None] * len(tasks)
    if cache is not None and not options.fix:
        for position, (path, file_settings, _) in enumerate(tasks):
            cached = cache.get(path, file_settings)
            if cached is not None:
                results[position] = FileResult(path, cached)
    todo = [position for position, result in enumerate(results) if result is None]
    for done, result in enumerate(_run_tasks([tasks[p] for p in todo], options, linter), 1):
        position = todo[done - 1]
        results[position] = result
        if progress is not None:
            progress(done, len(todo))
        if cache is not None and result.fixed_text is None and not _has_engine_failure(result):
            cache.put(tasks[position][0], tasks[position][1], result.findings)
    if cache is not None:
        cache.save()
    return results  # type: ignore[return-value]


def project_index(
    tasks: Sequence[Tuple[str, FileSettings, RunOptions]],
    cache: Optional[FindingsCache],
    jobs: int,
) -> ProjectIndex:
    """The index of every linted file, outlines reused from the cache next to the findings cache."""
    directory = cache.store if cache is not None else None
    outlines = OutlineCache(directory)
    libraries = LibraryIndex(directory, library_search_path())
    index = build_index(
        [(path, file_settings.module_name) for path, file_settings, _ in tasks],
        outlines,
        jobs,
        libraries,
    )
    outlines.save()
    index.load_imported_libraries()  # before workers fork, so that each need not read them again
    libraries.save()
    return index


def _has_engine_failure(result: FileResult) -> bool:
    """Unreadable or crashed files are retried next time rather than remembered."""
    return any(
        finding.code in ("ASL000", "ASL003", "ASL005", "ASL007") for finding in result.findings
    )


def _run_tasks(
    tasks: List[Tuple[str, FileSettings, RunOptions]], options: RunOptions, linter: Linter
) -> Iterator[FileResult]:
    """Each task's result, in order, as it is done (consume them all: the pool closes at the
    end)."""
    jobs = max(1, min(options.jobs, len(tasks) // _MIN_FILES_PER_WORKER))
    if jobs == 1:
        _init_worker(linter)
        for task in tasks:
            yield _lint_one(task)
        return
    chunk = max(1, min(32, len(tasks) // (jobs * 8)))
    # Forked workers inherit the linter, project index included, without pickling it. A worker
    # that dies costs the file it was on (ASL000); one stuck in native code is stopped.
    _init_worker(linter)
    budget = options.time_budget * _STUCK_WORKER_FACTOR if options.time_budget is not None else None
    yield from imap_isolated(_lint_one, tasks, jobs, _worker_died, chunk=chunk, budget=budget)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
