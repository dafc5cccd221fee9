"""The safe fetcher against a real HTTP server on 127.0.0.1 (and a scripted transport for
redirects to addresses the sandbox cannot reach)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bot.core.errors import (
    BlockedAddressError,
    FetchError,
    FetchTimeoutError,
    NotWebLinkError,
    PageTooLargeError,
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

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/article", self.article)
        app.router.add_get("/redirect/{n}", self.redirect)
        app.router.add_get("/slow", self.slow)
        app.router.add_get("/huge", self.huge)
        app.router.add_get("/pdf", self.pdf)
        app.router.add_get("/missing", self.missing)
        app.router.add_get("/etag", self.etag)
        return app

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
