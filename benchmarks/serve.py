"""Benchmark `briefing serve`: server time per page view and per save.

    python benchmarks/serve.py [--runs 20]

For the typical sample (samples/work-programme-2010.yaml) and the large
briefing from samples/make_large.py (100 key messages, 1,000 member comments,
60 case studies), each in a folder of its own, the application is driven
in-process through Starlette's TestClient (no network, no browser: the time
is the server's: routing, security checks, reading and hashing the file,
forms from the schema, templates):

- home page;
- editor page of a list section (key messages, member comments: first page
  of at most 20 entries) and of the meeting, once the file's version has been
  read and validated (every view after the first);
- the first view after the file changed on disk (read, validate, render);
- save: one headline changed and saved (lost-update check, in-place edit,
  validation of the result as `briefing validate` does it, atomic write);
- build page: build the .docx and run the checks (first view of a version).

Median and slowest wall time of --runs runs and the median CPU time (the whole
process, so it holds up better than wall time on a busy machine), in
milliseconds, printed as a markdown table with the load average.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TYPICAL = ROOT / "samples" / "work-programme-2010.yaml"


def _large_text() -> str:
    spec = importlib.util.spec_from_file_location("make_large", ROOT / "samples" / "make_large.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.large_briefing_text()


def _time(action: Callable[[], object], runs: int, before: Callable[[], object] | None = None
          ) -> tuple[float, float, float]:
    """Return the median and slowest wall time and the median CPU time of `action`, in ms."""
    times, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu)


def measure(name: str, text: str, runs: int) -> list[tuple[str, float, float, float]]:
    """Return (what, median, slowest, median CPU) in ms for each page and action on `text`."""
    from briefing.web import app as web_app
    from briefing.web import store
    from tests.support.web_harness import client, form_fields

    folder = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    try:
        path = folder / "briefing.yaml"
        path.write_text(text, encoding="utf-8")
        c = client(folder)
        km = "/edit/briefing.yaml?section=key_messages"
        rows = []

        def ok(url: str) -> Callable[[], object]:
            def get() -> object:
                response = c.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response
            return get

        ok(km)()  # first read of this version
        for label, url in [("home page", "/"), ("editor: key messages", km),
                           ("editor: member comments",
                            "/edit/briefing.yaml?section=member_comments"),
                           ("editor: the meeting", "/edit/briefing.yaml?section=meeting")]:
            rows.append((label, *_time(ok(url), runs)))
        rows.append(("editor, first view after a change on disk",
                     *_time(ok(km), runs, before=store._CACHE.clear)))

        counter = iter(range(10**6))
        form: list[tuple[str, str]] = []

        def fresh_form() -> None:
            form[:] = form_fields(c.get(km).text)

        def save() -> None:
            n = next(counter)
            data: dict[str, list[str]] = {}
            for k, v in form:
                data.setdefault(k, []).append(
                    f"Councils lead, take {n}: #{n} & <more>" if k == "key_messages.0.headline"
                    else v)
            data["action"] = ["save"]
            response = c.post(km, data=data)
            assert response.status_code == 303, response.text[:500]

        rows.append(("save one changed headline", *_time(save, runs, before=fresh_form)))

        def build_page() -> None:
            web_app._BUILT.clear()
            ok("/build/briefing.yaml")()

        rows.append(("build page (build the .docx, run the checks)",
                     *_time(build_page, max(3, runs // 4))))
        return [(f"{name}: {label}", *times) for label, *times in rows]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    rows = measure("typical", TYPICAL.read_text(encoding="utf-8"), args.runs)
    rows += measure("large", _large_text(), max(5, args.runs // 2))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print("| what | median ms | slowest ms | median CPU ms |")
    print("| --- | ---: | ---: | ---: |")
    for what, median, slowest, cpu in rows:
        print(f"| {what} | {median:,.1f} | {slowest:,.1f} | {cpu:,.1f} |")


if __name__ == "__main__":
    main()
