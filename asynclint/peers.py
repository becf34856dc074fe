"""Other linters' codes for the problems asynclint's rules find, as data, in one place.

flake8-async's ``ASYNCxxx`` codes (ruff implements many of them under the same codes), and ruff's or
flake8-bugbear's own codes where one covers the same ground. Used by the rule documentation, and by
whatever honours a peer's code (a ``# noqa: ASYNC251`` already in the code base).
An equivalent code is not an identical rule: the scope of each differs in detail.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Dict, Tuple

PEER_CODES: Dict[str, Tuple[str, ...]] = {
    "ASL100": ("ASYNC251",),  # blocking-sleep
    "ASL101": ("ASYNC200", "ASYNC210", "ASYNC211", "ASYNC212"),  # configured calls, HTTP calls
    "ASL102": ("ASYNC220", "ASYNC221", "ASYNC222"),  # blocking subprocess calls and waits
    "ASL103": ("ASYNC230", "ASYNC231", "ASYNC232"),  # blocking open, fdopen, file methods
    "ASL104": ("ASYNC240",),  # blocking-path-usage
    "ASL105": ("ASYNC240",),
    "ASL108": ("ASYNC250",),  # blocking-input
    "ASL200": ("ASYNC105",),  # missing-await (trio functions)
    "ASL205": ("ASYNC124", "RUF029"),  # async-function-could-be-sync, unused-async
    "ASL301": ("S113",),  # request-without-timeout (flake8-bandit)
    "ASL302": ("ASYNC100",),  # cancel-scope-no-checkpoint
    "ASL304": ("ASYNC109",),  # async-function-with-timeout
    "ASL400": ("RUF006", "ASYNC300"),  # asyncio-dangling-task, create-task-no-reference
    "ASL502": ("PLW2101",),  # useless-with-lock (pylint, in ruff)
    "ASL700": ("ASYNC103", "ASYNC104"),  # no-reraise-cancelled, cancelled-not-raised
    "ASL701": ("B012",),  # jump-statement-in-finally (flake8-bugbear)
    "ASL702": ("ASYNC101",),  # yield-in-cancel-scope
    "ASL703": ("ASYNC102",),  # await-in-finally-or-cancelled
    "ASL704": ("ASYNC119",),  # yield-in-cm-in-async-gen
    "ASL801": ("ASYNC110",),  # async-busy-wait
}


def asynclint_codes(peer_code: str) -> Tuple[str, ...]:
    """asynclint's codes for another linter's code (``ASYNC251`` -> ``("ASL100",)``)."""
    return by_peer().get(peer_code.upper(), ())


#: flake8-async's codes for problems no asynclint rule looks for. Accepted wherever asynclint
#: takes a peer's code (``ignore``, ``per-file-ignores``), so that a list copied from a flake8-async
#: or ruff configuration is not an error; they silence nothing.
WITHOUT_EQUIVALENT: Tuple[str, ...] = (
    "ASYNC106",  # bad-async-library-import
    "ASYNC111",  # variable-from-cm-in-start-soon
    "ASYNC112",  # useless-nursery
    "ASYNC113",  # start-soon-in-aenter
    "ASYNC114",  # startable-not-in-config
    "ASYNC115",  # async-zero-sleep
    "ASYNC116",  # long-sleep-not-forever
    "ASYNC118",  # cancelled-class-saved
    "ASYNC120",  # await-in-except
    "ASYNC121",  # control-flow-in-taskgroup
    "ASYNC122",  # delayed-entry-of-relative-cancelscope
    "ASYNC123",  # bad-exception-group-flattening
    "ASYNC125",  # constant-absolute-deadline
    "ASYNC126",  # exceptiongroup-subclass-missing-derive
    "ASYNC127",  # unmaintained-httpx
    "ASYNC128",  # task-status-never-started
    "ASYNC400",  # except-star-invalid-attribute
    "ASYNC401",  # pytest-raises-exception-group
    "ASYNC900",  # unsafe-async-generator
    "ASYNC910",  # async-function-no-checkpoint
    "ASYNC911",  # async-generator-no-checkpoint
    "ASYNC912",  # cancel-scope-no-guaranteed-checkpoint
    "ASYNC913",  # indefinite-loop-no-guaranteed-checkpoint
)


@lru_cache(maxsize=1)
def by_peer() -> Dict[str, Tuple[str, ...]]:
    """Every peer code known here and the asynclint codes it stands for, sorted by peer code
    (none for those in WITHOUT_EQUIVALENT): what ``noqa`` comments and ignores read."""
    table: Dict[str, Tuple[str, ...]] = dict.fromkeys(WITHOUT_EQUIVALENT, ())
    for code, peers in PEER_CODES.items():
        for peer in peers:
            table[peer] = (*table.get(peer, ()), code)
    return dict(sorted(table.items()))
