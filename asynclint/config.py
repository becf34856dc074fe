"""Configuration: ``[tool.asynclint]`` in ``pyproject.toml`` or a top-level table in
``asynclint.toml``.

Every key is validated: an unknown key, an unknown rule code or a value of the wrong type is a
ConfigError that names the key and the file (the CLI exits 2 with it).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Type

from .findings import ENGINE_DIAGNOSTICS
from .rule import FRAMEWORKS, Rule
from .source import SourceError, read_regular

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python < 3.11
    import tomli as tomllib

DEFAULT_EXCLUDES = (
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
    "*.egg-info",
    "site-packages",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".asynclint_cache",
)

_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
#: Tables that teach rules a team's own APIs: ``"qualified.name" = "note"`` (what to use instead,
#: or why it matters). Rules read them through ``model.configured_catalogue(key)``.
CATALOGUE_KEYS = ("blocking-calls", "coroutine-functions", "timeout-calls")
KNOWN_KEYS = (*_LIST_KEYS, "per-file-ignores", "framework", *CATALOGUE_KEYS)
_QUALNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: Optional[str] = None  # the file it came from
    root: str = "."  # the directory paths in the config are relative to
    select: Optional[List[str]] = None
    extend_select: List[str] = field(default_factory=list)
    ignore: List[str] = field(default_factory=list)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    exclude: List[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDES))
    extend_exclude: List[str] = field(default_factory=list)
    framework: Optional[str] = None
    catalogues: Dict[str, Dict[str, str]] = field(default_factory=dict)

    @property
    def excludes(self) -> List[str]:
        return [*self.exclude, *self.extend_exclude]


#: A configuration file larger than this is not read (a pyproject.toml is a few KB).
MAX_CONFIG_BYTES = 1024 * 1024


def find_config_file(start: str) -> Optional[str]:
    """The nearest ``asynclint.toml``, or ``pyproject.toml`` with a ``[tool.asynclint]`` table, at
    or above ``start``. A pyproject.toml that cannot be read or parsed is chosen when it seems to
    configure asynclint, so that loading it reports the problem instead of using the defaults."""
    directory = os.path.abspath(start if os.path.isdir(start) else os.path.dirname(start) or ".")
    while True:
        candidate = os.path.join(directory, "asynclint.toml")
        if os.path.isfile(candidate):
            return candidate
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_tool_table(path: str) -> bool:
    try:
        document = _read_toml(path)
    except ConfigError:
        try:
            data, _ = read_regular(path, MAX_CONFIG_BYTES)
        except SourceError:
            return False
        return b"asynclint" in data
    tool = document.get("tool")
    return isinstance(tool, dict) and "asynclint" in tool


def _read_toml(path: str) -> Dict[str, Any]:
    """Parse a TOML file; ConfigError names the file and what is wrong with it."""
    try:
        data, _ = read_regular(path, MAX_CONFIG_BYTES)
    except SourceError as error:
        raise ConfigError(f"{path}: {error.message}") from None
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "TOML files are UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: arrays or tables nested too deeply") from None


def load(path: Optional[str], rules: Sequence[Type[Rule]]) -> Config:
    """Read and validate a configuration file; None gives the defaults (relative to the cwd)."""
    if path is None:
        return Config(root=os.getcwd())
    document = _read_toml(path)
    if os.path.basename(path) == "pyproject.toml":
        tool = document.get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError(f"{path}: 'tool' must be a table, not {_describe(tool)}")
        table = tool.get("asynclint", {})
        prefix = "tool.asynclint."
    else:
        table = document
        prefix = ""
    return from_table(table, path=path, prefix=prefix, rules=rules)


def from_table(
    table: Dict[str, Any], *, path: str, prefix: str, rules: Sequence[Type[Rule]]
) -> Config:
    where = f"{path}: "
    if not isinstance(table, dict):
        raise ConfigError(f"{where}'{prefix.rstrip('.')}' must be a table, not {_describe(table)}")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(prefix + k) for k in unknown)}; known keys: {', '.join(KNOWN_KEYS)}"
        )
    config = Config(path=path, root=os.path.dirname(os.path.abspath(path)))
    codes = known_codes(rules)
    for key in _LIST_KEYS:
        if key not in table:
            continue
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(
                f"{where}'{prefix}{key}' must be a list of strings, not {_describe(value)}"
            )
        if key in ("select", "extend-select", "ignore"):
            check_codes(value, codes, f"{where}'{prefix}{key}'", peers=key == "ignore")
        setattr(config, key.replace("-", "_"), list(value))
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise ConfigError(
                f"{where}'{prefix}per-file-ignores' must be a table of pattern = [codes]"
            )
        for pattern, ignored in value.items():
            if not isinstance(ignored, list) or not all(isinstance(item, str) for item in ignored):
                raise ConfigError(
                    f"{where}'{prefix}per-file-ignores.\"{pattern}\"' must be a list of codes, "
                    f"not {_describe(ignored)}"
                )
            check_codes(
                ignored, codes, f"{where}'{prefix}per-file-ignores.\"{pattern}\"'", peers=True
            )
        config.per_file_ignores = {pattern: list(ignored) for pattern, ignored in value.items()}
    if "framework" in table:
        value = table["framework"]
        if not isinstance(value, str) or value not in FRAMEWORKS:
            raise ConfigError(
                f"{where}'{prefix}framework' must be one of {', '.join(sorted(FRAMEWORKS))}, "
                f"not {value!r}"
            )
        config.framework = value
    for key in CATALOGUE_KEYS:
        if key in table:
            config.catalogues[key] = _catalogue(table[key], f"{where}'{prefix}{key}'")
    return config


def _catalogue(value: Any, where: str) -> Dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(
            f'{where} must be a table of "qualified.name" = "note", not {_describe(value)}'
        )
    for name, note in value.items():
        if not _QUALNAME.fullmatch(name) or "." not in name:
            raise ConfigError(
                f'{where}: {name!r} is not a qualified name such as "package.module.function"'
            )
        if not isinstance(note, str):
            raise ConfigError(f'{where}."{name}" must be a string, not {_describe(note)}')
    return dict(value)


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def known_codes(rules: Iterable[Type[Rule]]) -> Tuple[str, ...]:
    return tuple(sorted(ENGINE_DIAGNOSTICS)) + tuple(rule.code for rule in rules)


def peer_table() -> Mapping[str, Tuple[str, ...]]:
    """The peers' codes (flake8-async's and ruff's ``ASYNCxxx``, ruff's ``RUF006``, ``S113``...) and
    the asynclint codes each one stands for (none: a known code with no equivalent here), from the
    one published mapping (``peers.py``): ``noqa`` comments and ``ignore``/``per-file-ignores``
    read it through here."""
    from .peers import by_peer

    return by_peer()


@lru_cache(maxsize=1024)
def meanings(selector: str) -> Tuple[str, ...]:
    """The asynclint codes or prefixes a selector stands for: itself (a code or prefix such as
    ``ASL1``), plus what every peer code it names or prefixes (``ASYNC251``, ``ASYNC2``) maps to."""
    wanted = selector.upper()
    found = [wanted]
    for peer, codes in peer_table().items():
        if peer.startswith(wanted):
            found.extend(codes)
    return tuple(dict.fromkeys(found))


def check_codes(
    selectors: Iterable[str], codes: Sequence[str], where: str, peers: bool = False
) -> None:
    """Every selector must be a code or a code prefix (``ASL1``, ``ASL``) that matches a known code;
    with ``peers``, a peer's code or prefix from the published mapping is accepted too."""
    for selector in selectors:
        wanted = selector.upper()
        if wanted == "ALL" or any(code.startswith(wanted) for code in codes):
            continue
        named = [peer for peer in peer_table() if peer.startswith(wanted)]
        if named and peers:
            continue
        if named:
            ours = [code for code in meanings(wanted)[1:] if code in codes]
            raise ConfigError(
                f"{where}: {selector!r} is another tool's code; "
                + (
                    f"asynclint's equivalent is {', '.join(ours)}"
                    if ours
                    else "asynclint has no equivalent rule"
                )
            )
        raise ConfigError(f"{where}: unknown rule code or prefix {selector!r}")


def matches(code: str, selectors: Iterable[str]) -> bool:
    """A selector matches the codes it prefixes, and those its peer codes stand for; ``ALL`` all."""
    for selector in selectors:
        if selector.upper() == "ALL":
            return True
        if any(code.startswith(meaning) for meaning in meanings(selector)):
            return True
    return False


def explicitly_selected(rule: Any, config: Config) -> bool:
    """Chosen by ``select`` or ``extend-select`` rather than by being on by default (a rule class
    or an engine diagnostic: anything with a ``code``)."""
    return (config.select is not None and matches(rule.code, config.select)) or matches(
        rule.code, config.extend_select
    )


def select_rules(rules: Sequence[Type[Rule]], config: Config) -> Tuple[Type[Rule], ...]:
    """Rules enabled by select/extend-select/ignore. With no select, the default-on rules."""
    enabled = []
    for rule in rules:
        chosen = matches(rule.code, config.select) if config.select is not None else rule.default
        if (chosen or matches(rule.code, config.extend_select)) and not matches(
            rule.code, config.ignore
        ):
            enabled.append(rule)
    return tuple(enabled)


def per_file_ignored(config: Config, path: str) -> List[str]:
    """Codes ignored for ``path`` by per-file-ignores (patterns relative to the config's directory;
    a pattern without a slash also matches the file name alone)."""
    if not config.per_file_ignores:
        return []
    relative = os.path.relpath(os.path.abspath(path), config.root).replace(os.sep, "/")
    name = os.path.basename(path)
    ignored: List[str] = []
    for pattern, codes in config.per_file_ignores.items():
        if fnmatch.fnmatch(relative, pattern) or (
            "/" not in pattern and fnmatch.fnmatch(name, pattern)
        ):
            ignored.extend(codes)
    return ignored
