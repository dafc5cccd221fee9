"""The safe fetcher against a real HTTP server on 127.0.0.1 (and a scripted transport for
redirects to addresses the sandbox cannot reach)."""

from __future__ import annotations

import asyncio
import gzip
import tracemalloc
import zlib
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bot.core.errors import (
    BlockedAddressError,
    EncodingRefusedError,
    FetchError,
    FetchTimeoutError,
    NotWebLinkError,
    PageTooLargeError,
    RedirectNotWebError,
    TooManyRedirectsError,
    UnsupportedContentError,
)
from bot.web.fetch import Fetcher, FetchLimits, is_public

ARTICLE = b"<html><head><title>Berita</title></head><body><p>Isi berita.</p></body></html>"


class Server:
    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.hosts: list[str] = []
        self.base = ""
        # Bodies sent as they are, with the Content-Encoding header a test chooses.
        self.coded_bodies: dict[str, tuple[bytes, str]] = {}

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/article", self.article)
        app.router.add_get("/redirect/{n}", self.redirect)
        app.router.add_get("/slow", self.slow)
        app.router.add_get("/huge", self.huge)
        app.router.add_get("/pdf", self.pdf)
        app.router.add_get("/missing", self.missing)
        app.router.add_get("/etag", self.etag)
        app.router.add_get("/coded/{name}", self.coded)
        return app

    async def coded(self, request: web.Request) -> web.StreamResponse:
        body, coding = self.coded_bodies[request.match_info["name"]]
        response = web.StreamResponse(
            headers={"Content-Type": "text/html", "Content-Encoding": coding}
        )
        await response.prepare(request)
        for i in range(0, len(body), 65536):  # network-sized chunks
            await response.write(body[i : i + 65536])
        return response

    def _count(self, request: web.Request) -> None:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        self.hosts.append(request.headers.get("Host", ""))

    async def article(self, request: web.Request) -> web.Response:
        self._count(request)
        await asyncio.sleep(0.05)
        return web.Response(body=ARTICLE, content_type="text/html", charset="utf-8")

    async def redirect(self, request: web.Request) -> web.Response:
        self._count(request)
        n = int(request.match_info["n"])
        target = "/article" if n <= 0 else f"/redirect/{n - 1}"
        raise web.HTTPFound(target)

    async def slow(self, request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="late", content_type="text/html")

    async def huge(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(100):
            await response.write(b"x" * 65536)
        return response

    async def pdf(self, request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.4", content_type="application/pdf")

    async def missing(self, request: web.Request) -> web.Response:
        return web.Response(status=404, text="no")

    async def etag(self, request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return web.Response(status=304)
        return web.Response(text="<p>x</p>", content_type="text/html", headers={"ETag": '"v1"'})


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    runner = web.AppRunner(srv.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    srv.base = f"http://127.0.0.1:{port}"
    try:
        yield srv
    finally:
        await runner.cleanup()


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    f = Fetcher(FetchLimits(allow_private=True, timeout_s=2.0, max_bytes=1_000_000))
    try:
        yield f
    finally:
        await f.close()


async def test_fetches_a_page_and_keeps_the_name_in_the_host_header(server: Server) -> None:
    async def resolve(host: str, port: int) -> list[str]:
        return ["127.0.0.1"] if host == "berita.test" else []

    port = server.base.rsplit(":", 1)[1]
    f = Fetcher(FetchLimits(allow_private=True), resolver=resolve)
    try:
        page = await f.fetch(f"http://berita.test:{port}/article")
    finally:
        await f.close()
    assert page.body == ARTICLE
    assert page.content_type == "text/html"
    assert page.encoding == "utf-8"
    assert server.hosts == [f"berita.test:{port}"]


async def test_loopback_is_refused_unless_explicitly_allowed(server: Server) -> None:
    strict = Fetcher()
    try:
        with pytest.raises(BlockedAddressError):
            await strict.fetch(f"{server.base}/article")
    finally:
        await strict.close()
    assert server.hits == {}  # refused before any connection


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.0.1", "172.16.5.4", "169.254.169.254", "0.0.0.0",
     "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "100.64.0.1", "224.0.0.1"],
)  # fmt: skip
def test_non_public_addresses(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "8.8.8.8"])
def test_public_addresses(address: str) -> None:
    assert is_public(address)


async def test_redirects_are_followed_up_to_the_limit(server: Server, fetcher: Fetcher) -> None:
    page = await fetcher.fetch(f"{server.base}/redirect/4")
    assert page.body == ARTICLE
    assert page.url.endswith("/article")
    with pytest.raises(TooManyRedirectsError):
        await fetcher.fetch(f"{server.base}/redirect/5")


async def test_a_redirect_into_the_private_network_is_refused() -> None:
    """Public first hop, then a redirect to a name that resolves to 10.0.0.5."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://intranet.test/admin"})

    async def resolve(host: str, port: int) -> list[str]:
        return {"news.test": ["93.184.216.34"], "intranet.test": ["10.0.0.5"]}[host]

    f = Fetcher(resolver=resolve, transport=httpx.MockTransport(handler))
    try:
        with pytest.raises(BlockedAddressError):
            await f.fetch("http://news.test/story")
    finally:
        await f.close()
    assert seen == ["http://93.184.216.34/story"]  # the pinned, checked address


async def test_slow_huge_pdf_missing_and_bad_links(server: Server, fetcher: Fetcher) -> None:
    with pytest.raises(FetchTimeoutError):
        await fetcher.fetch(f"{server.base}/slow")
    with pytest.raises(PageTooLargeError):
        await fetcher.fetch(f"{server.base}/huge")
    with pytest.raises(UnsupportedContentError):
        await fetcher.fetch(f"{server.base}/pdf")
    with pytest.raises(FetchError):
        await fetcher.fetch(f"{server.base}/missing")
    for bad in ("ftp://example.org/x", "javascript:alert(1)", "http://", "http://[::1"):
        with pytest.raises(NotWebLinkError):
            await fetcher.fetch(bad)


async def test_many_users_asking_at_once_cause_one_fetch(server: Server, fetcher: Fetcher) -> None:
    pages = await asyncio.gather(*(fetcher.fetch(f"{server.base}/article") for _ in range(20)))
    assert all(p.body == ARTICLE for p in pages)
    assert server.hits["/article"] == 1


async def test_conditional_requests(server: Server, fetcher: Fetcher) -> None:
    first = await fetcher.fetch(f"{server.base}/etag")
    assert first.etag == '"v1"'
    again = await fetcher.fetch(f"{server.base}/etag", etag=first.etag)
    assert again.not_modified


def _deflate(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


async def test_compressed_pages_are_decoded(server: Server, fetcher: Fetcher) -> None:
    page = ARTICLE * 50
    server.coded_bodies = {
        "gzip": (gzip.compress(page), "gzip"),
        "members": (gzip.compress(page[:500]) + gzip.compress(page[500:]), "gzip"),
        "zlib": (_deflate(page, zlib.MAX_WBITS), "deflate"),
        "raw": (_deflate(page, -zlib.MAX_WBITS), "deflate"),
        "identity": (page, "identity"),
    }
    for name in server.coded_bodies:
        assert (await fetcher.fetch(f"{server.base}/coded/{name}")).body == page, name


async def test_a_compression_bomb_is_refused_without_inflating_it(
    server: Server, fetcher: Fetcher
) -> None:
    """64 MiB of zeros gzipped is 64 KiB on the wire. The cap (1 MB here) must hold for the
    decoded bytes while decoding: the memory the fetch allocates stays near the cap, not
    the bomb's size (httpx alone inflates each network chunk whole)."""
    server.coded_bodies = {"bomb": (gzip.compress(bytes(64 * 2**20)), "gzip")}
    tracemalloc.start()
    try:
        with pytest.raises(PageTooLargeError):
            await fetcher.fetch(f"{server.base}/coded/bomb")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20, f"{peak / 2**20:.0f} MiB allocated for a 1 MB cap"


@pytest.mark.parametrize("coding", ["gzip, gzip", "gzip,deflate", "br", "zstd"])
async def test_stacked_or_unknown_encodings_are_refused(
    server: Server, fetcher: Fetcher, coding: str
) -> None:
    twice = gzip.compress(gzip.compress(ARTICLE))
    server.coded_bodies = {"x": (twice, coding)}
    with pytest.raises(EncodingRefusedError):
        await fetcher.fetch(f"{server.base}/coded/x")


async def test_broken_compressed_data_is_a_fetch_error(server: Server, fetcher: Fetcher) -> None:
    server.coded_bodies = {"x": (b"\x1f\x8b\x08\x00garbage-not-gzip" * 10, "gzip")}
    with pytest.raises(FetchError, match="broken gzip"):
        await fetcher.fetch(f"{server.base}/coded/x")


@pytest.mark.parametrize(
    "location",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,hi",
     "mailto:a@b.c", "javascript://x.test/%0aalert(1)", "tel:+62123"],
)  # fmt: skip
async def test_a_redirect_to_a_non_web_scheme_gets_its_own_error(location: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    async def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    f = Fetcher(resolver=resolve, transport=httpx.MockTransport(handler))
    try:
        with pytest.raises(RedirectNotWebError):
            await f.fetch("http://news.test/story")
    finally:
        await f.close()


@pytest.mark.parametrize(
    "location",
    ["http://a..b/", "https://xn--/", "http://x:99999/", "//:80/x", "http://[::1",
     "http://" + "a" * 300 + ".test/", "http://ex\u00e4mple.test/".encode().decode("latin-1")],
)  # fmt: skip
async def test_malformed_redirects_are_fetch_errors_never_crashes(location: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": location})

    async def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    f = Fetcher(resolver=resolve, transport=httpx.MockTransport(handler))
    try:
        with pytest.raises(FetchError):
            await f.fetch("http://news.test/story")
    finally:
        await f.close()


async def test_a_host_name_outside_ascii_is_sent_as_punycode() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["host"])
        return httpx.Response(
            200, headers={"content-type": "text/html"}, stream=httpx.ByteStream(b"<p>x</p>")
        )

    async def resolve(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]

    f = Fetcher(resolver=resolve, transport=httpx.MockTransport(handler))
    try:
        await f.fetch("http://berita-b\u00e4ik.test/a")
    finally:
        await f.close()
    assert seen == ["xn--berita-bik-x5a.test"]


@pytest.mark.parametrize(
    "answers",
    [["93.184.216.34", "10.0.0.5"], ["127.0.0.1", "93.184.216.34"],
     ["2606:4700::1111", "::1"], ["93.184.216.34", "169.254.169.254", "8.8.8.8"]],
)  # fmt: skip
async def test_a_host_whose_dns_mixes_public_and_private_addresses_is_refused(
    answers: list[str],
) -> None:
    """Every address must be public, not just one: the connection may go to any of them
    (and a rebinding attacker picks which one the check sees first)."""
    requests: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(str(request.url))
        return httpx.Response(200, headers={"content-type": "text/html"},
                              stream=httpx.ByteStream(ARTICLE))  # fmt: skip

    async def resolve(host: str, port: int) -> list[str]:
        return answers

    f = Fetcher(resolver=resolve, transport=httpx.MockTransport(handler))
    try:
        with pytest.raises(BlockedAddressError):
            await f.fetch("http://mixed.test/story")
    finally:
        await f.close()
    assert requests == []
