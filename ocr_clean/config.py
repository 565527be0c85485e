"""Pipeline configuration: stage order, switched-off stages, per-stage settings.

A config file is TOML::

    skip = ["footnotes"]
    review_below = 0.65        # applied edits less sure than this also go to the review queue
    [stages.confusion]
    apply_threshold = 0.9
    queue_threshold = 0.5
    [scan]                     # habits of the scan, instead of measuring them (ocr_clean.profile)
    line_end = "ordinary"
    hyphens = ["-", "¬"]

Settings not given take each stage's ``defaults``.  Every key is checked: an unknown one
(``skipp``, ``[stages.confusio]``, ``apply_treshold``) or a value of the wrong type is a
one-line :class:`ConfigError` naming the key and the nearest valid one.  A ``[scan]`` table
sets habits of the scan profile instead of measuring them (``ocr_clean.profile``); an unknown
habit or value is a one-line error too.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .policy import REVIEW_BELOW
from .profile import ProfileError, check_overrides
from .settings import ConfigError, nearest
from .stages import REGISTRY

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_ORDER = (
    "page_structure",
    "dehyphenate",
    "split_words",
    "confusion",
    "words",
    "punctuation",
    "footnotes",
)

# The top-level keys of a config, what each must be, and what it does.
TOP_LEVEL: dict[str, tuple[type | tuple[type, ...], str, str]] = {
    "order": (list, "a list of stage names", "the stages to run, in order"),
    "skip": (list, "a list of stage names", "stages switched off"),
    "stages": (dict, "a table of stage tables", "settings of each stage: [stages.<name>]"),
    "guess": (bool, "true or false", "apply the top candidate of queued edits too"),
    "review_below": ((int, float), "a number", "applied edits less sure than this also go to review"),
    "scan": (dict, "a table", "settings of the scan profile"),
}

__all__ = ["Config", "ConfigError", "DEFAULT_ORDER", "TOP_LEVEL"]


@dataclass
class Config:
    order: tuple[str, ...] = DEFAULT_ORDER
    skip: frozenset[str] = frozenset()
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    guess: bool = False   # apply the top candidate of queued edits too (status "guessed")
    # applied edits less sure than this are also put before a person (they stay applied
    # until rejected): e.g. a hyphen restored on weak evidence, a marker placed by position
    review_below: float = REVIEW_BELOW
    scan: dict[str, Any] = field(default_factory=dict)   # the [scan] table, passed through

    @classmethod
    def load(cls, path: Path | str | None) -> "Config":
        if path is None:
            return cls()
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {path}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
        try:
            return cls.from_dict(data)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Config":
        """A config from a parsed TOML table, every key and type checked (see the module)."""
        for key, value in data.items():
            if key not in TOP_LEVEL:
                raise ConfigError(f"config: unknown key '{key}'{nearest(str(key), TOP_LEVEL)}")
            types, kind, _ = TOP_LEVEL[key]
            if not isinstance(value, types) or (isinstance(value, bool) and types != bool):
                raise ConfigError(f"config: {key} must be {kind}, not {type(value).__name__} ({value!r})")
        for key in ("order", "skip"):
            for name in data.get(key, ()):
                _check_stage_name(name, key)
        stages = {}
        for name, table in data.get("stages", {}).items():
            _check_stage_name(name, "[stages]")
            stages[name] = REGISTRY[name].check_settings(table)
        return cls(order=tuple(data.get("order", DEFAULT_ORDER)), skip=frozenset(data.get("skip", ())),
                   stages={k: dict(data["stages"][k]) for k in stages},
                   guess=data.get("guess", False), review_below=float(data.get("review_below", REVIEW_BELOW)),
                   scan=_check_scan(data.get("scan", {})))

    def with_skip(self, names) -> "Config":
        return replace(self, skip=self.skip | frozenset(names))


def _check_scan(table: Any) -> dict[str, Any]:
    """The [scan] table: each habit and value checked by ocr_clean.profile."""
    try:
        return check_overrides(table)
    except ProfileError as exc:
        raise ConfigError(f"config: {exc}") from None


def _check_stage_name(name: Any, where: str) -> None:
    if not isinstance(name, str) or name not in REGISTRY:
        raise ConfigError(f"config: unknown stage {name!r} in {where}{nearest(str(name), REGISTRY)}")
