"""What one hostile link or feed costs the bot in memory (issue 13 floors).

    .venv/bin/python benchmarks/bench_memory.py [--users 10] [--workdir /tmp/katasiapa-bench-mem]

The real bot process (``python -m bot run``) long-polls the strict Bot API stand-in; a
hostile web site on 127.0.0.1 (``KATASIAPA_FETCH_ALLOW_PRIVATE=1``) serves:

* ``gzip x2``  a page compressed twice (``Content-Encoding: gzip, gzip``): 1 GiB of zeros,
  a few KiB on the wire;
* ``gzip bomb`` 1 GiB of zeros compressed once (1 MiB on the wire);
* ``endless``  an HTML stream that never ends (no Content-Length);
* ``huge page`` a 4.9 MB page, just under the 5 MB cap: a real article inside 4.8 MB of
  comments and navigation, which the bot reads, extracts, analyzes and stores;
* ``feed``     a feed (added with /feed_add, polled by the bot's own job) whose items are
  all of the above.

For each, the bot's RSS is read from ``/proc/PID/status`` (the peak ``VmHWM`` is reset
through ``/proc/PID/clear_refs`` before each case): extra peak over the baseline while the
link is read, for one user and for ``--users`` users at once (each their own URL, so the
single-flight cache does not help), and what is still held after the reply (retained).
The baseline is the RSS after warming up with an ordinary article link. Linux only.

Floors: one link or feed item <= 100 MB extra peak, back within 20 MB of the baseline
after the reply; 10 at once <= 300 MB extra peak.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import signal
import sys
import time
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.botapi_standin import BotApiStandIn, Call  # noqa: E402
from tests.helpers.botprocess import BotProcess, clean_env, spawn  # noqa: E402
from tests.helpers.newsite import article_page  # noqa: E402

FLOOR_ONE_MB = 100.0
FLOOR_RETAINED_MB = 20.0
FLOOR_MANY_MB = 300.0
ADMIN = 4242
START_TIMEOUT = 120.0
REPLY_TIMEOUT = 120.0
SETTLE_S = 3.0
GIB = 2**30


def _gzip_stream(size: int) -> bytes:
    """``size`` zero bytes gzipped, without holding them: what a bomb costs its maker."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(2**20)
    out = [packer.compress(block) for _ in range(size // len(block))]
    out.append(packer.flush())
    return b"".join(out)


def _huge_page(n: int) -> bytes:
    """A real article under a mountain of comments, 4.9 MB in all."""
    page = article_page(n, "id", f"Banjir rendam Lembah Rekaan {n}, ratusan warga mengungsi")
    comment = (
        '<div class="comment"><span class="author">Pembaca {i}</span> '
        "<p>Semoga cepat surut, warga di hilir juga harus waspada {i}.</p></div>\n"
    )
    pieces, size, i = [], len(page), 0
    while size < 4_900_000:
        piece = comment.format(i=i)
        pieces.append(piece)
        size += len(piece)
        i += 1
    return page.replace("<footer>", "".join(pieces) + "<footer>").encode()


class HostileSite:
    def __init__(self) -> None:
        print("preparing the hostile pages ...", flush=True)
        self.bomb = _gzip_stream(GIB)
        self.bomb2 = gzip.compress(self.bomb)
        self.base = ""
        print(
            f"  gzip bomb {len(self.bomb) / 2**20:.1f} MiB on the wire, gzip x2 "
            f"{len(self.bomb2) / 1024:.0f} KiB, both 1 GiB unpacked",
            flush=True,
        )

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/ok/{n}", self.ok)
        app.router.add_get("/bomb2/{n}", self.serve_bomb2)
        app.router.add_get("/bomb/{n}", self.serve_bomb)
        app.router.add_get("/endless/{n}", self.endless)
        app.router.add_get("/huge/{n}", self.huge)
        app.router.add_get("/feed/{n}.xml", self.feed)
        return app

    async def ok(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        return web.Response(
            text=article_page(n, "en", f"Rivermead {n} council votes to close the library"),
            content_type="text/html",
        )

    async def _send(self, request: web.Request, body: bytes, coding: str) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={"Content-Type": "text/html", "Content-Encoding": coding}
        )
        await response.prepare(request)
        try:
            for i in range(0, len(body), 65536):
                await response.write(body[i : i + 65536])
        except (ConnectionError, RuntimeError):
            pass  # the bot hung up: that is the point
        return response

    async def serve_bomb2(self, request: web.Request) -> web.StreamResponse:
        return await self._send(request, self.bomb2, "gzip, gzip")

    async def serve_bomb(self, request: web.Request) -> web.StreamResponse:
        return await self._send(request, self.bomb, "gzip")

    async def endless(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        chunk = ("<p>" + "kata siapa " * 500 + "</p>\n").encode() * 10
        try:
            while True:
                await response.write(chunk)
        except (ConnectionError, RuntimeError):
            pass
        return response

    async def huge(self, request: web.Request) -> web.Response:
        return web.Response(
            body=_huge_page(int(request.match_info["n"])), content_type="text/html"
        )

    async def feed(self, request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        kinds = ["bomb2", "bomb", "endless", "huge"]
        items = "\n".join(
            f"<item><title>Item {i}</title><link>{self.base}/{kinds[i % 4]}/{n * 100 + i}"
            f"</link><guid>f{n}-{i}</guid><description>{html.escape('x')}</description></item>"
            for i in range(12)
        )
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
            f"<link>{self.base}/</link><description>d</description>{items}</channel></rss>"
        )
        return web.Response(text=body, content_type="application/rss+xml")


@asynccontextmanager
async def serving(site: HostileSite) -> AsyncIterator[HostileSite]:
    runner = web.AppRunner(site.app())
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield site
    finally:
        await runner.cleanup()


def _status(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for {pid}")


def rss_mb(pid: int) -> float:
    return _status(pid, "VmRSS")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def peak_mb(pid: int) -> float:
    return _status(pid, "VmHWM")


def edited(users: set[int], since: float) -> Callable[[Call], bool]:
    """The answer replacing a "reading the article…" status, in one of these chats."""
    return lambda c: c.method == "editMessageText" and c.chat_id in users and c.at >= since


async def links_at_once(
    standin: BotApiStandIn, site: HostileSite, kind: str, users: list[int], first: int
) -> list[str]:
    since = time.monotonic()
    for i, user in enumerate(users):
        standin.add_text_message(f"{site.base}/{kind}/{first + i}", user_id=user)
    calls = await standin.wait_for_sent_count(
        edited(set(users), since), len(users), timeout=REPLY_TIMEOUT
    )
    return [(c.text or "")[:60] for c in calls]


async def measure(
    bot: BotProcess, baseline: float, label: str, action: Callable[[], object]
) -> tuple[float, float]:
    pid = bot.proc.pid
    before = rss_mb(pid)
    reset_peak(pid)
    started = time.perf_counter()
    answers = await action()  # type: ignore[misc]
    took = time.perf_counter() - started
    peak = peak_mb(pid) - before
    await asyncio.sleep(SETTLE_S)
    retained = rss_mb(pid) - baseline
    shown = sorted(set(answers)) if isinstance(answers, list) else answers
    print(f"  {label:<34} extra peak {peak:6.1f} MB   retained {retained:6.1f} MB   "
          f"{took:5.1f} s   {shown}", flush=True)  # fmt: skip
    return peak, retained


def fresh_db(workdir: Path) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "mem.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def children(pid: int) -> int:
    """Processes started by the bot (worker pools); their memory is not in the bot's RSS."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                count += 1
        except (OSError, ValueError, IndexError):
            continue
    return count


async def run(args: argparse.Namespace) -> int:
    db = fresh_db(args.workdir)
    site = HostileSite()
    standin = BotApiStandIn()
    await standin.start()
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_DB=str(db),
        KATASIAPA_FETCH_ALLOW_PRIVATE="1",
        KATASIAPA_ADMIN_IDS=str(ADMIN),
        KATASIAPA_FEED_POLL_S="1",
        KATASIAPA_FLOOD_LIMIT="1000",
    )
    bot = await spawn(args.workdir, env, "run")
    results: dict[str, tuple[float, float]] = {}
    try:
        async with serving(site):
            await standin.wait_for_polling(timeout=START_TIMEOUT)
            pid = bot.proc.pid
            # Warm up: every code path once (imports, caches), then the baseline.
            for i, kind in enumerate(["ok", "ok", "huge", "bomb", "bomb2", "endless", "ok"]):
                await links_at_once(standin, site, kind, [50 + i], 9000 + i)
            await asyncio.sleep(SETTLE_S)
            baseline = rss_mb(pid)
            print(f"bot pid {pid}: baseline RSS after warm-up {baseline:.1f} MB\n")
            for n, (kind, label) in enumerate([
                ("bomb2", "gzip x2, 1 GiB unpacked"),
                ("bomb", "gzip bomb, 1 GiB unpacked"),
                ("endless", "endless stream"),
                ("huge", "huge page 4.9 MB (read, stored)"),
            ], start=1):  # fmt: skip
                one = [1000 + n]
                results[f"{kind} x1"] = await measure(
                    bot, baseline, f"{label}, 1 user",
                    lambda kind=kind, one=one, n=n: links_at_once(
                        standin, site, kind, one, n * 1000),
                )  # fmt: skip
                many = [2000 + n * 100 + i for i in range(args.users)]
                results[f"{kind} x{args.users}"] = await measure(
                    bot, baseline, f"{label}, {args.users} users at once",
                    lambda kind=kind, many=many, n=n: links_at_once(
                        standin, site, kind, many, n * 1000 + 100),
                )  # fmt: skip
            results["feed"] = await measure(
                bot, baseline, "feed of 12 hostile items", lambda: poll_feed(standin, site)
            )
        print()
        ok = True
        for name, (peak, retained) in results.items():
            many = name.endswith(f"x{args.users}") and args.users > 1
            floor = FLOOR_MANY_MB if many or name == "feed" else FLOOR_ONE_MB
            met = peak <= floor and retained <= FLOOR_RETAINED_MB
            ok &= met
            print(f"  {name:<16} peak {peak:6.1f} <= {floor:.0f} MB, retained {retained:5.1f} "
                  f"<= {FLOOR_RETAINED_MB:.0f} MB: {'met' if met else 'NOT MET'}")  # fmt: skip
        print(f"\nworker processes of the bot at the end: {children(pid)} (none expected: "
              "fewer than 40 feed items read in-process)")  # fmt: skip
        code = await bot.stop(signal.SIGTERM)
        print(f"bot stopped with SIGTERM: exit code {code}; floors {'met' if ok else 'NOT met'}")
        tracebacks = bot.output().count("Traceback")
        print(f"tracebacks in the bot's log: {tracebacks}")
        return 0
    finally:
        await bot.kill()
        await standin.close()


async def poll_feed(standin: BotApiStandIn, site: HostileSite) -> str:
    """/feed_add a hostile feed; the bot's feed job polls it within a second; wait until
    /feeds shows the poll done: the three huge pages stored, the nine others failed alone."""
    since = time.monotonic()
    standin.add_text_message(f"/feed_add {site.base}/feed/7.xml", user_id=ADMIN)
    await standin.wait_for_sent(
        lambda c: c.chat_id == ADMIN and c.at >= since and "Feed #" in (c.text or ""),
        timeout=REPLY_TIMEOUT,
    )
    deadline = time.monotonic() + REPLY_TIMEOUT
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        asked = _listing_after(time.monotonic())
        standin.add_text_message("/feeds", user_id=ADMIN)
        listing = await standin.wait_for_sent(asked, timeout=REPLY_TIMEOUT)
        text = listing.text or ""
        if "[error]" in text or ("[ok]" in text and "3 articles added" in text):
            return text.splitlines()[-1][-60:]
    raise TimeoutError("the feed was not polled")


def _listing_after(asked: float) -> Callable[[Call], bool]:
    return lambda c: c.chat_id == ADMIN and c.at >= asked and "#1" in (c.text or "")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--users", type=int, default=10, help="users at once (10)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/katasiapa-bench-mem"))
    sys.exit(asyncio.run(run(ap.parse_args())))


if __name__ == "__main__":
    main()
