"""Writing outputs safely: atomic, never over an input, never over something that is not a file.

:func:`write_atomic` writes through a temporary file in the target's folder and ``os.replace``,
so a reader never sees half a report. Before that it refuses (one-line :class:`InputError`):

* a path that resolves to a file this process read as input (:func:`mark_input` is called by
  every reader), or, checked before the work by :func:`output_target`, to one of its ``inputs``;
* a path that exists but is not a regular file: a folder, a device (``/dev/null``), a FIFO...
  (``-`` is standard output).

A symbolic link is written through: its target is replaced and the link kept. An existing
file keeps its permission bits; a new one gets those the umask allows (``0666 & ~umask``).
"""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from xlingo.errors import InputError

_inputs: set[str] = set()


def mark_input(path: str | os.PathLike[str]) -> None:
    """Remember that ``path`` was read as input: no output of this process may replace it."""
    _inputs.add(os.path.realpath(path))


def forget_inputs() -> None:
    """Forget every input marked so far (for long-lived processes running several jobs)."""
    _inputs.clear()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def output_target(path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()) -> Path:
    """The file an output to ``path`` will replace (symbolic links followed), or an error."""
    target = Path(os.path.realpath(path))
    if str(target) in _inputs or any(str(target) == os.path.realpath(p) for p in inputs):
        raise InputError(f"{path}: refusing to write an output over an input file")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: is {_kind(mode)}, not a regular file; refusing to replace it "
                         "(use - for standard output)")
    return target


def distinct_outputs(paths: Iterable[str | os.PathLike[str]]) -> None:
    """Refuse two outputs to one file (symbolic links followed): the later would replace the earlier."""
    seen: dict[str, str | os.PathLike[str]] = {}
    for path in paths:
        target = os.path.realpath(path)
        if target in seen:
            raise InputError(f"{path}: two outputs to the same file (also {seen[target]}); give each its own file")
        seen[target] = path


def write_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` (through a symbolic link to its target) via a temporary file
    in the same folder and ``os.replace``; see the module docstring for what is refused."""
    target = output_target(path)
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # the temporary name is short enough beside a target name of the longest length allowed
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):  # a full disk, a target that may not be replaced: name the target
            raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
