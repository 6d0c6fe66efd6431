"""The source map a built document carries, read back as it was written."""

from __future__ import annotations

import pytest

from briefing.ooxml.ns import BR
from briefing.ooxml.sourcemap import SourceMap

DATA = '{"meeting": {"purpose": "To agree"}}'


@pytest.mark.parametrize("partial", [False, True], ids=["whole data", "lines card"])
def test_a_source_map_reads_back_as_written(partial):
    smap = SourceMap(data_hash="ab" * 32, version=3, template="chairman-briefing",
                     source_file="briefing.yaml", data_json=DATA, data_partial=partial,
                     reviewers={"Cllr A": 2}, redliners=["Policy Officer"])
    smap.add("meeting/purpose")
    assert SourceMap.from_xml(smap.to_xml()) == smap


def test_a_hand_edited_map_keeps_its_whole_entries_and_reads_a_bad_version_as_0():
    xml = (f'<br:briefing xmlns:br="{BR}" version="two" dataHash="">'
           '<br:source bookmark="_Brf00000000000000000001" id="objectives/0"/>'
           '<br:source bookmark="_Brf00000000000000000002"/>'
           '<br:source id="objectives/2"/></br:briefing>').encode()
    smap = SourceMap.from_xml(xml)
    assert smap is not None
    assert (smap.ids, smap.version) == ({"_Brf00000000000000000001": "objectives/0"}, 0)
