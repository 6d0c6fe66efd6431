"""Properties of saving from the editor: any typed text round-trips; comments survive."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.source.read import read_yaml
from briefing.web import forms
from briefing.web.yamlsave import updated_text
from tests.support.web_harness import client, post_form

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "work-programme-2010.yaml"
NAME = SAMPLE.name

# What an officer can type into a text box: any printable text, new lines included
# (browsers send \r\n, the form reads \n), none of the characters XML cannot hold.
TYPED = st.lists(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(["#", ": ", " #", "&", "<", "{{", "'", '"', "\n", "\r\n", "- ", "0"]),
    min_size=1, max_size=30).map("".join)

TEXT_FIELDS = [("key_messages", 0, "headline"), ("key_messages", 1, "points", 0),
               ("member_comments", 2, "text"), ("lines_to_take", 0, "answer"),
               ("briefing", "title"), ("meeting", "venue"), ("objectives", 1),
               ("case_studies", 0, "source", "title"), ("background", 0, "paragraphs", 1)]


def _set(data, path, value):
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


def _get(data, path):
    for step in path:
        data = data[step]
    return data


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(typed=TYPED)
def test_any_text_typed_into_a_field_saves_and_reloads_exactly(tmp_path_factory, typed):
    folder = tmp_path_factory.mktemp("served")
    shutil.copy(SAMPLE, folder / NAME)
    c = client(folder)
    url = f"/edit/{NAME}?section=lines_to_take"
    response = post_form(c, url, {"lines_to_take.0.answer": typed}, action="save")
    assert response.status_code == 303
    data = read_yaml((folder / NAME).read_text(encoding="utf-8"), NAME)[0]
    assert data["lines_to_take"][0]["answer"] == typed.replace("\r\n", "\n")
    assert forms.Posted([("x", typed)]).get("x") == typed.replace("\r\n", "\n")


def test_comments_survive_a_hundred_random_saves():
    text = SAMPLE.read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    rng = random.Random(2010)
    pieces = ["Councils", "#localgov", ": ", "&", "<b>", "{{ x }}", "'", '"', "3", "yes",
              "2010-09-15", "Tŷ", "£2.5m", "\n", " - ", "null"]
    for _ in range(100):
        data = read_yaml(text, NAME)[0]
        path = rng.choice(TEXT_FIELDS)
        value = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))).strip() or "x"
        _set(data, path, value)
        text = updated_text(text, data)
        assert _get(read_yaml(text, NAME)[0], path) == value
    lines = iter(text.splitlines())
    assert all(any(line == comment for line in lines) for comment in comments)  # all, in order
