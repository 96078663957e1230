"""Progress of long commands: a live display on a terminal (stderr), plain periodic lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal a live display can redraw."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


class LiveLine:
    """One line on a terminal, redrawn in place (rich), left as the last state when closed."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.live import Live

        self.live = Live("", console=Console(file=stream), auto_refresh=False, transient=False)
        self.live.start()

    def show(self, text: str) -> None:
        """Redraw the line."""
        self.live.update(text, refresh=True)

    def close(self, text: str) -> None:
        """Draw the final state and give the terminal back."""
        self.show(text)
        self.live.stop()


@contextmanager
def counting(
    what: str, total: int, interval: float = 10.0, stream: TextIO | None = None
) -> Iterator[Callable[[], None]]:
    """A callable to call once per item done: a progress bar on a terminal, a line every ``interval`` s otherwise."""
    stream = stream or sys.stderr
    if is_terminal(stream):
        with _bar(what, total, stream) as advance_bar:
            yield advance_bar
        return
    start = last = time.monotonic()
    done = 0

    def advance() -> None:
        nonlocal done, last
        done += 1
        now = time.monotonic()
        if now - last >= interval:
            last = now
            print(f"{what}: {done}/{total} ({done / max(now - start, 1e-9):.0f}/s)", file=stream, flush=True)

    yield advance


@contextmanager
def _bar(what: str, total: int, stream: TextIO) -> Iterator[Callable[[], None]]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=stream), refresh_per_second=4) as bar:
        task = bar.add_task(what, total=total)
        yield lambda: bar.advance(task)
