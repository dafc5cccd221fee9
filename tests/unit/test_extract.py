"""Article extraction from news pages: the saved corpus, metadata, charsets and bad pages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.archive.files import extract_html
from bot.core.errors import InputError, UnreadablePageError
from bot.web.extract import (
    MAX_HTML_BYTES,
    MAX_MARKUP_CHARS,
    ExtractedArticle,
    decode_html,
    extract_article,
    is_boilerplate_line,
    parse_written_date,
    slim_markup,
)
from tests.helpers.scripts import load_script

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
WIB = timezone(timedelta(hours=7))




ev = load_script("eval_extraction")
CORPUS = ev.load_corpus(PAGES)
READABLE = [h.stem for h, exp in CORPUS if not exp.get("unreadable")]
UNREADABLE = [h.stem for h, exp in CORPUS if exp.get("unreadable")]


def _expected(name: str) -> dict[str, object]:
    return json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _page(name: str) -> ExtractedArticle:
    exp = _expected(name)
    url = exp["url"]
    assert isinstance(url, str)
    return extract_article((PAGES / f"{name}.html").read_bytes(), url=url)


@pytest.fixture(scope="module")
def summary() -> object:
    return ev.evaluate(PAGES)


def _article(body: str, *, head: str = "", title: str = "Judul") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body><nav><a>Beranda</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Hak cipta</footer></body></html>"
    )


BODY = "".join(
    f"<p>Kalimat nomor {i} menjelaskan bahwa warga kota menunggu keputusan dewan soal anggaran. "
    f"\u201cKami menunggu,\u201d kata warga ke-{i}.</p>"
    for i in range(6)
)


# ------------------------------------------------------------------------- the corpus
def test_corpus_is_big_and_varied_enough() -> None:
    langs = [exp["language"] for _, exp in CORPUS]
    assert langs.count("id") >= 12
    assert langs.count("en") >= 12
    assert len(READABLE) >= 20
    assert len({exp["layout"] for _, exp in CORPUS}) >= 12


@pytest.mark.parametrize("name", READABLE)
def test_every_readable_page_meets_the_per_page_floor(name: str, summary: object) -> None:
    page = next(p for p in summary.pages if p.name == name)  # type: ignore[attr-defined]
    assert page.error is None, page.error
    assert page.recall >= ev.PAGE_RECALL_FLOOR, page.missing
    assert page.leaked == [], page.leaked


def test_corpus_meets_the_aggregate_floors(summary: object) -> None:
    assert summary.recall >= ev.RECALL_FLOOR  # type: ignore[attr-defined]
    assert summary.boilerplate <= ev.BOILERPLATE_CEILING  # type: ignore[attr-defined]
    assert summary.leaks == 0  # type: ignore[attr-defined]


def test_corpus_metadata_is_mostly_right(summary: object) -> None:
    for name in ev.METADATA_FIELDS:
        assert summary.metadata_accuracy(name) >= 0.9, name  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", UNREADABLE)
def test_unreadable_corpus_pages_raise(name: str) -> None:
    with pytest.raises(UnreadablePageError):
        _page(name)


# ------------------------------------------------------------------------- metadata
def test_metadata_from_json_ld_only() -> None:
    art = _page("id08-jsonld-only-aplikasi-pinjol")
    assert art.title == "Kementerian Blokir 312 Aplikasi Pinjaman Ilegal, Data Nasabah Diduga Bocor"
    assert art.outlet == "Layar Digital"
    assert art.author == "Yohanes Kristianto"
    assert art.published_at == datetime(2026, 1, 21, 10, 15, tzinfo=WIB)
    assert art.published_at is not None
    assert art.published_at.utcoffset() == timedelta(hours=7)
    assert art.language == "id"


def test_metadata_from_opengraph_only() -> None:
    art = _page("en08-og-only-senate-vote")
    assert art.title == "Privacy bill clears committee after late amendment on data brokers"
    assert art.outlet == "Capitol Report"
    assert art.author == "Ben Harper"
    assert art.published_at == datetime(2026, 3, 10, 18, 20, tzinfo=timezone(timedelta(hours=-5)))
    assert art.url == "https://capitolreport.example.com/politics/2026/03/privacy-bill-vote"


@pytest.mark.parametrize(
    ("name", "author", "published", "outlet"),
    [
        ("id09-byline-only-cek-fakta", "Nadia Rahma", datetime(2026, 3, 3, 9, 15, tzinfo=WIB),
         "Lentera News"),
        ("en09-byline-only-factcheck", "Sofia Alvarez",
         datetime(2026, 2, 27, 10, 0, tzinfo=UTC), "FactLine"),
    ],
)
def test_metadata_from_the_byline_text_when_nothing_is_marked_up(
    name: str, author: str, published: datetime, outlet: str
) -> None:
    art = _page(name)
    assert art.author == author
    assert art.published_at == published
    assert art.published_at is not None
    assert art.published_at.utcoffset() is not None
    assert art.outlet == outlet  # from "<title>Headline | Outlet</title>"


def test_json_ld_graph_authors_and_canonical() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Situs"},
            {
                "@type": ["NewsArticle"],
                "headline": "Judul dari JSON-LD &amp; lainnya",
                "datePublished": "2026-03-01T08:00:00Z",
                "author": [{"@type": "Person", "name": "Ani"}, {"@type": "Person", "name": "Budi"}],
                "publisher": {"@type": "Organization", "name": "Harian Contoh"},
            },
        ],
    }
    head = (
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
        '<meta property="og:title" content="Judul OG"><link rel="canonical" href="/berita/1">'
    )
    art = extract_article(_article(BODY, head=head), url="https://contoh.example.org/x?utm=1")
    assert art.title == "Judul dari JSON-LD & lainnya"  # JSON-LD wins over OpenGraph
    assert art.author == "Ani, Budi"
    assert art.outlet == "Harian Contoh"
    assert art.published_at == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert art.url == "https://contoh.example.org/berita/1"


def test_broken_json_ld_falls_back_to_opengraph() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        '<meta property="og:title" content="Judul OG">'
        '<meta property="og:site_name" content="Situs OG">'
        '<meta property="article:published_time" content="2026-02-01T10:00:00+07:00">'
    )
    art = extract_article(_article(BODY, head=head))
    assert (art.title, art.outlet) == ("Judul OG", "Situs OG")
    assert art.published_at == datetime(2026, 2, 1, 10, 0, tzinfo=WIB)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senin, 2 Maret 2026 14:05 WIB", datetime(2026, 3, 2, 14, 5, tzinfo=WIB)),
        ("Jumat, 06 Mar 2026 20.14 WITA",
         datetime(2026, 3, 6, 20, 14, tzinfo=timezone(timedelta(hours=8)))),
        ("Published March 2, 2026 at 9:30 pm EST",
         datetime(2026, 3, 2, 21, 30, tzinfo=timezone(timedelta(hours=-5)))),
        ("14 January 2026, 03:12 GMT", datetime(2026, 1, 14, 3, 12, tzinfo=UTC)),
        ("Kompas - 04/03/2026, 11:20 WIB", datetime(2026, 3, 4, 11, 20, tzinfo=WIB)),
        ("3 Maret 2026", datetime(2026, 3, 3)),  # noqa: DTZ001 - no offset given: stays naive
        ("tanpa tanggal", None),
    ],
)
def test_written_dates(text: str, expected: datetime | None) -> None:
    assert parse_written_date(text) == expected


# ------------------------------------------------------------------------- unreadable pages
@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   ",
        "<html></html>",
        "<html><body><script>render()</script><div id='root'></div></body></html>",
        _article("<p>Hanya satu kalimat pendek di halaman ini.</p>"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_pages_without_an_article_raise_unreadable(html: str | bytes) -> None:
    with pytest.raises(UnreadablePageError) as info:
        extract_article(html)
    assert isinstance(info.value, InputError)
    assert "Could not read the article text" in info.value.user_message()


def test_a_paywalled_teaser_is_unreadable_even_with_a_few_sentences() -> None:
    teaser = (
        "<p>Dokumen yang diperoleh redaksi menunjukkan aliran dana ke tim kampanye. "
        "Sejumlah perusahaan cangkang terlibat. Redaksi menelusuri rekening mereka.</p>"
        "<p>Laporan ini disusun selama tiga bulan oleh tim investigasi kami.</p>"
    )
    head = (
        '<script type="application/ld+json">'
        '{"@type": "NewsArticle", "isAccessibleForFree": false}</script>'
    )
    with pytest.raises(UnreadablePageError):
        extract_article(_article(teaser, head=head))
    # The same text without the paywall flag is a (short) article.
    assert "Dokumen yang diperoleh" in extract_article(_article(teaser)).text


# ------------------------------------------------------------------------- text cleaning
def test_headline_is_not_duplicated_in_the_text() -> None:
    title = "Dewan kota menunda keputusan anggaran"
    html = _article(f"<h2>{title}</h2>{BODY}<p>{title}</p>", title=title)
    art = extract_article(html)
    assert art.title == title
    assert title.lower() not in art.text.lower()
    assert art.text.startswith("Kalimat nomor 0")
    # the corpus page whose body repeats the <h1> inside the text container
    page = _page("id10-comments-pasar-relokasi")
    assert page.title is not None
    assert page.title not in page.text


def test_indonesian_and_english_inserts_are_dropped() -> None:
    paras = [
        "<p>Kalimat pertama berita ini cukup panjang untuk dianggap paragraf isi. Benar.</p>",
        "<p><strong>Baca juga:</strong> <a href='/a'>Harga cabai naik lagi</a></p>",
        "<div class='para_caption'>ADVERTISEMENT</div>",
        "<div>SCROLL TO CONTINUE WITH CONTENT</div>",
        "<p>Kalimat kedua berita ini juga cukup panjang untuk paragraf isi. Tentu.</p>",
        "<p>Halaman 1 2 3</p>",
        "<p>Read more: Storm names announced</p>",
        "<p>Kalimat ketiga berita ini tetap bagian dari isi artikel utama. Ya.</p>",
        "<p>Simak juga: Video banjir di kota</p>",
        "<p>Bagikan artikel ini</p>",
        "<p>Artikel ini telah tayang di Contoh.com dengan judul Harga Cabai</p>",
    ]
    text = extract_article(_article("".join(paras))).text
    for gone in ("Baca juga", "ADVERTISEMENT", "SCROLL TO CONTINUE", "Halaman 1", "Read more",
                 "Simak juga", "Bagikan", "telah tayang"):
        assert gone not in text
    assert text.count("Kalimat") == 3


@pytest.mark.parametrize(
    "line",
    [
        "Baca juga: Harga beras turun",
        "BACA JUGA Harga beras turun",
        "ADVERTISEMENT",
        "Scroll to continue with content",
        "Halaman 1 2",
        "Halaman Selanjutnya",
        "Read also: Measles cases double",
        "Related: Vaccine uptake falls",
        "Share this article",
        "Share on WhatsApp",
        "Ikuti berita terkini di Google News",
        "Sign up for our newsletter to get the morning briefing",
        "We use cookies to improve your experience.",
        "Reporting by Ana Li; Editing by Tom Fox",
        "Pewarta: Dimas. Editor: Hendro",
        "© 2026 Contoh Media",
        "Watch: highlights in 90 seconds",
        "Laporan Wartawan Warta Contoh, Arman Syah",
        "[Gambas:Video Kabar Nasional]",
        "(rzk/dal)",
        "Simak berita dan artikel lainnya di Google News",
    ],
)
def test_boilerplate_line_patterns(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement spending rose 5% last year, the agency said.",
        "Share prices fell 3% on Monday after the announcement.",
        "Halaman gedung DPRD dipenuhi massa sejak pagi, kata polisi.",
        "Editor in chief Sari Wulan said the paper stood by its story.",
        "Live cattle exports resumed on Tuesday, the ministry said.",
        "Simak pernyataan lengkap menteri di bawah ini, kata juru bicara.",
        "(Kata dia, rapat itu tertutup.)",
        "Baca juga " + "sangat panjang " * 30,  # long lines are never inserts
    ],
)
def test_article_sentences_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_comments_and_related_lists_are_dropped() -> None:
    art = _page("en10-comments-telescope")
    assert "Cutting science funding" not in art.text
    assert "Highridge telescope spots rare stellar flare" not in art.text
    assert "Observatory director Helen Fischer" in art.text


# ------------------------------------------------------------------------- charsets
def test_windows_1252_page_with_declared_charset() -> None:
    raw = (PAGES / "en11-cp1252-pension-reform.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    art = _page("en11-cp1252-pension-reform")
    assert "Oldtown\u2019s café district" in art.text
    assert "€3 billion" in art.text
    assert "Zoë Navarro" in art.text
    assert art.author == "René Dubois"
    assert "\ufffd" not in art.text


def test_iso_8859_1_means_windows_1252_and_utf8_bom_wins() -> None:
    text = "Caf\u00e9 \u201cquoted\u201d"
    page = f'<html><head><meta charset="ISO-8859-1"></head><body><p>{text}</p></body></html>'
    assert text in decode_html(page.encode("cp1252"))
    bom = b"\xef\xbb\xbf" + page.encode("utf-8")  # the BOM beats a wrong declaration
    assert text in decode_html(bom)
    utf16 = page.replace("ISO-8859-1", "utf-16").encode("utf-16")
    assert text in decode_html(utf16)


def test_undeclared_bad_bytes_are_replaced_not_fatal() -> None:
    body = BODY.encode("utf-8").replace(b"warga kota", b"warga \xff\xfe kota")
    art = extract_article(b"<html><body><article>" + body + b"</article></body></html>")
    assert "\ufffd" in art.text
    assert "Kalimat nomor 5" in art.text


def test_unknown_declared_charset_falls_back_to_utf8() -> None:
    page = '<meta charset="x-klingon"><article>' + BODY + "</article>"
    assert "Kalimat nomor 1" in extract_article(page.encode("utf-8")).text


# ------------------------------------------------------------------------- robustness
def test_a_six_megabyte_page_is_capped_without_error() -> None:
    comment = (
        '<li class="comment"><p>Komentar pembaca yang sangat panjang tentang keputusan dewan '
        "kota dan anggaran tahun ini.</p></li>\n"
    )
    page = (
        _article(BODY).replace("</article>", "</article><ol class='comments'>")
        + comment * (6 * 1024 * 1024 // len(comment) + 1)
    ).encode("utf-8")
    assert len(page) > 6 * 1024 * 1024 > MAX_HTML_BYTES
    art = extract_article(page)
    assert "Kalimat nomor 5" in art.text
    assert "Komentar pembaca" not in art.text


def test_scripts_styles_and_comments_are_dropped_before_parsing_json_ld_kept() -> None:
    page = (
        '<html><head><script src="a.js"></script><SCRIPT>var big = "<p>x</p>";</SCRIPT>'
        '<style>p { color: red }</style><script type="application/ld+json">{"a": 1}</script>'
        "</head><body><!-- <p>hidden</p> --><svg><path d='M0'/></svg><p>Isi.</p></body></html>"
    )
    assert slim_markup(page) == (
        '<html><head><script type="application/ld+json">{"a": 1}</script>'
        "</head><body><p>Isi.</p></body></html>"
    )


def test_markup_is_bounded_and_unclosed_scripts_swallow_the_rest() -> None:
    assert slim_markup("<p>a</p><script>never closed <p>b</p>") == "<p>a</p>"
    assert len(slim_markup("<p>kata</p>" * 500_000)) == MAX_MARKUP_CHARS
    # A million openers without closers: one pass, not one search to the end per opener.
    hostile = "<p>awal</p>" + "<script>" * 1_000_000
    assert slim_markup(hostile) == "<p>awal</p>"
    many = "<!-- x -->" * 1_000_000 + "<p>akhir</p>"
    assert slim_markup(many) == "<p>akhir</p>"


def test_a_page_of_endless_comments_costs_bounded_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """4.9 MB of comment markup after a real article: the article is read; the parser only
    ever sees MAX_MARKUP_CHARS of markup (the whole page took 11 s and 115 MB)."""
    from lxml import html as lxml_html

    comment = '<li class="comment"><p>Semoga cepat surut, warga di hilir waspada {i}.</p></li>\n'
    body = _article(BODY).replace("</article>", "</article><ol>" + "".join(
        comment.format(i=i) for i in range(70_000)))  # fmt: skip
    assert len(body) > 4_900_000
    parsed: list[int] = []
    original = lxml_html.document_fromstring

    def spy(html: str, *args: object, **kwargs: object) -> object:
        parsed.append(len(html))
        return original(html, *args, **kwargs)

    monkeypatch.setattr(lxml_html, "document_fromstring", spy)
    art = extract_article(body.encode())
    assert "Kalimat nomor 5" in art.text
    assert parsed == [MAX_MARKUP_CHARS]


@pytest.mark.parametrize(
    "html",
    [
        # unclosed tags, stray closers, no <html>/<body>, attributes without quotes
        "<div class=story><h1>Judul<p>" + BODY.replace("</p>", "") + "</span></div></div></td>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><article>" + BODY + "</article>",
        "<html><body><article>" + BODY + "<p>tail \x00 with a NUL</article></body></html>",
        "<table><tr><td><font face=Arial>" + BODY + "</font></td></table></table>",
    ],
)
def test_malformed_html_still_gives_the_text(html: str) -> None:
    art = extract_article(html)
    assert "Kalimat nomor 0" in art.text
    assert "Kalimat nomor 5" in art.text


def test_br_separated_text_becomes_paragraphs_and_inserts_drop() -> None:
    parts = [
        "<b>Laporan Wartawan Contoh, Ani</b>",
        "Paragraf pertama cukup panjang dan menjelaskan kejadian di kota. Jelas sekali.",
        "<b>Baca juga: <a>Berita lain</a></b>",
        "Paragraf kedua juga panjang dan menjelaskan tanggapan pejabat.<br>Kata pejabat.",
        "<center>ADVERTISEMENT</center>",
        "Paragraf ketiga menutup berita dengan rencana pemerintah. Selesai.",
    ]
    for sep in ("<br><br>", "<br />\n  <br />", "<br>\n<br>\n<br>"):
        html = "<html><body><div class='txt'>" + sep.join(parts) + "</div>"
        paras = extract_article(html).text.split("\n\n")
        # a single <br> is a line break: its text is kept (as a line of its own)
        assert paras == [
            parts[1],
            "Paragraf kedua juga panjang dan menjelaskan tanggapan pejabat.",
            "Kata pejabat.",
            parts[5],
        ]


def test_extract_is_pure_and_deterministic() -> None:
    raw = (PAGES / "id02-portal-banjir-bandang.html").read_bytes()
    assert extract_article(raw) == extract_article(raw)


def test_ingest_uses_the_same_extraction() -> None:
    raw = (PAGES / "id03-portal-kompas-inflasi.html").read_bytes()
    article = extract_html(raw)
    assert article is not None
    page = extract_article(raw)
    assert article.text == page.text
    assert article.published_at == page.published_at
    assert article.outlet == "Nusantara Harian"
    assert extract_html("<html><body></body></html>") is None
