"""Build the library knowledge shipped with asynclint: ``asynclint/library_outlines/``.

    python scripts/build_knowledge.py [--output DIR] [--only NAME,NAME]

For each release pinned in ``PINNED`` the script downloads the wheel with
``pip download --no-deps --only-binary=:all:`` (a wheel: nothing is built, so no code of the
package runs) into a temporary directory, reads the Python sources (``.pyi`` stubs win over
``.py``, as in an installed package) straight from the archive, and outlines each module with
asynclint's own outliner, without importing or installing anything. The standard library's
modules listed in ``STDLIB`` come from the running Python's sources.

Output: one gzip'd JSON file per release, ``<name>.json.gz`` (the outlines in the format the
caches use, ``asynclint.index.outline_to_data``, without call lists: rules follow calls through
project functions only), and ``catalogue.json`` naming the top-level packages each file covers,
with its version. The output is reproducible: the same pins and the same Python give the same
bytes. Run it again after bumping a pin or ``OUTLINE_VERSION``; the test suite checks that the
shipped files are readable by the current format.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import posixpath
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import zipfile
from typing import Dict, Iterable, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from asynclint.index import (  # noqa: E402
    OUTLINE_VERSION,
    library_outline,
    outline,
    outline_to_data,
)

#: (distribution, version, top-level packages, modules kept: None for all; ``pkg.*`` is a
#: package and everything under it)
PINNED: List[Tuple[str, str, Tuple[str, ...], Optional[Tuple[str, ...]]]] = [
    ("trio", "0.35.0", ("trio",), None),
    ("anyio", "4.16.0", ("anyio",), None),
    ("aiohttp", "3.14.5", ("aiohttp",), None),
    ("httpx", "0.28.1", ("httpx",), None),
    ("websockets", "17.4", ("websockets",), None),
    ("redis", "8.1.0", ("redis",), None),
    ("asyncpg", "0.32.0", ("asyncpg",), None),
    ("aiofiles", "25.1.0", ("aiofiles",), None),
    ("aiosqlite", "0.22.1", ("aiosqlite",), None),
    ("motor", "3.7.1", ("motor",), None),
    ("aiokafka", "0.14.0", ("aiokafka",), None),
    ("aio-pika", "10.2.1", ("aio_pika",), None),
    (
        "SQLAlchemy",  # the asyncio extension, and the engine and session it wraps
        "2.1.9",
        ("sqlalchemy",),
        (
            "sqlalchemy",
            "sqlalchemy.ext",
            "sqlalchemy.ext.asyncio.*",
            "sqlalchemy.engine.*",
            "sqlalchemy.orm",
            "sqlalchemy.orm.session",
            "sqlalchemy.orm.scoping",
        ),
    ),
    ("starlette", "1.10.0", ("starlette",), None),
]

#: The standard library's async surface and the blocking modules async code reaches for.
STDLIB = (
    "asyncio",
    "concurrent",
    "contextlib",
    "ftplib",
    "http",
    "multiprocessing",
    "queue",
    "selectors",
    "shutil",
    "smtplib",
    "socket",
    "socketserver",
    "sqlite3",
    "ssl",
    "subprocess",
    "threading",
    "urllib",
)

#: Files larger than this are not outlined (none of the pinned releases has one).
MAX_SOURCE = 4 * 1024 * 1024
SKIPPED_PARTS = frozenset({"tests", "test", "testing", "_tests", "__pycache__"})


def module_of(path: str) -> Optional[str]:
    """The module name of a source path inside an archive (``trio/_core/_run.py``)."""
    stem, extension = posixpath.splitext(path)
    if extension not in (".py", ".pyi"):
        return None
    parts = stem.split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    if not parts or any(not part.isidentifier() or part in SKIPPED_PARTS for part in parts):
        return None
    return ".".join(parts)


def kept(module: str, tops: Tuple[str, ...], patterns: Optional[Tuple[str, ...]]) -> bool:
    if module.split(".")[0] not in tops:
        return False
    return patterns is None or any(
        module == pattern or (pattern.endswith(".*") and (module + ".").startswith(pattern[:-1]))
        for pattern in patterns
    )


def outlines_of(
    files: Iterable[Tuple[str, bytes]],
    tops: Tuple[str, ...],
    prefixes: Optional[Tuple[str, ...]],
    label: str,
) -> Dict[str, list]:
    """Outline every kept module among ``files`` (path, bytes); a stub wins over its module."""
    sources: Dict[str, Tuple[str, bytes]] = {}
    for path, data in files:
        module = module_of(path)
        if module is None or not kept(module, tops, prefixes) or len(data) > MAX_SOURCE:
            continue
        if module in sources and sources[module][0].endswith(".pyi"):
            continue
        sources[module] = (path, data)
    found = {}
    for module, (path, data) in sorted(sources.items()):
        made = outline(data, f"{label}/{path}", module)
        if made is not None:
            found[module] = outline_to_data(library_outline(made))
    return found


def wheel_files(archive: str) -> Iterable[Tuple[str, bytes]]:
    """The regular files of a wheel, read without extracting anything."""
    with zipfile.ZipFile(archive) as wheel:
        for info in wheel.infolist():
            if not info.is_dir() and info.file_size <= MAX_SOURCE:
                yield info.filename, wheel.read(info)


def sdist_files(archive: str) -> Iterable[Tuple[str, bytes]]:  # pragma: no cover - wheels only
    """The regular files of an sdist, paths made relative to its package root."""
    with tarfile.open(archive) as sdist:
        for member in sdist.getmembers():
            if not member.isfile() or member.size > MAX_SOURCE:
                continue
            path = member.name.split("/", 1)[-1]
            if path.startswith("src/"):
                path = path[4:]
            handle = sdist.extractfile(member)
            if handle is not None:
                yield path, handle.read()


def download(distribution: str, version: str, directory: str) -> str:
    """The wheel of ``distribution==version``, downloaded (never built) into ``directory``."""
    before = set(os.listdir(directory))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            directory,
            f"{distribution}=={version}",
        ],
        check=True,
    )
    new = sorted(set(os.listdir(directory)) - before)
    if len(new) != 1:
        raise SystemExit(f"expected one archive for {distribution}=={version}, got {new}")
    return os.path.join(directory, new[0])


def stdlib_files() -> Iterable[Tuple[str, bytes]]:
    root = sysconfig.get_paths()["stdlib"]
    for top in STDLIB:
        single = os.path.join(root, f"{top}.py")
        if os.path.isfile(single):
            with open(single, "rb") as handle:
                yield f"{top}.py", handle.read()
            continue
        for directory, subdirectories, names in os.walk(os.path.join(root, top)):
            subdirectories[:] = sorted(d for d in subdirectories if d not in SKIPPED_PARTS)
            for name in sorted(names):
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    yield os.path.relpath(path, root).replace(os.sep, "/"), handle.read()


def write_gzip_json(path: str, value: object) -> None:
    data = json.dumps(value, separators=(",", ":"), sort_keys=True).encode("ascii")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9, mtime=0) as handle:
        handle.write(data)
    with open(path, "wb") as out:
        out.write(buffer.getvalue())


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--output", default=os.path.join(here, "asynclint", "library_outlines"))
    parser.add_argument("--only", help="comma-separated distributions to rebuild (others kept)")
    options = parser.parse_args(argv)
    only = {name.strip().lower() for name in options.only.split(",")} if options.only else None
    os.makedirs(options.output, exist_ok=True)
    catalogue_path = os.path.join(options.output, "catalogue.json")
    previous = {}
    if only and os.path.exists(catalogue_path):
        with open(catalogue_path, encoding="utf-8") as handle:
            previous = {entry[1].lower(): entry for entry in json.load(handle)["libraries"]}
    entries = []
    python = ".".join(map(str, sys.version_info[:3]))
    with tempfile.TemporaryDirectory(prefix="asynclint-knowledge-") as work:
        for distribution, version, tops, prefixes in [
            ("python", python, STDLIB, None),
            *PINNED,
        ]:
            filename = f"{distribution.lower().replace('-', '_')}.json.gz"
            if only is not None and distribution.lower() not in only:
                if distribution.lower() in previous:
                    entries.append(previous[distribution.lower()])
                continue
            if distribution == "python":
                files: Iterable[Tuple[str, bytes]] = stdlib_files()
            else:
                archive = download(distribution, version, work)
                files = wheel_files(archive) if archive.endswith(".whl") else sdist_files(archive)
            label = f"{distribution}-{version}"
            modules = outlines_of(files, tops, prefixes, label)
            present = sorted({name.split(".")[0] for name in modules})
            write_gzip_json(
                os.path.join(options.output, filename),
                {
                    "format": OUTLINE_VERSION,
                    "distribution": distribution,
                    "version": version,
                    "modules": modules,
                },
            )
            entries.append([filename, distribution, version, present])
            size = os.path.getsize(os.path.join(options.output, filename))
            print(f"{label}: {len(modules)} modules, {size // 1024} KB", file=sys.stderr)
    catalogue = {
        "format": OUTLINE_VERSION,
        "made by": "scripts/build_knowledge.py",
        "libraries": sorted(entries, key=lambda entry: entry[0]),
    }
    with open(catalogue_path, "w", encoding="utf-8") as handle:
        json.dump(catalogue, handle, indent=1, sort_keys=True)
        handle.write("\n")


if __name__ == "__main__":
    main()
