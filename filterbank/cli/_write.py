"""Every file the command line writes goes through `atomic_write`.

The steps, for an output ``OUT/name``::

    OUT/.name.<pid>-<random>.fbtmp     1. written in full, flushed, fsync'ed
          |                               (created with mode 0666 & ~umask)
          |-- with --force:     os.replace(temporary, OUT/name)    readers see the old file or the new
          '-- without --force:  os.link(temporary, OUT/name)       fails if the name exists: the
                                                                   existence check and the placing
                                                                   are one atomic step
    2. the temporary name is removed (always, also on errors, SIGINT and SIGTERM)

So two processes writing one new name without ``--force`` never both
succeed, a full disk or an interrupt never leaves a partial file under the
final name, and no temporary file outlives the process unless it is killed
with SIGKILL. The temporary name carries the writer's process id; the next
write into the same folder removes temporaries whose process is gone.
"""

from __future__ import annotations

import errno
import os
import secrets
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from filterbank.errors import InputError

__all__ = ["TEMP_SUFFIX", "Interrupted", "atomic_write", "check_writable", "handle_signals"]

#: Suffix of the temporary files `atomic_write` creates (and cleans up).
TEMP_SUFFIX = ".fbtmp"
#: Errors of ``os.link`` that mean "this file system has no hard links".
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOSYS, errno.EXDEV}
_swept: set[str] = set()


class Interrupted(BaseException):
    """SIGTERM or SIGHUP arrived; raised so that every ``finally`` (temporary files) runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"interrupted by signal {signum}")
        self.signum = signum


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse early what `atomic_write` would refuse: a folder, a file as parent, an existing file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> check_writable(d / "new.npz", force=False)
    >>> check_writable(d, force=True)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: output ... is a folder; give a file name
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(f"output {str(path)!r} is a folder; give a file name")
    for parent in (path.parent, *path.parent.parents):
        if parent.exists():
            if not parent.is_dir():
                raise InputError(f"output {str(path)!r} cannot be written: {str(parent)!r} is a file, not a folder")
            break
    if not force and os.path.lexists(path):
        raise InputError(f"output {str(path)!r} exists; pass --force to overwrite it")


def _cannot(path: Path, exc: OSError) -> InputError:
    code = errno.errorcode.get(exc.errno or 0, "")
    reason = exc.strerror or str(exc)
    return InputError(f"cannot write output {str(path)!r}: {reason}{f' ({code})' if code else ''}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _sweep(folder: Path) -> None:
    """Remove temporaries left in ``folder`` by writers that no longer run (once per folder)."""
    key = str(folder.resolve())
    if key in _swept:
        return
    _swept.add(key)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)):
            continue
        pid_text = entry.name[: -len(TEMP_SUFFIX)].rsplit(".", 1)[-1].split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not _alive(int(pid_text)):
            try:
                os.unlink(entry.path)
            except OSError:
                pass


def _place(tmp: Path, path: Path, force: bool) -> None:
    if force:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise InputError(f"output {str(path)!r} exists; pass --force to overwrite it") from None
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        # no hard links on this file system: claim the name atomically, then rename over the claim
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise InputError(f"output {str(path)!r} exists; pass --force to overwrite it") from None
        os.replace(tmp, path)


def atomic_write(path: Path, write: Callable[[BinaryIO], Any], *, force: bool, parents: bool = True) -> Path:
    """Call ``write(fileobj)`` on a temporary file beside ``path``, then put it in place atomically.

    Parameters
    ----------
    path : Path
        The output file.
    write : callable
        Writes the whole content to the binary file object it is given.
    force : bool
        Replace an existing ``path``; without it an existing ``path`` is left
        alone, also when another process creates it while ``write`` runs.
    parents : bool, default True
        Create missing parent folders.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        If ``path`` exists (without ``force``), is a folder, has a file as a
        parent, or cannot be written (read-only or full file system...): the
        message names the path and the system's reason. Nothing is left under
        ``path`` or under a temporary name.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.bin"
    >>> atomic_write(p, lambda f: f.write(b"ok"), force=False).read_bytes()
    b'ok'
    >>> atomic_write(p, lambda f: f.write(b"again"), force=False)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    filterbank.errors.InputError: output '...x.bin' exists; pass --force to overwrite it
    >>> atomic_write(p, lambda f: f.write(b"again"), force=True).read_bytes(), sorted(os.listdir(p.parent))
    (b'again', ['x.bin'])
    """
    path = Path(path)
    check_writable(path, force=force)
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot(path, exc) from None
    _sweep(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
        except OSError as exc:
            raise _cannot(path, exc) from None
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        _place(tmp, path, force)
    except OSError as exc:
        raise _cannot(path, exc) from None
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _fsync_folder(path.parent)
    return path


def _fsync_folder(folder: Path) -> None:
    """Make the new directory entry durable; skipped where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextmanager
def handle_signals() -> Iterator[list[int]]:
    """Inside, SIGINT raises ``KeyboardInterrupt`` and SIGTERM / SIGHUP raise `Interrupted`.

    Both are exceptions, so the cleanup of `atomic_write` runs. The
    yielded list records the signals received, so the caller can exit
    non-zero even where some library swallowed the exception. Outside the
    main thread (where Python cannot set handlers) nothing changes.

    Examples
    --------
    >>> with handle_signals() as received:
    ...     pass
    >>> received
    []
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def on_signal(signum: int, frame: Any) -> None:
        received.append(signum)
        raise KeyboardInterrupt if signum == signal.SIGINT else Interrupted(signum)

    wanted = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {s: signal.signal(s, on_signal) for s in wanted}
    try:
        yield received
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
