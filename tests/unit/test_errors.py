"""The error tree: every domain error names a message that exists in every UI language."""

from __future__ import annotations

import pytest

from bot import i18n
from bot.core import errors


def _all_errors() -> list[type[errors.KataSiapaError]]:
    found: list[type[errors.KataSiapaError]] = []
    todo: list[type[errors.KataSiapaError]] = [errors.KataSiapaError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


@pytest.mark.parametrize("cls", _all_errors(), ids=lambda c: c.__name__)
def test_every_error_key_is_translated(cls: type[errors.KataSiapaError]) -> None:
    for lang in i18n.LANGS:
        # Not through i18n.text(): it falls back to English and would hide a gap.
        assert i18n._STRINGS[lang].get(cls.key), f"{cls.__name__}.key {cls.key!r} missing in {lang}"


def test_the_message_follows_the_class_not_an_isinstance_chain() -> None:
    assert errors.BlockedAddressError.key == "link.blocked"
    assert errors.FetchTimeoutError.key == "link.timeout"
    assert errors.FetchError.key == "link.failed"
    assert errors.QueryTooLongError.key == "input.too_long"
    assert errors.DatabaseBusyError.key == "busy"


def test_every_error_lives_in_the_one_errors_module() -> None:
    for cls in _all_errors():
        assert cls.__module__ == "bot.core.errors", cls
