"""Compare the speed and memory of asynclint, ruff and flake8 (with flake8-async) on one set of
files.

Usage::

    python benchmarks/bench.py [CORPUS] [--subset PKG,PKG] [--runs N] [--jobs J]
                               [--asynclint BIN] [--ruff BIN] [--flake8 BIN]

CORPUS is a directory holding one directory per package (default: ``$ASL_CORPUS``, else
``/tmp/asl-corpus``); ``--subset aiohttp,trio`` restricts the run to those package directories.
Each tool is found on PATH unless its binary is given; a tool that is missing (or flake8 without
the flake8-async plugin) is reported as skipped.

The commands measured, all over the same paths::

    asynclint check --no-cache --exit-zero --jobs J PATHS...
    ruff check --no-cache --select ASYNC,RUF006 --exit-zero PATHS...
    flake8 --select ASYNC --exit-zero -j J PATHS...

Every run is a fresh process, started from an empty temporary directory (so that no
configuration file in the current directory applies, and asynclint's cache, disabled anyway, lands
nowhere). Standard output goes to /dev/null, except in each tool's first run, whose output is kept
to count the findings. The runs are interleaved (asynclint, ruff, flake8, asynclint, ...) so that
a slow period of the machine does not hit one tool only, and the table reports medians of N runs.

What is measured:

* wall time: from starting the process until it has been reaped;
* CPU time: user + system time of the process and the worker processes it waited for;
* peak RSS: ``ru_maxrss`` from ``os.wait4``. The kernel reports the largest peak of any *single*
  process in the tree (the tool or one of the workers it waited for), not the sum over processes
  alive at the same time. ruff is one multi-threaded process, so its figure is its whole
  footprint; asynclint and flake8 with J > 1 run J worker processes, so their total is larger.

Only the standard library is used; Linux and macOS (``os.wait4``), Python 3.9 or newer.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence, Tuple

DEFAULT_CORPUS = os.environ.get("ASL_CORPUS") or "/tmp/asl-corpus"

#: Directories none of the tools descends into by default; used only to count files and lines.
SKIPPED_DIRECTORIES = {
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".env",
    "env",
    "build",
    "dist",
    "__pycache__",
    "node_modules",
    ".tox",
    ".nox",
    ".eggs",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".asynclint_cache",
}

#: ``path:line:col: CODE message``, the line format of asynclint and flake8.
FINDING_LINE = re.compile(r"^.+:\d+:\d+: [A-Z]+\d+ ", re.MULTILINE)
#: ruff's default output is several lines per finding; its summary line gives the count.
RUFF_SUMMARY = re.compile(r"^Found (\d+) (?:error|finding)s?\b", re.MULTILINE)


def count_finding_lines(output: str) -> int:
    return len(FINDING_LINE.findall(output))


def count_ruff_findings(output: str) -> int:
    match = RUFF_SUMMARY.search(output)
    return int(match.group(1)) if match else 0  # "All checks passed!" has no count


@dataclass
class Tool:
    name: str
    binary: Optional[str]
    make_command: Callable[[str, Sequence[str], int], List[str]]
    count_findings: Callable[[str], int]
    skipped: Optional[str] = None  # why the tool is not run
    failed: Optional[str] = None  # the first failing run's exit status and standard error
    findings: Optional[int] = None
    wall: List[float] = field(default_factory=list)
    cpu: List[float] = field(default_factory=list)
    peak_rss: List[int] = field(default_factory=list)  # bytes

    def command(self, paths: Sequence[str], jobs: int) -> List[str]:
        assert self.binary is not None
        return self.make_command(self.binary, paths, jobs)


def asynclint_command(binary: str, paths: Sequence[str], jobs: int) -> List[str]:
    # --no-cache: otherwise every run after the first would only read the findings cache.
    return [binary, "check", "--no-cache", "--exit-zero", "--jobs", str(jobs), *paths]


def ruff_command(binary: str, paths: Sequence[str], jobs: int) -> List[str]:
    # ruff has no job count option: it uses a thread per CPU.
    return [binary, "check", "--no-cache", "--select", "ASYNC,RUF006", "--exit-zero", *paths]


def flake8_command(binary: str, paths: Sequence[str], jobs: int) -> List[str]:
    return [binary, "--select", "ASYNC", "--exit-zero", "-j", str(jobs), *paths]


def locate(name: str, given: Optional[str]) -> Tuple[Optional[str], Optional[str]]:
    """The binary to run and, when there is none, why."""
    if given is None:
        found = shutil.which(name)
        return (found, None) if found else (None, f"{name} not found on PATH")
    found = shutil.which(
        given
    )  # a path is checked for being an executable file, a bare name looked up
    return (found, None) if found else (None, f"{given} is not an executable")


def flake8_async_missing(binary: str) -> Optional[str]:
    """Without the plugin, ``flake8 --select ASYNC`` would silently check nothing."""
    try:
        version = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        return f"{binary} --version failed: {error}"
    return None if "flake8-async" in version else f"{binary} has no flake8-async plugin"


@dataclass
class Measurement:
    wall: float  # seconds
    cpu: float  # seconds, user + system, including reaped children
    peak_rss: int  # bytes
    exit_code: int
    stdout: str  # only when kept
    stderr: str


def measure(command: Sequence[str], cwd: str, keep_output: bool) -> Measurement:
    """Run ``command`` once in a fresh process and read its resource usage from ``os.wait4``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdout = out if keep_output else subprocess.DEVNULL
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=err
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        captured = out.read().decode("utf-8", "replace") if keep_output else ""
        errors = err.read().decode("utf-8", "replace")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return Measurement(
        wall, usage.ru_utime + usage.ru_stime, peak, process.returncode, captured, errors
    )


def package_paths(corpus: str, subset: Optional[str]) -> List[str]:
    if not os.path.isdir(corpus):
        sys.exit(f"bench: error: {corpus} is not a directory")
    if subset is None:
        return [os.path.abspath(corpus)]
    names = [name.strip() for name in subset.split(",") if name.strip()]
    missing = [name for name in names if not os.path.isdir(os.path.join(corpus, name))]
    if missing or not names:
        sys.exit(
            f"bench: error: no package directory {', '.join(missing) or '(empty --subset)'} in "
            f"{corpus}"
        )
    return [os.path.abspath(os.path.join(corpus, name)) for name in names]


def count_files_and_lines(paths: Sequence[str]) -> Tuple[int, int]:
    files = lines = 0
    for top in paths:
        for directory, subdirs, names in os.walk(top):
            subdirs[:] = [
                d for d in subdirs if d not in SKIPPED_DIRECTORIES and not d.endswith(".egg-info")
            ]
            for name in names:
                if not name.endswith(".py"):
                    continue
                with open(os.path.join(directory, name), "rb") as handle:
                    data = handle.read()
                files += 1
                lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return files, lines


def run_benchmark(tools: Sequence[Tool], paths: Sequence[str], runs: int, jobs: int) -> None:
    active = [tool for tool in tools if tool.skipped is None]
    with tempfile.TemporaryDirectory(prefix="asynclint-bench-") as workdir:
        for run in range(runs):
            for tool in active:
                if tool.failed:
                    continue
                command = tool.command(paths, jobs)
                print(
                    f"  run {run + 1}/{runs}: {tool.name} ...", end="", file=sys.stderr, flush=True
                )
                result = measure(command, workdir, keep_output=run == 0)
                print(f" {result.wall:.2f} s, {result.peak_rss / 2**20:.0f} MiB", file=sys.stderr)
                if result.exit_code != 0:
                    tail = result.stderr.strip().splitlines()[-10:]  # the end of its standard error
                    tool.failed = "\n".join([f"exit status {result.exit_code}", *tail])
                    continue
                if run == 0:
                    tool.findings = tool.count_findings(result.stdout)
                tool.wall.append(result.wall)
                tool.cpu.append(result.cpu)
                tool.peak_rss.append(result.peak_rss)


def ratio(value: float, reference: Optional[float]) -> str:
    return f"{value / reference:.2f}x" if reference else "-"


def print_report(
    tools: Sequence[Tool],
    corpus: str,
    paths: Sequence[str],
    files: int,
    lines: int,
    runs: int,
    jobs: int,
) -> None:
    scope = f"{len(paths)} package(s) of {corpus}" if paths != [os.path.abspath(corpus)] else corpus
    print(
        f"\nFiles: {scope}: {files:,} .py files, {lines:,} lines. Medians of {runs} run(s), "
        f"--jobs {jobs}.\n"
    )
    base = next((tool for tool in tools if tool.name == "asynclint" and tool.wall), None)
    base_wall = statistics.median(base.wall) if base else None
    base_rss = statistics.median(base.peak_rss) if base else None

    header = (
        "tool",
        "wall s",
        "min-max s",
        "vs asynclint",
        "CPU s",
        "peak RSS MiB",
        "vs asynclint",
        "findings",
    )
    rows = []
    for tool in tools:
        if tool.skipped or tool.failed:
            status = (
                f"skipped: {tool.skipped}"
                if tool.skipped
                else f"failed: {tool.failed.splitlines()[0]}"
            )
            rows.append((tool.name, status))
            continue
        wall, rss = statistics.median(tool.wall), statistics.median(tool.peak_rss)
        rows.append(
            (
                tool.name,
                f"{wall:.2f}",
                f"{min(tool.wall):.2f}-{max(tool.wall):.2f}",
                ratio(wall, base_wall),
                f"{statistics.median(tool.cpu):.2f}",
                f"{rss / 2**20:.1f}",
                ratio(rss, base_rss),
                f"{tool.findings:,}",
            )
        )
    widths = [
        max([len(header[i])] + [len(row[i]) for row in rows if len(row) == len(header)])
        for i in range(len(header))
    ]
    widths[0] = max(widths[0], *(len(row[0]) for row in rows))
    print(
        "  ".join(
            cell.rjust(width) if i else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(header, widths))
        )
    )
    for row in rows:
        if len(row) == len(header):
            print(
                "  ".join(
                    cell.rjust(width) if i else cell.ljust(width)
                    for i, (cell, width) in enumerate(zip(row, widths))
                )
            )
        else:
            print(f"{row[0].ljust(widths[0])}  {row[1]}")

    if base is not None:
        print(
            f"\nasynclint: {files / base_wall:,.0f} files/s, {lines / base_wall:,.0f} lines/s "
            "(median wall time)"
        )
        for tool in tools:
            if tool is not base and tool.wall:
                print(
                    f"{tool.name} is {ratio(statistics.median(tool.wall), base_wall)} "
                    "asynclint's time "
                    f"and {ratio(statistics.median(tool.peak_rss), base_rss)} its peak memory"
                )
    for tool in tools:
        if tool.failed:
            print(f"\n{tool.name} failed: {tool.failed}")
    print(
        "\nPeak RSS is the largest single process of each tool's process tree (ru_maxrss from "
        "os.wait4);"
        f"\nasynclint and flake8 run {jobs} worker process(es), ruff is one multi-threaded process."
    )


def parse_arguments(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "corpus",
        nargs="?",
        default=DEFAULT_CORPUS,
        help="directory of package directories (default: $ASL_CORPUS or /tmp/asl-corpus)",
    )
    parser.add_argument(
        "--subset", metavar="PKG,PKG", help="only these package directories of the corpus"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per tool; the table shows medians (default: 3)"
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes for asynclint and flake8 (default: 2)"
    )
    parser.add_argument(
        "--asynclint", metavar="BIN", help="the asynclint binary (default: found on PATH)"
    )
    parser.add_argument("--ruff", metavar="BIN", help="the ruff binary (default: found on PATH)")
    parser.add_argument(
        "--flake8", metavar="BIN", help="the flake8 binary, with flake8-async (default: on PATH)"
    )
    arguments = parser.parse_args(argv)
    if arguments.runs < 1 or arguments.jobs < 1:
        parser.error("--runs and --jobs must be at least 1")
    return arguments


def main(argv: Optional[Sequence[str]] = None) -> None:
    arguments = parse_arguments(argv)
    paths = package_paths(arguments.corpus, arguments.subset)
    tools = []
    for name, given, make_command, count in (
        ("asynclint", arguments.asynclint, asynclint_command, count_finding_lines),
        ("ruff", arguments.ruff, ruff_command, count_ruff_findings),
        ("flake8", arguments.flake8, flake8_command, count_finding_lines),
    ):
        binary, why = locate(name, given)
        if binary is not None and name == "flake8":
            why = flake8_async_missing(binary)
        tools.append(Tool(name, binary, make_command, count, skipped=why))

    files, lines = count_files_and_lines(paths)
    for tool in tools:
        if tool.skipped:
            print(f"{tool.name}: skipped ({tool.skipped})", file=sys.stderr)
        else:
            print(
                f"{tool.name}: {' '.join(tool.command(['PATHS'], arguments.jobs))}", file=sys.stderr
            )
    run_benchmark(tools, paths, arguments.runs, arguments.jobs)
    print_report(tools, arguments.corpus, paths, files, lines, arguments.runs, arguments.jobs)


if __name__ == "__main__":
    main()
