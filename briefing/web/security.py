"""What keeps `briefing serve` to its officer: a per-run token, CSRF, a body cap, host checks.

- Every request needs the run's secret: in the URL the browser is sent to
  (`?token=...`, then swapped for an HttpOnly, SameSite=Strict cookie and a
  redirect that drops it from the address bar) or in that cookie; anything
  else is answered 403.
- Every POST carries the run's CSRF token in a hidden field (checked where the
  form is read, `read_form`), and a cross-site Origin is refused outright.
- A request body over `MAX_BODY` (10 MB) is answered 413 without being read.
- On loopback, a Host header that is not this machine is refused (DNS rebinding).
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 10 * 1024 * 1024
COOKIE = "briefing_token"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
     b"base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # so same-origin forms carry their Origin
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


@dataclass
class Secrets:
    """The run's secrets: the access token and the CSRF token."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))


class TooLarge(Exception):
    """The request body passed MAX_BODY."""


class FormRefused(Exception):
    """A POST without this run's CSRF token."""


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware: token, host, origin and body-size checks, and security headers."""

    def __init__(self, app: ASGIApp, keys: Secrets, *, loopback: bool = True) -> None:
        self.app = app
        self.keys = keys
        self.loopback = loopback

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self.refuse(scope)
        if refusal is not None:
            await self._headers(refusal)(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if "token" in query:  # the opening URL: set the cookie, drop the token from the URL
            rest = urlencode({k: v for k, v in query.items() if k != "token"})
            target = scope.get("path", "/") + (f"?{rest}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, self.keys.token, httponly=True, samesite="strict",
                                path="/")
            await self._headers(response)(scope, receive, send)
            return
        await self._guarded(scope, receive, send)

    def refuse(self, scope: Scope) -> Response | None:
        """Return the refusal for a request that may not go on, or None."""
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "").rsplit(":", 1)[0] if headers.get("host") else ""
        if self.loopback and host not in LOOPBACK:
            return PlainTextResponse("This server answers only on this computer.", 403)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        cookie = SimpleCookie(headers.get("cookie", ""))
        held = cookie[COOKIE].value if COOKIE in cookie else None
        if not (_same(query.get("token"), self.keys.token) or _same(held, self.keys.token)):
            return PlainTextResponse(
                "Open the address `briefing serve` printed: it carries this run's key.", 403)
        origin = headers.get("origin")
        if scope["method"] not in ("GET", "HEAD") and origin is not None:
            if origin.split("://", 1)[-1] != headers.get("host"):  # another site or port
                return PlainTextResponse("A form from another site was refused.", 403)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            return PlainTextResponse("The upload is larger than 10 MB.", 413)
        return None

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY:
                raise TooLarge()
            return message

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        try:
            await self.app(scope, counted, sending)
        except TooLarge:
            if not started:
                await PlainTextResponse("The upload is larger than 10 MB.", 413)(
                    scope, receive, send)

    @staticmethod
    def _headers(response: Response) -> Response:
        for k, v in HEADERS:
            response.headers[k.decode()] = v.decode()
        return response


@dataclass(frozen=True)
class Upload:
    """An uploaded file, read into memory (the body is capped at MAX_BODY)."""

    filename: str
    data: bytes


async def read_form(request: Request, keys: Secrets,
                    max_files: int = 5) -> list[tuple[str, str | Upload]]:
    """Return the posted form's fields; raise FormRefused without this run's CSRF token."""
    from starlette.datastructures import UploadFile

    async with request.form(max_files=max_files, max_fields=50_000) as form:
        token = form.get("csrf")
        if not _same(token if isinstance(token, str) else None, keys.csrf):
            raise FormRefused()
        fields: list[tuple[str, str | Upload]] = []
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    fields.append((key, Upload(value.filename, await value.read())))
            else:
                fields.append((key, value))
        return fields
