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
from typing import Optional, Sequence, Tuple

#: Files larger than this are reported (ASL004) and skipped rather than parsed. CPython's own
#: parser takes about 450 bytes of memory per byte of simple statements (0.9 GiB at this size); a
#: hand-written module of 14,500 in a corpus was at most 0.5 MB.
MAX_FILE_BYTES = 2 * 1024 * 1024


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


def inside(path: str, directory: str) -> bool:
    """``path`` is ``directory`` or below it (both real, absolute paths)."""
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def write_fixed(path: str, source: Source, data: bytes, roots: Sequence[str] = ()) -> None:
    """Replace the file ``source`` was read from with ``data``, or raise OSError (nothing written).

    Written only when the file is still the one that was read (same device, inode, size,
    modification time and bytes: an editor's save or another ``--fix`` meanwhile is never
    overwritten), and only inside ``roots`` (real paths; a symbolic link is followed to its target
    only when the target is inside one of them). The new file keeps the old one's permission bits,
    owner and group, and extended attributes; a file with several hard links, or whose owner or
    attributes cannot be given to a new file, is rewritten in place so that every link sees the
    change. A read-only file stays untouched: renaming over it would bypass its permissions.
    """
    target = os.path.realpath(path)
    if roots and not any(inside(target, root) for root in roots):
        raise OSError(
            errno.EPERM, "it is a symbolic link to a file outside the linted tree; not followed"
        )
    try:
        current, info = read_regular(target, MAX_FILE_BYTES)
    except SourceError as error:
        raise OSError(errno.EIO, error.message) from None
    stamp = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    if (source.stamp is not None and stamp != source.stamp) or current != source.raw:
        raise OSError(errno.EBUSY, "the file changed since asynclint read it")
    if not os.access(target, os.W_OK) or not info.st_mode & (
        stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    ):
        raise PermissionError(errno.EACCES, "the file is read-only")
    if info.st_nlink > 1 or not _replace(target, data, info):
        _rewrite_in_place(target, data)


def _replace(target: str, data: bytes, info: os.stat_result) -> bool:
    """Write ``data`` to a new file beside ``target`` and rename it over ``target`` (atomic).
    False, with nothing changed, when the new file cannot be given the old one's owner, group or
    extended attributes."""
    directory = os.path.dirname(target)
    fd, temporary = tempfile.mkstemp(prefix=".asynclint-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), stat.S_IMODE(info.st_mode))
            if not _same_owner_and_attributes(handle.fileno(), target, info):
                os.unlink(temporary)
                return False
            os.fsync(handle.fileno())
        os.replace(temporary, target)
        return True
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _same_owner_and_attributes(fd: int, target: str, info: os.stat_result) -> bool:
    if hasattr(os, "fchown"):
        new = os.fstat(fd)
        if (new.st_uid, new.st_gid) != (info.st_uid, info.st_gid):
            try:
                os.fchown(fd, info.st_uid, info.st_gid)
            except OSError:
                return False
    if hasattr(os, "listxattr"):
        try:
            names = os.listxattr(target)
        except OSError:
            names = []
        for name in names:
            try:
                os.setxattr(fd, name, os.getxattr(target, name))
            except OSError:
                return False
    return True


def _rewrite_in_place(target: str, data: bytes) -> None:
    """Overwrite the file's bytes through its existing inode (links, owner and attributes stay)."""
    fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.ftruncate(fd, len(data))
        os.fsync(fd)
    finally:
        os.close(fd)


__all__ = [
    "MAX_FILE_BYTES",
    "Source",
    "SourceError",
    "decode",
    "inside",
    "read",
    "read_regular",
    "write_fixed",
]
