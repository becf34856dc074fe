"""What the command-line tests share: running the CLI in-process and reading its finding lines."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path
from typing import List, Tuple

from click.testing import CliRunner

from asynclint.cli import main

#: One text-format finding: ``path:line:col: CODE message``.
FINDING_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>ASL\d{3}) (?P<message>\S.*)$"
)


def run(*args: str, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def finding_lines(stdout: str) -> List[Tuple[str, int, int, str, str]]:
    """(path, line, column, code, message) of every stdout line, each of which must be a finding."""
    rows = []
    for line in stdout.splitlines():
        match = FINDING_LINE.match(line)
        assert match, f"not a 'path:line:col: CODE message' line: {line!r}"
        rows.append(
            (
                match["path"],
                int(match["line"]),
                int(match["column"]),
                match["code"],
                match["message"],
            )
        )
    return rows


#: One of each: ASL100 at 10:5, ASL200 at 11:5, ASL400 at 12:5.
MIXED = textwrap.dedent(
    """\
    import asyncio
    import time


    async def work():
        await asyncio.sleep(0)


    async def f():
        time.sleep(1)
        work()
        asyncio.create_task(work())
        await asyncio.sleep(0)
    """
)
CLEAN = "import asyncio\n\n\nasync def f():\n    await asyncio.sleep(1)\n"


def read_sealed(path: Path, kind: str):
    """The value of a cache file asynclint wrote (checked with this user's key)."""
    from asynclint.storage import machine_key, unseal

    return unseal(machine_key(), kind, path.read_bytes())


def write_sealed(path: Path, kind: str, value) -> None:
    """Write a cache file as asynclint would (sealed with this user's key)."""
    from asynclint.storage import machine_key, seal

    path.write_bytes(seal(machine_key(), kind, value))
