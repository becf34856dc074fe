"""Other linters' codes for the problems asynclint's rules find, as data, in one place.

flake8-async's ``ASYNCxxx`` codes (ruff implements many of them under the same codes), and ruff's or
flake8-bugbear's own codes where one covers the same ground. Used by the rule documentation, and by
whatever honours a peer's code (a ``# noqa: ASYNC251`` already in the code base).
An equivalent code is not an identical rule: the scope of each differs in detail.
"""

from __future__ import annotations

from typing import Dict, Tuple

PEER_CODES: Dict[str, Tuple[str, ...]] = {
    "ASL100": ("ASYNC251",),  # blocking-sleep
    "ASL101": ("ASYNC210", "ASYNC211", "ASYNC212"),  # blocking-http-call(-pool, -httpx)
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
    "ASL700": ("ASYNC103", "ASYNC104"),  # no-reraise-cancelled, cancelled-not-raised
    "ASL701": ("B012",),  # jump-statement-in-finally (flake8-bugbear)
    "ASL702": ("ASYNC101",),  # yield-in-cancel-scope
    "ASL703": ("ASYNC102",),  # await-in-finally-or-cancelled
    "ASL704": ("ASYNC119",),  # yield-in-cm-in-async-gen
    "ASL801": ("ASYNC110",),  # async-busy-wait
}


def asynclint_codes(peer_code: str) -> Tuple[str, ...]:
    """asynclint's codes for another linter's code (``ASYNC251`` -> ``("ASL100",)``)."""
    return tuple(code for code, peers in PEER_CODES.items() if peer_code.upper() in peers)
