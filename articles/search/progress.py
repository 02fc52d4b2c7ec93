"""A one-line progress bar for management commands: [#####.....]  45%  450,000/1,000,000"""

import time


class ProgressBar:
    def __init__(self, stream, total, label, width=30, interval=0.2):
        self.stream, self.total, self.label, self.width, self.interval = stream, max(total, 0), label, width, interval
        self.done, self._shown = 0, 0.0
        self.started = time.monotonic()

    def advance(self, count=1):
        self.done += count
        now = time.monotonic()
        if now - self._shown >= self.interval or self.done >= self.total:
            self._shown = now
            self._draw()

    def _draw(self, end=""):
        fraction = min(1.0, self.done / self.total) if self.total else 1.0
        filled = int(self.width * fraction)
        bar = "#" * filled + "." * (self.width - filled)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r{self.label} [{bar}] {fraction:4.0%} {self.done:,}/{self.total:,} {elapsed:.0f}s{end}")
        self.stream.flush()

    def finish(self):
        self._draw(end="\n")
