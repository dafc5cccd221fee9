"""A small news site on 127.0.0.1 for link and feed tests: invented article pages in both
languages (with navigation, ads and comments around the text), an RSS and an Atom feed
that gain items between polls (with ETag / Last-Modified), and a few broken things."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from aiohttp import web

BASE_DATE = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)


def article_body(n: int, language: str) -> list[str]:
    """Invented paragraphs with attributions, different per article number."""
    if language == "id":
        return [
            f"Pemerintah Kabupaten Lembah Rekaan {n} menetapkan status tanggap darurat setelah "
            f"banjir merendam {n * 12 + 40} rumah warga pada Selasa malam.",
            f'"Kami sudah mengerahkan {n + 3} perahu karet dan dapur umum," kata Kepala BPBD '
            f"Lembah Rekaan, Hendra Wibisono{n}, kepada wartawan di posko pengungsian.",
            f"Menurut data sementara dinas sosial, sebanyak {n * 30 + 100} warga mengungsi ke "
            "balai desa dan sekolah terdekat.",
            f"Seorang warga, Rina Kartika{n}, mengatakan air naik dengan cepat sejak pukul "
            "sembilan malam dan ia tidak sempat menyelamatkan barang-barangnya.",
            "Perusahaan tambang pasir di hulu sungai membantah tuduhan bahwa kegiatan mereka "
            "memperparah banjir, dan menyebut curah hujan ekstrem sebagai penyebab utama.",
        ]
    return [
        f"The town council of Rivermead {n} voted on Tuesday to close the old Harbour Road "
        f"library, ending {n + 60} years of service.",
        f'"We simply cannot afford the repairs," council leader Margaret Holloway{n} told '
        "reporters after the vote, adding that the books would move to the town hall.",
        f"According to a petition organiser, Daniel Okafor{n}, more than {n * 100 + 900} "
        "residents signed a petition asking the council to keep the building open.",
        "A spokesperson for the county library service declined to comment on the decision.",
        "The council said it could not independently verify the number of signatures.",
    ]


def article_page(n: int, language: str, title: str) -> str:
    paragraphs = article_paragraphs(n, language)
    read_also = "Baca juga: Harga cabai naik lagi" if language == "id" else "Read more: Weather"
    return f"""<!doctype html><html lang="{language}"><head><meta charset="utf-8">
<title>{html.escape(title)} | Warta Contoh</title>
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="Warta Contoh">
<meta property="article:published_time" content="{(BASE_DATE + timedelta(hours=n)).isoformat()}">
</head><body>
<nav><a href="/">Beranda</a> <a href="/nasional">Nasional</a> <a href="/olahraga">Olahraga</a></nav>
<div class="ad">ADVERTISEMENT</div>
<article><h1>{html.escape(title)}</h1>
<p class="byline">Oleh Redaksi · {(BASE_DATE + timedelta(hours=n)):%d %B %Y}</p>
{paragraphs}
<p><strong>{read_also}</strong></p>
</article>
<section class="comments"><h3>Komentar</h3><p>Mantap beritanya min!</p></section>
<footer>© 2026 Warta Contoh · Pedoman Media Siber</footer>
</body></html>"""


_PORTAL_SECTIONS = ("Nasional", "Internasional", "Ekonomi", "Olahraga", "Teknologi",
                    "Hiburan", "Otomotif", "Kesehatan", "Properti", "Wisata")  # fmt: skip


def portal_page(n: int, language: str, title: str) -> str:
    """The same article inside what a real news portal wraps around it (~250 KB of HTML, as
    the front pages of large Indonesian and English outlets weigh): inline scripts and
    styles, a tracking config blob, mega-menus, trending and related lists, a long comment
    thread, and an article of 15 paragraphs rather than 5."""
    body = article_body(n, language)
    paragraphs = [*body, *(f"{p} (lanjutan {k})" for k in range(2) for p in body)]
    article = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    script = "var cfg={" + ",".join(f'"k{i}":"{"v" * 40}{i}"' for i in range(1500)) + "};"
    style = "".join(f".c{i}{{margin:{i % 9}px;color:#{i:06x}}}" for i in range(3000))
    menu = "".join(
        f'<li><a href="/{s.lower()}/{j}">{s} {j}</a></li>' for s in _PORTAL_SECTIONS
        for j in range(25)
    )  # fmt: skip
    teasers = "".join(
        f'<li class="teaser"><a href="/berita/{n}-{k}"><img src="/i/{k}.jpg" alt="">'
        f"<span>Berita terkait nomor {k} tentang {_PORTAL_SECTIONS[k % 10]}</span></a></li>"
        for k in range(60)
    )
    comments = "".join(
        f'<div class="comment"><b>Pembaca{k}</b><p>Komentar pembaca nomor {k}: semoga '
        "pemerintah segera bertindak dan warga tetap waspada.</p></div>"
        for k in range(300)
    )
    page = article_page(n, language, title)
    page = page.replace("</head>", f"<style>{style}</style><script>{script}</script></head>")
    page = page.replace("<nav>", f"<nav><ul class='mega'>{menu}</ul>")
    page = page.replace(article_paragraphs(n, language), article)
    return page.replace(
        '<section class="comments">',
        f'<aside><h3>Terpopuler</h3><ol>{teasers}</ol></aside><section class="comments">'
        f"{comments}",
    )


def article_paragraphs(n: int, language: str) -> str:
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in article_body(n, language))


@dataclass
class NewsSite:
    """State the tests change between polls."""

    rss_items: int = 3
    atom_items: int = 2
    broken_items: set[int] = field(default_factory=set)  # article numbers that answer 404
    js_items: set[int] = field(default_factory=set)  # feed items whose link goes to javascript:
    hits: dict[str, int] = field(default_factory=dict)
    feeds: int = 1  # how many numbered RSS feeds /feed/{i}.xml exist (for the benchmark)
    portal: bool = False  # article pages as heavy as a real portal's (for the benchmark)
    base: str = ""

    def _hit(self, request: web.Request) -> None:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/rss.xml", self.rss)
        app.router.add_get("/feed/{i}.xml", self.numbered_rss)
        app.router.add_get("/atom.xml", self.atom)
        app.router.add_get("/a/{lang}/{n}.html", self.article)
        app.router.add_get("/not-a-feed", self.not_a_feed)
        app.router.add_get("/go/js/{n}.html", self.to_javascript)
        return app

    async def to_javascript(self, request: web.Request) -> web.Response:
        """A link shortener gone bad: a redirect to a javascript: URL."""
        self._hit(request)
        return web.Response(status=302, headers={"Location": "javascript:alert(1)"})

    def _link(self, language: str, n: int) -> str:
        if n in self.js_items:
            return f"{self.base}/go/js/{n}.html"
        return f"{self.base}/a/{language}/{n}.html"

    def _title(self, n: int, language: str) -> str:
        if language == "id":
            return f"Banjir rendam Lembah Rekaan {n}, ratusan warga mengungsi"
        return f"Rivermead {n} council votes to close Harbour Road library"

    def _rss(self, prefix: str, items: range, language: str) -> str:
        entries = "\n".join(
            f"""<item><title>{html.escape(self._title(n, language))}</title>
<link>{self._link(language, n)}</link><guid>{prefix}-{n}</guid>
<pubDate>{(BASE_DATE + timedelta(hours=n)):%a, %d %b %Y %H:%M:%S +0000}</pubDate>
<description>{html.escape(article_body(n, language)[0])}</description></item>"""
            for n in items
        )
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Warta Contoh {prefix}</title><link>{self.base}/</link>
<description>Berita contoh</description>{entries}</channel></rss>"""

    async def _conditional(self, request: web.Request, body: str, kind: str) -> web.Response:
        etag = f'"{abs(hash(body))}"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304)
        return web.Response(text=body, content_type=kind, headers={"ETag": etag})

    async def rss(self, request: web.Request) -> web.Response:
        self._hit(request)
        body = self._rss("rss", range(1, self.rss_items + 1), "id")
        return await self._conditional(request, body, "application/rss+xml")

    async def numbered_rss(self, request: web.Request) -> web.Response:
        self._hit(request)
        i = int(request.match_info["i"])
        start = i * 1000
        body = self._rss(f"f{i}", range(start, start + self.rss_items), "id" if i % 2 else "en")
        return await self._conditional(request, body, "application/rss+xml")

    async def atom(self, request: web.Request) -> web.Response:
        self._hit(request)
        entries = "\n".join(
            f"""<entry><title>{html.escape(self._title(n, "en"))}</title>
<link href="{self._link("en", n)}"/><id>urn:example:atom:{n}</id>
<updated>{(BASE_DATE + timedelta(hours=n)).isoformat()}</updated>
<summary>{html.escape(article_body(n, "en")[0])}</summary></entry>"""
            for n in range(101, 101 + self.atom_items)
        )
        body = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Rivermead Example News</title>
<id>urn:example:atom</id><updated>{BASE_DATE.isoformat()}</updated>{entries}</feed>"""
        return await self._conditional(request, body, "application/atom+xml")

    async def article(self, request: web.Request) -> web.Response:
        self._hit(request)
        n = int(request.match_info["n"])
        language = request.match_info["lang"]
        if n in self.broken_items:
            return web.Response(status=404, text="gone")
        page = portal_page if self.portal else article_page
        return web.Response(
            text=page(n, language, self._title(n, language)), content_type="text/html"
        )

    async def not_a_feed(self, request: web.Request) -> web.Response:
        return web.Response(text="<html><body><p>Hello</p></body></html>", content_type="text/html")


@asynccontextmanager
async def serve(site: NewsSite) -> AsyncIterator[NewsSite]:
    runner = web.AppRunner(site.app())
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        yield site
    finally:
        await runner.cleanup()


async def _serve_forever(feeds: int, items: int, portal: bool) -> None:
    async with serve(NewsSite(rss_items=items, feeds=feeds, portal=portal)) as site:
        print(site.base, flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":  # a standalone site for benchmarks: prints its base URL
    import argparse

    parser = argparse.ArgumentParser(description="serve the invented news site on 127.0.0.1")
    parser.add_argument("--feeds", type=int, default=1)
    parser.add_argument("--items", type=int, default=3)
    parser.add_argument("--portal", action="store_true", help="portal-weight article pages")
    args = parser.parse_args()
    asyncio.run(_serve_forever(args.feeds, args.items, args.portal))
