"""Writing files so that a failure never leaves half a file in place of a good one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import IO

Target = str | os.PathLike[str] | IO[bytes]


def write_atomically(target: Target, write: Callable[[IO[bytes]], None]) -> None:
    """Call `write` on a temporary file beside `target`, then move it into place.

    A binary buffer (the app's download button) is written directly.
    """
    if hasattr(target, "write"):
        write(target)  # type: ignore[arg-type]
        return
    path = os.fspath(target)  # type: ignore[arg-type]
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
