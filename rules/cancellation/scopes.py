"""Cancel scopes and the generators that may yield inside them: what ASL702 and ASL704 share."""

from __future__ import annotations

from typing import Optional

import libcst as cst

from asynclint.model import SemanticModel
from asynclint.syntax import dotted_name

from ..catalogue import CANCEL_SCOPES, TASK_GROUP_TYPES
from .catalogue import YIELD_SAFE_DECORATORS


def cancel_scope_name(model: SemanticModel, item: cst.BaseExpression) -> Optional[str]:
    if isinstance(item, cst.Call):
        qualname = model.qualified_name(item.func)
        if qualname in CANCEL_SCOPES:
            return qualname
        typed = model.type_of(item)
        return typed if typed in TASK_GROUP_TYPES else None
    typed = model.type_of(item)
    return typed if typed in TASK_GROUP_TYPES else None


COMPREHENSION_SCOPES = (cst.GeneratorExp, cst.ListComp, cst.SetComp, cst.DictComp)


def implements_context_manager(function: cst.FunctionDef) -> bool:
    for decorator in function.decorators:
        expression = (
            decorator.decorator.func
            if isinstance(decorator.decorator, cst.Call)
            else decorator.decorator
        )
        name = dotted_name(expression)
        if name and name.rsplit(".", 1)[-1] in YIELD_SAFE_DECORATORS:
            return True
    return False
