"""Reading scans safely and writing results atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

MAX_BYTES = 256 * 1024 * 1024  # a single scan larger than this is refused, not half-read


class InputError(ValueError):
    """A file that cannot be cleaned; the message is one line that says what to do."""


def decode(data: bytes, name: str = "input") -> str:
    """Bytes of a scan to text with LF line ends; refuses binary, non-UTF-8 and empty input."""
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks like a binary file (NUL bytes), not a text scan")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it first, e.g. iconv -f latin1 -t utf-8"
        ) from None
    return normalize(text, name)


def normalize(text: str, name: str = "input") -> str:
    """LF line ends, no byte-order mark (nor a repeated one: a file saved twice by a tool that
    adds one); refuses a text with nothing to clean."""
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: the file is empty (nothing to clean)")
    return text


def read_text(path: Path | str) -> str:
    path = Path(path)
    return decode(read_bytes(path), str(path))


def read_bytes(path: Path | str) -> bytes:
    """A file's bytes, with the checks of :func:`read_text` (exists, a file, size, readable)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: {size / 1e6:.0f} MB is more than the {MAX_BYTES / 1e6:.0f} MB limit; split the file")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    return data


def atomic_write(path: Path | str, text: str | bytes) -> None:
    """Write via a temporary file in the same folder, then rename: never a half-written file.
    Text is written as UTF-8 with LF line ends; bytes as they are."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if isinstance(text, bytes)
              else os.fdopen(fd, "w", encoding="utf-8", newline="\n")) as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())   # mkstemp makes 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def collect_inputs(paths: list[Path]) -> list[Path]:
    """Files named, and the ``*.txt`` files of folders named, in a stable order."""
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(x for x in p.glob("*.txt") if x.is_file() and not x.name.startswith("."))
            if not found:
                raise InputError(f"{p}: folder holds no .txt file")
            out.extend(found)
        elif p.exists():
            out.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    return out
