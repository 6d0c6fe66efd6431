"""`briefing serve` security, at the HTTP level: each attack, and its refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from briefing.cli import app as cli_app
from tests.support.web_harness import client

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
NAME = SAMPLE.name


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    served = tmp_path / "served"
    served.mkdir()
    shutil.copy(SAMPLE, served / NAME)
    return served


def _save_form(c, section: str = "briefing", **fields: str) -> dict[str, str]:
    page = c.get(f"/edit/{NAME}?section={section}")
    base = page.text.split('name="base" value="', 1)[1].split('"', 1)[0]
    return {"csrf": c.keys.csrf, "base": base, "action": "save", **fields}


# --- the run's token -------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", f"/edit/{NAME}", f"/build/{NAME}",
                                 f"/download/{NAME}", "/static/site.css", "/nowhere"])
def test_every_page_is_refused_without_the_token(folder, url):
    c = client(folder, login=False)
    response = c.get(url)
    assert response.status_code == 403
    assert "Meeting with the Secretary of State" not in response.text


def test_a_wrong_token_is_refused(folder):
    c = client(folder, login=False)
    assert c.get("/?token=guess").status_code == 403
    c.cookies.set("briefing_token", "guess")
    assert c.get("/").status_code == 403


def test_the_token_becomes_a_strict_cookie_and_leaves_the_address(folder):
    c = client(folder, login=False)
    response = c.get(f"/edit/{NAME}?section=meeting&token={c.keys.token}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/edit/{NAME}?section=meeting"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert c.get(response.headers["location"]).status_code == 200


def test_a_post_without_the_token_changes_nothing(folder):
    before = (folder / NAME).read_bytes()
    c = client(folder, login=False)
    response = c.post(f"/edit/{NAME}?section=briefing",
                      data={"briefing.title": "Hijacked", "action": "save"})
    assert response.status_code == 403
    assert (folder / NAME).read_bytes() == before


# --- CSRF and origin -------------------------------------------------------------------------


@pytest.mark.parametrize("csrf", [None, "", "forged"])
def test_a_save_without_this_runs_csrf_token_is_refused(folder, csrf):
    before = (folder / NAME).read_bytes()
    c = client(folder)
    form = _save_form(c, **{"briefing.title": "Hijacked"})
    if csrf is None:
        del form["csrf"]
    else:
        form["csrf"] = csrf
    response = c.post(f"/edit/{NAME}?section=briefing", data=form)
    assert response.status_code == 403
    assert "Nothing was saved" in response.text
    assert (folder / NAME).read_bytes() == before


def test_new_briefing_needs_the_csrf_token(folder):
    c = client(folder)
    assert c.post("/new", data={"name": "planted"}).status_code == 403
    assert not (folder / "planted.yaml").exists()


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:9999",
                                    "http://localhost:8765", "null"])
def test_a_form_posted_from_another_site_is_refused(folder, origin):
    before = (folder / NAME).read_bytes()
    c = client(folder)
    form = _save_form(c, **{"briefing.title": "Hijacked"})
    response = c.post(f"/edit/{NAME}?section=briefing", data=form,
                      headers={"origin": origin})
    assert response.status_code == 403
    assert (folder / NAME).read_bytes() == before


def test_a_form_from_this_page_is_taken(folder):
    c = client(folder)
    form = _save_form(c, **{"briefing.title": "From this page"})
    response = c.post(f"/edit/{NAME}?section=briefing", data=form,
                      headers={"origin": "http://127.0.0.1:8765"})
    assert response.status_code == 303
    assert "title: From this page" in (folder / NAME).read_text(encoding="utf-8")


def test_dns_rebinding_a_foreign_host_name_is_refused(folder):
    c = client(folder, host="evil.example:8765", login=False)
    assert c.get(f"/?token={c.keys.token}").status_code == 403


# --- uploads are capped ----------------------------------------------------------------------


def test_a_body_over_10_mb_is_refused_by_its_length(folder):
    c = client(folder)
    body = b"x" * (10 * 1024 * 1024 + 1)
    response = c.post("/new", content=body,
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert list(folder.iterdir()) == [folder / NAME]


def test_a_streamed_body_over_10_mb_is_refused_while_read(folder):
    c = client(folder)

    def chunks():
        yield b"csrf=" + c.keys.csrf.encode() + b"&name="
        for _ in range(11):
            yield b"a" * (1024 * 1024)

    response = c.post("/new", content=chunks(),
                      headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert list(folder.iterdir()) == [folder / NAME]


# --- paths stay in the folder ----------------------------------------------------------------


@pytest.mark.parametrize("attack", [
    "/edit/..%2F..%2F..%2Fetc%2Fpasswd",
    "/edit/%2Fetc%2Fpasswd",
    "/build/..%2Fsecret.yaml",
    "/download/..%2Fsecret.yaml",
    "/edit/sub%2F..%2F..%2Fsecret.yaml",
    "/edit/secret.txt",
    "/edit/.hidden.yaml",
])
def test_paths_outside_the_folder_are_refused(folder, attack):
    (folder.parent / "secret.yaml").write_text("briefing: {title: SECRET-OUTSIDE}\n")
    (folder / "secret.txt").write_text("SECRET-OUTSIDE")
    (folder / ".hidden.yaml").write_text("briefing: {title: SECRET-OUTSIDE}\n")
    c = client(folder)
    response = c.get(attack)
    assert response.status_code == 404
    assert "SECRET-OUTSIDE" not in response.text
    assert "root:" not in response.text


def test_a_symlink_out_of_the_folder_is_refused(folder):
    outside = folder.parent / "outside.yaml"
    shutil.copy(SAMPLE, outside)
    (folder / "link.yaml").symlink_to(outside)
    c = client(folder)
    assert c.get("/edit/link.yaml").status_code == 404
    assert "link.yaml" not in c.get("/").text
    before = outside.read_bytes()
    response = c.post("/edit/link.yaml?section=briefing",
                      data={"csrf": c.keys.csrf, "action": "save", "briefing.title": "x"})
    assert response.status_code == 404
    assert outside.read_bytes() == before


@pytest.mark.parametrize("name", ["../escaped", "/tmp/escaped", "sub/escaped", ".hidden"])
def test_new_briefing_cannot_be_written_outside_the_folder(folder, name):
    c = client(folder)
    response = c.post("/new", data={"csrf": c.keys.csrf, "name": name})
    assert response.status_code == 400
    assert 'class="error-message"' in response.text
    assert sorted(p.name for p in folder.parent.rglob("*escaped*")) == []
    assert not (folder / ".hidden.yaml").exists()


# --- errors ----------------------------------------------------------------------------------


def test_an_unexpected_error_shows_no_traceback(folder, monkeypatch):
    from briefing.web import store

    def boom(*args, **kwargs):
        raise RuntimeError("internal detail /secret/path")

    monkeypatch.setattr(store, "snapshot", boom)
    c = client(folder)
    response = c.get(f"/edit/{NAME}")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Traceback" not in response.text and "/secret/path" not in response.text


def test_pages_say_what_they_may_load(folder):
    c = client(folder)
    response = c.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


# --- the command -----------------------------------------------------------------------------


def test_serve_binds_this_computer_only_unless_told(monkeypatch, tmp_path):
    import briefing.web.server as server

    calls = []
    monkeypatch.setattr(server, "serve", lambda folder, **kw: calls.append(kw))
    result = CliRunner().invoke(cli_app, ["serve", str(tmp_path), "--no-browser"])
    assert result.exit_code == 0, result.output
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["browser"] is False
    assert "warning" not in result.output
    result = CliRunner().invoke(cli_app, ["serve", str(tmp_path), "--host", "0.0.0.0"])
    assert result.exit_code == 0
    assert calls[-1]["host"] == "0.0.0.0"
    assert "warning: listening on 0.0.0.0" in result.output


def test_serve_refuses_a_missing_folder(tmp_path):
    result = CliRunner().invoke(cli_app, ["serve", str(tmp_path / "nope"), "--no-browser"])
    assert result.exit_code == 1
    assert "no such folder" in result.output


def test_other_commands_do_not_import_the_web_stack():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom briefing.cli import app\n"
            f"r = CliRunner().invoke(app, ['validate', {str(SAMPLE)!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'multipart', 'briefing.web') "
            "if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"}, check=True)
    assert done.stdout.strip() == "[]"


def test_serve_says_when_its_port_is_taken(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli_app, ["serve", str(tmp_path), "--no-browser",
                                              "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "try another --port" in result.output
