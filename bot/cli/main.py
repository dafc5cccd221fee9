"""The ``katasiapa`` command line: analyze, ingest, show, stats, ask, feeds, backup, run.

Exit codes: 0 success; 1 the work ran but something failed (a rejected record, a storage
error); 2 the request itself is unusable (bad arguments, settings, input text).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.archive.files import (
    MAX_FILE_BYTES,
    Record,
    Rejected,
    article_from_json,
    check_text,
    decode_text,
    extract_html,
    iter_jsonl_lines,
    read_paths,
    read_regular,
)
from bot.cli.report import format_analysis, format_article, format_stats
from bot.core.errors import (
    ConfigError,
    InputError,
    KataSiapaError,
    QueryTooLongError,
    StorageError,
)
from bot.core.ids import parse_id
from bot.core.models import IngestStatus, Provenance
from bot.core.textnorm import clean_text, has_surrogates
from bot.settings import Settings
from storage.stores import Stores, backup_archive, check_archive, open_stores

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
OPTIMIZE_AFTER = 1000  # articles added in one ingest run


def _build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH|URL",
        help="the archive: a SQLite file or a postgresql:// URL "
        "(default: $KATASIAPA_DB or data/katasiapa.sqlite3)",
    )
    parser = argparse.ArgumentParser(
        prog="katasiapa",
        description="Kata Siapa: who said what in the news — analyze articles, keep an archive, "
        "run the Telegram bot.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "analyze", parents=[common], help="print the claims and sources of one article"
    )
    p.add_argument("file", nargs="?", default="-", help="text or .html file, or - for stdin")
    p.add_argument("--lang", default="auto", help="auto (default), id or en")
    p.add_argument("--title", help="headline, if not the first line of the text")
    p.add_argument("--json", action="store_true", help="print the analysis object as JSON")
    p.add_argument(
        "--jsonl", type=Path, metavar="IN.jsonl", help="batch mode: one JSON object per line"
    )

    p = sub.add_parser(
        "ingest", parents=[common], help="add .jsonl/.txt/.html files or folders to the archive"
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument(
        "--curated", action="store_true", help="mark the articles as curated by an editor"
    )
    p.add_argument("--quiet", action="store_true", help="print only rejections and the summary")

    p = sub.add_parser("show", parents=[common], help="show one stored article with its claims")
    p.add_argument("id", help="archive id, or the source's own id (external_id)")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("stats", parents=[common], help="archive size and contents")
    p.add_argument("--json", action="store_true")

    p = sub.add_parser(
        "ask", parents=[common], help="who said this? match a forwarded text or a quote"
    )
    p.add_argument("text", nargs="?", help="the forwarded text or quote (- for stdin)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--jsonl", type=Path, metavar="IN.jsonl", help='batch mode: lines {"id", "text"}'
    )

    p = sub.add_parser("feeds", parents=[common], help="news feeds that keep the archive fresh")
    feeds = p.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    f = feeds.add_parser("add", parents=[common], help="add an RSS or Atom feed")
    f.add_argument("url")
    f.add_argument("--every", type=int, default=15, metavar="MIN", help="poll interval (min)")
    feeds.add_parser("list", parents=[common], help="list the feeds and their last poll")
    f = feeds.add_parser("remove", parents=[common], help="remove a feed")
    f.add_argument("id", type=_id_arg, metavar="ID")
    f = feeds.add_parser("poll", parents=[common], help="poll the due feeds now")
    f.add_argument("--all", action="store_true", help="poll every feed, due or not")

    p = sub.add_parser(
        "migrate-archive",
        help="copy a SQLite archive into an empty PostgreSQL database and verify the counts",
    )
    p.add_argument("--from", dest="source", required=True, type=Path, metavar="PATH")
    p.add_argument("--to", dest="target", required=True, metavar="URL")

    p = sub.add_parser(
        "backup",
        parents=[common],
        help="copy the archive to a file (safe while the bot runs; checked after copying)",
    )
    p.add_argument("dest", type=Path, metavar="DEST", help="the backup file to write")

    run = sub.add_parser(
        "run", parents=[common], help="start the Telegram bot (long polling, or a webhook)"
    )
    run.add_argument(
        "--webhook",
        metavar="URL",
        help="receive updates at this public https URL instead of polling "
        "(needs KATASIAPA_WEBHOOK_SECRET; listens on KATASIAPA_WEBHOOK_LISTEN:PORT)",
    )
    return parser


def _id_arg(value: str) -> int:
    """argparse type for an archive id (a number past SQLite's range is a usage error)."""
    parsed = parse_id(value)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not an id: {value[:20]!r}")
    return parsed


def _settings(args: argparse.Namespace) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"Invalid settings (environment or .env): {problems}") from exc
    if getattr(args, "db", None) is not None:
        settings = settings.model_copy(update={"db_path": args.db})
    return settings


def _print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def _read_input_text(file: str) -> tuple[str, str | None]:
    """The article text (and HTML title) from a file or stdin; InputError says what is wrong."""
    if file == "-":
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        source, is_html = "standard input", False
    else:
        path = Path(file)
        if not path.exists():
            raise InputError(f"{file}: no such file")
        try:
            data = read_regular(path)  # not a FIFO (would hang) nor /dev/zero (endless)
        except ValueError as exc:
            raise InputError(f"{file}: {exc}") from exc
        source, is_html = file, path.suffix.lower() in (".html", ".htm")
    try:
        text = decode_text(data, source)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    title = None
    if is_html:
        article = extract_html(text)
        if article is None:
            raise InputError(f"{file}: no article text found in the HTML page")
        text, title = article.text, article.title
    text = clean_text(text)
    problem = check_text(text)
    if problem:
        raise InputError(f"{source}: {problem}")
    return text, title


def cmd_analyze(args: argparse.Namespace) -> int:
    from bot.analysis import analyze

    if args.jsonl is not None:
        return _analyze_jsonl(args.jsonl)
    text, html_title = _read_input_text(args.file)
    analysis = analyze(text, title=args.title or html_title, language=args.lang)
    if args.json:
        _print_json(analysis.model_dump(mode="json"))
    else:
        print(format_analysis(analysis))
    return EXIT_OK


def _analyze_jsonl(path: Path) -> int:
    from bot.analysis import analyze

    if not path.exists():
        raise InputError(f"{path}: no such file")
    failed = readable = 0
    for lineno, obj in _jsonl_lines(path):
        record_id = _record_id(obj)
        try:
            if isinstance(obj, ValueError):
                raise obj
            readable += 1
            item = article_from_json(obj)
            analysis = analyze(item.text, title=item.title, language=item.language or "auto")
        except (ValueError, InputError) as exc:
            failed += 1
            message = exc.user_message() if isinstance(exc, InputError) else str(exc)
            _print_json({"id": record_id, "error": f"line {lineno}: {message}"})
            continue
        _print_json({"id": record_id, **analysis.model_dump(mode="json")})
    if failed:
        print(f"{failed} line(s) could not be analyzed", file=sys.stderr)
    return _batch_exit(failed, readable)


def _jsonl_lines(path: Path) -> Iterator[tuple[int, object | ValueError]]:
    """The lines of a batch file; a file that cannot be read at all (a pipe, a device, too
    large) is unusable input."""
    try:
        yield from iter_jsonl_lines(path)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from exc


def _batch_exit(failed: int, readable: int) -> int:
    """0 all good; 1 some lines or records failed; 2 nothing in the input could be read at
    all (every line unusable: too long, not JSON, not UTF-8) - the request itself is."""
    if not failed:
        return EXIT_OK
    return EXIT_FAILED if readable else EXIT_USAGE


def _record_id(obj: object) -> str | int | None:
    """A line's own id, to echo with its result: only a plain string or number (an id that
    is a 900-deep list must not take the output down with it)."""
    value = obj.get("id") if isinstance(obj, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return value


async def _open(settings: Settings, *, sample: bool = True) -> Stores:
    """Open the archive; a new, empty one gets the bundled sample first (as ``run`` does),
    and one line on stderr says so. ``ingest`` passes ``sample=False``: whoever fills an
    archive with their own articles never gets invented ones mixed in."""
    stores = await open_stores(
        settings.db_path,
        busy_timeout_ms=settings.busy_timeout_ms,
        pool_size=settings.db_pool_size,
    )
    if sample and settings.load_sample:
        from bot.archive.ingest import load_sample_if_empty

        try:
            added = await load_sample_if_empty(stores.articles)
        except BaseException:
            await stores.close()
            raise
        if added:
            print(
                f"New archive {settings.db_path}: imported the bundled sample ({added} invented "
                "articles, see bot/sample/README.md; KATASIAPA_LOAD_SAMPLE=false starts empty).",
                file=sys.stderr,
            )
    return stores


async def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.archive.ingest import ingest

    provenance = Provenance.CURATED if args.curated else Provenance.IMPORT
    stores = await _open(settings, sample=False)
    counts = dict.fromkeys(IngestStatus, 0)
    readable = 0

    def counted(entries: Iterable[Record | Rejected]) -> Iterator[Record | Rejected]:
        nonlocal readable
        for entry in entries:
            readable += isinstance(entry, Record)
            yield entry

    try:
        entries = counted(read_paths(args.paths, provenance=provenance))
        async for result in ingest(stores.articles, entries):
            counts[result.status] += 1
            ref = f" [{result.external_id}]" if result.external_id else ""
            if result.status is IngestStatus.REJECTED:
                print(f"rejected  {result.source}{ref}: {result.reason}")
            elif not args.quiet:
                label = "added   " if result.status is IngestStatus.ADDED else "present "
                print(f"{label}  {result.source}{ref} -> #{result.article_id}")
        if counts[IngestStatus.ADDED] >= OPTIMIZE_AFTER:
            # Merging the FTS segments after a big import keeps matching latency low; not
            # worth it for a few articles (FTS5 automerges incrementally).
            print("optimizing the search index ...", file=sys.stderr)
            await stores.articles.optimize_search()
    finally:
        await stores.close()
    print(
        f"{counts[IngestStatus.ADDED]} added, {counts[IngestStatus.PRESENT]} already present, "
        f"{counts[IngestStatus.REJECTED]} rejected"
    )
    return _batch_exit(counts[IngestStatus.REJECTED], readable)


async def _show(args: argparse.Namespace, settings: Settings) -> int:
    stores = await _open(settings)
    location = stores.location
    try:
        article = None
        if (article_id := parse_id(args.id)) is not None:
            article = await stores.articles.get(article_id)
        if article is None:
            article = await stores.articles.get_by_external_id(args.id)
    finally:
        await stores.close()
    if article is None:
        print(f"No article with id {args.id!r} in {location}.", file=sys.stderr)
        return EXIT_FAILED
    if args.json:
        _print_json(article.model_dump(mode="json"))
    else:
        print(format_article(article))
    return EXIT_OK


async def _stats(args: argparse.Namespace, settings: Settings) -> int:
    stores = await _open(settings)
    try:
        stats = await stores.articles.stats()
    finally:
        await stores.close()
    if args.json:
        _print_json(stats.model_dump(mode="json"))
    else:
        print(f"Archive: {stores.location}\n" + format_stats(stats))
    return EXIT_OK


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    """``katasiapa ask``: exactly what the bot runs for a forwarded text, printed."""
    from bot.cli.report import format_ask
    from bot.lookup.ask import ask

    if args.jsonl is None and args.text is None:
        raise InputError("give the text to look up, - for stdin, or --jsonl IN.jsonl")
    if args.jsonl is not None and not args.jsonl.exists():
        raise InputError(f"{args.jsonl}: no such file")
    stores = await _open(settings)
    try:
        if args.jsonl is None:
            text = _query_text(args.text, settings.max_query_chars)
            result = await ask(stores.index, text, settings)
            if args.json:
                _print_json(result.model_dump(mode="json", exclude_none=True))
            else:
                print(format_ask(result))
            return EXIT_OK
        failed = readable = 0
        for lineno, obj in _jsonl_lines(args.jsonl):
            record_id = _record_id(obj)
            if isinstance(obj, ValueError):
                failed += 1
                _print_json({"id": None, "error": f"line {lineno}: {obj}"})
                continue
            readable += 1
            query = obj.get("text") if isinstance(obj, dict) else None
            if not isinstance(query, str):
                failed += 1
                _print_json({"id": record_id, "error": f'line {lineno}: no "text" string'})
                continue
            try:
                result = await ask(stores.index, query, settings, analyze_unmatched=False)
            except InputError as exc:
                failed += 1
                _print_json({"id": record_id, "error": f"line {lineno}: {exc.user_message()}"})
                continue
            _print_json({"id": record_id, **result.model_dump(mode="json", exclude_none=True)})
        if failed:
            print(f"{failed} line(s) could not be looked up", file=sys.stderr)
        return _batch_exit(failed, readable)
    finally:
        await stores.close()


def _query_text(arg: str, max_chars: int) -> str:
    """The text to look up: the argument, or standard input for ``-`` (read no further than
    the longest query allowed, so a 100 MB pipe is refused without being held)."""
    if arg == "-":
        data = sys.stdin.buffer.read(max_chars * 4 + 1)
        if len(data) > max_chars * 4:
            raise QueryTooLongError(f"standard input is over {max_chars:,} characters")
        try:
            return decode_text(data, "standard input")
        except ValueError as exc:
            raise InputError(str(exc)) from exc
    if has_surrogates(arg):  # bytes the terminal's encoding could not decode
        raise InputError("the text is not valid UTF-8")
    return arg


async def _feeds(args: argparse.Namespace, settings: Settings) -> int:
    """``katasiapa feeds add|list|remove|poll``: the same FeedService the bot schedules."""
    from bot.web.feeds import FeedService
    from bot.web.fetch import Fetcher
    stores = await _open(settings)
    fetcher = Fetcher(settings.fetch_limits())
    service = FeedService(stores.feeds, stores.articles, fetcher)
    try:
        if args.feeds_command == "add":
            if args.every < 1:
                raise InputError("--every must be at least 1 minute")
            feed, added = await service.add(args.url, interval_s=args.every * 60)
            verb = "added" if added else "already in the list"
            print(f"#{feed.id} {feed.url} ({feed.title or 'untitled'}): {verb}")
        elif args.feeds_command == "list":
            for feed in await service.all():
                polled = (
                    feed.last_polled.isoformat(timespec="seconds") if feed.last_polled else "never"
                )
                problem = f" — {feed.last_error}" if feed.last_error else ""
                print(
                    f"#{feed.id} {feed.url} ({feed.title or 'untitled'}) every "
                    f"{feed.interval_s // 60} min; last poll {polled} "
                    f"[{feed.last_status or '-'}]{problem}; {feed.items_added} articles added"
                )
        elif args.feeds_command == "remove":
            if not await service.remove(args.id):
                print(f"No feed #{args.id}.", file=sys.stderr)
                return EXIT_FAILED
            print(f"Feed #{args.id} removed.")
        else:
            poll = await service.poll_due(everything=args.all)
            print(
                f"Polled {poll.feeds} feeds ({poll.not_modified} unchanged, "
                f"{poll.failed_feeds} failed): {poll.new_items} new items, {poll.added} "
                f"articles added, {poll.present} already present, {poll.failed_items} "
                f"unreadable, in {poll.seconds:.1f} s"
            )
            return EXIT_FAILED if poll.failed_feeds else EXIT_OK
        return EXIT_OK
    finally:
        await fetcher.close()
        await stores.close()


async def _migrate_archive(args: argparse.Namespace, settings: Settings) -> int:
    """``katasiapa migrate-archive --from PATH --to URL``: everything, with its ids, in one
    transaction; the row counts of every table are compared before it commits."""
    from storage.db import Database
    from storage.postgres.db import PgDatabase, is_postgres_url
    from storage.postgres.transfer import copy_archive

    if not is_postgres_url(args.target):
        raise InputError(f"--to must be a postgresql:// URL, not {args.target!r}")
    if not args.source.is_file():
        raise InputError(f"{args.source}: no such SQLite archive")
    source = await Database.open(args.source, read_only=True)
    try:
        target = await PgDatabase.open(
            args.target, lock_timeout_ms=settings.busy_timeout_ms, pool_size=2
        )
        try:
            last = [""]

            def progress(table: str, rows: int) -> None:
                if table != last[0] or rows % 50_000 == 0:
                    print(f"  copying {table} ... {rows:,}", file=sys.stderr)
                last[0] = table

            report = await copy_archive(source, target, progress=progress)
            print("optimizing the search index ...", file=sys.stderr)
            async with target.pool.connection() as conn:
                with target.errors():
                    await conn.execute("VACUUM (ANALYZE)")
        finally:
            await target.close()
    finally:
        await source.close()
    for table, count in report.source.items():
        print(f"{table:20} {count:>10,} -> {report.target.get(table, 0):>10,}  ok")
    print(
        f"Copied {source.path} into {target.location} in {report.seconds:.0f} s; "
        "every count matches."
    )
    return EXIT_OK


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run_bot

    settings.bot_token()  # fail with the BotFather how-to before anything starts
    # Never start (and write) on a damaged archive; a huge one is checked for a while.
    limit = settings.integrity_check_s
    if limit > 0 and not check_archive(settings.db_path, seconds=limit):
        logging.getLogger(__name__).warning(
            "The integrity check of %s did not finish in %.0f s (a large archive); starting "
            "anyway. `katasiapa backup` checks a copy in full.", settings.db_path, limit,
        )  # fmt: skip
    run_bot(settings, webhook_url=args.webhook)
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """``katasiapa backup DEST``: SQLite's online backup API, then a full check of the copy."""
    dest: Path = args.dest
    if dest.exists():
        raise InputError(f"{dest} already exists; give a new file name (backups are kept)")
    if not dest.parent.is_dir():
        raise InputError(f"{dest.parent} is not a directory")
    pages = backup_archive(settings.db_path, dest)
    size = dest.stat().st_size / 2**20
    print(f"Backed up {settings.db_path} to {dest}: {pages:,} pages, {size:.1f} MiB, "
          "integrity check ok.")  # fmt: skip
    return EXIT_OK


def _configure_logging(level: str, command: str) -> None:
    """The bot logs at the configured level; the other commands print results and errors
    only (their INFO lines, such as applied migrations, would be mixed into the output),
    unless DEBUG is asked for."""
    if command != "run" and level.upper() != "DEBUG":
        level = "WARNING"
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``katasiapa`` console script and ``python -m bot``."""
    args = _build_parser().parse_args(argv)
    try:
        if args.command == "analyze":
            return cmd_analyze(args)
        settings = _settings(args)
        _configure_logging(settings.log_level, args.command)
        if args.command == "run":
            return cmd_run(args, settings)
        if args.command == "backup":
            return cmd_backup(args, settings)
        handler = {
            "ingest": _ingest,
            "show": _show,
            "stats": _stats,
            "ask": _ask,
            "feeds": _feeds,
            "migrate-archive": _migrate_archive,
        }[args.command]
        return asyncio.run(handler(args, settings))
    except ConfigError as exc:
        print(exc.user_message(), file=sys.stderr)
        return EXIT_USAGE
    except InputError as exc:
        print(f"error: {exc.user_message()}", file=sys.stderr)
        return EXIT_USAGE
    except StorageError as exc:
        print(f"archive error: {exc.user_message()}", file=sys.stderr)
        return EXIT_FAILED
    except KataSiapaError as exc:
        print(f"error: {exc.user_message()}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `katasiapa analyze --jsonl ... | head` must not print a traceback.
        return EXIT_OK

