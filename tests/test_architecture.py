"""The boundaries that keep the code base in one piece: rules use the engine's public API only, and
the engine never imports a rule."""

import ast
from pathlib import Path
from typing import Iterator, Tuple

ROOT = Path(__file__).resolve().parent.parent
#: What a rule (built-in or third-party) may import from asynclint.
PUBLIC_API = frozenset(
    {
        "asynclint",
        "asynclint.syntax",
        "asynclint.fixes",
        "asynclint.model",
        "asynclint.knowledge",
        "asynclint.index",
    }
)


def imports(path: Path) -> Iterator[Tuple[int, str, int]]:
    """(line, module, level) of each import in the file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, 0
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, node.module or "", node.level


def test_rules_import_only_the_public_api() -> None:
    offending = []
    for path in sorted((ROOT / "rules").rglob("*.py")):
        for line, module, level in imports(path):
            if level == 0 and module.split(".")[0] == "asynclint" and module not in PUBLIC_API:
                offending.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert not offending, "rules must import asynclint's public API only:\n" + "\n".join(offending)


def test_the_engine_never_imports_a_rule() -> None:
    offending = []
    for path in sorted((ROOT / "asynclint").rglob("*.py")):
        for line, module, level in imports(path):
            absolute = module if level == 0 else "asynclint." + module
            if absolute.startswith("asynclint.rules") or (level and module.startswith("rules")):
                offending.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert not offending, "the engine loads rules through entry points only:\n" + "\n".join(
        offending
    )
