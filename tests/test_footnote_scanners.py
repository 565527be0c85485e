"""The footnotes stage's scanners (ocr_clean/stages/footnotes/scanners.py) find what their
reference patterns find over the whole text, though they try them at a few places only; and
the decisions of ocr_clean/stages/footnotes/rules.py do what their docstring examples say."""
from __future__ import annotations

import doctest
import re

from ocr_clean.stages.footnotes import rules
from ocr_clean.stages.footnotes.glyphs import TailDecoder, load_glyphs
from ocr_clean.stages.footnotes.scanners import (GLYPH_RUN, LONE_GLYPHS, SPACED, _glyph_runs, _lone_glyphs,
                                                 _number_starts, _spaced, _tokens_to_read)
from ocr_clean.stages.footnotes.vocab import _Known


def test_spaced_search_matches_its_reference_pattern():
    text = ("Thaelmann, Remmele, and Neumann 17\n\ncombine. Lenin's testament, 1 1 6  where "
            "UglanOV,1 13 especially; in 1921 and 35,800,000 horsepower, 1:8. It faces. 135\n")
    ref = [(m.group(1), m.group(2), m.group(3), m.start(3)) for m in SPACED.finditer(text)]
    new = [(m.group(1), m.group(2), m.group(3), m.start(3)) for m in _spaced(text, len(text))]
    assert ref == new and len(ref) >= 4


def test_searches_from_few_places_match_their_reference_patterns():
    # the patterns tried only at a few places (paragraph ends, the tokens read) find what a
    # search of the whole text finds
    text = ('the revolutionary party." l t-!\n\nthe apparatus, Varga, IDS believe it, AB cd  \n\n'
            'some 12 units, 7 1 8 here (1927) "35 percent" 1930s party.! ?\n\n\nend. l t-! \n')
    decoder = TailDecoder(load_glyphs())
    for end in (len(text), len(text) - 1, text.index("cd"), text.index("1927")):
        tokens = _tokens_to_read(text, end, decoder, _Known(None, text), lambda w: False)
        assert [m.span() for m in _glyph_runs(text, end)] == [m.span() for m in GLYPH_RUN.finditer(text, 0, end)]
        assert [m.span() for m in _lone_glyphs(text, end, tokens)] == \
            [m.span() for m in LONE_GLYPHS.finditer(text, 0, end)]
        assert _number_starts(text, tokens) == [m.start() for m in re.finditer(r"\d(?<!\d\d)", text[:end])]
    tokens = _tokens_to_read(text, len(text), decoder, _Known(None, text), lambda w: False)
    assert len(list(_glyph_runs(text, len(text)))) == 4 and len(list(_lone_glyphs(text, len(text), tokens))) == 2


def test_the_rules_do_what_their_examples_say():
    failed, tried = doctest.testmod(rules)
    assert tried >= 10 and failed == 0
