"""Mutation testing of the document code: does the suite notice a realistic bug?

    python benchmarks/mutation.py [--sample N] [--seed S] [--jobs J] [--files GLOB ...]
                                  [--tests PATH ...] [--fresh-coverage] [--json OUT]

Mutates briefing/ooxml/, briefing/clearance/ and the in-place YAML editor
(briefing/source/edit, splice, render, changes), found by glob so the files may move, one small
change at a time: an operator swapped (+ -, * /, and or), a comparison
flipped (< <=, == !=, in / not in, is / is not), a number or boolean
changed, a slice bound dropped, a `not` dropped or a condition negated, a
return value replaced by None, break and continue swapped. Docstrings,
annotations and lines marked `# pragma: no mutate` are left alone.

1. Per-test coverage, once: the suite (less the LibreOffice tests) runs under
   coverage.py, switching context at each test, so every line knows the tests
   that run it. Cached in the temporary folder until a source or test changes.
2. Each mutant runs only the tests that cover its line, fastest first,
   stopping at the first failure. A mutant in a function body is applied in a
   forked copy of a warmed-up process by swapping that function's code;
   one in code that runs at import (module constants, defaults, class bodies)
   gets a fresh process on a scratch copy of the project.
3. Prints the score per package (killed / all mutants; a mutant no test runs
   counts as a survivor) and every survivor as FILE:LINE: change.

A pre-release habit, not a CI step: the full run takes tens of minutes on two
cores; `--sample 100` (100 mutants of each package) gives an estimate in a
quarter of an hour. See docs/mutation.md.
"""

from __future__ import annotations

import argparse
import ast
import gc
import glob
import hashlib
import importlib.util
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {  # package name in the report -> globs of its files, relative to ROOT
    "ooxml": ["briefing/ooxml/**/*.py"],
    "clearance": ["briefing/clearance/**/*.py"],
    # the in-place YAML editor: parse positions, splice, render values, apply form changes
    "source/edit": ["briefing/source/edit*.py", "briefing/source/edit/**/*.py",
                    "briefing/source/splice.py", "briefing/source/render.py",
                    "briefing/source/changes.py"],
}
PYTEST_ARGS = ["-p", "no:cacheprovider", "-m", "not libreoffice", "--hypothesis-seed=0",
               "-o", "addopts=", "-q", "--no-header", "-W", "ignore::pytest.PytestWarning"]
IMPORT_TIME = ""  # coverage's context for lines run before any test starts
CACHE = Path(tempfile.gettempdir()) / "briefing-mutation"
COVERAGE_FORMAT = "1"  # bump when _run_coverage writes something new
if str(ROOT) not in sys.path:  # as `python -m pytest` has it: the tests import `tests.support.cxml`
    sys.path.insert(0, str(ROOT))


# --- mutants ----------------------------------------------------------------------------

_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
          ast.FloorDiv: ast.Div, ast.Mod: ast.FloorDiv, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
          ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
          ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
          ast.And: ast.Or, ast.Or: ast.And, ast.BitOr: ast.BitAnd, ast.BitAnd: ast.BitOr}
_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
           ast.IsNot: "is not", ast.And: "and", ast.Or: "or", ast.BitOr: "|", ast.BitAnd: "&"}


@dataclass
class Mutant:
    """One change to one file: where, what, and the function it falls in (None: import time)."""

    package: str
    file: str  # relative to ROOT
    index: int  # the n-th mutation point of the file, in walk order
    line: int
    end_line: int
    change: str
    scope: str | None  # qualified name of the outermost enclosing function
    uses: list[int] | None = None  # import-time code: the lines that read what it defines
    status: str = "pending"  # killed, survived, no tests, timeout
    seconds: float = 0.0
    source: str = ""  # the mutated line as it was (the file may change while mutants run)


def _points(tree: ast.Module):
    """Yield (node, parent, field, change, apply, scope) for every mutation point, in order."""
    skip = _docstrings(tree)

    def walk(node, parent, field, scope, in_def, defaults_in_def=False):
        if node in skip or isinstance(node, (ast.JoinedStr, ast.Global, ast.Nonlocal)):
            return
        yield from _node_points(node, parent, field, scope if in_def else None)
        for name, value in ast.iter_fields(node):
            if name in ("annotation", "returns", "type_comment", "decorator_list"):
                continue
            if name == "args" and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                # defaults are evaluated where the def runs: at import for a module's functions
                yield from walk(value, node, (name, None), scope, defaults_in_def)
                continue
            kids = value if isinstance(value, list) else [value]
            for i, kid in enumerate(kids):
                if not isinstance(kid, ast.AST):
                    continue
                where = (name, i if isinstance(value, list) else None)
                if isinstance(kid, (ast.FunctionDef, ast.AsyncFunctionDef)) and in_def:
                    yield from walk(kid, node, where, scope, True, True)
                elif isinstance(kid, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    inner = f"{scope}.{kid.name}" if scope else kid.name
                    yield from walk(kid, node, where, inner, True)
                elif isinstance(kid, ast.ClassDef) and not in_def:
                    inner = f"{scope}.{kid.name}" if scope else kid.name
                    yield from walk(kid, node, where, inner, False)
                elif isinstance(kid, ast.If) and _never_mutated_if(kid):
                    continue
                else:
                    yield from walk(kid, node, where, scope, in_def)

    yield from walk(tree, None, None, None, False)


def _docstrings(tree: ast.Module) -> set:
    out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                getattr(body[0], "value", None), ast.Constant) and isinstance(
                body[0].value.value, str):
            out.add(body[0])
    return out


def _never_mutated_if(node: ast.If) -> bool:
    text = ast.unparse(node.test)
    return text in ("TYPE_CHECKING", "__name__ == '__main__'")


def _node_points(node, parent, field, scope):
    """Yield the mutation points of `node` itself."""
    op = getattr(node, "op", None)
    if isinstance(node, (ast.BinOp, ast.AugAssign, ast.BoolOp)) and type(op) in _SWAPS:
        new = _SWAPS[type(op)]
        yield node, parent, field, f"`{_SYMBOL[type(op)]}` -> `{_SYMBOL[new]}`", \
            lambda n, p, f, new=new: setattr(n, "op", new()), scope
    if isinstance(node, ast.Compare):
        for i, cmp in enumerate(node.ops):
            if type(cmp) in _SWAPS:
                new = _SWAPS[type(cmp)]
                yield node, parent, field, f"`{_SYMBOL[type(cmp)]}` -> `{_SYMBOL[new]}`", \
                    lambda n, p, f, i=i, new=new: n.ops.__setitem__(i, new()), scope
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        yield node, parent, field, "`not` dropped", \
            lambda n, p, f: _replace(p, f, n.operand), scope
    if isinstance(node, ast.Constant) and type(node.value) in (bool, int, float):
        old = node.value
        new_value = (not old) if isinstance(old, bool) else old + 1
        yield node, parent, field, f"{old!r} -> {new_value!r}", \
            lambda n, p, f, v=new_value: setattr(n, "value", v), scope
    if isinstance(node, ast.Slice):
        for bound in ("lower", "upper"):
            if getattr(node, bound) is not None:
                yield node, parent, field, f"slice {bound} bound dropped", \
                    lambda n, p, f, b=bound: setattr(n, b, None), scope
    if isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None):
        yield node, parent, field, "returns None", \
            lambda n, p, f: setattr(n, "value", ast.Constant(None)), scope
    if isinstance(node, (ast.If, ast.While, ast.IfExp)) and not isinstance(
            node.test, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
        yield node, parent, field, "condition negated", \
            lambda n, p, f: setattr(n, "test", ast.UnaryOp(ast.Not(), n.test)), scope
    if isinstance(node, (ast.Break, ast.Continue)):
        new_stmt = ast.Continue if isinstance(node, ast.Break) else ast.Break
        yield node, parent, field, f"{type(node).__name__.lower()} -> " \
            f"{new_stmt.__name__.lower()}", lambda n, p, f, s=new_stmt: _replace(p, f, s()), scope


def _replace(parent, field, new) -> None:
    name, i = field
    if i is None:
        setattr(parent, name, new)
    else:
        getattr(parent, name)[i] = new


def enumerate_mutants(package: str, path: Path) -> list[Mutant]:
    """Return every mutant of the file at `path` (lines marked `pragma: no mutate` skipped)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    out = []
    for index, (node, _, _, change, _, scope) in enumerate(_points(tree)):
        line = node.lineno
        if "pragma: no mutate" in lines[line - 1]:
            continue
        out.append(Mutant(package, str(path.relative_to(ROOT)), index, line,
                          getattr(node, "end_lineno", line) or line, change, scope,
                          None if scope else _uses(tree, line), source=lines[line - 1].strip()))
    return out


def _uses(tree: ast.Module, line: int) -> list[int] | None:
    """Return the lines that use what the top-level statement at `line` defines: where its
    names are read, or the body of its class; None when that cannot be told."""
    top = next((s for s in tree.body if s.lineno <= line <= (s.end_lineno or s.lineno)), None)
    if isinstance(top, ast.ClassDef):
        return list(range(top.lineno, (top.end_lineno or top.lineno) + 1))
    if not isinstance(top, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        return None
    targets = top.targets if isinstance(top, ast.Assign) else [top.target]
    names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    uses = sorted({n.lineno for n in ast.walk(tree) if isinstance(n, ast.Name)
                   and n.id in names and isinstance(n.ctx, ast.Load)})
    return uses or None


def mutated_tree(path: Path, index: int) -> ast.Module:
    """Return the AST of the file at `path` with mutation point `index` applied."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for n, (node, parent, field, _, apply, _) in enumerate(list(_points(tree))):
        if n == index:
            apply(node, parent, field)
            return ast.fix_missing_locations(tree)
    raise LookupError(f"{path}: no mutation point {index}")


# --- per-test coverage ------------------------------------------------------------------


def target_files(patterns: list[str] | None) -> dict[str, str]:
    """Return relative path -> package for every file to mutate (optionally filtered).

    A filter is a glob from the project's root, where `**` is any depth, zero
    folders included (`briefing/clearance/**/*.py` takes review.py as well as
    absorb/compare.py), or a path's tail (`review.py`).
    """
    chosen = {str(Path(name).relative_to(ROOT)) for p in patterns or ()
              for name in glob.glob(str(ROOT / p), recursive=True)}
    out = {}
    for package, globs in PACKAGES.items():
        for pattern in globs:
            for name in sorted(glob.glob(str(ROOT / pattern), recursive=True)):
                rel = str(Path(name).relative_to(ROOT))
                if not patterns or rel in chosen or any(Path(rel).match(p) for p in patterns):
                    out.setdefault(rel, package)
    return out


def _fingerprint(tests: list[str]) -> str:
    """Return a key for coverage of `tests`: it holds while the mutated files are unchanged
    (their line numbers are what it maps). Changed tests need --fresh-coverage or --add-tests."""
    digest = hashlib.sha256(" ".join([COVERAGE_FORMAT, *tests, *PYTEST_ARGS]).encode())
    for rel in sorted(target_files(None)):
        digest.update(rel.encode() + (ROOT / rel).read_bytes())
    return digest.hexdigest()[:16]


def per_test_coverage(tests: list[str], fresh: bool) -> dict:
    """Return {"lines": {file: {line: [test ids]}}, "seconds": {test id: s}, "failed": [...]}."""
    cached = CACHE / f"coverage-{_fingerprint(tests)}.json"
    if cached.is_file() and not fresh:
        return json.loads(cached.read_text())
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"per-test coverage: running {' '.join(tests)} once under coverage.py ...",
          file=sys.stderr)
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, "--_coverage", str(cached), "--", *tests],
                   cwd=ROOT, check=True)
    print(f"per-test coverage took {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return json.loads(cached.read_text())


def merged(cov: dict, extra: dict) -> dict:
    """Return coverage `cov` with the tests measured in `extra` added (theirs replace any
    earlier measurement of the same test)."""
    redone = set(extra["seconds"])
    lines: dict = {}
    for source in (cov, extra):
        for name, by_line in source["lines"].items():
            into = lines.setdefault(name, {})
            for line, ids in by_line.items():
                keep = [t for t in ids if source is extra or t not in redone]
                into[line] = sorted(set(into.get(line, [])) | set(keep))
    return {"lines": lines, "seconds": {**cov["seconds"], **extra["seconds"]},
            "failed": [t for t in cov["failed"] if t not in redone] + extra["failed"]}


def _run_coverage(out: Path, tests: list[str]) -> None:
    """Run the tests under coverage, one context per test; write what per_test_coverage reads."""
    import coverage
    import pytest

    files = [str(ROOT / f) for f in target_files(None)]
    cov = coverage.Coverage(data_file=None, include=files)
    seconds: dict[str, float] = defaultdict(float)
    failed: list[str] = []

    class Contexts:
        def pytest_runtest_setup(self, item):
            cov.switch_context(item.nodeid)

        def pytest_runtest_logreport(self, report):
            seconds[report.nodeid] += report.duration
            if report.failed:
                failed.append(report.nodeid)

    cov.start()
    pytest.main([*tests, *PYTEST_ARGS], plugins=[Contexts()])
    cov.stop()
    data = cov.get_data()
    lines = {}
    for name in data.measured_files():
        by_line = data.contexts_by_lineno(name)
        lines[str(Path(name).relative_to(ROOT))] = {str(k): sorted(v) for k, v in by_line.items()}
    out.write_text(json.dumps({"lines": lines, "seconds": seconds, "failed": failed}))


def covering_tests(m: Mutant, cov: dict) -> tuple[list[str], bool]:
    """Return the tests that run the mutant's lines, fastest first, and whether they run at
    import time."""
    by_line = cov["lines"].get(m.file, {})
    ids: set[str] = set()
    for line in range(m.line, m.end_line + 1):
        ids.update(by_line.get(str(line), ()))
    at_import = IMPORT_TIME in ids or m.scope is None
    if at_import and ids <= {IMPORT_TIME}:  # a constant: the tests that run where it is read
        lines = m.uses if m.uses is not None else [int(n) for n in by_line]
        ids = {t for n in lines for t in by_line.get(str(n), ())}
    if at_import and not ids - {IMPORT_TIME, *cov["failed"]}:
        # read only in other modules, or only by other constants: the tests that run the
        # files importing this one
        module = _module_name(m.file)
        for rel in target_files(None):
            if rel != m.file and module in (ROOT / rel).read_text(encoding="utf-8"):
                ids.update(t for line_ids in cov["lines"].get(rel, {}).values()
                           for t in line_ids)
    ids -= {IMPORT_TIME, *cov["failed"]}
    return sorted(ids, key=lambda t: (cov["seconds"].get(t, 1.0), t)), at_import


# --- running a mutant -------------------------------------------------------------------


def _module_name(rel: str) -> str:
    parts = Path(rel).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _live_functions(obj, depth: int = 0):
    """Yield the plain functions behind `obj` (methods, properties, wrapped functions)."""
    if depth > 4 or obj is None:
        return
    if isinstance(obj, property):
        for f in (obj.fget, obj.fset, obj.fdel):
            yield from _live_functions(f, depth + 1)
    elif isinstance(obj, (staticmethod, classmethod)):
        yield from _live_functions(obj.__func__, depth + 1)
    elif hasattr(obj, "__code__"):
        yield obj
    if hasattr(obj, "__wrapped__"):
        yield from _live_functions(obj.__wrapped__, depth + 1)


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            yield from _code_objects(const)


def swap_in(m: Mutant) -> bool:
    """Give the live function holding the mutant its mutated code; False when it cannot be."""
    module = sys.modules[_module_name(m.file)]
    compiled = compile(mutated_tree(ROOT / m.file, m.index), str(ROOT / m.file), "exec")
    holder = module
    *owners, name = m.scope.split(".")
    for part in owners:
        holder = vars(holder).get(part)
        if holder is None:
            return False
    for func in _live_functions(vars(holder).get(name)):
        old = func.__code__
        for code in _code_objects(compiled):
            if (code.co_qualname, code.co_firstlineno) == (old.co_qualname, old.co_firstlineno):
                try:
                    func.__code__ = code
                except ValueError:  # a different closure: leave it to a fresh process
                    return False
                return True
    return False


class Runner:
    """Runs mutants: forked from a warmed-up process, or in a fresh one on a scratch copy."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.tmp = Path(tempfile.mkdtemp(prefix="briefing-mutants-"))
        # one scratch copy of the project per job: a fresh-process mutant is written into one
        self.scratches: queue.SimpleQueue[Path] = queue.SimpleQueue()
        for n in range(jobs):
            scratch = self.tmp / f"job{n}" / "project"
            shutil.copytree(ROOT, scratch, ignore=shutil.ignore_patterns(
                ".git", "__pycache__", ".hypothesis", ".pytest_cache", ".ruff_cache",
                ".mypy_cache", "*.egg-info", ".benchmarks", "_work"))
            shared = ROOT.parent / "shared"
            if shared.is_dir():  # the tests find the corpus and the validator at ../shared
                (scratch.parent / "shared").symlink_to(shared.resolve())
            self.scratches.put(scratch)
        self.scratch = self.tmp / "job0" / "project"
        self.procs: set[subprocess.Popen] = set()
        self.stopping = False
        for rel in target_files(None):
            importlib_import(_module_name(rel))
        self._warm_up()

    def _warm_up(self) -> None:
        """Import pytest, the tests and everything they import, once, before any fork."""
        import pytest

        with _quiet():
            pytest.main(["--collect-only", "tests", *PYTEST_ARGS])
        gc.freeze()  # what is loaded now is never collected: pytest's gc runs in a child are quick

    def check(self, probe: str) -> None:
        """Raise SystemExit unless an unmutated run of test `probe` passes both ways."""
        pid = os.fork()
        if pid == 0:
            import pytest

            with _quiet():
                os._exit(int(pytest.main([probe, *PYTEST_ARGS, f"--basetemp={self.tmp / 'p'}"])))
        forked = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        env = {**os.environ, "PYTHONPATH": str(self.scratch), "PYTHONDONTWRITEBYTECODE": "1"}
        fresh = subprocess.run([sys.executable, "-m", "pytest", probe, *PYTEST_ARGS,
                                f"--basetemp={self.tmp / 'q'}"], cwd=self.scratch, env=env,
                               capture_output=True, text=True, check=False)
        if forked or fresh.returncode:
            raise SystemExit(f"unmutated {probe} does not pass (forked: exit {forked}, "
                             f"fresh: exit {fresh.returncode}):\n{fresh.stdout[-2000:]}")

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_forked(self, batch: list[tuple[Mutant, list[str], float]],
                   finished: Callable[[int], object] = lambda done: None) -> None:
        """Run the mutants of `batch` (mutant, tests, timeout) `jobs` at a time."""
        running: dict[int, tuple[Mutant, float, float]] = {}
        waiting = list(batch)
        try:
            self._run_forked(waiting, running, finished)
        except BaseException:
            for pid in running:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            raise

    def _run_forked(self, waiting: list[tuple[Mutant, list[str], float]],
                    running: dict[int, tuple[Mutant, float, float]],
                    finished: Callable[[int], object]) -> None:
        count = 0
        while waiting or running:
            while waiting and len(running) < self.jobs:
                m, tests, limit = waiting.pop(0)
                pid = os.fork()
                if pid == 0:
                    os._exit(self._child(m, tests))
                running[pid] = (m, time.perf_counter(), limit)
            time.sleep(0.02)
            for pid, (m, start, limit) in list(running.items()):
                done, status = os.waitpid(pid, os.WNOHANG)
                elapsed = time.perf_counter() - start
                if not done and elapsed > limit:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    m.status = "timeout"
                elif not done:
                    continue
                elif os.waitstatus_to_exitcode(status) == 99:
                    m.status = "fresh"  # could not swap: run in a fresh process instead
                else:
                    m.status = _verdict(os.waitstatus_to_exitcode(status))
                m.seconds = elapsed
                del running[pid]
                count += 1
                finished(count)
                _tell(m)

    def _child(self, m: Mutant, tests: list[str]) -> int:
        import pytest

        if not swap_in(m):
            return 99
        base = self.tmp / f"t{m.index}-{os.getpid()}"
        with _quiet():
            code = pytest.main([*tests, *PYTEST_ARGS, "-x", f"--basetemp={base}"])
        return int(code)

    def run_fresh_all(self, batch: list[tuple[Mutant, list[str], float]]) -> None:
        """Run the mutants of `batch` in fresh processes, `jobs` at a time."""
        pool = ThreadPoolExecutor(self.jobs)
        try:
            for _ in pool.map(lambda item: self.run_fresh(*item), batch):
                pass
        except BaseException:
            self.stopping = True
            pool.shutdown(wait=False, cancel_futures=True)
            for proc in list(self.procs):
                proc.kill()
            raise
        pool.shutdown()

    def run_fresh(self, m: Mutant, tests: list[str], limit: float) -> None:
        """Run one mutant in a new process with the mutated file written to a scratch copy."""
        scratch = self.scratches.get()
        target = scratch / m.file
        original = target.read_text(encoding="utf-8")
        target.write_text(ast.unparse(mutated_tree(ROOT / m.file, m.index)), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(scratch), "PYTHONDONTWRITEBYTECODE": "1"}
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "pytest", *tests, *PYTEST_ARGS, "-x",
             f"--basetemp={self.tmp / f'f{m.index}'}"], cwd=scratch, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.procs.add(proc)
        try:
            m.status = _verdict(proc.wait(timeout=limit))
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            m.status = "timeout"
        finally:
            self.procs.discard(proc)
            target.write_text(original, encoding="utf-8")
        if m.status != "timeout" and proc.returncode < 0 and self.stopping:
            m.status = "fresh"  # stopped by an interrupt, not by the mutant: not run
        if m.status == "error (pytest exit 4)" and self._collects(tests, scratch, env):
            # the tests asked for were "not found" because the mutant broke the code that
            # collects them (a test module that reads a package as it is imported): a kill
            m.status = "killed"
        self.scratches.put(scratch)
        m.seconds = time.perf_counter() - start
        _tell(m)

    def _collects(self, tests: list[str], scratch: Path, env: dict[str, str]) -> bool:
        """Return True when `tests` are all found in the unmutated scratch copy."""
        done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", *tests,
                               *PYTEST_ARGS], cwd=scratch, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return done.returncode == 0


def _tell(m: Mutant) -> None:
    """Print one finished mutant as it finishes: a long run shows its survivors early."""
    if m.status != "fresh":  # not finished: it runs again in a fresh process
        print(f"  {m.status}: {m.file}:{m.line}: {m.change} ({m.seconds:.0f} s)",
              file=sys.stderr, flush=True)


def _verdict(code: int) -> str:
    """Return a mutant's status from pytest's exit code: failed tests, an interrupted run
    (a mutant that breaks an import) or an internal error kill it; usage errors and no
    tests collected are faults of this script."""
    if code == 0:
        return "survived"
    if code in (1, 2, 3) or code < 0:
        return "killed"
    return f"error (pytest exit {code})"


def importlib_import(name: str) -> None:
    import importlib

    importlib.import_module(name)


class _quiet:
    """Send this process's stdout and stderr to /dev/null for the duration."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = (os.dup(1), os.dup(2))
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.close(null)

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        os.close(self.saved[0])
        os.close(self.saved[1])


# --- the run and its report ------------------------------------------------------------


def run(args: argparse.Namespace) -> list[Mutant]:
    files = target_files(args.files)
    mutants = [m for rel, pkg in files.items() for m in enumerate_mutants(pkg, ROOT / rel)]
    if args.sample:  # the same number from each package, so each gets its own estimate
        rng = random.Random(args.seed)
        chosen = []
        for package in PACKAGES:
            ids = [i for i, m in enumerate(mutants) if m.package == package]
            chosen += rng.sample(ids, min(args.sample, len(ids)))
        mutants = [mutants[i] for i in sorted(chosen)]
    cov = per_test_coverage(args.tests, args.fresh_coverage)
    if args.add_tests:
        cov = merged(cov, per_test_coverage(args.add_tests, True))
    earlier: list[Mutant] = []
    if args.rerun:
        earlier = [Mutant(**r) for r in json.loads(args.rerun.read_text())]
        again = {(m.file, m.index) for m in earlier if m.status not in ("killed", "timeout")}
        mutants = [m for m in mutants if (m.file, m.index) in again]
    runner = Runner(args.jobs)
    passing = [t for t in cov["seconds"] if t not in cov["failed"]]
    runner.check(min(passing, key=lambda t: cov["seconds"][t]))
    forked, fresh = [], []
    for m in mutants:
        tests, at_import = covering_tests(m, cov)
        if args.max_tests:
            tests = tests[:args.max_tests]
        if not tests:
            m.status = "no tests"
            continue
        limit = 2 * sum(cov["seconds"].get(t, 1.0) for t in tests) + 20
        (fresh if at_import else forked).append((m, tests, limit))
    print(f"{len(mutants)} mutants of {len(files)} files: {len(forked)} in forked processes, "
          f"{len(fresh)} in fresh ones, {sum(m.status == 'no tests' for m in mutants)} "
          "run by no test", file=sys.stderr)
    started = time.perf_counter()
    try:
        # one queue, `jobs` at a time: no mutant waits for the slowest of a batch
        runner.run_forked(forked, lambda done: done % 20 or _progress(mutants, started))
        for m, tests, limit in forked:
            if m.status == "fresh":
                fresh.append((m, tests, limit))
        for start in range(0, len(fresh), 10):
            runner.run_fresh_all(fresh[start:start + 10])
            _progress(mutants, started)
        retry_timeouts(runner, forked, fresh)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: report what finished, the rest "not run"
        print("interrupted: the mutants not finished count as not run", file=sys.stderr)
    finally:
        runner.close()
    for m in mutants:
        if m.status in ("pending", "fresh"):
            m.status = "not run"
    if earlier:  # the report covers the earlier run, its survivors run again
        now = {(m.file, m.index): m for m in mutants}
        return [now.get((m.file, m.index), m) for m in earlier]
    return mutants


def retry_timeouts(runner: Runner, forked: list[tuple[Mutant, list[str], float]],
                   fresh: list[tuple[Mutant, list[str], float]]) -> None:
    """Run each mutant that timed out again, alone and with twice the time: on a busy
    machine a slow process times out without any loop, and counting it as killed would
    flatter the score. What times out again is counted killed (a loop)."""
    in_fresh = {id(m) for m, _, _ in fresh}
    again = [(m, tests, 2 * limit) for m, tests, limit in forked
             if m.status == "timeout" and id(m) not in in_fresh]
    again_fresh = [(m, tests, 2 * limit) for m, tests, limit in fresh if m.status == "timeout"]
    if not again and not again_fresh:
        return
    print(f"{len(again) + len(again_fresh)} timed out: each run again alone, with twice the "
          "time", file=sys.stderr)
    jobs, runner.jobs = runner.jobs, 1
    try:
        runner.run_forked(again)
        again_fresh += [item for item in again if item[0].status == "fresh"]
        runner.run_fresh_all(again_fresh)
    finally:
        runner.jobs = jobs


def _progress(mutants: list[Mutant], started: float) -> None:
    done = [m for m in mutants if m.status not in ("pending", "fresh")]
    print(f"  {len(done)}/{len(mutants)} done, {time.perf_counter() - started:.0f} s",
          file=sys.stderr)


def report(mutants: list[Mutant]) -> str:
    """Return the score per package and the list of survivors."""
    lines = [f"{'package':<14}{'mutants':>8}{'killed':>8}{'survived':>9}{'no tests':>9}"
             f"{'score':>8}"]
    for package in PACKAGES:
        ms = [m for m in mutants if m.package == package]
        if not ms:
            continue
        killed = sum(m.status in ("killed", "timeout") for m in ms)
        ran = [m for m in ms if m.status != "not run"]  # an interrupted run: what finished
        score = f"{killed / len(ran):>8.1%}" if ran else f"{'-':>8}"
        lines.append(f"{package:<14}{len(ran):>8}{killed:>8}"
                     f"{sum(m.status == 'survived' for m in ms):>9}"
                     f"{sum(m.status == 'no tests' for m in ms):>9}{score}"
                     + (f"  ({len(ms) - len(ran)} not run)" if len(ran) < len(ms) else ""))
    survivors = [m for m in mutants if m.status in ("survived", "no tests")]
    if survivors:
        lines += ["", "survivors:"]
        for m in survivors:
            tag = " (no test runs it)" if m.status == "no tests" else ""
            lines.append(f"{m.file}:{m.line}: {m.change}{tag}: {m.source[:90]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", nargs="*", help="only these files (globs, relative paths)")
    parser.add_argument("--tests", nargs="*", default=["tests"],
                        help="the tests to measure coverage with (default: tests)")
    parser.add_argument("--ignore", nargs="*", default=[],
                        help="test files left out of the coverage run (none of their tests "
                             "runs a mutated file)")
    parser.add_argument("--sample", type=int, default=0,
                        help="run N mutants of each package, chosen at random")
    parser.add_argument("--seed", type=int, default=1, help="seed of --sample")
    parser.add_argument("--max-tests", type=int, default=0,
                        help="run at most the N fastest covering tests per mutant (quicker; "
                             "a mutant only slower tests kill then counts as a survivor)")
    parser.add_argument("--jobs", type=int, default=1, help="mutants run at once")
    parser.add_argument("--fresh-coverage", action="store_true",
                        help="measure per-test coverage again even when cached")
    parser.add_argument("--json", type=Path, help="also write every mutant's result here")
    parser.add_argument("--add-tests", nargs="*", help="measure these tests afresh and add "
                        "them to the cached coverage (tests written since it was measured)")
    parser.add_argument("--rerun", type=Path, help="run again only the survivors recorded in "
                        "this --json file (after adding tests for them)")
    parser.add_argument("--coverage-only", action="store_true",
                        help="measure (or find cached) per-test coverage, then stop")
    parser.add_argument("--_coverage", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if importlib.util.find_spec("coverage") is None:
        print("benchmarks/mutation.py needs coverage.py: pip install -e '.[test,bench]'",
              file=sys.stderr)
        return 1
    if args._coverage:
        _run_coverage(args._coverage, [a for a in rest if a != "--"])
        return 0
    args.tests = [*args.tests, *(f"--ignore={name}" for name in args.ignore)]
    if args.coverage_only:
        per_test_coverage(args.tests, args.fresh_coverage)
        return 0
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill reports, as Ctrl-C does
    mutants = run(args)
    if args.json:  # first: the results are kept whatever happens next
        args.json.write_text(json.dumps([asdict(m) for m in mutants], indent=1))
    print(report(mutants))
    print(f"\n{len(mutants)} mutants in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
