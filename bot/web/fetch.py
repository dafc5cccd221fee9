"""Fetching a web page someone sent, safely: the one place the bot opens outside URLs.

* Only http(s). The host is resolved first and every address checked: private, loopback,
  link-local, multicast, reserved and unspecified addresses are refused (no SSRF into the
  machine or its network). The request then goes to the checked address itself (the Host
  header and TLS SNI keep the name), so a second DNS answer cannot swap in another address.
* Redirects are followed by hand, at most ``max_redirects``, each target checked the same way.
* The body is streamed and cut off at ``max_bytes`` of *decoded* bytes: the fetcher undoes
  the content coding itself (gzip or deflate, one layer at most), a bounded step at a time,
  so a compression bomb costs no more memory than an honest page of the cap's size. The
  whole fetch has one deadline.
* The same URL asked for by many users at once is fetched once (single flight); a global
  semaphore bounds concurrent fetches.

``allow_private`` exists for the tests' local server only (``KATASIAPA_FETCH_ALLOW_PRIVATE``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

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
from bot.web.memory import release_memory

USER_AGENT: Final = "KataSiapaBot/0.1 (+https://github.com/kata-siapa; fact-check bot)"
HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES: Final = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "text/xml",
        "application/rdf+xml",
        "application/feed+json",
        "application/json",
    }
)# Content codings the fetcher undoes itself (what it asks for in Accept-Encoding).
ACCEPT_ENCODING: Final = "gzip, deflate"
# Decoded bytes produced per decompression step: the most a step holds besides the body.
DECODE_STEP: Final = 64 * 1024


@dataclass(frozen=True, slots=True)
class FetchLimits:
    max_bytes: int = 5 * 1024 * 1024
    timeout_s: float = 15.0
    max_redirects: int = 5
    max_concurrent: int = 8
    allow_private: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched response: the final URL after redirects, and the body (capped)."""

    url: str
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    encoding: str | None = None  # from the Content-Type charset

    @property
    def not_modified(self) -> bool:
        return self.status == 304


Resolver = Callable[[str, int], Awaitable[list[str]]]


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public(address: str) -> bool:
    """True for an address on the public internet."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or (isinstance(ip, ipaddress.IPv4Address) and ip in _CGNAT)
    )


_CGNAT: Final = ipaddress.ip_network("100.64.0.0/10")


@dataclass
class Fetcher:
    """One per application; holds the HTTP client, the concurrency bound and in-flight URLs."""

    limits: FetchLimits = field(default_factory=FetchLimits)
    resolver: Resolver = system_resolver
    transport: httpx.AsyncBaseTransport | None = None
    _client: httpx.AsyncClient | None = field(default=None, init=False)
    _inflight: dict[tuple[str, str, str], asyncio.Future[Page]] = field(
        default_factory=dict, init=False
    )
    _semaphore: asyncio.Semaphore | None = field(default=None, init=False)

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                transport=self.transport,
                follow_redirects=False,
                timeout=httpx.Timeout(self.limits.timeout_s),
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING},
            )
        return self._client

    async def fetch(
        self,
        url: str,
        *,
        accept: frozenset[str] = HTML_TYPES,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Page:
        """GET ``url`` within the limits; concurrent calls for the same URL share one fetch.

        Raises a :class:`FetchError` subclass with a user-facing message.
        """
        key = (url, etag or "", last_modified or "")
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[Page] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            page = await self._fetch(url, accept, etag, last_modified)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning without waiters
            raise
        else:
            future.set_result(page)
            return page
        finally:
            del self._inflight[key]

    async def _fetch(
        self, url: str, accept: frozenset[str], etag: str | None, last_modified: str | None
    ) -> Page:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.limits.max_concurrent)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._semaphore:
            try:
                async with asyncio.timeout(self.limits.timeout_s):
                    return await self._follow(url, accept, headers)
            except TimeoutError as exc:
                raise FetchTimeoutError(f"Timed out fetching {url}") from exc
            except httpx.HTTPError as exc:
                raise FetchError(f"Could not fetch {url}: {type(exc).__name__}") from exc
            except (httpx.InvalidURL, ValueError) as exc:  # UnicodeError, IDNAError: a bad URL
                raise NotWebLinkError(f"Cannot use the address {url!r}: {exc}") from exc

    async def _follow(self, url: str, accept: frozenset[str], headers: Mapping[str, str]) -> Page:
        current = url
        for _ in range(self.limits.max_redirects + 1):
            target, host_header, sni = await self._pin(current)
            request = self._http().build_request(
                "GET",
                target,
                headers={**headers, "Host": host_header},
                extensions={"sni_hostname": sni} if sni else {},
            )
            try:
                response = await self._http().send(request, stream=True)
            except (httpx.InvalidURL, ValueError) as exc:
                # httpx parses a redirect's Location even when not following it; the request
                # itself was built and checked, so what failed is where it redirects to.
                raise RedirectNotWebError(f"{current} redirects to an unusable address") from exc
            try:
                if response.status_code in (301, 302, 303, 307, 308):
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(f"{current} redirected nowhere")
                    current = urljoin(current, location.strip())
                    if urlsplit(current).scheme.lower() not in ("http", "https"):
                        raise RedirectNotWebError(f"redirects to a {urlsplit(current).scheme} link")
                    continue
                return await self._read(current, response, accept)
            finally:
                await response.aclose()
        raise TooManyRedirectsError(f"More than {self.limits.max_redirects} redirects: {url}")

    async def _pin(self, url: str) -> tuple[str, str, str | None]:
        """Check the URL and resolve its host; return (URL with the checked IP, Host, SNI)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise NotWebLinkError(f"Malformed URL: {url!r}") from exc
        scheme = parts.scheme.lower()
        host = parts.hostname
        if scheme not in ("http", "https") or not host:
            raise NotWebLinkError(f"Not an http(s) URL: {url!r}")
        port = port or (443 if scheme == "https" else 80)
        try:
            ascii_host = host.encode("idna").decode("ascii")  # the Host header is ASCII
        except UnicodeError as exc:
            raise NotWebLinkError(f"Malformed host name in {url!r}") from exc
        try:
            addresses = await self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError(f"Cannot resolve {host}") from exc
        if not addresses:
            raise FetchError(f"Cannot resolve {host}")
        if not self.limits.allow_private and not all(is_public(a) for a in addresses):
            raise BlockedAddressError(f"{host} resolves to a non-public address")
        address = addresses[0]
        literal = f"[{address}]" if ":" in address else address
        default_port = port == (443 if scheme == "https" else 80)
        netloc = literal if default_port else f"{literal}:{port}"
        host_header = ascii_host if default_port else f"{ascii_host}:{port}"
        target = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
        return target, host_header, (ascii_host if scheme == "https" else None)

    async def _read(self, url: str, response: httpx.Response, accept: frozenset[str]) -> Page:
        if response.status_code == 304:
            return Page(url=url, status=304, content_type="", body=b"")
        if response.status_code >= 400:
            raise FetchError(f"{url} answered HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "")
        mime = content_type.split(";", 1)[0].strip().lower()
        if mime and mime not in accept:
            raise UnsupportedContentError(f"{url} is {mime}")
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise PageTooLargeError(f"{url} is {declared} bytes")
        body = await read_bounded(response, self.limits.max_bytes, url)
        return Page(
            url=url,
            status=response.status_code,
            content_type=mime,
            body=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            encoding=response.charset_encoding,
        )


async def read_bounded(response: httpx.Response, limit: int, url: str) -> bytes:
    """The response body decoded, refused as soon as it passes ``limit`` decoded bytes.

    Reads the raw (still encoded) stream and decodes it here in steps of at most
    :data:`DECODE_STEP` bytes, checking the running total after each step: httpx's own
    decoders inflate a whole network chunk at once (a 64 KiB chunk of a gzip bomb is 64 MiB,
    of a twice-gzipped one far more). One content coding at most: nothing honest compresses
    a page twice, and each extra layer multiplies what a few bytes on the wire can become.
    """
    codings = [
        c
        for c in (v.strip().lower() for v in response.headers.get_list("content-encoding", True))
        if c and c != "identity"
    ]
    if len(codings) > 1:
        raise EncodingRefusedError(f"{url} is compressed {len(codings)} times ({codings})")
    decoder = _Inflater(codings[0], url) if codings else None
    body = bytearray()
    try:
        async for raw in response.aiter_raw():
            for piece in decoder.feed(raw) if decoder is not None else (raw,):
                body += piece
                if len(body) > limit:
                    raise PageTooLargeError(f"{url} is over {limit} bytes")
        if decoder is not None:
            for piece in decoder.finish():
                body += piece
                if len(body) > limit:
                    raise PageTooLargeError(f"{url} is over {limit} bytes")
    except BaseException:
        # The traceback keeps this frame (and the buffer) alive while the error is handled.
        body.clear()
        release_memory()
        raise
    return bytes(body)


class _Inflater:
    """gzip (several members allowed) or deflate (zlib-wrapped or raw), inflated in bounded
    steps."""

    def __init__(self, coding: str, url: str) -> None:
        if coding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif coding == "deflate":
            self._wbits = zlib.MAX_WBITS  # RFC 9110's deflate; raw deflate is tried on error
        else:
            raise EncodingRefusedError(f"{url} uses the {coding!r} content coding")
        self._url = url
        self._gzip = self._wbits > zlib.MAX_WBITS
        self._started = False
        self._inflate = zlib.decompressobj(self._wbits)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._inflate.decompress(data, DECODE_STEP)
            except zlib.error as exc:
                if not self._started and self._wbits == zlib.MAX_WBITS:
                    self._wbits = -zlib.MAX_WBITS  # a server sending raw deflate
                    self._inflate = zlib.decompressobj(self._wbits)
                    continue
                raise FetchError(f"{self._url}: broken {self._coding()} data ({exc})") from exc
            self._started = True
            if piece:
                yield piece
            data = self._inflate.unconsumed_tail
            if self._inflate.eof:
                rest = self._inflate.unused_data
                if not (self._gzip and rest.lstrip(b"\0")):
                    return  # trailing garbage after the stream is ignored, as browsers do
                self._inflate = zlib.decompressobj(self._wbits)  # the next gzip member
                data = rest.lstrip(b"\0")

    def finish(self) -> Iterator[bytes]:
        # Output zlib still holds for input already consumed, one bounded step at a time.
        while not self._inflate.eof:
            piece = self._inflate.decompress(b"", DECODE_STEP)
            if not piece:
                return
            yield piece

    def _coding(self) -> str:
        return "gzip" if self._gzip else "deflate"
