"""What the model knows beyond the current file.

The semantic model asks a ``ProjectIndex`` about qualified names that the file itself does not
define (``pkg.client.ApiClient.fetch``: a class? a coroutine function?). The engine hands every
model the same index; the default knows nothing, so a file is analysed on its own. A project-wide
index (all ``async def``s and classes across the linted files) or a library index plugs in here
without any rule changing: rules only ever ask the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import libcst as cst


@dataclass(frozen=True)
class Symbol:
    """A named definition: a function, a method or a class."""

    qualname: str
    kind: str  # function | method | class
    is_async: bool = False  # calling it returns a coroutine (an async def, not wrapped by a decorator)
    node: Optional[cst.CSTNode] = None  # the definition, when it is in the current file


class ProjectIndex:
    """Knowledge about definitions outside the current file. The base class knows none."""

    def lookup(self, qualname: str) -> Optional[Symbol]:
        return None


EMPTY_INDEX = ProjectIndex()
