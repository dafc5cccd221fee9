"""A small real filesystem a test can fill: a tmpfs mounted for the test (needs root, or
CAP_SYS_ADMIN), and the fill itself (a file written until the disk says ENOSPC)."""

from __future__ import annotations

import contextlib
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def small_filesystem(where: Path, size_kib: int) -> Iterator[Path | None]:
    """``where`` as a tmpfs of ``size_kib`` KiB for the block; None where mounting is not
    allowed (the caller then simulates the full disk another way)."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k", "tmpfs", str(where)],
            check=True,
            capture_output=True,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        yield None
        return
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(disk: Path) -> Path:
    """Write a filler file on ``disk`` until it is full; returns the file (delete it to give
    the space back)."""
    filler = disk / "filler.bin"
    block = bytes(64 * 1024)
    with filler.open("wb", buffering=0) as out:
        while True:
            try:
                out.write(block)
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise
                break
        for size in (4096, 512, 1):  # the last partial blocks too
            with contextlib.suppress(OSError):
                while True:
                    out.write(bytes(size))
    return filler
