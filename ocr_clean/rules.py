"""Named rules: each decision of a stage is a small registered function.

A rule is registered with :func:`rule`, which names it, ties it to its stage, declares its
own settings and says in one line what it does::

    @rule("quote-glyph", stage="punctuation",
          settings={"glyph_confidence": (0.85, "confidence of a quote read from a glyph")},
          help="a glyph the scan wrote for a quote mark becomes the quote")
    def quote_glyph(...):
        '''... with a doctest-sized example (>>>) ...'''

* The Edit a rule makes carries its name as ``rule`` (``Edit(..., rule="quote-glyph")``), so
  the ledger, the review and ``ocr-clean explain`` name the function that decided.
* Its settings join the stage's (``[stages.punctuation] glyph_confidence = 0.9``; checked
  like every setting), and ``ocr-clean stages punctuation`` lists the rules with their help.
* A config switches one rule off: ``[stages.punctuation] disable = ["quote-glyph"]``; a
  name the stage has no rule for is a one-line error naming the nearest.  The stage then
  makes none of that rule's edits (:meth:`ocr_clean.stages.base.Stage.enabled`).

    >>> @rule("doc-example", stage="doc", settings={"doc_weight": (0.5, "an example weight")},
    ...       help="an example")
    ... def doc_example(x):
    ...     '''The example.
    ...
    ...     >>> doc_example(1)
    ...     2
    ...     '''
    ...     return x + 1
    >>> doc_example.rule.name, [r.name for r in rules_of("doc")]
    ('doc-example', ['doc-example'])
    >>> check_disabled("doc", ["doc-exampel"])
    Traceback (most recent call last):
    ...
    ocr_clean.settings.ConfigError: [stages.doc]: unknown rule 'doc-exampel' in disable; did you mean 'doc-example'?
    >>> unregister("doc-example", "doc")

Nothing here knows about stages, the pipeline or the CLI; only :mod:`ocr_clean.settings`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from .settings import ConfigError, Setting, declare, nearest

__all__ = ["RULES", "Rule", "check_disabled", "rule", "rule_settings", "rules_of", "unregister"]


@dataclass(frozen=True)
class Rule:
    """One registered decision: its name (the Edit's ``rule``), its stage, what it does,
    its declared settings and the function."""

    name: str
    stage: str
    help: str
    settings: tuple[Setting, ...]
    func: Callable[..., Any]


# (stage, name) -> Rule, in the order they were registered
RULES: dict[tuple[str, str], Rule] = {}


def rule(name: str, *, stage: str, help: str,
         settings: Mapping[str, tuple[Any, str]] | None = None) -> Callable[[Callable], Callable]:
    """Register the decorated function as the rule ``name`` of ``stage``.

    ``settings``: setting name -> (default, one line of help); the default gives the type.
    The function keeps its own name and signature; ``func.rule`` is its :class:`Rule`.  A
    rule needs a line of ``help`` and a docstring with an example (``>>>``)."""
    if not name or name != name.strip() or " " in name:
        raise TypeError(f"a rule's name is one word (dashes allowed), not {name!r}")
    if not help or not help.strip():
        raise TypeError(f"rule {name!r} has no help line")
    table = dict(settings or {})
    rows = tuple(declare({k: v[0] for k, v in table.items()}, {k: v[1] for k, v in table.items()}))

    def register(func: Callable) -> Callable:
        if ">>>" not in (func.__doc__ or ""):
            raise TypeError(f"rule {name!r} ({func.__qualname__}) has no example (>>>) in its docstring")
        key = (stage, name)
        old = RULES.get(key)
        if old is not None and (old.func.__module__, old.func.__qualname__) != (func.__module__, func.__qualname__):
            raise TypeError(f"rule {name!r} of stage {stage!r} is registered twice "
                            f"({old.func.__module__}.{old.func.__qualname__} and {func.__module__}.{func.__qualname__})")
        r = Rule(name, stage, help.strip(), rows, func)
        RULES[key] = r
        func.rule = r   # type: ignore[attr-defined]
        return func

    return register


def unregister(name: str, stage: str) -> None:
    """Remove a rule (for examples and tests that register their own)."""
    RULES.pop((stage, name), None)


def rules_of(stage: str) -> list[Rule]:
    """The rules of ``stage``, in the order they were registered."""
    return [r for (s, _), r in RULES.items() if s == stage]


def rule_settings(stage: str) -> list[Setting]:
    """The settings the rules of ``stage`` declare (a name declared twice is an error)."""
    out: dict[str, tuple[Setting, str]] = {}
    for r in rules_of(stage):
        for s in r.settings:
            if s.name in out:
                raise TypeError(f"setting {s.name!r} of stage {stage!r} is declared by rules "
                                f"{out[s.name][1]!r} and {r.name!r}")
            out[s.name] = (s, r.name)
    return [s for s, _ in out.values()]


def check_disabled(stage: str, names: Iterable[Any]) -> frozenset[str]:
    """The rule names of a config's ``disable`` list, each a rule of ``stage``; else a
    one-line :class:`~ocr_clean.settings.ConfigError` naming the nearest rule."""
    known = [r.name for r in rules_of(stage)]
    out = set()
    for n in names:
        if not isinstance(n, str) or n not in known:
            where = f"[stages.{stage}]"
            if not known:
                raise ConfigError(f"{where}: unknown rule {str(n)!r} in disable; the stage has no named rules")
            raise ConfigError(f"{where}: unknown rule {str(n)!r} in disable{nearest(str(n), known)}")
        out.add(n)
    return frozenset(out)
