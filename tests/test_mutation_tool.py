"""benchmarks/mutation.py: the mutants it makes, and that a mutant really reaches the code run.

A mutation run that silently applied nothing would report every mutant as a
survivor (or, with a broken test command, every one as killed); these tests
pin what the mutator changes and that the in-process swap changes behaviour.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

from briefing.clearance import review
from tests.conftest import ROOT

_spec = importlib.util.spec_from_file_location("mutation_tool", ROOT / "benchmarks" / "mutation.py")
assert _spec is not None and _spec.loader is not None
mutation = importlib.util.module_from_spec(_spec)
sys.modules["mutation_tool"] = mutation  # dataclasses look their module up while defining
_spec.loader.exec_module(mutation)

SOURCE = '''"""Module docstring: never mutated."""
LIMIT = 200


def score(a: int, b: int = 3) -> bool:
    """Docstring: never mutated."""
    if a < LIMIT and not b:
        return a + b > 0
    for x in range(a):
        if x:
            break
    return a[1:b] == []  # pragma: no mutate
'''


def _changes(tmp_path: Path) -> list[tuple[int, str, str | None]]:
    path = tmp_path / "sample.py"
    path.write_text(SOURCE)
    tree = ast.parse(SOURCE)
    lines = SOURCE.splitlines()
    return [(node.lineno, change, scope)
            for node, _, _, change, _, scope in mutation._points(tree)
            if "pragma: no mutate" not in lines[node.lineno - 1]]


def test_the_mutator_swaps_operators_flips_comparisons_and_changes_constants(tmp_path):
    assert _changes(tmp_path) == [
        (2, "200 -> 201", None),
        (5, "3 -> 4", None),  # a default: evaluated when the module is imported
        (7, "`and` -> `or`", "score"),
        (7, "`<` -> `<=`", "score"),
        (7, "`not` dropped", "score"),
        (8, "returns None", "score"),
        (8, "`>` -> `>=`", "score"),
        (8, "`+` -> `-`", "score"),
        (8, "0 -> 1", "score"),
        (10, "condition negated", "score"),
        (11, "break -> continue", "score"),
    ]


def test_a_mutated_tree_holds_exactly_the_one_change(tmp_path):
    path = tmp_path / "sample.py"
    path.write_text(SOURCE)
    changed = ast.unparse(mutation.mutated_tree(path, 3))  # `<` -> `<=`
    assert "a <= LIMIT and (not b)" in changed
    assert changed.count("<=") == 1 and "a + b > 0" in changed


def test_a_constant_is_tested_where_it_is_read():
    tree = ast.parse(SOURCE)
    assert mutation._uses(tree, 2) == [7]


def test_files_are_found_by_glob_under_each_package():
    files = mutation.target_files(None)
    assert files["briefing/ooxml/package.py"] == "ooxml"
    assert files["briefing/clearance/redline.py"] == "clearance"
    assert files["briefing/source/edit.py"] == "source/edit"
    assert not any(name.startswith(("briefing/check/", "briefing/document/")) for name in files)



def test_a_double_star_filter_takes_the_package_folder_itself_and_every_subfolder():
    files = mutation.target_files(["briefing/clearance/**/*.py"])
    assert "briefing/clearance/review.py" in files  # zero folders deep
    assert "briefing/clearance/absorb/compare.py" in files
    assert not any(name.startswith("briefing/ooxml/") for name in files)
    assert list(mutation.target_files(["review.py"])) == ["briefing/clearance/review.py"]

def test_swapping_in_a_mutant_changes_what_the_live_function_does():
    rel = "briefing/clearance/review.py"
    mutants = mutation.enumerate_mutants("clearance", ROOT / rel)
    (mutant,) = [m for m in mutants if m.scope == "default_output" and m.change == "`in` -> `not in`"]
    original = review.default_output.__code__
    try:
        assert mutation.swap_in(mutant)
        assert review.default_output(Path("minutes.docm"), True).name == "minutes-accepted.docx"
    finally:
        review.default_output.__code__ = original
    assert review.default_output(Path("minutes.docm"), True).name == "minutes-accepted.docm"


@pytest.mark.parametrize(("code", "status"), [
    (0, "survived"), (1, "killed"), (2, "killed"), (4, "error (pytest exit 4)"),
    (5, "error (pytest exit 5)")])
def test_a_broken_test_command_is_an_error_not_a_kill(code, status):
    assert mutation._verdict(code) == status


def test_an_interrupted_run_scores_only_the_mutants_that_finished():
    def mutant(n: int, status: str):
        return mutation.Mutant("ooxml", "briefing/ooxml/package.py", n, 1, 1, "x", None,
                               status=status)

    statuses = ["killed"] * 6 + ["timeout", "survived", "not run", "not run"]
    lines = mutation.report([mutant(n, s) for n, s in enumerate(statuses)]).splitlines()

    (row,) = [line for line in lines if line.startswith("ooxml")]
    assert row.split() == ["ooxml", "8", "7", "1", "0", "87.5%", "(2", "not", "run)"]


def test_a_constant_read_only_in_other_modules_runs_the_tests_of_those_modules():
    # RANGE_MARKERS is read by other constants of its module and in track/resolve.py: the
    # tests that run resolve.py must run its mutants (never "no test runs it")
    rel = "briefing/ooxml/read/changes.py"
    lines = (ROOT / rel).read_text(encoding="utf-8").splitlines()
    at = next(n for n, text in enumerate(lines, 1) if text.startswith("RANGE_MARKERS = "))
    (m,) = [m for m in mutation.enumerate_mutants("ooxml", ROOT / rel)
            if m.line == at and "`|`" in m.change]
    cov = {"lines": {rel: {str(n): [mutation.IMPORT_TIME] for n in range(1, len(lines) + 1)},
                     "briefing/ooxml/track/resolve.py": {"118": ["tests/x.py::test_resolve"]},
                     "briefing/ooxml/track/blocks.py": {"50": ["tests/x.py::test_blocks"]}},
           "seconds": {}, "failed": []}

    tests, at_import = mutation.covering_tests(m, cov)

    assert at_import
    assert "tests/x.py::test_resolve" in tests


def test_the_survivors_are_listed_with_their_line_as_it_was_when_the_run_began(tmp_path):
    # the source may be edited while a run goes on (a test written, dead code taken out):
    # the report still names each survivor's line as mutated, and never fails on it
    path = mutation.ROOT / "briefing" / "ooxml" / "tree.py"
    (first,) = [m for m in mutation.enumerate_mutants("ooxml", path)][:1]
    first.status = "survived"
    gone = mutation.Mutant("ooxml", first.file, 999, 10_000, 10_000, "1 -> 2", None,
                           status="survived", source="x = 1")

    lines = mutation.report([first, gone]).splitlines()

    line = path.read_text(encoding="utf-8").splitlines()[first.line - 1].strip()
    assert f"{first.file}:{first.line}: {first.change}: {line[:90]}" in lines
    assert f"{first.file}:10000: 1 -> 2: x = 1" in lines


def test_a_mutant_that_timed_out_is_run_again_alone_with_twice_the_time():
    # on a busy machine a slow process times out without any loop: a second run, alone,
    # tells a survivor (passes now) from a real loop (times out again)
    class Runner:
        jobs = 2

        def __init__(self) -> None:
            self.calls: list[tuple[str, int, list[tuple[int, float]]]] = []

        def run_forked(self, batch):
            self.calls.append(("forked", self.jobs, [(m.index, limit) for m, _, limit in batch]))
            for m, _, _ in batch:
                m.status = "survived"

        def run_fresh_all(self, batch):
            self.calls.append(("fresh", self.jobs, [(m.index, limit) for m, _, limit in batch]))
            for m, _, _ in batch:
                m.status = "timeout"

    def mutant(n: int, status: str):
        return mutation.Mutant("ooxml", "briefing/ooxml/tree.py", n, 1, 1, "x", "f",
                               status=status)

    slow, killed, looping = mutant(0, "timeout"), mutant(1, "killed"), mutant(2, "timeout")
    runner = Runner()

    mutation.retry_timeouts(runner, [(slow, [], 10.0), (killed, [], 10.0)],
                            [(looping, [], 30.0)])

    assert runner.calls == [("forked", 1, [(0, 20.0)]), ("fresh", 1, [(2, 60.0)])]
    assert [m.status for m in (slow, killed, looping)] == ["survived", "killed", "timeout"]
    assert runner.jobs == 2
