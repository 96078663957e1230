"""One scheduled run at a time: an exclusive lock on the sources file and on the archive."""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO


class AlreadyRunning(Exception):
    """Another run holds the lock; the message says which file and which process."""


class RunLock:
    """Holds ``flock`` locks on the sources file and on ``<archive>.lock`` while a run lasts.

    The kernel releases them when the process ends, however it ends (a killed run leaves no
    stale lock). The archive's lock file names the process holding it, for the message.
    """

    def __init__(self, sources: Path, archive: Path) -> None:
        self.sources = sources
        self.archive_lock = archive.with_name(archive.name + ".lock")
        self._files: list[IO[str]] = []

    def __enter__(self) -> RunLock:
        try:
            self._take(self.archive_lock, "a+", f"archive {self.archive_lock.with_suffix('')}")
            self._take(self.sources, "r", f"sources file {self.sources}")
        except BaseException:
            self.release()
            raise
        holder = self._files[0]
        holder.seek(0)
        holder.truncate()
        holder.write(f"pid {os.getpid()}, run started {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        holder.flush()
        return self

    def _take(self, path: Path, mode: str, what: str) -> None:
        if mode != "r":
            path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open(mode, encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = ""
            if self.archive_lock.exists():
                holder = self.archive_lock.read_text(encoding="utf-8", errors="replace").strip()
            handle.close()
            raise AlreadyRunning(
                f"another run is using the {what}" + (f" ({holder})" if holder else "") + "; not starting"
            ) from None
        self._files.append(handle)

    def release(self) -> None:
        for handle in self._files:
            handle.close()
        self._files = []

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
