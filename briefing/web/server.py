"""Run the web application with uvicorn: bind, open the browser on the token URL, serve."""

from __future__ import annotations

import socket
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from briefing.errors import BriefingError
from briefing.web.security import LOOPBACK, Secrets


def opening_url(host: str, port: int, keys: Secrets) -> str:
    """Return the address that opens the app: this run's token in the query."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/?token={keys.token}"


def serve(folder: Path, *, host: str = "127.0.0.1", port: int = 8765, browser: bool = True,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve the briefings in `folder` until interrupted; call `on_ready` with the URL."""
    import uvicorn

    from briefing.web.app import create_app

    folder = Path(folder)
    if not folder.is_dir():
        raise BriefingError(f"{folder}: no such folder")
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise BriefingError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                            "try another --port") from None
    keys = Secrets()
    app = create_app(folder, keys, loopback=host in LOOPBACK)
    url = opening_url(host, sock.getsockname()[1], keys)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    server = uvicorn.Server(config)

    def ready() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.05)
        if server.started:
            if on_ready is not None:
                on_ready(url)
            if browser:
                webbrowser.open(url)

    threading.Thread(target=ready, daemon=True).start()
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
