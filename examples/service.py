"""A small async service with the kind of mistakes asynclint finds."""
import asyncio
import time


class Notifier:
    async def send(self, user, text):
        await asyncio.sleep(0.01)  # stands in for a network call

    async def notify_all(self, users, text):
        for user in users:
            self.send(user, text)  # the coroutine is created and dropped: nobody is notified


async def refresh_cache(cache):
    while True:
        cache.clear()
        time.sleep(60)  # stalls every other task for a minute


async def handle(request, notifier):
    asyncio.create_task(notifier.notify_all(request["users"], "hello"))  # may vanish mid-flight
    return {"status": "queued"}
