"""Writing files so that a failure never leaves half a file in place of a good one.

A file is written to a temporary `.~xxxxxxxx.xlsx` beside its target, then moved into place.
The result gets the mode a new file gets under the umask (or the mode of the file it
replaces); a read-only target is refused, not replaced, and so is anything that is not a
regular file (a device such as /dev/null, a named pipe, a socket). Temporaries left by a
killed run are removed on the next write to that folder, once they are a minute old.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from typing import IO, Any

Target = str | os.PathLike[str] | IO[bytes]

PREFIX, SUFFIX = ".~", ".xlsx"
# Exactly what tempfile.mkstemp(prefix=PREFIX, suffix=SUFFIX) names: never Excel's `~$x.xlsx`
# or LibreOffice's `.~lock.x.xlsx#` lock files, nor anything a planner named.
_OURS = re.compile(r"\.~[a-z0-9_]{8}\.xlsx")
STALE_SECONDS = 60.0

# Temporaries being written now, so an interrupted run can remove them before it exits.
_live: set[str] = set()


# The operating system's common reasons a file cannot be read or written, by errno name, in
# one wording on every system (optimizer.present.labels words them in Chinese too). Any other
# reason is the system's own text.
OS_REASONS: dict[str, str] = {
    "EACCES": "permission denied",
    "EPERM": "operation not permitted",
    "ENOENT": "no such file or folder",
    "ENOSPC": "no space left on the disk",
    "EDQUOT": "disk quota exceeded",
    "EROFS": "the disk is read-only",
    "EISDIR": "it is a folder",
    "ENOTDIR": "a part of the path is not a folder",
    "EEXIST": "the file exists",
    "EBUSY": "the file or device is busy",
    "ETXTBSY": "the file is busy",
    "ENAMETOOLONG": "the file name is too long",
    "ELOOP": "too many symbolic links",
    "EIO": "the disk could not be read or written (input/output error)",
    "EFBIG": "the file is too large",
    "EMFILE": "too many files open",
}


def os_reason(error: OSError) -> tuple[str, str]:
    """Why the system refused a file, as (errno name, English words): the words of
    OS_REASONS for a common errno, else the system's own text ("" as the name)."""
    name = errno.errorcode.get(error.errno or 0, "")
    if name in OS_REASONS:
        return name, OS_REASONS[name]
    return "", error.strerror or str(error)


class OutputError(OSError):
    """An output file cannot or must not be written; the message says why, in one line, in
    English. `parts` holds it as a code and its values (optimizer.present.labels words it in
    either language), as a ScenarioError's do."""

    def __init__(self, message: str, code: str = "", **values: Any) -> None:
        super().__init__(message)
        self.parts = ((code, tuple(values.items())),) if code else ()
        self.where = ""


def check_target(target: Any, argument: str = "target") -> None:
    """A TypeError unless `target` is a path or a binary file object open for writing: a text
    file (open(path, "w")) would fail deep inside the zip writer."""
    if isinstance(target, str | os.PathLike):
        if not os.fspath(target):
            raise ValueError(f"{argument} is an empty path")
        return
    if isinstance(target, io.TextIOBase) or (
        hasattr(target, "write") and "b" not in getattr(target, "mode", "b")
    ):
        raise TypeError(
            f"{argument} is a text file; give a path, or a file opened for binary writing "
            "(open(path, 'wb')) or an io.BytesIO"
        )
    if not hasattr(target, "write"):
        raise TypeError(
            f"{argument} must be a path or a binary file object, got {type(target).__name__}"
        )


def check_writable(target: str | os.PathLike[str]) -> None:
    """Raise OutputError unless `target` can be written (checked before any work starts)."""
    path = os.fspath(target)
    folder = os.path.dirname(os.path.abspath(path)) or "."
    if os.path.isdir(path):
        raise OutputError(f"cannot write {path}: it is a folder", "out_folder", path=path)
    kind = _special_kind(path)
    if kind:
        raise OutputError(
            f"cannot write {path}: it is {kind}, not a file; it was left as it is "
            "(choose a file name for the output)",
            "out_special",
            path=path,
            kind=kind,
        )
    if not os.path.isdir(folder):
        raise OutputError(
            f"cannot write {path}: the folder {folder} does not exist",
            "out_no_folder",
            path=path,
            folder=folder,
        )
    if os.path.exists(path) and _read_only(path):
        raise OutputError(
            f"{path} is read-only; it was left as it is (make it writable first)",
            "out_read_only",
            path=path,
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write {path}: the folder {folder} is not writable",
            "out_folder_locked",
            path=path,
            folder=folder,
        )


_KINDS = (
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def _special_kind(path: str) -> str | None:
    """What an existing target is when it is not a regular file (a link is followed), else
    None. The atomic rename would put a file in place of a device or a pipe, /dev/null
    included when run as root, so only regular files are ever replaced."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # missing (a dangling link: the file it names is created) or unreadable
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name one existing file (links and relative paths resolved)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _read_only(path: str) -> bool:
    # Root passes os.access on any file: the permission bits say what the owner meant.
    return not os.access(path, os.W_OK) or not os.stat(path).st_mode & 0o222


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def remove_stale_temporaries(folder: str) -> None:
    """Remove our own temporaries older than a minute (left by a killed run) from folder."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    now = time.time()
    for name in names:
        if not _OURS.fullmatch(name):
            continue
        path = os.path.join(folder, name)
        try:
            if path not in _live and now - os.stat(path).st_mtime > STALE_SECONDS:
                os.unlink(path)
        except OSError:
            pass


def remove_live_temporaries() -> None:
    """Remove the temporaries being written now (an interrupted run, about to exit)."""
    for path in list(_live):
        with contextlib.suppress(OSError):
            os.unlink(path)


def write_atomically(target: Target, write: Callable[[IO[bytes]], None]) -> None:
    """Call `write` on a temporary file beside `target`, then move it into place.

    A binary buffer (the app's download button) is written directly. A read-only target is
    refused with OutputError.
    """
    check_target(target)
    if hasattr(target, "write"):
        write(target)  # type: ignore[arg-type]
        return
    # Through a symbolic link to the file it names: the link stays a link.
    path = os.path.realpath(os.fspath(target))  # type: ignore[arg-type]
    check_writable(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temporaries(folder)
    # A new file gets the mode the umask gives; a replaced one keeps its own.
    mode = stat.S_IMODE(os.stat(path).st_mode) if os.path.exists(path) else 0o666 & ~_umask()
    temporary = ""
    try:
        handle, temporary = tempfile.mkstemp(prefix=PREFIX, suffix=SUFFIX, dir=folder)
        _live.add(temporary)
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.chmod(temporary, mode)
        check_writable(path)  # again: a pipe or device may have taken its place meanwhile
        os.replace(temporary, path)
    except OutputError:
        _remove(temporary)
        raise
    except OSError as exc:  # a full disk, a quota, a folder locked meanwhile: one coded line
        _remove(temporary)
        code, reason = os_reason(exc)
        raise OutputError(
            f"cannot write {path}: {reason}", "out_failed", path=path, errno=code, reason=reason
        ) from None
    except BaseException:
        _remove(temporary)
        raise
    finally:
        _live.discard(temporary)


def _remove(temporary: str) -> None:
    if temporary and os.path.exists(temporary):
        os.unlink(temporary)
