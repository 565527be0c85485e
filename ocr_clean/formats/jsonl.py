"""JSONL records: one JSON object a line, the text to clean in a (dotted) field.

The output has the same records, in order, each with its other fields kept and the cleaned
text in ``out_field`` (by default the same field).  The records are cleaned together as one
collection (``ocr_clean.clean_texts``: evidence shared), or one collection a value of a
``group_by`` field (a newspaper title, a dataset).  The ledger is one file for the whole
input: a header, then every edit of every record with ``"record": <index>`` (0-based, the
order of the records; blank lines are not records).
"""
from __future__ import annotations

import json

from ..io import InputError
from ..ledger import Ledger, edit_line, _encode


def get_field(obj, path: str):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            raise KeyError(path)
        obj = obj[part]
    return obj


def set_field(obj: dict, path: str, value) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        nxt = obj.get(part)
        if not isinstance(nxt, dict):
            nxt = obj[part] = {}
        obj = nxt
    obj[parts[-1]] = value


def group_key(record: dict, field: str, name: str, index: int) -> str:
    """The collection a record belongs to: the value of ``field`` (dotted), as JSON text."""
    try:
        return json.dumps(get_field(record, field), sort_keys=True, ensure_ascii=False)
    except KeyError:
        raise InputError(f"{name}: record {index + 1}: no field {field!r} (the --group-by field)") from None


def read_records(text: str, name: str, field: str) -> tuple[list[dict], list[str]]:
    """The records and the text of each; a bad line is a one-line error naming its number."""
    records, texts = [], []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{name}: line {n}: not JSON ({exc.msg} at column {exc.colno})") from None
        if not isinstance(rec, dict):
            raise InputError(f"{name}: line {n}: a JSON {type(rec).__name__}, not an object")
        try:
            value = get_field(rec, field)
        except KeyError:
            raise InputError(f"{name}: line {n}: no field {field!r} (choose one with --text-field)") from None
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise InputError(f"{name}: line {n}: field {field!r} holds a {type(value).__name__}, not text")
        records.append(rec)
        texts.append(value)
    if not records:
        raise InputError(f"{name}: no JSON records (the file is empty)")
    return records, texts


def write_records(records: list[dict], texts: list[str], out_field: str) -> str:
    out = []
    for rec, text in zip(records, texts):
        set_field(rec, out_field, text)
        out.append(json.dumps(rec, ensure_ascii=False))
    return "\n".join(out) + "\n"


def ledger_text(header: dict, ledgers: list[Ledger]) -> str:
    """The header, then each record's edits keyed by ``"record"``."""
    parts = [_encode({"header": header})]
    for i, led in enumerate(ledgers):
        prefix = f'{{"record":{i},'
        parts.extend(prefix + edit_line(e)[1:] for e in led)
    return "\n".join(parts) + "\n"


def read_ledger(lines) -> tuple[dict, dict[int, Ledger]]:
    """A JSONL file's ledger back: the header and each record's :class:`Ledger`."""
    header: dict = {}
    by_record: dict[int, list[str]] = {}
    for line in lines:
        if not line.strip():
            continue
        obj = json.loads(line)
        if "header" in obj:
            header = obj["header"]
            continue
        i = obj.pop("record")
        by_record.setdefault(i, []).append(json.dumps(obj))
    return header, {i: Ledger.load_jsonl(ls) for i, ls in by_record.items()}
