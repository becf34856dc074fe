"""What the ASL7xx rules know about libraries, as data."""

from __future__ import annotations

from ..catalogue import CONTEXT_MANAGER_DECORATORS, FIXTURE_DECORATORS, SHIELD, WAIT_FOR

#: The exception each framework cancels a task with, by qualified name. Since Python 3.8
#: asyncio.CancelledError derives from BaseException and is not concurrent.futures.CancelledError
#: (which asyncio no longer raises), so the latter is deliberately absent.
CANCELLATION_CLASSES = {
    "asyncio.CancelledError": "asyncio",
    "trio.Cancelled": "trio",
}

#: Calls that return the running backend's cancellation class (used as `except get_...():`).
CANCELLATION_CLASS_GETTERS = frozenset({"anyio.get_cancelled_exc_class"})

#: Classes that catch cancellation along with everything else.
BROAD_CLASSES = frozenset({"builtins.BaseException"})

#: How a fix names each framework's cancellation class.
CANCELLATION_SPELLING = {
    "asyncio": "asyncio.CancelledError",
    "trio": "trio.Cancelled",
    "anyio": "anyio.get_cancelled_exc_class()",
}

#: Context managers that suppress the exceptions they are given.
SUPPRESSORS = frozenset({"contextlib.suppress"})

#: Attributes whose use shows the code handles cancellation deliberately (Python 3.11+ API).
CANCEL_AWARE_ATTRIBUTES = frozenset({"uncancel", "cancelling"})

#: Calls that never return normally.
EXITS = frozenset({"sys.exit", "os._exit", "os.abort"})
CANCEL_SCOPE_TYPES = frozenset({"asyncio.TaskGroup", "trio.Nursery", "anyio.abc.TaskGroup"})

#: Decorators of generators that implement a context manager or a fixture: their yield is the
#: body of the `with` block, run by the same task, so it may sit inside a scope.
#: trio.as_safe_channel runs the generator in a task of its own, which makes the scope safe.
YIELD_SAFE_DECORATORS = (
    frozenset(CONTEXT_MANAGER_DECORATORS) | FIXTURE_DECORATORS | frozenset({"as_safe_channel"})
)

#: asyncio: a timeout bounds cleanup (asyncio delivers a cancellation once, so the await itself
#: is not cancelled again, but may hang); so do wait_for and shield.
ASYNCIO_BOUNDED_AWAITS = frozenset({WAIT_FOR, SHIELD})

#: Awaits that are safe in cleanup: closing a resource is built to work when cancelled.
CLEANUP_SAFE_METHODS = frozenset({"aclose"})
CLEANUP_SAFE_FUNCTIONS = frozenset(
    {"aclose_forcefully", "cancel_shielded_checkpoint"}
)  # trio's and anyio's

#: Return annotations of functions that never return normally.
NO_RETURN_ANNOTATIONS = frozenset(
    {
        "typing.NoReturn",
        "typing.Never",
        "typing_extensions.NoReturn",
        "typing_extensions.Never",
        "NoReturn",
        "Never",
    }
)

#: Methods that hand an exception on to someone who will raise or report it.
HANDING_ON_METHODS = frozenset(
    {"append", "add", "set_exception", "put_nowait", "send_nowait", "throw"}
)
