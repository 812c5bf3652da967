"""One render at a time per output folder: an advisory ``fcntl.flock`` on ``DIR/.render.lock``.

The operating system drops the lock when the holding process exits, however it dies (even
``kill -9``), so a stale lock never needs cleaning up: the next run simply gets it. The holder writes
its pid and start time into the file so a second run can say who holds it.

Example:
    >>> with RenderLock("reports"):          # doctest: +SKIP
    ...     ...                                # render into reports/
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from supplywatch.exceptions import LockError, RenderError

LOCK_NAME = ".render.lock"

#: Lock descriptors this process holds; a forked worker closes its copies (it must not keep the lock alive).
_HELD: set[int] = set()
_AT_FORK_REGISTERED = False


def _close_in_child() -> None:
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


def _read_holder(fd: int, wait: float = 1.0) -> str:
    """Who holds the lock. The holder writes its pid right after taking the lock; a run that comes
    in between finds the file empty, so it waits up to ``wait`` seconds for the pid to appear."""
    deadline = time.monotonic() + wait
    while True:
        holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
        if holder or time.monotonic() >= deadline:
            return holder or "unknown pid"
        time.sleep(0.01)


class RenderLock:
    """Context manager holding an exclusive, non-blocking lock on an output folder."""

    def __init__(self, out_dir: str | os.PathLike) -> None:
        self.path = Path(out_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise :class:`LockError` naming the pid that holds it.

        Raises:
            LockError: another process holds the lock.
            RenderError: the folder cannot be created or written (a file in the way, read-only).
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise RenderError(f"output folder {self.path.parent} is unusable ({exc.strerror or exc}: "
                              f"{exc.filename or self.path}); give --out a folder you can write to") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise LockError(
                f"another supplywatch render is writing to {self.path.parent} (holder: {holder}); "
                "wait for it to finish, or render into another --out folder"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n".encode(), 0)
        self._fd = fd
        global _AT_FORK_REGISTERED
        if not _AT_FORK_REGISTERED:
            os.register_at_fork(after_in_child=_close_in_child)
            _AT_FORK_REGISTERED = True
        _HELD.add(fd)

    def release(self) -> None:
        """Drop the lock (the file stays; its content is only informative)."""
        if self._fd is not None:
            _HELD.discard(self._fd)
            try:
                os.ftruncate(self._fd, 0)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
                os.close(self._fd)
                self._fd = None

    def __enter__(self) -> RenderLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
