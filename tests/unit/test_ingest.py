"""Readers turn files into records and report each unusable one with a reason."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.archive.files import (
    MAX_ARTICLE_CHARS,
    Record,
    Rejected,
    article_from_json,
    read_paths,
    split_headline,
)
from bot.core.models import Provenance

ARTICLE = (
    "Wali kota membantah laporan banjir\n\n"
    "Wali Kota Lestari Ananta membantah laporan bahwa tanggul kota jebol. "
    "\u201cTanggul kami aman,\u201d kata Lestari kepada wartawan.\n"
)


def _read(*paths: Path) -> list[Record | Rejected]:
    return list(read_paths(paths))


def test_jsonl_keeps_good_lines_and_rejects_bad_ones_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps(
            {
                "id": "a1",
                "text": ARTICLE,
                "outlet": "Contoh",
                "published_at": "2026-03-01T08:00:00+07:00",
            }
        ),
        "{not json",
        json.dumps({"id": "a2"}),
        json.dumps({"id": 3, "text": "   "}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a4", "text": "x", "published_at": "yesterday"}),
        "",
        json.dumps({"id": 5, "text": "Teks kedua yang sah.", "title": "Judul"}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    out = _read(path)
    assert [type(r).__name__ for r in out] == [
        "Record",
        "Rejected",
        "Rejected",
        "Rejected",
        "Rejected",
        "Rejected",
        "Record",
    ]
    first = out[0]
    assert isinstance(first, Record)
    assert first.article.external_id == "a1"
    assert first.article.outlet == "Contoh"
    assert first.article.published_at is not None
    assert first.article.published_at.utcoffset() is not None
    reasons = [r.reason for r in out if isinstance(r, Rejected)]
    assert "invalid JSON" in reasons[0]
    assert "'text' is required" in reasons[1]
    assert reasons[2] == "empty text"
    assert "JSON object" in reasons[3]
    assert "ISO 8601" in reasons[4]
    # Line numbers survive so the user can find the bad line; ids are reported when known.
    bad = [r for r in out if isinstance(r, Rejected)]
    assert bad[0].source.endswith(":2")
    assert bad[2].external_id == "3"
    last = out[-1]
    assert isinstance(last, Record)
    assert last.article.external_id == "5"
    assert last.source.endswith(":8")


def test_non_utf8_and_binary_files_are_rejected_clearly(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Caf\u00e9 berita".encode("latin-1"))
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    out = _read(latin, binary)
    assert all(isinstance(r, Rejected) for r in out)
    assert "not UTF-8" in out[0].reason  # type: ignore[union-attr]
    assert "binary" in out[1].reason  # type: ignore[union-attr]


def test_txt_headline_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    [rec] = _read(path)
    assert isinstance(rec, Record)
    assert rec.article.title == "Wali kota membantah laporan banjir"
    assert rec.article.text.startswith("Wali kota")  # BOM gone, headline kept in the text
    assert rec.article.external_id == "story"


def test_split_headline_needs_a_short_line_and_a_blank_line() -> None:
    assert split_headline("Judul\n\nIsi.")[0] == "Judul"
    assert split_headline("Kalimat pertama selesai.\n\nIsi.")[0] is None
    assert split_headline("Satu baris saja")[0] is None
    assert split_headline("Judul\nlangsung isi")[0] is None


def test_too_long_and_empty_texts_are_rejected(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("kata " * (MAX_ARTICLE_CHARS // 4), encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n", encoding="utf-8")
    out = _read(big, empty)
    assert "too long" in out[0].reason  # type: ignore[union-attr]
    assert out[1].reason == "empty text"  # type: ignore[union-attr]


def test_html_main_text_is_extracted_without_scripts(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = " ".join(
        f"Kalimat nomor {i} menjelaskan bahwa warga kota menunggu keputusan dewan."
        for i in range(12)
    )
    page.write_text(
        "<html><head><title>Dewan kota menunda keputusan</title>"
        "<script>var tracker = 'SHOULD_NOT_APPEAR';</script></head><body>"
        "<nav><a href='/'>Beranda</a> <a href='/x'>Politik</a></nav>"
        f"<article><h1>Dewan kota menunda keputusan</h1><p>{body}</p>"
        "<p>\u201cKami butuh waktu,\u201d kata Ketua Dewan Sari Wulan.</p></article>"
        "<script>alert('SHOULD_NOT_APPEAR')</script></body></html>",
        encoding="utf-8",
    )
    [rec] = _read(page)
    assert isinstance(rec, Record)
    assert "Kami butuh waktu" in rec.article.text
    assert "SHOULD_NOT_APPEAR" not in rec.article.text
    assert rec.article.title == "Dewan kota menunda keputusan"


def test_html_without_text_is_rejected(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    [rec] = _read(page)
    assert isinstance(rec, Rejected)
    assert "no article text" in rec.reason


def test_folder_is_read_recursively_in_name_order(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text("Teks B.", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text("Teks A.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    out = _read(tmp_path)
    assert [r.article.text for r in out if isinstance(r, Record)] == ["Teks B.", "Teks A."]
    assert len(out) == 2


def test_missing_and_unsupported_paths(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    out = _read(tmp_path / "nope.jsonl", tmp_path / "x.pdf", tmp_path / "emptydir")
    assert [r.reason for r in out if isinstance(r, Rejected)][:2] == [
        "no such file or folder",
        "unsupported file type (use .jsonl, .txt or .html)",
    ]


def test_article_from_json_cleans_control_characters_and_sets_provenance() -> None:
    art = article_from_json({"text": "A\u0000b\r\nc\u200b"}, provenance=Provenance.CURATED)
    assert art.text == "Ab\nc"
    assert art.provenance is Provenance.CURATED


@pytest.mark.parametrize(
    "bad", [{"text": 5}, {"text": "ok", "title": {"x": 1}}, {"text": "ok", "id": True}]
)
def test_article_from_json_type_errors(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="must be a string"):
        article_from_json(bad)
