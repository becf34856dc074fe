"""ASL306 timeout-switched-off."""

from __future__ import annotations

from .request_without_timeout import RequestWithoutTimeout


class TimeoutSwitchedOff(RequestWithoutTimeout):
    code = "ASL306"
    name = "timeout-switched-off"
    summary = (
        "a timeout set to None: all-None `aiohttp.ClientTimeout`/`httpx.Timeout`, `timeout=None` "
        "on httpx/aiohttp/asyncpg/websockets, `wait_for(x, None)`, `asyncio.timeout(None)`"
    )
    message = "client or call configured with its timeout switched off"
    rationale = """
        Most clients accept None as "no timeout", and a request made that way can hang on a peer
        that stops answering. Sometimes that is the intent (a proxy streaming a response of any
        length, a wait_for kept only for its cancellation behaviour), so this rule is opt-in.

        Reported, in any code: aiohttp.ClientTimeout() and httpx.Timeout() with every field None;
        timeout=None on httpx clients and request functions and on aiohttp session requests;
        websockets.connect(open_timeout=None); asyncpg.connect/create_pool(timeout=None);
        aiomysql.connect(connect_timeout=None); asyncio.wait_for(aw, None); a with statement
        entering asyncio.timeout(None), async_timeout.timeout(None) or anyio's
        fail_after(None)/move_on_after(None).
    """
    not_flagged = """
        A call passing **kwargs; and a timeout scope given None that is not simply
        entered: bound to a name (`async with asyncio.timeout(None) as cm:`, the way to set its
        deadline later with cm.reschedule()), or built and returned by a helper that gives a
        scope without deadline on purpose.
    """
    bad = """
        import httpx

        async def fetch(url):
            async with httpx.AsyncClient(timeout=None) as client:
                return await client.get(url)
    """
    good = """
        import httpx

        async def fetch(url):
            async with httpx.AsyncClient(timeout=httpx.Timeout(10, connect=5)) as client:
                return await client.get(url)
    """
    default = False
    tokens = (
        "aiohttp",
        "ClientTimeout",
        "httpx",
        "timeout",
        "websockets",
        "asyncpg",
        "aiomysql",
        "wait_for",
        "fail_after",
        "move_on_after",
    )
    explicit_none = True
