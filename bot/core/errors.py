"""Every domain error, in one tree.

Each class's docstring is its plain one-line message (the CLI prints it, admin replies quote
it) and its ``key`` names the translated message a chat user sees (``bot/i18n.py``), so a
handler turns any error into a reply with one lookup instead of an ``isinstance`` chain.
"""

from __future__ import annotations

from typing import ClassVar


class KataSiapaError(Exception):
    """Something went wrong."""

    key: ClassVar[str] = "error"

    def user_message(self) -> str:
        """The text to show a user: the specific message if given, else the class docstring."""
        return str(self) or (self.__doc__ or "Something went wrong.").strip()


class ConfigError(KataSiapaError):
    """The configuration is incomplete or invalid."""


# -- the request cannot be used ---------------------------------------------------------------


class InputError(KataSiapaError):
    """The input cannot be used."""

    key = "input.too_short"


class EmptyTextError(InputError):
    """The text is empty."""

    key = "input.empty"


class TextTooLongError(InputError):
    """The text is too long."""

    key = "input.too_long"


class UnsupportedLanguageError(InputError):
    """This language is not supported yet."""

    key = "input.unsupported"


class QueryTooShortError(InputError):
    """The text is too short to look up: send a whole sentence or the forwarded article."""

    key = "input.too_short"


class QueryTooLongError(TextTooLongError):
    """The text is too long to look up: send the first paragraphs or one quote."""

    key = "input.too_long"


# -- links and feeds ---------------------------------------------------------------------------


class FetchError(InputError):
    """Could not open that link (the site did not answer, or answered with an error)."""

    key = "link.failed"


class NotWebLinkError(FetchError):
    """That is not a web link I can open: send an http:// or https:// address."""

    key = "link.not_web"


class BlockedAddressError(FetchError):
    """That link points to a private or local network address; I only read public web pages."""

    key = "link.blocked"


class RedirectNotWebError(FetchError):
    """That link redirects to something that is not a web page (a script or an app link)."""

    key = "link.bad_redirect"


class TooManyRedirectsError(FetchError):
    """That link redirects too many times; send the article's final address."""

    key = "link.redirects"


class PageTooLargeError(FetchError):
    """That page is too large to read."""

    key = "link.too_large"


class EncodingRefusedError(FetchError):
    """That page is packed in a way I do not read (compressed more than once, or with an
    unknown method)."""

    key = "link.encoding"


class UnsupportedContentError(FetchError):
    """I cannot read this kind of link yet (PDF, image, video or other files)."""

    key = "link.unsupported"


class FetchTimeoutError(FetchError):
    """The site took too long to answer; please try again later."""

    key = "link.timeout"


class UnreadablePageError(InputError):
    """Could not read the article text on that page (paywalled, empty or not an article)."""

    key = "link.unreadable"


class StillReadingError(InputError):
    """I am still reading your previous link; send the next one when that answer arrives."""

    key = "link.busy"


class NotAFeedError(InputError):
    """That address is not an RSS or Atom feed I can read."""

    key = "feeds.not_a_feed"


# -- the archive -------------------------------------------------------------------------------


class StorageError(KataSiapaError):
    """The archive could not be read or written."""


class DatabaseBusyError(StorageError):
    """The archive is busy (locked by another process); try again in a moment."""

    key = "busy"


class WritesRefusedError(StorageError):
    """The archive cannot store new things right now; everything stored can still be read."""

    key = "storage.refused"


class ArchiveFullError(WritesRefusedError):
    """The disk holding the archive is full; nothing was changed."""


class DatabaseReadOnlyError(WritesRefusedError):
    """The archive file is read-only; nothing was changed."""


class DatabaseUnavailableError(DatabaseBusyError):
    """The archive database cannot be reached right now; try again in a moment.

    A kind of "busy": the user's next try may well work (a restarting server, a network
    blip), so handlers answer it with the same polite "send that again" note."""
