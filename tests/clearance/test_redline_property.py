"""Property: for any edit of a document, accepting the redline gives NEW and rejecting gives OLD.

OLD is a handful of paragraphs (some with bold or italic words, sometimes a
table); NEW is OLD after random word edits, paragraph inserts, deletes,
splits, merges, moves and formatting changes. The redline is resolved by
`briefing accept` / `reject` (our reader, not LibreOffice: fast enough for
many examples) and compared paragraph by paragraph, runs' formatting included.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.clearance.redline import redline_files
from briefing.clearance.review import read_review, resolve_file
from briefing.ooxml.track.pieces import opcodes
from tests.support.redline_pairs import write_doc

WORDS = ["council", "funding", "members", "board", "jobs", "local", "the", "of", "and",
         "skills", "housing", "health", "programme", "DWP", "2016", "£130m", "data"]

word = st.sampled_from(WORDS)
formatted = st.tuples(word, st.sampled_from([{}, {}, {"bold": True}, {"italic": True}]))
paragraph = st.lists(formatted, min_size=1, max_size=7)
document = st.lists(paragraph, min_size=1, max_size=6)


def _runs(words: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """Return a paragraph of runs: words joined by spaces, a final full stop."""
    out = []
    for i, (text, fmt) in enumerate(words):
        out.append((text, fmt))
        out.append((" " if i < len(words) - 1 else ".", {}))
    return out


@st.composite
def edited(draw, old: list) -> list:
    """Return `old` after a few random edits."""
    new = [list(p) for p in old]
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["word", "insert", "delete", "split", "merge", "move",
                                     "format", "add-word", "drop-word"]))
        i = draw(st.integers(0, len(new) - 1))
        p = new[i]
        if kind == "word":
            p[draw(st.integers(0, len(p) - 1))] = draw(formatted)
        elif kind == "add-word":
            p.insert(draw(st.integers(0, len(p))), draw(formatted))
        elif kind == "drop-word" and len(p) > 1:
            del p[draw(st.integers(0, len(p) - 1))]
        elif kind == "insert":
            new.insert(draw(st.integers(0, len(new))), draw(paragraph))
        elif kind == "delete" and len(new) > 1:
            del new[i]
        elif kind == "split" and len(p) > 1:
            cut = draw(st.integers(1, len(p) - 1))
            new[i:i + 1] = [p[:cut], p[cut:]]
        elif kind == "merge" and i + 1 < len(new):
            new[i:i + 2] = [p + new[i + 1]]
        elif kind == "move" and len(new) > 1:
            new.insert(draw(st.integers(0, len(new) - 1)), new.pop(i))
        elif kind == "format":
            j = draw(st.integers(0, len(p) - 1))
            p[j] = (p[j][0], {} if p[j][1] else {"bold": True})
    return new


def _read(path: Path) -> list[list[tuple[str, bool, bool]]]:
    """Return each paragraph as merged runs of (text, bold, italic)."""
    out = []
    for p in docx.Document(str(path)).paragraphs:
        runs: list[tuple[str, bool, bool]] = []
        for r in p.runs:
            key = (bool(r.bold), bool(r.italic))
            if runs and runs[-1][1:] == key:
                runs[-1] = (runs[-1][0] + r.text, *key)
            elif r.text:
                runs.append((r.text, *key))
        out.append(runs)
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), old=document)
def test_accept_gives_new_and_reject_gives_old(data, old):
    new = data.draw(edited(old))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_doc = write_doc(folder / "old.docx", [_runs(p) for p in old])
        new_doc = write_doc(folder / "new.docx", [_runs(p) for p in new])
        out = folder / "out.docx"
        redline_files(old_doc, new_doc, out, author="Prop")
        if _read(old_doc) != _read(new_doc):
            assert {r.author for r in read_review(out).revisions} == {"Prop"}
        accepted = resolve_file(out, folder / "accepted.docx", accept=True).value
        rejected = resolve_file(out, folder / "rejected.docx", accept=False).value
        assert _read(accepted) == _read(new_doc)
        assert _read(rejected) == _read(old_doc)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("ab "), max_size=12), st.lists(st.sampled_from("ab "), max_size=12))
def test_word_diff_steps_alternate_between_kept_and_changed_and_cover_both_texts(a, b):
    """The word diff's steps never put two changes side by side (the folding of lone spaces
    between two changes relies on it) and walk both token lists end to end."""
    ops = opcodes(a, b)
    assert all((x[0] == "equal") != (y[0] == "equal") for x, y in zip(ops, ops[1:]))
    assert [(x[1], x[3]) for x in ops[1:]] == [(x[2], x[4]) for x in ops[:-1]]
    if ops:
        assert (ops[0][1], ops[0][3], ops[-1][2], ops[-1][4]) == (0, 0, len(a), len(b))
    assert all(a[i1:i2] == b[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
