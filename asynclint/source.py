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

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return (b"\xef\xbb\xbf" + data) if self.bom else data


def decode(data: bytes, path: str) -> Source:
    """Decode ``data`` by its BOM or PEP 263 cookie; raise SourceError (ASL002) if it is not
    text."""
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


def read(path: str) -> Source:
    """Read and decode a file; raise SourceError (ASL003 unreadable, ASL004 too large, ASL002)."""
    try:
        if os.path.isdir(path):
            raise SourceError("ASL003", "is a directory, not a file")
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise SourceError(
                "ASL004",
                f"file is {size / 1048576:.1f} MiB, over the {MAX_FILE_BYTES // 1048576} MiB "
                "limit; skipped",
            )
        with open(path, "rb") as handle:
            data = handle.read()
    except SourceError:
        raise
    except OSError as error:
        raise SourceError("ASL003", f"cannot read: {error.strerror or error}") from None
    return decode(data, path)


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


__all__ = ["MAX_FILE_BYTES", "Source", "SourceError", "decode", "read", "write_atomically"]
