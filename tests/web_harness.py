"""Run `briefing serve`'s application for tests: in-process (TestClient) or live (uvicorn).

Browser tests drive Debian's chromium through Playwright (`executable_path`);
Playwright's own browser download is never used.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = os.environ.get("BRIEFING_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def browser_missing() -> str | None:
    """Return why the browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install playwright)"
    if not Path(CHROMIUM).is_file():
        return f"Debian's chromium is not installed ({CHROMIUM})"
    return None


def client(folder: Path, keys=None, *, host: str = "127.0.0.1:8765", login: bool = True):
    """Return a TestClient on the app serving `folder`, holding the run's cookie if `login`."""
    from starlette.testclient import TestClient

    from briefing.web.app import create_app
    from briefing.web.security import Secrets

    keys = keys or Secrets()
    app = create_app(folder, keys)
    c = TestClient(app, base_url=f"http://{host}", raise_server_exceptions=False,
                   follow_redirects=False)
    c.keys = keys  # type: ignore[attr-defined]
    if login:
        assert c.get(f"/?token={keys.token}").status_code == 303
    return c


@dataclass
class Live:
    """A running server: its base URL and the address that opens it (with the token)."""

    base: str
    opening: str


@contextlib.contextmanager
def live_server(folder: Path) -> Iterator[Live]:
    """Yield a uvicorn server on a free loopback port serving `folder`; stop it after."""
    import uvicorn

    from briefing.web.app import create_app
    from briefing.web.security import Secrets
    from briefing.web.server import opening_url

    keys = Secrets()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(folder, keys), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{port}", opening_url("127.0.0.1", port, keys))
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Yield a Playwright browser: Debian's chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
