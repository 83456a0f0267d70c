"""Reading input files and writing output files safely.

`read_text` reads only regular files of bounded size (a device or a FIFO named as input would
read forever or block); `write_atomic` writes through a temporary file in the same folder and
`os.replace`, so a reader never sees a half-written file and an interrupted write leaves the old
one intact."""
from __future__ import annotations

import codecs
import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import InputError

MAX_BYTES = 10 * 1024 * 1024             # a scenario or rule file; 1,000 cases take about 0.5 MB


def read_text(path: Path, limit: int = MAX_BYTES) -> str:
    """The UTF-8 text of a regular file of at most `limit` bytes. A device (/dev/zero), a FIFO or a
    folder is refused before it is read: reading it could block or never end."""
    return read_utf8(path, limit).decode("utf-8")


def read_utf8(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, checked to be UTF-8 (read_text's
    checks; a ledger of hundreds of MB is kept as bytes: its text would take twice the memory)."""
    not_regular = "expected a regular file (not a folder, device or pipe)"
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(str(path), "", not_regular)
        if info.st_size > limit:
            raise InputError(str(path), "", f"the file is {info.st_size:,} bytes; at most {limit:,} are accepted")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))   # a FIFO swapped in meanwhile
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise InputError(str(path), "", not_regular)
            data = f.read(limit + 1)
    except OSError as e:
        raise InputError(str(path), "", f"cannot read the file ({e.strerror})") from None
    if len(data) > limit:
        raise InputError(str(path), "", f"the file is larger than {limit:,} bytes")
    decoder, step = codecs.getincrementaldecoder("utf-8")(), 1 << 24
    for start in range(0, max(len(data), 1), step):       # in slices: no text of the whole file
        try:
            decoder.decode(data[start:start + step], final=start + step >= len(data))
        except UnicodeDecodeError as e:
            raise InputError(str(path), "", f"expected a UTF-8 text file (byte {start + e.start} is not UTF-8)") from None
    return data


def cache_dir() -> Path:
    """Where crossexec keeps what it can compute again (the national courts parsed, a ledger's
    index): $CROSSEXEC_CACHE_DIR ($CROSSEXEC_CACHE is read too: the name the ledger index used
    first), else $XDG_CACHE_HOME/crossexec or ~/.cache/crossexec."""
    explicit = os.environ.get("CROSSEXEC_CACHE_DIR") or os.environ.get("CROSSEXEC_CACHE")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")) / "crossexec"


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` all at once: a temporary file beside it, then os.replace."""
    path = Path(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():               # keep the permissions the file had
            os.chmod(temporary, stat.S_IMODE(os.stat(path).st_mode))
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

