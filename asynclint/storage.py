"""Cache files that can be trusted: data only, authenticated, never written through links.

A cache directory sits inside the linted tree (``.asynclint_cache/``), where anyone who can
change the tree can also plant files. So nothing read from it is believed unless it was written
by asynclint, for this user, on this machine:

- every file is JSON behind a header that carries an HMAC-SHA256 of its content, keyed by a
  secret that asynclint creates once per user (``<user cache dir>/asynclint/cache-key``, mode
  0600, never inside a repository). A file without a valid tag (shipped with the repository,
  restored by CI from another machine, edited, truncated) is ignored and rebuilt; nothing in it
  is parsed before the tag is checked;
- a cache directory that is a symbolic link, is not a directory, or belongs to another user is
  not used (one warning line);
- files are created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` under a fresh name, relative to a
  directory descriptor opened without following links, then renamed over the old file: no write
  ever goes through a link planted in the directory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
import sys
from typing import Dict, List, Optional, Tuple

#: Larger cache files are not read (the whole corpus of 14,500 files needs well under this).
MAX_FILE_SIZE = 1 << 30
KEY_NAME = "cache-key"
_MAGIC = b"asynclint-cache"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)
#: Directory descriptors make every step immune to a link swapped in after a check (POSIX).
_FD_PATHS = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd

_warned: set = set()
_keys: Dict[str, Optional[bytes]] = {}


def warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"asynclint: warning: {message}", file=sys.stderr)


def user_cache_home() -> str:
    """Where per-user data lives: ``$XDG_CACHE_HOME/asynclint``, else the platform's user cache
    directory (``~/.cache``, ``~/Library/Caches``, ``%LOCALAPPDATA%``)."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        base = xdg
    elif sys.platform == "win32":  # pragma: no cover - not tested on Windows
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif sys.platform == "darwin":  # pragma: no cover
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.path.expanduser("~/.cache")
    return os.path.join(base, "asynclint")


def _owned(info: os.stat_result) -> bool:
    getuid = getattr(os, "geteuid", None)
    return getuid is None or info.st_uid == getuid()


def machine_key() -> Optional[bytes]:
    """This user's secret for authenticating cache files, created on first use; None when it
    cannot be read or made safely (then no cache is read or written)."""
    home = user_cache_home()
    if home not in _keys:
        try:
            _keys[home] = _load_or_create_key(home)
        except OSError as error:
            _keys[home] = None
            warn_once(f"caching disabled: no usable key in {home} ({error.strerror or error})")
        except ValueError as error:
            _keys[home] = None
            warn_once(f"caching disabled: {error}")
    return _keys[home]


def _read_key(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned(info):
            raise ValueError(f"{path} is not a regular file of this user")
        if os.name == "posix" and info.st_mode & 0o077:
            raise ValueError(f"{path} is readable or writable by others (chmod 600 it)")
        text = os.read(fd, 65)
    finally:
        os.close(fd)
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) != 32:
        raise ValueError(f"{path} is not an asynclint key (delete it to make a new one)")
    return key


def _load_or_create_key(home: str) -> bytes:
    path = os.path.join(home, KEY_NAME)
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    os.makedirs(home, mode=0o700, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.{os.urandom(4).hex()}"
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
    try:
        os.write(fd, os.urandom(32).hex().encode("ascii"))
    finally:
        os.close(fd)
    try:
        os.link(temporary, path)  # never replaces a key another process made meanwhile
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not os.path.lexists(path):
            os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    return _read_key(path)


def _tag(key: bytes, kind: str, payload: bytes) -> str:
    return hmac.new(
        key, b"%s\0%s\0%s" % (_MAGIC, kind.encode(), payload), hashlib.sha256
    ).hexdigest()


def seal(key: bytes, kind: str, value: object) -> bytes:
    """``value`` as JSON, behind a header that authenticates it (and its kind) with ``key``."""
    return seal_payload(
        key, kind, json.dumps(value, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    )


def seal_payload(key: bytes, kind: str, payload: bytes) -> bytes:
    return b"%s %s %s\n%s" % (_MAGIC, kind.encode(), _tag(key, kind, payload).encode(), payload)


def unseal(key: bytes, kind: str, data: bytes) -> Optional[object]:
    """The JSON value sealed in ``data``, or None when the header, the tag or the JSON is wrong."""
    header, newline, payload = data.partition(b"\n")
    parts = header.split(b" ")
    if not newline or len(parts) != 3 or parts[0] != _MAGIC or parts[1] != kind.encode():
        return None
    if not hmac.compare_digest(parts[2], _tag(key, kind, payload).encode()):
        return None
    try:
        return json.loads(payload)
    except (ValueError, RecursionError, MemoryError):
        return None


# -- checking what was read ----------------------------------------------------------------------

_MAX_TEXT = 1 << 16  # characters in one name or path
_MAX_ITEMS = 1 << 20  # entries in one list or table
_MAX_NUMBER = 1 << 31


class Malformed(ValueError):
    """Stored data that is not what asynclint writes."""


def check_text(value: object) -> str:
    if type(value) is not str or len(value) > _MAX_TEXT:
        raise Malformed("text expected")
    if not value.isascii():  # lone surrogates other than undecodable path bytes are not text
        try:
            value.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raise Malformed("bad text") from None
    return value


def check_optional_text(value: object) -> Optional[str]:
    return None if value is None else check_text(value)


def check_number(value: object) -> int:
    """A line, a column, a size: a non-negative integer of sensible size."""
    if type(value) is not int or not 0 <= value < _MAX_NUMBER:
        raise Malformed("number expected")
    return value


def check_time(value: object) -> int:
    """A timestamp in nanoseconds (may be negative: before 1970)."""
    if type(value) is not int or not -(1 << 63) <= value < 1 << 63:
        raise Malformed("time expected")
    return value


def check_texts(value: object) -> Tuple[str, ...]:
    if type(value) is not list or len(value) > _MAX_ITEMS:
        raise Malformed("list expected")
    return tuple(check_text(item) for item in value)


def check_table(value: object) -> Dict[str, str]:
    """A JSON object of texts."""
    if type(value) is not dict or len(value) > _MAX_ITEMS:
        raise Malformed("table expected")
    return {check_text(name): check_text(target) for name, target in value.items()}


def check_optional_table(value: object) -> Dict[str, Optional[str]]:
    """A JSON object of texts or nulls."""
    if type(value) is not dict or len(value) > _MAX_ITEMS:
        raise Malformed("table expected")
    return {check_text(name): check_optional_text(target) for name, target in value.items()}


def check_rows(value: object, width: int) -> List[list]:
    """A list of lists of ``width`` items each (their items are the caller's to check)."""
    if type(value) is not list or len(value) > _MAX_ITEMS:
        raise Malformed("list expected")
    for item in value:
        if type(item) is not list or len(item) != width:
            raise Malformed(f"rows of {width} expected")
    return value


class CacheDirectory:
    """A directory of sealed cache files. Checked once when made (in the main process, so one
    warning at most), and again, silently, by every read and write."""

    def __init__(self, path: str, parent: Optional[CacheDirectory] = None) -> None:
        self.path = path
        self.parent = parent
        self.key = machine_key()
        self.usable: bool = self.key is not None and (parent is None or parent.usable)
        if self.usable:
            problem = self._problem()
            if problem is not None:
                self.usable = False
                warn_once(f"not using the cache directory {path}: {problem}")

    def subdirectory(self, name: str) -> CacheDirectory:
        return CacheDirectory(os.path.join(self.path, name), self)

    def _problem(self) -> Optional[str]:
        try:
            info = os.lstat(self.path)
        except FileNotFoundError:
            return None  # made on the first write
        except OSError as error:
            return error.strerror or str(error)
        if stat.S_ISLNK(info.st_mode):
            return "it is a symbolic link"
        if not stat.S_ISDIR(info.st_mode):
            return "it is not a directory"
        if not _owned(info):
            return "it belongs to another user"
        return None

    # -- descriptors ----------------------------------------------------------------------------

    def _open(self, create: bool) -> Optional[int]:
        """A descriptor of this directory, opened without following a link; None when it is
        missing (and not to be made) or unsafe."""
        if not _FD_PATHS:  # pragma: no cover - Windows: path checks only
            if self.parent is not None and self.parent._open(create) is None:
                return None
            if create:
                try:
                    os.mkdir(self.path)
                except FileExistsError:
                    pass
                except OSError:
                    return None
            if self._problem() is not None or not os.path.isdir(self.path):
                return None
            if create and self.parent is None:
                self._ignore_for_git(-1)
            return -1
        if self.parent is None:
            parent_fd, name = None, self.path
        else:
            parent_fd = self.parent._open(create)
            if parent_fd is None:
                return None
            name = os.path.basename(self.path)
        try:
            if create:
                try:
                    os.mkdir(name, 0o777, dir_fd=parent_fd)
                except FileExistsError:
                    pass
            fd = os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW, dir_fd=parent_fd)
        except OSError:
            return None
        finally:
            if parent_fd is not None:
                os.close(parent_fd)
        info = os.fstat(fd)
        if not stat.S_ISDIR(info.st_mode) or not _owned(info):
            os.close(fd)
            return None
        if create and self.parent is None:
            self._ignore_for_git(fd)
        return fd

    def _ignore_for_git(self, fd: int) -> None:
        try:
            handle = os.open(
                self._name(fd, ".gitignore"),
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW,
                0o644,
                **self._at(fd),
            )
        except OSError:
            return
        try:
            os.write(handle, b"# created by asynclint\n*\n")
        finally:
            os.close(handle)

    @staticmethod
    def _at(fd: int) -> dict:
        return {"dir_fd": fd} if fd >= 0 else {}

    def _name(self, fd: int, name: str) -> str:
        return name if fd >= 0 else os.path.join(self.path, name)

    # -- files ----------------------------------------------------------------------------------

    def read(self, name: str, kind: str) -> Optional[object]:
        """The value of the sealed file ``name``, or None (missing, unsafe, forged or damaged)."""
        if not self.usable:
            return None
        fd = self._open(create=False)
        if fd is None:
            return None
        try:
            handle = os.open(
                self._name(fd, name),
                os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY,
                **self._at(fd),
            )
        except OSError:
            return None
        finally:
            if fd >= 0:
                os.close(fd)
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or not _owned(info) or info.st_size > MAX_FILE_SIZE:
                return None
            chunks = []
            remaining = info.st_size + 1
            while remaining > 0:
                chunk = os.read(handle, min(remaining, 1 << 24))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            data = b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(handle)
        if len(data) > MAX_FILE_SIZE:
            return None
        assert self.key is not None
        return unseal(self.key, kind, data)

    def write(self, name: str, kind: str, value: object) -> bool:
        """Replace the file ``name`` with ``value``, sealed; False when it cannot be done safely."""
        if not self.usable:
            return False
        assert self.key is not None
        data = seal(self.key, kind, value)
        try:
            fd = self._open(create=True)
        except OSError:
            return False
        if fd is None:
            return False
        temporary = f".{name}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
        at = self._at(fd)
        try:
            handle = os.open(
                self._name(fd, temporary),
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY,
                0o600,
                **at,
            )
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle, view) :]
            finally:
                os.close(handle)
            if fd >= 0:
                os.replace(temporary, name, src_dir_fd=fd, dst_dir_fd=fd)
            else:  # pragma: no cover
                os.replace(self._name(fd, temporary), self._name(fd, name))
            return True
        except OSError:
            try:
                os.unlink(self._name(fd, temporary), **at)
            except OSError:
                pass
            return False
        finally:
            if fd >= 0:
                os.close(fd)


def remove_tree(path: str) -> bool:
    """Remove a cache directory: a link is removed, never followed. True when something went."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(info.st_mode):
        import shutil

        shutil.rmtree(path)  # does not follow links inside the tree
    else:
        os.unlink(path)
    return True
