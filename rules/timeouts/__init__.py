"""ASL3xx: network I/O and waits with no timeout, and timeouts that cannot fire."""

from .aiohttp_session_default_timeout import AiohttpSessionDefaultTimeout
from .async_timeout_parameter import AsyncTimeoutParameter
from .network_await_without_timeout import NetworkAwaitWithoutTimeout
from .request_without_timeout import RequestWithoutTimeout
from .timeout_scope_without_await import TimeoutScopeWithoutAwait
from .timeout_switched_off import TimeoutSwitchedOff
from .unbounded_primitive_wait import UnboundedPrimitiveWait

RULES = (
    NetworkAwaitWithoutTimeout,
    RequestWithoutTimeout,
    TimeoutScopeWithoutAwait,
    UnboundedPrimitiveWait,
    AsyncTimeoutParameter,
    AiohttpSessionDefaultTimeout,
    TimeoutSwitchedOff,
)
