"""WebSocket clients for bench/ws_bench.py, run as a separate process (asyncio + websockets).

    ws_clients.py URL TOKENS_JSON

TOKENS_JSON is a list of [user_id, token, last seq]. Against the product's consumer
(`/ws/notifications/`) every client connects with its token as a subprotocol, sends
{"type": "resume", "after": <its last seq>} and waits for its unread count; against the bare
consumer (`/ws/bare/`) it connects as `?user=<id>` and is ready at once. Then the process
prints {"ready": ...} and records every notification (id, delivery latency from its
created_at) until a line "stop" arrives on stdin, when it prints the results as JSON.
"""

import asyncio
import datetime as dt
import json
import sys
import time

import websockets

CONNECT_AT_ONCE = 100  # connections being opened and resumed at the same time


class Clients:
    def __init__(self, url: str):
        self.url = url
        self.bare = url.rstrip("/").endswith("/bare")
        self.received: dict[int, list[int]] = {}
        self.latencies: list[float] = []
        self.ready = 0
        self.failed: list[str] = []
        self.stopping = asyncio.Event()
        self.gate = asyncio.Semaphore(CONNECT_AT_ONCE)

    async def client(self, user_id: int, token: str, after: int) -> None:
        await self.gate.acquire()
        try:
            socket = await websockets.connect(
                f"{self.url}?user={user_id}" if self.bare else self.url,
                subprotocols=None if self.bare else ["notifications", f"token.{token}"],
                max_queue=None,
                ping_interval=None,
                open_timeout=60,
            )
            if not self.bare:
                await socket.send(json.dumps({"type": "resume", "after": after}))
                while (message := json.loads(await socket.recv()))["type"] != "unread_count":
                    self.received.setdefault(user_id, []).append(message["id"])
        except Exception as error:
            self.failed.append(repr(error))
            return
        finally:
            self.gate.release()
        self.ready += 1
        async with socket:
            while not self.stopping.is_set():
                try:
                    raw = await asyncio.wait_for(socket.recv(), timeout=0.5)
                except TimeoutError:
                    continue
                now = time.time()
                message = json.loads(raw)
                if message["type"] == "notification":
                    created = dt.datetime.fromisoformat(message["created_at"]).timestamp()
                    self.latencies.append((now - created) * 1000)
                    self.received.setdefault(user_id, []).append(message["id"])

    async def run(self, tokens: list) -> None:
        started = time.perf_counter()
        tasks = [asyncio.create_task(self.client(u, t, a)) for u, t, a in tokens]
        while self.ready + len(self.failed) < len(tokens):
            await asyncio.sleep(0.05)
        ready = {
            "ready": True,
            "connected": self.ready,
            "failed": len(self.failed),
            "errors": self.failed[:3],
            "connect_seconds": round(time.perf_counter() - started, 2),
        }
        print(json.dumps(ready), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # "stop"
        self.stopping.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        print(json.dumps({"received": self.received, "latencies_ms": self.latencies}), flush=True)


if __name__ == "__main__":
    url, tokens_file = sys.argv[1], sys.argv[2]
    with open(tokens_file) as f:
        asyncio.run(Clients(url).run(json.load(f)))
