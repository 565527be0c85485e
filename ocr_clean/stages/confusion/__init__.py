"""confusion: fix OCR glyph confusions inside words: ``lnost`` -> ``most``, ``frOln`` -> ``from``,
``Gennany`` -> ``Germany``, ``howevel\ufffd`` -> ``however,``, ``Trotsky'S`` -> ``Trotsky's``.

Change-averse by construction:

* only a token that is *not* a known word (English, the user's list, or a word the book
  itself uses consistently) or whose shape no printed word has (digits or a lost glyph
  among letters, capitals inside a lower-case word) is looked at, with a set look-up
  before any heavier work;
* its candidates are only what the scan's glyph confusions (``ocr_clean/dictionaries/confusions.tsv``)
  reach, and only words English or the book spells that way;
* candidates are ranked by a noisy-channel score (:mod:`ocr_clean.channel`), with the
  book's own counts first; a first pass learns which confusions the scan really makes
  (its sure fixes) and the second pass weights the rules by that profile;
* above ``apply_threshold`` the fix is applied, in ``[queue_threshold, apply_threshold)``
  it is queued with its ranked candidates and the raw text stays, below nothing happens.

Also: the case of the word is kept (``Inasses`` -> ``masses``, ``COlumunist`` -> ``Communist``;
a capital shaped like its small letter is decided by the book's own pairs: ``civil WaI\ufffd`` ->
``civil war,``); a lost glyph at a word's end is ``r`` + a mark, or the mark alone, the mark
being ``.`` before a word the book capitalizes only to start sentences, else ``,``; when the
first pass has read ``l\ufffd`` as ``r,`` many times, the profile reads it so in words no list
knows; a rare English word holding a strong confusion (``corning``) is doubted only where
the book's word pairs support the common reading, and queued unless that support is strong.

Digits right after a known word that fit the book's run of footnote numbers are footnote
markers (another stage's business) and are left alone; so are letters after a word that
look like a misread marker (``InternationaV``, ``organized.s``).

Rules (the Edit's ``rule``, each registered with its settings: ``ocr-clean stages confusion``):
``glyph``, ``lost-glyph``, ``case``, ``real-word`` and ``too-long``.

The package, in reading order:

- ``tokens``: what a token is (the fast finding patterns), a target, the word pairs asked about.
- ``rules``: the decisions, each a registered rule with its settings and an example.
- ``vocab``: the book's vocabulary as the stage asks it (counts, spellings, capitals, pairs).
- ``targets``: which tokens are looked at (the screen), footnote markers left alone.
- ``decide``: the noisy-channel score of a target's readings, its edit and evidence.
- ``stage``: the ``Confusion`` stage and the run over one text that ties them.
"""
from __future__ import annotations

from .stage import Confusion, _Run
from .tokens import MAX_TOKEN, TOKEN, TOKEN_START, WORDISH, _PairCounts, token_patterns

__all__ = ["Confusion", "MAX_TOKEN", "TOKEN", "TOKEN_START", "WORDISH", "_PairCounts", "_Run", "token_patterns"]
