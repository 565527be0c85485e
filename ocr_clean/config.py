"""Pipeline configuration: stage order, switched-off stages, per-stage settings.

A config file is TOML::

    skip = ["footnotes"]
    review_below = 0.65        # applied edits less sure than this also go to the review queue
    [stages.confusion]
    apply_threshold = 0.9
    queue_threshold = 0.5

Settings not given take each stage's ``defaults``.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_ORDER = (
    "page_structure",
    "dehyphenate",
    "split_words",
    "confusion",
    "punctuation",
    "footnotes",
)


class ConfigError(ValueError):
    pass


@dataclass
class Config:
    order: tuple[str, ...] = DEFAULT_ORDER
    skip: frozenset[str] = frozenset()
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    guess: bool = False   # apply the top candidate of queued edits too (status "guessed")
    # applied edits less sure than this are also put before a person (they stay applied
    # until rejected): e.g. a hyphen restored on weak evidence, a marker placed by position
    review_below: float = 0.65

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
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Config":
        order = tuple(data.get("order", DEFAULT_ORDER))
        skip = frozenset(data.get("skip", ()))
        stages = {k: dict(v) for k, v in data.get("stages", {}).items()}
        return cls(order=order, skip=skip, stages=stages, guess=bool(data.get("guess", False)),
                   review_below=float(data.get("review_below", 0.65)))

    def with_skip(self, names) -> "Config":
        return Config(self.order, self.skip | frozenset(names), self.stages, self.guess, self.review_below)
