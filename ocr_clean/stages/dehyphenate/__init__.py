"""Join the scan's line breaks: every paragraph becomes one line.

Input (the contract after ``page_structure``): paragraphs separated by a blank line;
inside a paragraph the scan's line breaks are kept as ``"\\n"``, each line with the
trailing space(s) the scan gave it.  The scan's habit (``doc.profile``, measured from the
text: :mod:`ocr_clean.profile`) decides what a line end means.

In ordinary OCR (``line_end = "ordinary"``: no trailing spaces) a bare line end is a break
between words (``space-join``); only a line ending in one of the text's hyphen marks
(``profile.hyphens``: ``-``, ``¬``, U+00AD, U+2010, ``=``, ``⸗``) after a letter can join a word
across it: ``con¬`` / ``sequence`` -> ``consequence`` (``¬`` and U+00AD only ever break a
word), ``Cap-`` / ``tain`` -> ``Captain``, ``so-`` / ``called`` -> ``so-called``, decided as below;
a doubtful one keeps the scan's hyphen, the join queued for a person (``join-uncertain``).

In a scan that marks a going-on word by a line WITHOUT a trailing space
(``line_end = "continues-without-space"``, the Writings scan):

* a line that ends with a space ends a word: the break becomes one space
  (``space-join``);
* a line that ends WITHOUT a space had a hyphen or dash there, which the scan
  dropped: ``revo`` / ``lution`` -> ``revolution`` (``word-join``), but
  ``so`` / ``called`` -> ``so-called``, ``class`` / ``the`` -> ``class-the``
  (``hyphen-restored``: the book prints dashes as plain hyphens);
* a line that ends in ``-`` (the scan kept the hyphen, mostly at page ends) is a soft
  hyphen (``in-`` / ``dustrial`` -> ``industrial``, ``soft-hyphen``), a number range
  (``1929-`` / ``30``, ``range``) or a compound (``trade-`` / ``union``, ``compound``).

Whether a hyphen belongs between the two halves is decided with the book's own
evidence first: how often the joined word and the hyphenated pair occur elsewhere in
the text, on unbroken lines (the halves of broken words are not counted).  When the
book is silent, English frequencies decide: a joined form that is an English word is
joined; two good words whose joined form is not a word get a hyphen; a half that is
no word (an OCR error, ``lnove`` / ``ment``) is never a reason for a hyphen.  A
capitalised second half (``Bolshevik`` / ``Leninists``) marks a compound.  Between the
two, the book's habit with the halves counts: prefixes it glues elsewhere (``re``,
``semi``: ``reeducated``) or hyphenates (``self``: ``self-defense``), endings it glues
(``ness``, ``ing``) or takes after a hyphen or dash (``year`` in ``five-year``; ``the``
after a dash).

Weak evidence leaves the reading to a person (rule ``join-uncertain``, both readings in
``candidates``, the book's counts in ``evidence`` and ``note``).  A queued join cannot leave
its line break in the text (every later stage reads one line a paragraph), so the scan's
own reading stands in for it: the line break taken out, the rest as the scan has it
(``kept-as-scanned``: ``re-`` / ``singing`` -> ``re-singing``; ``land`` / ``holdings`` in the
continues-without-space habit -> ``landholdings``).  Over it, in a second batch of the stage
(:meth:`.Dehyphenate.follow_up`), the likelier reading is proposed at the uncertain
confidence and the confidence policy queues it (``apply_threshold`` / ``queue_threshold``):
accepting it in review gives the reading, rejecting it the scan's; both replay from the
ledger.  When the likelier reading is the scan's own, or a join English knows as a word
(``open_join_zipf``: ``deco-`` / ``rum`` -> ``decorum``; the evidence leans, it is not
split), it is applied at the uncertain confidence and shown for review.  Each edit spans the two word halves and the break
(``revo\nlution`` -> ``revolution``), so the review shows whole words.

Paragraph separators become exactly ``"\\n\\n"`` (``paragraph-break``) with no
trailing spaces, and the text ends with one ``"\\n"`` (``text-end``).

The stage is a package: :mod:`.scanners` (the fast finding code), :mod:`.counts` (the book's
evidence), :mod:`.rules` (the decisions, each reading a registered rule) and :mod:`.stage`.
"""
from .stage import Dehyphenate

__all__ = ["Dehyphenate"]
