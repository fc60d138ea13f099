"""Issue #21: an output path that names a device, a named pipe or a socket is refused, by
every writer (the command line's solve and template, export_workbook, write_template,
write_workbook), as root too, and the thing it names is left as it was.

Character devices are made with os.mknod where this user may (root, as CI runs); a link to
/dev/null, a real character device, is tested everywhere.
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import workbook_bytes

import optimizer
from optimizer._files import OutputError


def make_fifo(path: Path) -> None:
    os.mkfifo(path)


def make_device(path: Path) -> None:
    """A character device with /dev/null's numbers where mknod is allowed, else a link to
    /dev/null itself (still a character device once the link is followed)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        os.symlink("/dev/null", path)


def make_socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


def make_link_to_device(path: Path) -> None:
    os.symlink("/dev/null", path)


SPECIALS: dict[str, tuple[Callable[[Path], None], Callable[[int], bool], str]] = {
    "fifo": (make_fifo, stat.S_ISFIFO, "named pipe"),
    "device": (make_device, stat.S_ISCHR, "character device"),
    "socket": (make_socket, stat.S_ISSOCK, "socket"),
    "link to /dev/null": (make_link_to_device, stat.S_ISCHR, "character device"),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "w.xlsx").write_bytes(workbook_bytes())
    return tmp_path


@pytest.mark.parametrize(
    ("kind", "command"),
    [
        ("device", ["solve", "w.xlsx", "--out"]),
        ("fifo", ["template", "--force"]),
        ("link to /dev/null", ["frontier", "w.xlsx", "--points", "2", "--quiet", "--out"]),
        ("socket", ["solve", "w.xlsx", "--out"]),
        ("fifo", ["template"]),
    ],
)
def test_the_command_line_refuses_a_special_output(
    folder: Path, kind: str, command: list[str], run_here: Callable
) -> None:
    make, is_kind, words = SPECIALS[kind]
    target = folder / "out.xlsx"
    make(target)
    if command[0] == "template":
        args = ["template", target.name, *command[1:]]
    else:
        args = [*command, target.name]
    done = run_here(folder, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "written" not in done.stdout
    if command != ["template"]:  # without --force an existing path is refused before that
        assert words in done.stderr, done.stderr
    assert is_kind(os.stat(target).st_mode), "the special file was replaced"
    assert not list(folder.glob(".~*.xlsx"))


@pytest.mark.parametrize("kind", list(SPECIALS))
def test_the_api_writers_refuse_a_special_output(folder: Path, kind: str) -> None:
    make, is_kind, words = SPECIALS[kind]
    target = folder / "out.xlsx"
    make(target)
    data = optimizer.load_workbook(folder / "w.xlsx")
    solution = optimizer.solve(data)
    writers = [
        lambda: optimizer.export_workbook(solution, target),
        lambda: optimizer.write_template(target),
        lambda: optimizer.write_workbook(data, target),
    ]
    for write in writers:
        with pytest.raises(OutputError, match=words):
            write()
        assert is_kind(os.stat(target).st_mode)
    assert not list(folder.glob(".~*.xlsx"))


def test_a_link_to_a_regular_file_is_still_written_through(
    folder: Path, run_here: Callable
) -> None:
    real = folder / "real.xlsx"
    real.write_bytes(b"old")
    (folder / "link.xlsx").symlink_to(real)
    done = run_here(folder, "template", "link.xlsx", "--force")
    assert done.returncode == 0, done.stderr
    assert (folder / "link.xlsx").is_symlink()
    assert real.read_bytes()[:2] == b"PK"
