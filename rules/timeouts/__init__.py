"""ASL3xx: network I/O and waits with no timeout, and timeouts that cannot fire."""

from .bounds import RULES

__all__ = ["RULES"]
