"""The Clearance page's slow work (combine, absorb preview, next draft) runs off the event loop,
one post at a time per round: other pages answer meanwhile, and two posts never interleave."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx  # the test extra's HTTP client (Starlette's TestClient's too)
import pytest

from briefing.clearance.review import read_review
from briefing.web import clearance as clr
from tests.clearance.test_combine import member_copy
from tests.support.web_harness import BRIEFING, live_server

NAME = BRIEFING
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class SlowCombine:
    """`clr.combine` held at its start until `release` is set; counts combines running at once."""

    def __init__(self) -> None:
        self.real = clr.combine
        self.entered = threading.Event()
        self.release = threading.Event()
        self.running = self.most = self.calls = 0
        self.guard = threading.Lock()

    def __call__(self, *args):
        with self.guard:
            self.calls += 1
            self.running += 1
            self.most = max(self.most, self.running)
        self.entered.set()
        try:
            assert self.release.wait(60)
            return self.real(*args)
        finally:
            with self.guard:
                self.running -= 1


def test_other_pages_answer_during_a_combine_and_two_combines_take_turns(served, tmp_path,
                                                                         monkeypatch):
    (draft,) = served.glob("*.docx")
    ann = member_copy(draft, tmp_path / "ann.docx", {"Civil servants say": "Officials say"},
                      "Cllr Ann")
    bob = member_copy(draft, tmp_path / "bob.docx", {"cuts across both": "undermines both"},
                      None)
    slow = SlowCombine()
    monkeypatch.setattr(clr, "combine", slow)
    with live_server(served) as live, httpx.Client(base_url=live.base, timeout=60) as h:
        assert h.get(live.opening, follow_redirects=True).status_code == 200
        page = h.get(f"/clearance/{NAME}").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        assert h.post(f"/clearance/{NAME}", data={"csrf": csrf, "action": "draft",
                                                  "pick": draft.name}).status_code == 200

        def upload(copy: Path, member: str) -> httpx.Response:
            return h.post(f"/clearance/{NAME}",
                          data={"csrf": csrf, "action": "copies", "member.1": member},
                          files=[("copy.1", (copy.name, copy.read_bytes(), DOCX))])

        with ThreadPoolExecutor(2) as pool:
            first = pool.submit(upload, ann, "Cllr Ann")
            assert slow.entered.wait(30), "the first combine never started"
            second = pool.submit(upload, bob, "Cllr Bob Lee")
            # while the combine is held, the other pages answer promptly
            assert h.get("/", timeout=15).status_code == 200
            assert h.get(f"/clearance/{NAME}", timeout=15).status_code == 200
            assert not first.done() and not second.done()
            assert slow.calls == 1  # the second post waits for the round, not in combine
            slow.release.set()
            results = [first.result(60), second.result(60)]
    assert [r.status_code for r in results] == [200, 200], results[1].text
    assert slow.most == 1 and slow.calls == 2
    # the round holds both copies, both names, and one combined document with both members
    work = served / ".briefing" / "clearance" / NAME
    assert sorted(p.name for p in (work / "copies").glob("*.docx")) == ["ann.docx", "bob.docx"]
    state = json.loads((work / "state.json").read_text(encoding="utf-8"))
    assert state["names"] == {"ann.docx": "Cllr Ann", "bob.docx": "Cllr Bob Lee"}
    for made in (clr.combined_path(work / draft.name), clr.cleared_path(work / draft.name)):
        assert {r.author for r in read_review(made).revisions} == {"Cllr Ann", "Cllr Bob Lee"}
    assert not list(work.glob("briefing-*"))  # no staging folder left behind


HOLDER = """
import sys, time
from pathlib import Path
from briefing.web import clearance as clr

work, log = Path(sys.argv[1]), Path(sys.argv[2])

def hold():
    with log.open("a") as f:
        f.write("other server: start\\n")
    time.sleep(1.5)
    with log.open("a") as f:
        f.write("other server: end\\n")

clr.locked(work, hold)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="the lock file is POSIX's")
def test_two_servers_on_one_folder_take_turns_on_a_round(tmp_path):
    """A second `briefing serve` on the same folder (another officer, another terminal)
    must wait for the round too, not only another post in this server."""
    work = clr.workdir(tmp_path, NAME)
    log = tmp_path / "log.txt"
    other = subprocess.Popen([sys.executable, "-c", HOLDER, str(work), str(log)])
    try:
        deadline = time.monotonic() + 30
        while "start" not in (log.read_text() if log.exists() else ""):
            assert time.monotonic() < deadline and other.poll() is None, "the other never began"
            time.sleep(0.02)

        def mine() -> None:
            with log.open("a") as f:
                f.write("this server\n")

        clr.locked(work, mine)
    finally:
        assert other.wait(30) == 0
    assert log.read_text().splitlines() == ["other server: start", "other server: end",
                                            "this server"]
