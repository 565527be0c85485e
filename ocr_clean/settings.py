"""Declared, checked settings: what a stage may be configured with, and the one-line error
when a config says something else.

A stage declares its settings as ``defaults`` (name -> default value, which also gives the
type) and ``settings_help`` (name -> one line saying what it does).  :func:`declare` turns the
two into :class:`Setting` rows; :func:`check` merges a user's table into the defaults, and
rejects an unknown key or a value of the wrong type with a :class:`ConfigError` that names the
key and the nearest valid one::

    >>> rows = declare({"apply_threshold": 0.9}, {"apply_threshold": "applied from here"})
    >>> check(rows, {"apply_treshold": 0.95}, "[stages.confusion]")
    Traceback (most recent call last):
    ...
    ocr_clean.settings.ConfigError: [stages.confusion]: unknown setting 'apply_treshold'; did you mean 'apply_threshold'?

Nothing here knows about stages, files or the pipeline.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Iterable, Mapping


class ConfigError(ValueError):
    """A config that cannot be used: one line saying which key and what to write instead."""


# The Python types a setting's default stands for, and the word the error uses for them.
_KINDS: tuple[tuple[type, tuple[type, ...], str], ...] = (
    (bool, (bool,), "true or false"),
    (int, (int,), "a whole number"),
    (float, (int, float), "a number"),
    (str, (str,), "a string"),
    (tuple, (list, tuple), "a list"),
    (list, (list, tuple), "a list"),
    (dict, (dict,), "a table"),
)


@dataclass(frozen=True)
class Setting:
    """One declared setting: its name, default, the types it accepts and what it does."""

    name: str
    default: Any
    description: str
    accepts: tuple[type, ...]
    kind: str

    def convert(self, value: Any, where: str) -> Any:
        """``value`` checked against the declared type (a whole number where a number is
        declared becomes a float); a wrong type is a :class:`ConfigError`."""
        ok = isinstance(value, self.accepts) and not (isinstance(value, bool) and bool not in self.accepts)
        if not ok:
            raise ConfigError(f"{where}: {self.name} must be {self.kind}, not {type(value).__name__} ({value!r})")
        if self.accepts == (int, float):
            return float(value)
        if self.accepts == (list, tuple):
            return tuple(value)
        return value


def _kind_of(default: Any) -> tuple[tuple[type, ...], str]:
    for t, accepts, word in _KINDS:
        if type(default) is t:
            return accepts, word
    raise TypeError(f"a setting's default must be a bool, number, string, list or table, not {default!r}")


def declare(defaults: Mapping[str, Any], help: Mapping[str, str]) -> list[Setting]:
    """The settings of ``defaults``, each with its line of ``help`` (every setting needs one)."""
    missing = [k for k in defaults if not help.get(k)]
    if missing:
        raise TypeError(f"settings without a description: {', '.join(missing)}")
    extra = [k for k in help if k not in defaults]
    if extra:
        raise TypeError(f"descriptions of no setting: {', '.join(extra)}")
    return [Setting(k, v, help[k], *_kind_of(v)) for k, v in defaults.items()]


def nearest(key: str, valid: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the valid name nearest ``key``, else the valid names."""
    valid = list(valid)
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; valid: {', '.join(valid)}" if valid else ""


def check(settings: Iterable[Setting], given: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
    """The defaults of ``settings`` with ``given`` merged in, each given key known and of its
    declared type; else a one-line :class:`ConfigError` (``where`` names the table)."""
    rows = {s.name: s for s in settings}
    out = {name: s.default for name, s in rows.items()}
    if given is None:
        return out
    if not isinstance(given, Mapping):
        raise ConfigError(f"{where} must be a table of settings, not {type(given).__name__}")
    for key, value in given.items():
        s = rows.get(key)
        if s is None:
            raise ConfigError(f"{where}: unknown setting '{key}'{nearest(str(key), rows)}")
        out[key] = s.convert(value, where)
    return out
