"""ASL3xx: network I/O and waits with no timeout, and timeouts that cannot fire."""

from .aiohttp_session_default_timeout import SessionWithDefaultTimeout
from .async_timeout_parameter import TimeoutParameter
from .network_await_without_timeout import NetworkWithoutTimeout
from .request_without_timeout import ConfiguredWithoutTimeout
from .timeout_scope_without_await import TimeoutScopeWithoutAwait
from .timeout_switched_off import ExplicitNoTimeout
from .unbounded_primitive_wait import UnboundedPrimitiveWait

RULES = (
    NetworkWithoutTimeout,
    ConfiguredWithoutTimeout,
    TimeoutScopeWithoutAwait,
    UnboundedPrimitiveWait,
    TimeoutParameter,
    SessionWithDefaultTimeout,
    ExplicitNoTimeout,
)
