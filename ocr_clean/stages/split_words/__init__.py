"""split_words: join the pieces of words the scan split with a space.

    "The His tory of the Russian Revolution"  ->  "The History of the Russian Revolution"
    "Tro tsky", "wi thin", "i s", "Secret ari at"  ->  "Trotsky", "within", "is", "Secretariat"
    "THE O P P O S ITI O N"                   ->  "THE OPPOSITION"           (letter-spaced capitals)
    "December 1 930", "1 930-31", "193 1"     ->  "December 1930", "1930-31", "1931"   (split years)

Works on the text after ``dehyphenate`` (one paragraph a line) and keeps that form: it only
ever removes spaces between letters (or between the digits of a year).

How a join is decided
---------------------
Letter runs one space apart form chains.  Each piece of a chain is either a *word of its own*
(one of ``a``/``A``/``I``; a two-letter word of ``ocr_clean/dictionaries/short_words.txt``; a longer piece
common in English, or used often enough in the book away from the piece it would join) or
*weak* (``i``, ``s``, ``wi``, ``co``, ``tsky``, ``ari``, ``tory``).  Around every weak piece, all
ways of grouping neighbours into words are scored by a small unigram model (a dynamic
programme over the stretch):

* a piece kept as it is scores the log of its frequency (the book's or English); a weak piece
  a small fraction of that, a lone letter almost nothing;
* a joined group scores the log of the joined word's frequency, minus ``join_penalty`` for
  each space removed.  The joined word must be known: written whole ``known_book`` times in
  the book (``Trotsky`` 237 times, in a compatible case: ``ram`` is not the name ``Ram``), or,
  for words of more than ``short_join`` letters, in English; or a prefix of
  ``ocr_clean/dictionaries/split_prefixes.txt`` before a common word (``un forgotten``).

A group of words that are all words of their own (``a round``/``around``, ``in to``,
``some one``) is never joined by the model: it is queued (rule ``split-word-pair``) only when
the book writes the joined word ``pair_queue_count`` times and ``pair_queue_ratio`` times more
often than the pair.  A lone letter beside real words (``r am``, ``B and``, ``liberal s``) is
joined only when the book writes the result ``letter_join_book`` times, else queued.  The
confidence of a join comes from the margin between the best reading and the best one without
that join; below ``apply_margin`` it is queued, with the runner-up and the raw text as
candidates.

Not ours: a piece after an apostrophe (``weren 't``, ``Trotsky' s``: the punctuation stage), a
piece glued to digits (``c0111 munists``: the confusion stage), digits attached to a word or a
mark (``Kai-shek.7``, ``UglanOV,1 13``: footnote markers).

Split years: runs of digits standing apart that join into a year (1500-2099) the book writes
whole ``min_year_count`` times are joined (rule ``split-number``).

No word of any one book is written here: the data are the list of short English words and
the list of prefixes; everything else is counted from the text at run time.

The stage is a package: :mod:`.scanners` (the fast finding code and its regexes),
:mod:`.evidence` (the book's counts and the score of a piece or a joined word),
:mod:`.chains` (the chains where a join is possible), :mod:`.rules` (the decisions, each
kind of edit a registered rule) and :mod:`.stage`.
"""
from .stage import SplitWords

__all__ = ["SplitWords"]
