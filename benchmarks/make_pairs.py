"""Write OLD/NEW .docx pairs for the redline benchmark: N paragraphs, about 15% of them edited.

    python benchmarks/make_pairs.py OUTDIR [--sizes 200 2000] [--seed 2010]

OLD is a briefing-like document (headings, numbered-looking body paragraphs,
a table every 60 paragraphs) written with python-docx; NEW is OLD with about
15% of its paragraphs edited: words replaced, inserted or deleted inside a
paragraph, whole paragraphs inserted or deleted, and a few runs made bold.
The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

import docx

WORDS = [
    "council", "councils", "local", "government", "employment", "support", "programme", "funding",
    "commissioning", "providers", "jobcentre", "partnership", "devolution", "skills", "housing",
    "health", "outcomes", "residents", "members", "board", "secretary", "state", "minister",
    "department", "work", "pensions", "data", "sharing", "evidence", "budget", "years", "area",
    "areas", "national", "regional", "contract", "contracts", "deliver", "delivery", "people",
    "claimants", "services", "place", "based", "integrated", "families", "troubled",
    "apprenticeships", "growth", "enterprise", "economy", "labour", "market", "vacancies",
    "training", "pilot", "scheme", "review", "accord", "agreement"
]
SHARE_EDITED = 0.15


def sentence(rng: random.Random) -> str:
    """Return a sentence of 8 to 18 words, capitalised, ending with a full stop."""
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.3:
        words[rng.randrange(len(words))] += ","
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    """Return a paragraph of one to three sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 3)))


def make_blocks(n: int, rng: random.Random) -> list:
    """Return `n` paragraph blocks: headings every 12, a table every 60, body text otherwise."""
    blocks: list = []
    for i in range(n):
        if i % 60 == 30:
            blocks.append({"table": [[rng.choice(WORDS).title(), f"{rng.randint(10, 900)} jobs"]
                                     for _ in range(4)]})
        if i % 12 == 0:
            blocks.append(("Heading 2", sentence(rng)[:-1]))
        else:
            blocks.append(("Normal", paragraph(rng)))
    return blocks


def edit_blocks(blocks: list, rng: random.Random) -> list:
    """Return a copy of `blocks` with about 15% of the paragraphs edited."""
    out: list = []
    for block in blocks:
        if isinstance(block, dict) or rng.random() >= SHARE_EDITED:
            out.append(block)
            continue
        style, text = block
        roll = rng.random()
        if roll < 0.45:
            out.append((style, _edit_words(text, rng)))
        elif roll < 0.6:
            out.append(block)
            out.append(("Normal", paragraph(rng)))
        elif roll < 0.75:
            continue  # deleted
        elif roll < 0.9:
            out.append((style, _edit_words(_edit_words(text, rng), rng)))
        else:
            out.append((style, text, "bold"))
    return out


def _edit_words(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    i = rng.randrange(len(words))
    roll = rng.random()
    if roll < 0.5:
        words[i] = rng.choice(WORDS) + ("." if words[i].endswith(".") else "")
    elif roll < 0.75 or len(words) < 4:
        words.insert(i, rng.choice(WORDS))
    else:
        del words[i:i + 2]
    text = " ".join(words)
    return text if text.endswith(".") or not words else text + "."


def write_docx(path: Path, blocks: list) -> Path:
    """Return `path` after writing `blocks` with python-docx."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, dict):
            rows = block["table"]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
            continue
        style, text = block[0], block[1]
        p = document.add_paragraph(style=style)
        if len(block) == 3:  # the second word in bold
            first, _, rest = text.partition(" ")
            second, _, rest = rest.partition(" ")
            p.add_run(first + " ")
            p.add_run(second).bold = True
            p.add_run(" " + rest)
        else:
            p.add_run(text)
    for zoom in document.settings.element.iter(docx.oxml.ns.qn("w:zoom")):
        zoom.set(docx.oxml.ns.qn("w:percent"), "100")  # python-docx's default lacks it
    document.save(path)
    return path


def make_pair(outdir: Path, size: int, seed: int = 2010) -> tuple[Path, Path]:
    """Return (OLD, NEW) paths of the pair of `size` paragraphs, writing them if needed."""
    outdir.mkdir(parents=True, exist_ok=True)
    old, new = outdir / f"pair-{size}-old.docx", outdir / f"pair-{size}-new.docx"
    rng = random.Random(seed * 100_003 + size)
    blocks = make_blocks(size, rng)
    write_docx(old, blocks)
    write_docx(new, edit_blocks(blocks, rng))
    return old, new


def main() -> None:
    """Write the pairs named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()
    for size in args.sizes:
        old, new = make_pair(args.outdir, size, args.seed)
        print(f"wrote {old} and {new}")


if __name__ == "__main__":
    main()
