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

BRIEFING = "b.yaml"  # the briefing file the web tests serve
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


def form_fields(html: str) -> list[tuple[str, str]]:
    """Return what a browser would post from the page's editor form (buttons left out)."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.fields: list[tuple[str, str]] = []
            self.inside = False
            self.textarea: str | None = None
            self.select: str | None = None
            self.text = ""

        def handle_starttag(self, tag, attrs):
            a = {k: (v or "") for k, v in attrs}
            if tag == "form" and "editor" in a.get("class", ""):
                self.inside = True
            if not self.inside:
                return
            if tag == "input" and a.get("name"):
                if a.get("type") == "checkbox" and "checked" not in a:
                    return
                self.fields.append((a["name"], a.get("value", "on")))
            elif tag == "textarea":
                self.textarea, self.text = a.get("name"), ""
            elif tag == "select":
                self.select = a.get("name")
            elif tag == "option" and self.select and "selected" in a:
                self.fields.append((self.select, a.get("value", "")))

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False
            elif tag == "textarea" and self.textarea:
                text = self.text[1:] if self.text.startswith("\n") else self.text
                self.fields.append((self.textarea, text))
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, data):
            if self.textarea is not None:
                self.text += data

    parser = Form()
    parser.feed(html)
    return parser.fields


def post_form(c, url: str, changes: dict[str, str] | None = None, html: str | None = None,
              **extra: str):
    """Post the editor form at `url` (or in `html`) as a browser would, `changes` typed in."""
    fields = form_fields(html if html is not None else c.get(url).text)
    changes = dict(changes or {})
    posted = [(k, changes.pop(k) if k in changes else v) for k, v in fields]
    posted += list(changes.items()) + list(extra.items())
    return c.post(url, data=_pairs(posted))


def _pairs(posted: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in posted:
        out.setdefault(k, []).append(v)
    return out
