"""Read article files (.jsonl, .txt, .html, folders) into ``ArticleInput`` records.

Reading is separate from analysis and storage so that one bad record is reported with its
reason and never stops the rest of the run.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from pydantic import ValidationError

# News articles are rarely over 50k characters; far larger "articles" are dumps or mistakes,
from bot.core.errors import UnreadablePageError
from bot.core.models import ArticleInput, Provenance
from bot.core.textnorm import any_surrogates, clean_text
from bot.web.extract import ExtractedArticle, extract_article

# News articles are rarely over 50k characters; far larger "articles" are dumps or mistakes,
# and analysing them would stall the single-process bot.
MAX_ARTICLE_CHARS = 200_000
# Refuse to even read files this large (bytes): a 5 MB text is not an article.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_JSONL_LINE_BYTES = 4 * 1024 * 1024
SUPPORTED_SUFFIXES = (".jsonl", ".txt", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not be read, with a reason a person can act on."""

    source: str
    reason: str
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """A readable record and where it came from (file, or file:line)."""

    source: str
    article: ArticleInput


def check_text(text: str) -> str | None:
    """Return why a text cannot be an article, or None when it can."""
    if not text.strip():
        return "empty text"
    if len(text) > MAX_ARTICLE_CHARS:
        return f"text too long ({len(text):,} characters; the limit is {MAX_ARTICLE_CHARS:,})"
    return None


def decode_text(data: bytes, source: str) -> str:
    """Decode UTF-8 (BOM allowed) or raise ValueError with a message saying how to fix it."""
    if b"\x00" in data[:8192]:
        raise ValueError(f"{source}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"{source}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8 and try again"
        ) from exc


def _str_field(obj: dict[str, Any], name: str) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"field {name!r} must be a string")
    text = str(value).strip()
    return text or None


def _parse_datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"published_at {value!r} is not an ISO 8601 date") from exc


def article_from_json(obj: object, *, provenance: Provenance = Provenance.IMPORT) -> ArticleInput:
    """Build an ArticleInput from one decoded JSON object; ValueError explains what is wrong."""
    if not isinstance(obj, dict):
        raise ValueError("each line must be a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError("field 'text' is required and must be a string")
    text = clean_text(text)
    problem = check_text(text)
    if problem:
        raise ValueError(problem)
    try:
        return ArticleInput(
            text=text,
            title=_str_field(obj, "title"),
            external_id=_str_field(obj, "id"),
            url=_str_field(obj, "url"),
            outlet=_str_field(obj, "outlet"),
            published_at=_parse_datetime(_str_field(obj, "published_at")),
            language=_str_field(obj, "language"),
            provenance=provenance,
        )
    except ValidationError as exc:
        raise ValueError(exc.errors()[0]["msg"]) from exc


def external_id_of(obj: object) -> str | None:
    """The record's own id, if it has a usable one (for error reports)."""
    if isinstance(obj, dict):
        value = obj.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def iter_jsonl_lines(path: Path) -> Iterator[tuple[int, object | ValueError]]:
    """Yield (line number, decoded object or the error) for each non-blank line.

    Every problem stays with its line: a line over ``MAX_JSONL_LINE_BYTES`` is skipped
    without being held in memory, nesting deeper than the parser allows and strings with
    a lone UTF-16 surrogate escape (``"\\ud800"``, which no UTF-8 file, database or terminal
    can hold) are reported with the reason, and the next line is read as usual.
    """
    with open_regular(path) as fh:
        lineno = 0
        total = 0
        while True:
            raw = fh.readline(MAX_JSONL_LINE_BYTES + 1)
            if not raw:
                return
            total += len(raw)
            if total > MAX_FILE_BYTES:  # it grew while being read
                yield lineno + 1, ValueError(f"file too large (over {MAX_FILE_BYTES:,} bytes)")
                return
            lineno += 1
            if len(raw) > MAX_JSONL_LINE_BYTES and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(fh)
                yield lineno, ValueError(
                    f"line is too long ({size:,} bytes; the limit is {MAX_JSONL_LINE_BYTES:,})"
                )
                continue
            if not raw.strip():
                continue
            yield lineno, _decode_json_line(raw)


@contextmanager
def open_regular(path: Path) -> Iterator[BinaryIO]:
    """Open ``path`` for reading only if it is a regular file within ``MAX_FILE_BYTES``.

    Opened without blocking (a FIFO would wait forever for a writer), then checked on the
    open descriptor, so a file swapped for a device or pipe after a check is still caught.
    Raises ValueError with the reason.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError("not a regular file (a device, pipe, socket or directory)")
        if info.st_size > MAX_FILE_BYTES:
            raise ValueError(f"file too large ({info.st_size:,} bytes)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_FILE_BYTES`` (ValueError otherwise, also
    for one that grows past it while being read)."""
    with open_regular(path) as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"file too large (over {MAX_FILE_BYTES:,} bytes)")
    return data


def _skip_line(fh: BinaryIO) -> int:
    """Read past the rest of an overlong line in bounded chunks; how many bytes it had."""
    skipped = 0
    while chunk := fh.readline(1024 * 1024):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _decode_json_line(raw: bytes) -> object | ValueError:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ValueError("line is not valid UTF-8")
    try:
        obj: object = json.loads(line)
    except json.JSONDecodeError as exc:
        return ValueError(f"invalid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:
        return ValueError("invalid JSON (nested too deeply)")
    if "\\u" in line and any_surrogates(obj):
        return ValueError(
            "a string holds a lone UTF-16 surrogate escape (such as \\ud800), which is not "
            "text; fix the exporter that wrote it"
        )
    return obj


def _read_jsonl(path: Path, provenance: Provenance) -> Iterator[Record | Rejected]:
    for lineno, obj in iter_jsonl_lines(path):
        source = f"{path}:{lineno}"
        if isinstance(obj, ValueError):
            yield Rejected(source, str(obj))
            continue
        try:
            yield Record(source, article_from_json(obj, provenance=provenance))
        except ValueError as exc:
            yield Rejected(source, str(exc), external_id_of(obj))


def split_headline(text: str) -> tuple[str | None, str]:
    """Treat a short first line followed by a blank line as the headline."""
    first, sep, rest = text.lstrip().partition("\n")
    first = first.strip()
    if sep and rest.startswith(("\n", "\r\n")) and 0 < len(first) <= 200 and first[-1] not in ".!?":
        return first, text
    return None, text


def _read_txt(path: Path, provenance: Provenance) -> Iterator[Record | Rejected]:
    source = str(path)
    try:
        text = clean_text(decode_text(read_regular(path), source))
    except ValueError as exc:
        yield Rejected(source, str(exc).removeprefix(f"{source}: "))
        return
    problem = check_text(text)
    if problem:
        yield Rejected(source, problem)
        return
    title, text = split_headline(text)
    yield Record(
        source,
        ArticleInput(text=text, title=title, external_id=path.stem, provenance=provenance),
    )


def _article_input(page: ExtractedArticle) -> ArticleInput:
    # The page's declared language is not passed on: themes often keep lang="en-US" over
    # Indonesian text, and the analyzer detects the language from the text itself.
    return ArticleInput(
        text=clean_text(page.text),
        title=page.title,
        url=page.url,
        outlet=page.outlet,
        published_at=page.published_at,
    )


def extract_html(html: str | bytes, *, url: str | None = None) -> ArticleInput | None:
    """Main text and metadata of an article page, or None when the page has no article.

    One extraction code path: this is ``bot.web.extract.extract_article`` (scripts, navigation,
    comments and inserts dropped) as an ``ArticleInput``.
    """
    try:
        return _article_input(extract_article(html, url=url))
    except UnreadablePageError:
        return None


def _read_html(path: Path, provenance: Provenance) -> Iterator[Record | Rejected]:
    source = str(path)
    try:
        data = read_regular(path)
    except ValueError as exc:
        yield Rejected(source, str(exc))
        return
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield Rejected(source, "looks like a binary file, not text")
        return
    # Bytes, not text: the page's BOM or <meta charset> decides how it is decoded.
    article = extract_html(data)
    if article is None:
        yield Rejected(
            source, "no article text found in the HTML page (empty, paywalled or not an article)"
        )
        return
    problem = check_text(article.text)
    if problem:
        yield Rejected(source, problem)
        return
    yield Record(
        source,
        article.model_copy(update={"external_id": path.stem, "provenance": provenance}),
    )


def read_paths(
    paths: Iterable[Path], *, provenance: Provenance = Provenance.IMPORT
) -> Iterator[Record | Rejected]:
    """Records from files and folders (recursively, in name order); problems become Rejected.

    Only regular files are read, each bounded; in a folder, a link pointing outside the
    folder is not followed (it could bring in any file the user running ingest can read).
    """
    for path in paths:
        if path.is_dir():
            yield from _read_folder(path, provenance)
        else:
            yield from _read_file(path, provenance)


def _read_folder(folder: Path, provenance: Provenance) -> Iterator[Record | Rejected]:
    root = folder.resolve()
    found = False
    for candidate in sorted(folder.rglob("*")):
        if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        found = True
        try:
            target = candidate.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link or a link loop
            yield Rejected(str(candidate), "a broken link (not followed)")
            continue
        if not target.is_relative_to(root):
            yield Rejected(str(candidate), "a link to a file outside the folder (not followed)")
            continue
        if not candidate.is_dir():
            yield from _read_file(candidate, provenance)
    if not found:
        yield Rejected(str(folder), "folder has no .jsonl, .txt or .html files")


def _read_file(path: Path, provenance: Provenance) -> Iterator[Record | Rejected]:
    if not path.exists() and not path.is_symlink():
        yield Rejected(str(path), "no such file or folder")
        return
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Rejected(str(path), "unsupported file type (use .jsonl, .txt or .html)")
        return
    try:
        if suffix == ".jsonl":
            yield from _read_jsonl(path, provenance)
        elif suffix == ".txt":
            yield from _read_txt(path, provenance)
        else:
            yield from _read_html(path, provenance)
    except ValueError as exc:
        yield Rejected(str(path), str(exc))
    except OSError as exc:
        yield Rejected(str(path), f"cannot read file: {exc.strerror or exc}")
