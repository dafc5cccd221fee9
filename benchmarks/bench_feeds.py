"""Feed polling throughput (issue 6 floor): 200 feeds with 20 new items each, polled against
a local news site, must finish within 2 minutes on the 2-core development machine.

    .venv/bin/python benchmarks/bench_feeds.py [--feeds 200] [--items 20] [--workers 2]
        [--plain]

Every item is fetched through the safe fetcher, extracted (trafilatura + metadata),
analyzed and stored, exactly as the bot's scheduled poll does. The article pages weigh what
a real portal's do (~240 KB: inline scripts and styles, mega-menus, trending lists, 300
comments around a 15-paragraph article; ``tests.helpers.newsite.portal_page``); ``--plain``
uses the 1.5 KB template pages instead, which flatter the figure. Prints the time, the
throughput and whether the floor is met; then polls again to show an unchanged feed costs
one conditional request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.web.feeds import FeedService  # noqa: E402
from bot.web.fetch import Fetcher, FetchLimits  # noqa: E402
from storage.articles import SqliteArticleStore  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.feeds import SqliteFeedStore  # noqa: E402
from tests.helpers.newsite import article_page, portal_page  # noqa: E402

FLOOR_S = 120.0


async def run(feeds: int, items: int, workers: int, plain: bool) -> bool:
    cores = os.cpu_count()
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}")
    # The site runs in its own process, as a remote server would: its CPU is not ours.
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.helpers.newsite", "--feeds", str(feeds),
        "--items", str(items), *([] if plain else ["--portal"]),
        stdout=asyncio.subprocess.PIPE, cwd=REPO,
    )  # fmt: skip
    assert server.stdout is not None
    base = (await server.stdout.readline()).decode().strip()
    sample = (portal_page if not plain else article_page)(1, "id", "Judul contoh")
    print(f"article pages: {'plain template' if plain else 'portal-weight'}, "
          f"{len(sample.encode()) / 1024:.0f} KiB each")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "feeds.sqlite3")
        fetcher = Fetcher(FetchLimits(allow_private=True, max_concurrent=32))
        try:
            store = SqliteFeedStore(db)
            now = datetime.now(UTC)
            for i in range(feeds):
                await store.add(f"{base}/feed/{i}.xml", None, interval_s=900, next_poll=now)
            service = FeedService(store, SqliteArticleStore(db), fetcher, workers=workers)
            started = time.perf_counter()
            poll = await service.poll_due()
            elapsed = time.perf_counter() - started
            print(
                f"first poll: {poll.feeds} feeds, {poll.new_items} new items, {poll.added} "
                f"added, {poll.failed_items} unreadable, {poll.failed_feeds} feeds failed"
            )
            print(f"time: {elapsed:.1f} s ({poll.added / elapsed:.0f} articles/s)")
            started = time.perf_counter()
            again = await service.poll_due(everything=True)
            print(
                f"second poll (nothing changed): {again.not_modified}/{again.feeds} feeds "
                f"answered 304, {again.new_items} new items, "
                f"{time.perf_counter() - started:.2f} s"
            )
        finally:
            server.terminate()
            await server.wait()
            await fetcher.close()
            await db.close()
    ok = elapsed <= FLOOR_S and poll.added == feeds * items
    print(
        f"floor: {feeds} feeds x {items} items within {FLOOR_S:.0f} s: {'PASS' if ok else 'FAIL'}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plain", action="store_true", help="the 1.5 KB template pages")
    args = parser.parse_args()
    sys.exit(0 if asyncio.run(run(args.feeds, args.items, args.workers, args.plain)) else 1)


if __name__ == "__main__":
    main()
