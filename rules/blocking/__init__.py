"""ASL1xx: calls that block the event loop."""

from .blocking_helper import BlockingHelper
from .blocking_sleep import BlockingSleep
from .calls import BLOCKING_CALL_RULES

RULES = (BlockingSleep, *BLOCKING_CALL_RULES, BlockingHelper)
