"""A small domain-error tree; the docstring of each class is its user-facing one-liner."""

from __future__ import annotations


class KataSiapaError(Exception):
    """Something went wrong."""

    def user_message(self) -> str:
        """The text to show a user: the specific message if given, else the class docstring."""
        return str(self) or (self.__doc__ or "Something went wrong.").strip()


class ConfigError(KataSiapaError):
    """The configuration is incomplete or invalid."""


class InputError(KataSiapaError):
    """The input cannot be used."""


class EmptyTextError(InputError):
    """The text is empty."""


class TextTooLongError(InputError):
    """The text is too long."""


class UnsupportedLanguageError(InputError):
    """This language is not supported yet."""


class StorageError(KataSiapaError):
    """The archive could not be read or written."""


class DatabaseBusyError(StorageError):
    """The archive is busy (locked by another process); try again in a moment."""


class DatabaseReadOnlyError(StorageError):
    """The archive file is read-only; nothing was changed."""


class QueryTooShortError(InputError):
    """The text is too short to look up: send a whole sentence or the forwarded article."""


class QueryTooLongError(TextTooLongError):
    """The text is too long to look up: send the first paragraphs or one quote."""
