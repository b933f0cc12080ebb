"""The ASGI app served by uvicorn on loopback, in a thread of the test process so it shares
the test database: what the browser tests and the API contract test talk to."""

import socket
import threading
import time

import uvicorn

_servers: list[uvicorn.Server] = []  # the servers this session started, for wait_until_quiet


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start() -> tuple[uvicorn.Server, threading.Thread, str]:
    """Serve brokerage.config.asgi on a free port; returns once it accepts connections."""
    from brokerage.config.asgi import application

    port = free_port()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    _servers.append(server)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}"


def wait_until_quiet(timeout: float = 10) -> None:
    """Wait until the server thread has no connection, no request in hand and no socket
    watcher running. The table reset after a test (TRUNCATE of every table) deadlocks with
    any query the server is still running (a page the browser asked for just before it
    closed, a socket's disconnect, the watcher's round), as seen once in CI."""
    from api.socket_watch import _watchers

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = any(s.server_state.connections or s.server_state.tasks for s in _servers)
        watching = any(w.task is not None and not w.task.done() for w in _watchers.values())
        if not busy and not watching:
            return
        time.sleep(0.02)
    raise AssertionError(
        f"the test server did not go quiet within {timeout} s: busy={busy}, watching={watching}, "
        f"{[(len(s.server_state.connections), len(s.server_state.tasks)) for s in _servers]}, "
        f"{[len(w.sockets) for w in _watchers.values()]}"
    )
