"""Archive ids typed by people: one check for the bot's commands and the CLI."""

from __future__ import annotations

import pytest

from bot.core.ids import MAX_ID, parse_id


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("#12", 12), (" 7 ", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None),
     ("9" * 40, None), ("9" * 5000, None), ("0", None), ("-1", None), ("+1", None),
     ("\u00b2", None), ("\u0661\u0662", None), ("1e3", None), ("", None), ("#", None)],
)  # fmt: skip
def test_parse_id(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected
