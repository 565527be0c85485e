"""``ocr-clean apply``: put review decisions into cleaned outputs, exactly as a fresh clean would.

A person's decisions do more than change their own items: accepted forms become words of
the book, accepted fixes weigh the confusion profile, rejected forms are protected, and a
rejected join changes the text the later stages see.  Replaying the ledger with the
decisions (:mod:`ocr_clean.review.apply`) cannot show those effects, so when the ledger
header records the settings of its run (and the same ocr_clean made it), the book is
cleaned again from its raw file with those settings and the review store: the same text as
``ocr-clean clean`` with the same decisions.  Older ledgers are replayed.
"""
from __future__ import annotations

from pathlib import Path

from . import __version__
from .batch import clean_paths
from .config import Config, ConfigError
from .review.apply import ApplyError, ApplyReport, apply_file, chosen_ledgers, locate_raw, read_header


def _reclean(ledger_path: Path, store, header: dict, raw_path: Path | None) -> ApplyReport | None:
    """Clean the book of ``ledger_path`` again with its recorded settings; None when it cannot."""
    stem = ledger_path.name[: -len(".ledger.jsonl")]
    rep = ApplyReport(header.get("name") or stem, ledger_path.with_name(f"{stem}.txt"), ledger_path)
    if not isinstance(header.get("config"), dict) or header.get("ocr_clean") != __version__:
        return None
    try:
        config = Config.from_dict(header["config"])
    except (ConfigError, TypeError, ValueError):
        return None
    try:
        src, _ = locate_raw(header, ledger_path, raw_path)
    except ApplyError as exc:
        rep.error = str(exc)
        return rep
    if src.stem != stem:        # a renamed raw file would be written under another name
        return None
    old_text = rep.text_path.read_text(encoding="utf-8") if rep.text_path.is_file() else None
    old_ledger = ledger_path.read_text(encoding="utf-8")
    rep.decided = len(store.decisions_for(rep.name))
    [done] = clean_paths([src], ledger_path.parent, config=config, review=store)
    if done.error:
        rep.error = done.error
        return rep
    new_text = rep.text_path.read_text(encoding="utf-8")
    rep.written = new_text != old_text or ledger_path.read_text(encoding="utf-8") != old_ledger
    rep.changed = _changed_lines(old_text or "", new_text)
    try:
        store.set_source(rep.name, str(src), raw_sha256=header.get("raw_sha256"), cleaned=rep.text_path,
                         words=len(new_text.split()))
    except Exception:  # pragma: no cover - counts are a nicety (a read-only queue)
        pass
    return rep


def _changed_lines(old: str, new: str) -> int:
    a, b = old.split("\n"), new.split("\n")
    return sum(1 for x, y in zip(a, b) if x != y) + abs(len(a) - len(b))


def apply_dir(directory: Path | str, store, *, docs: list[str] | None = None, dry_run: bool = False,
              raw_path: Path | None = None) -> list[ApplyReport]:
    """Rewrite every cleaned output in ``directory`` with the store's decisions.

    A dry run (or a ledger without recorded settings) replays the ledger instead (no
    stage runs); see the module.
    """
    chosen = chosen_ledgers(directory, docs, raw_path)
    out = []
    for p in chosen:
        rep = None if dry_run else _reclean(p, store, read_header(p), raw_path)
        if rep is None:
            rep = apply_file(p, store.decisions_for, store=store, dry_run=dry_run, raw_path=raw_path)
        out.append(rep)
    return out
