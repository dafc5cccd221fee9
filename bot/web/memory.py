"""Handing memory back to the operating system after a big page.

glibc keeps freed heap memory for reuse, per thread arena: after one 5 MB page has been
decoded, parsed (libxml2 allocates with plain ``malloc``) and dropped, the bot's RSS stays
tens of megabytes higher for good, and every thread that ever read a page keeps its own
share. ``malloc_trim(0)`` returns the free pages of every arena. Elsewhere (macOS, musl)
this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


def release_memory() -> None:
    """Return freed heap memory to the OS (cheap: a walk over the allocator's free lists)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
