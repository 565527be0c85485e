"""What every stage is: one job, text + ledger in, text + ledger out.

A stage is a small class registered by name.  It reads ``doc.text`` (and, for
evidence, the :class:`~ocr_clean.lexicon.Lexicon` and the book's own vocabulary),
proposes :class:`~ocr_clean.ledger.Edit` objects against that text and hands them to
``doc.apply``.  It never imports another stage, the review store or the CLI.  The book's
word counts come from :meth:`Stage.book_vocab` (counted once per document, not per stage).

A stage declares its settings: ``defaults`` (name -> default, which gives the type) and
``settings_help`` (name -> one line).  The constructor checks a given table against them:
an unknown key or a wrong type is a one-line :class:`~ocr_clean.settings.ConfigError`.
A stage scores its edits; the one confidence policy (:mod:`ocr_clean.policy`) decides each
edit proposed ``SCORED`` from its score and the stage's ``apply_threshold`` /
``queue_threshold`` when the stage runs.  The settings of the stage's named rules (:mod:`ocr_clean.rules`) join them, and so does
``disable``: the rules of the stage switched off (their edits are not made).
"""
from __future__ import annotations

from typing import Any, ClassVar

from ..document import Document
from ..ledger import APPLIED, Edit
from ..ledger_batch import PlainEdits
from ..lexicon import BookVocab, data_file
from ..policy import SCORED, Thresholds, settle, status_for
from ..rules import Rule, check_disabled, rule_settings, rules_of
from ..settings import Setting, check, declare

REGISTRY: dict[str, type["Stage"]] = {}


def register(cls: type["Stage"]) -> type["Stage"]:
    """Class decorator: make a stage available to pipelines by its ``name``."""
    if not getattr(cls, "name", ""):
        raise TypeError(f"{cls.__name__} has no name")
    REGISTRY[cls.name] = cls
    return cls


class Stage:
    """Base class.  Subclasses set ``name``, ``defaults`` and implement :meth:`propose`."""

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    defaults: ClassVar[dict[str, Any]] = {}
    # the files of the data directory (``lexicon.dictionaries_dir()``) the stage reads: a
    # run checks them all before the first text (one clear error when one is missing)
    data_files: ClassVar[tuple[str, ...]] = ()
    settings_help: ClassVar[dict[str, str]] = {}   # one line for each of ``defaults``

    def __init__(self, config: dict[str, Any] | None = None, lexicon: Any = None) -> None:
        self.config = self.check_settings(config)
        self.disabled: frozenset[str] = frozenset(self.config["disable"])
        self.lexicon = lexicon
        for f in self.data_files:   # a missing one stops here, before any text is cleaned
            data_file(f)

    @classmethod
    def check_settings(cls, given: dict[str, Any] | None) -> dict[str, Any]:
        """The defaults with ``given`` merged in; an unknown key or a wrong type is a
        one-line :class:`~ocr_clean.settings.ConfigError` naming the nearest valid key."""
        out = check(cls.settings(), given, f"[stages.{cls.name}]")
        check_disabled(cls.name, out["disable"])
        return out

    @classmethod
    def settings(cls) -> list[Setting]:
        """The declared settings (name, default, accepted types, description), in order: the
        stage's own, those its rules declare, and ``disable``."""
        own = declare(cls.defaults, cls.settings_help)
        of_rules = rule_settings(cls.name)
        clash = {s.name for s in own} & {s.name for s in of_rules}
        if clash:
            raise TypeError(f"stage {cls.name!r}: setting(s) {', '.join(sorted(clash))} declared by the stage and a rule")
        return own + of_rules + declare({"disable": ()}, {"disable": "named rules of the stage switched off"})

    @classmethod
    def rules(cls) -> list[Rule]:
        """The stage's named rules (:func:`ocr_clean.rules.rule`), in the order registered."""
        return rules_of(cls.name)

    def enabled(self, rule: str) -> bool:
        """Is the rule ``rule`` on (not in the config's ``disable`` list)?"""
        return rule not in self.disabled

    def warm(self) -> None:
        """Load now what the stage would otherwise load on first use (tables, indexes shared
        by every text of the process): a server or a batch worker pays for it once, at start,
        not inside the first text it cleans.  Nothing by default."""

    def propose(self, text: str, doc: Document) -> list[Edit]:  # pragma: no cover - abstract
        raise NotImplementedError

    def proposals(self, text: str, doc: Document) -> list[Edit | PlainEdits]:
        """What :meth:`propose` proposes, as the stage hands it to the document: a stage with
        many plain edits of one kind (dehyphenate's line joins) gives them as one
        :class:`~ocr_clean.ledger_batch.PlainEdits` (``as_edits`` of it is ``propose``'s list)."""
        return self.propose(text, doc)

    def book_vocab(self, text: str, doc: Document | None):
        """The book's own words in ``text`` (``lexicon.BookVocab``): the document's count when
        ``text`` is its current text (counted once and revised as the stages edit, so shared
        by the stages), else a count of ``text`` itself."""
        if doc is not None and (doc.text is text or doc.text == text):
            return doc.vocab(BookVocab.from_text)
        return self.lexicon.book(text) if self.lexicon is not None else BookVocab.from_text(text)

    def collection_vocab(self, doc: Document | None):
        """The words of the collection ``doc`` belongs to (``lexicon.BookVocab``), or None."""
        return getattr(doc, "collection", None)

    @property
    def thresholds(self) -> Thresholds:
        """The stage's thresholds for the confidence policy (its settings)."""
        return Thresholds.of(self.config)

    def would_apply(self, score: float) -> bool:
        """Would the policy apply an edit of this score (for a decision that depends on it)?"""
        return status_for(SCORED, score, self.thresholds) == APPLIED

    def __call__(self, doc: Document) -> Document:
        """Run the stage on ``doc``: its proposals, less those of rules switched off, decided
        by the confidence policy (:func:`ocr_clean.policy.settle`), applied to the document."""
        edits = self.proposals(doc.text, doc)
        if self.disabled:   # a rule switched off makes no edit, whichever code path proposed it
            edits = [e for e in edits if e.rule not in self.disabled]
        recorded = doc.apply(self.name, settle(edits, self.thresholds))
        more = self.follow_up(doc, recorded)
        if more:            # a second batch, on the text the first made, decided alike
            if self.disabled:
                more = [e for e in more if e.rule not in self.disabled]
            doc.apply(self.name, settle(more, self.thresholds))
        return doc

    def follow_up(self, doc: Document, recorded: list[Edit]) -> list[Edit]:
        """Edits to propose over the text the stage's first batch made (``recorded``: its
        edits as :meth:`Document.apply` recorded them, positions in the text before it):
        a reading that needs a stand-in text first (dehyphenate's open joins, queued over
        the text kept as printed).  None by default."""
        return []

    def __repr__(self) -> str:
        return f"<stage {self.name}>"
