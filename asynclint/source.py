"""Reading Python sources: bytes in, text out, and back again without losing anything.

A source remembers how it was stored (encoding, byte-order mark, newline style, file mode) so that
a fix can be written back in exactly the same shape.
"""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from typing import Optional, Tuple

#: Files larger than this are reported (ASL004) and skipped rather than parsed.
MAX_FILE_BYTES = 8 * 1024 * 1024


class SourceError(Exception):
    """A file that cannot be turned into text; ``code`` is the engine diagnostic to report."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Source:
    path: str  # as shown to the user
    text: str
    encoding: str = "utf-8"  # codec name; a BOM is tracked separately
    bom: bool = False
    raw: bytes = b""
    #: (device, inode, size, mtime_ns) of the file when it was read: --fix writes only over it.
    stamp: Optional[Tuple[int, int, int, int]] = None

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data


def decode(data: bytes, path: str) -> Source:
    """Decode ``data`` by its BOM or PEP 263 cookie; raise SourceError (ASL002) if it is not text."""
    if b"\x00" in data:
        raise SourceError("ASL002", "file contains NUL bytes; it looks binary, not Python source")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise SourceError("ASL002", f"cannot determine the encoding: {error}") from None
    bom = encoding == "utf-8-sig"
    body = data[3:] if bom else data
    codec = "utf-8" if bom else encoding
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        raise SourceError(
            "ASL002",
            f"cannot decode as {codec}: byte 0x{body[error.start]:02x} at offset {error.start} "
            "(declare the encoding with a '# -*- coding: ... -*-' line)",
            line=line,
        ) from None
    except LookupError:
        raise SourceError(
            "ASL002", f"unknown encoding {encoding!r} in the coding declaration"
        ) from None
    return Source(path=path, text=text, encoding=codec, bom=bom, raw=data)


def read_regular(path: str, limit: int) -> Tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (at most ``limit`` of them), and its status.

    The file is opened without blocking (a FIFO would wait for a writer forever; a terminal or
    device never ends) and judged by the status of the open descriptor, so a path swapped for
    something else between a check and the read is still caught. Raises SourceError: ASL003
    (unreadable, a directory, not a regular file) or ASL004 (over ``limit``)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as error:
        if error.errno == errno.EISDIR:
            raise SourceError("ASL003", "is a directory, not a file") from None
        raise SourceError("ASL003", f"cannot read: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise SourceError("ASL003", "is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise SourceError("ASL003", "not a regular file (a device, FIFO or socket); skipped")
        if info.st_size > limit:
            raise SourceError("ASL004", _too_large(info.st_size, limit))
        chunks = []
        remaining = limit + 1  # a file that grows past the limit while it is read is too large too
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise SourceError("ASL004", _too_large(len(data), limit))
        return data, info
    except OSError as error:
        raise SourceError("ASL003", f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _too_large(size: int, limit: int) -> str:
    return f"file is {size / 1048576:.1f} MiB, over the {limit / 1048576:g} MiB limit; skipped"


def read(path: str) -> Source:
    """Read and decode a file; raise SourceError (ASL003 unreadable, ASL004 too large, ASL002)."""
    data, info = read_regular(path, MAX_FILE_BYTES)
    source = decode(data, path)
    source.stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    return source


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename, keeping its permission bits.

    A symbolic link is followed: its target is rewritten and the link stays. A file we may not
    write, or that has no write permission bit at all, stays untouched (OSError): renaming over a
    read-only file would silently bypass its permissions, even for root.
    """
    path = os.path.realpath(path)
    info = os.stat(path)
    if not os.access(path, os.W_OK) or not info.st_mode & (
        stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    ):
        raise PermissionError(errno.EACCES, "the file is read-only")
    directory = os.path.dirname(os.path.abspath(path))
    fd, temp = tempfile.mkstemp(prefix=".asynclint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, stat.S_IMODE(info.st_mode))
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


__all__ = [
    "Source",
    "SourceError",
    "decode",
    "read",
    "read_regular",
    "write_atomically",
    "MAX_FILE_BYTES",
]
