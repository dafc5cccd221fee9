"""Archive ids as people type them, checked at the edge.

An id is a positive SQLite integer: at most 2**63 - 1. Anything else ("9" * 40, "-1",
"²", "1e3") is not an id, and is answered as such, instead of reaching SQLite (which raises
OverflowError on a Python int past 64 bits) or ``int()`` (which refuses 4,300+ digits).
"""

from __future__ import annotations

import re
from typing import Final

MAX_ID: Final = 2**63 - 1
ID_PATTERN: Final = r"[1-9][0-9]{0,18}"  # ASCII digits only: str.isdigit() also takes "²"
_ID_RE: Final = re.compile(rf"#?({ID_PATTERN})")


def parse_id(text: str) -> int | None:
    """The id in "12" or "#12" (surrounding spaces allowed); None for anything else."""
    found = _ID_RE.fullmatch(text.strip())
    if found is None:
        return None
    value = int(found.group(1))
    return value if value <= MAX_ID else None
