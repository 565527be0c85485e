"""Reading scans safely and writing results atomically."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

MAX_BYTES = 256 * 1024 * 1024  # a single scan larger than this is refused, not half-read


class InputError(ValueError):
    """A file that cannot be cleaned; the message is one line that says what to do."""


class EmptyInput(InputError):
    """A file with nothing to clean (a blank page among page files): not an error in a batch."""


def decode(data: bytes, name: str = "input") -> str:
    """Bytes of a scan to text with LF line ends; refuses binary, UTF-16, non-UTF-8 and empty input."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data[:4096]):
        enc = "UTF-16LE" if data[:2] == b"\xff\xfe" or (data[:2] != b"\xfe\xff" and data[1:2] == b"\x00") else "UTF-16BE"
        raise InputError(f"{name}: {enc} text, not UTF-8; convert it first, e.g. "
                         f"iconv -f UTF-16 -t UTF-8 '{name}' > converted.txt")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{name}: looks like a binary file (a NUL byte at offset {nul}), not a text scan")
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
        raise EmptyInput(f"{name}: the file is empty (nothing to clean)")
    return text


def read_text(path: Path | str) -> str:
    path = Path(path)
    return decode(read_bytes(path), str(path))


def _looks_utf16(head: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every other byte NUL (ASCII in UTF-16)."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return (odd.count(0) >= 0.9 * len(odd) and even.count(0) <= 0.1 * len(even)) or \
        (even.count(0) >= 0.9 * len(even) and odd.count(0) <= 0.1 * len(odd))


def missing(path: Path) -> str:
    """Why a path that does not exist cannot be read: a link loop, a broken link, or none."""
    if path.is_symlink():
        try:
            path.resolve(strict=True)
        except RuntimeError:
            return f"{path}: a loop of symbolic links"
        except OSError as exc:
            if getattr(exc, "errno", None) == 40:     # ELOOP
                return f"{path}: a loop of symbolic links"
        return f"{path}: a symbolic link to {os.readlink(path)}, which does not exist"
    return f"{path}: no such file"


def read_bytes(path: Path | str) -> bytes:
    """A file's bytes, with the checks of :func:`read_text` (exists, a file, size, readable)."""
    path = Path(path)
    if not path.exists():
        raise InputError(missing(path))
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
    # the writer's process id in the name: a file left by a process that was killed between
    # the write and the rename is known as such and removed (remove_stale_temps)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp")
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


_TEMP = re.compile(r"\.(.+)\.(\d+)-[A-Za-z0-9_]+\.tmp")


def remove_stale_temps(folder: Path | str) -> int:
    """Remove the temporary files :func:`atomic_write` left in ``folder`` when its process was
    killed between the write and the rename (their process is gone); returns how many."""
    n = 0
    try:
        names = [x for x in os.listdir(folder) if x.startswith(".") and x.endswith(".tmp")]
    except OSError:
        return 0
    for name in names:
        m = _TEMP.fullmatch(name)
        if m is None or _alive(int(m.group(2))):
            continue
        try:
            os.unlink(os.path.join(folder, name))
            n += 1
        except OSError:
            pass
    return n


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:   # a zombie nobody reaped is gone for our purpose
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
