"""bot.lookup.matching pure parts: query cleaning and classification, term choice, scorers."""

from __future__ import annotations

import pytest

from bot.core.errors import (
    EmptyTextError,
    InputError,
    QueryTooLongError,
    QueryTooShortError,
    TextTooLongError,
)
from bot.lookup.matching import (
    ArticleCandidate,
    ClaimCandidate,
    MatchConfig,
    fuzzy_coverage,
    hidden_words,
    parse_query,
    probe_terms,
    quote_similarity,
    rarest,
    rerank_articles,
    rerank_claims,
)

CONFIG = MatchConfig()

ARTICLE = (
    "Pemerintah Kota Lembayung menutup pasar ikan Sukamaju selama dua pekan. "
    "Wali kota Rina Safitri mengatakan penutupan diperlukan untuk renovasi saluran air. "
    "Para pedagang dipindahkan sementara ke lapangan Merdeka. "
    "Menurut dinas perdagangan, sekitar 340 kios terdampak penutupan tersebut. "
    "Pedagang mengeluhkan penurunan omzet hingga setengahnya."
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("siapa yang bilang “harga beras turun minggu depan”?", "harga beras turun minggu depan"),
        ("Siapa bilang: harga beras turun minggu depan", "harga beras turun minggu depan"),
        ("benarkah harga beras turun minggu depan?", "harga beras turun minggu depan"),
        ("Apakah benar bahwa harga beras turun minggu depan", "harga beras turun minggu depan"),
        ('Who said "rice prices will fall next week"?', "rice prices will fall next week"),
        ("is it true that rice prices will fall next week?", "rice prices will fall next week"),
        ("“harga beras turun minggu depan” kata siapa?", "harga beras turun minggu depan"),
    ],
)
def test_ask_phrases_are_stripped_and_make_a_quote(raw: str, expected: str) -> None:
    query = parse_query(raw, CONFIG)
    assert query.kind == "quote"
    assert query.norm == expected


def test_indonesian_and_english_fold_the_same_way() -> None:
    a = parse_query("ＨＡＲＧＡ Beras TURUN — kata @menteri #viral https://t.me/x/1 🙏", CONFIG)
    b = parse_query("harga beras turun kata", CONFIG)
    assert a.norm == b.norm == "harga beras turun kata"


def test_long_text_is_an_article_forward() -> None:
    query = parse_query(ARTICLE, CONFIG)
    assert query.kind == "article"
    assert "lembayung" in query.words


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", EmptyTextError),
        ("   \n\t ", EmptyTextError),
        ("😀🔥🙏", EmptyTextError),
        ("\u0000\u0007\u200b", EmptyTextError),
        ('"*():-', EmptyTextError),
        ("Jokowi", QueryTooShortError),
        ("siapa yang bilang beras?", QueryTooShortError),
        ("kata " * 30_000, QueryTooLongError),
    ],
)
def test_unusable_text_raises_a_domain_error(raw: str, error: type[InputError]) -> None:
    with pytest.raises(error) as info:
        parse_query(raw, CONFIG)
    assert info.value.user_message()


def test_too_long_is_a_text_too_long_error_with_the_limit() -> None:
    with pytest.raises(TextTooLongError, match="30,000"):
        parse_query("x " * 20_000, CONFIG)


def test_mixed_script_and_control_characters_keep_their_words() -> None:
    query = parse_query("Путин\u0000 berkata 習近平 said pasar\u200b ikan", CONFIG)
    assert query.words == ("путин", "berkata", "習近平", "said", "pasar", "ikan")


def test_probe_terms_skip_function_words_and_prefer_long_words() -> None:
    query = parse_query(ARTICLE, CONFIG)
    terms = probe_terms(query, 5)
    assert len(terms) == 5
    assert "yang" not in terms
    assert "untuk" not in terms
    assert all(len(t) >= 9 for t in terms)


def test_rarest_orders_by_count_and_respects_the_budget() -> None:
    terms = ["umum", "langka", "absen", "sedang", "jarangsekali"]
    counts = [900, 2, 0, 50, 2]
    # Fewest rows first; equal counts: the longer word first. Absent words are dropped.
    assert rarest(terms, counts, 10, cap=1000, size=10_000, budget=10_000, min_terms=1) == [
        "jarangsekali",
        "langka",
        "sedang",
        "umum",
    ]
    assert rarest(terms, counts, 2, cap=1000, size=10_000, budget=10_000, min_terms=1) == [
        "jarangsekali",
        "langka",
    ]
    # terms x rows: 3 x 54 fits in 200, 4 x 954 does not.
    assert rarest(terms, counts, 10, cap=1000, size=10_000, budget=200, min_terms=1) == [
        "jarangsekali",
        "langka",
        "sedang",
    ]
    # Never below min_terms, whatever the budget.
    assert rarest(terms, counts, 10, cap=1000, size=10_000, budget=1, min_terms=2) == [
        "jarangsekali",
        "langka",
    ]
    assert rarest(["absen"], [0], 10, cap=1000, size=10_000, budget=100, min_terms=1) == []


def test_rarest_costs_capped_counts_by_archive_size() -> None:
    # "umum" hit the probe's cap: its real count is unknown, costed at 1/20 of 1M rows.
    terms = ["umum", "langka", "dan"]
    counts = [1000, 3, 1000]
    found = rarest(terms, counts, 10, cap=1000, size=10**6, budget=20_000, min_terms=1)
    assert found == ["langka"]
    found = rarest(terms, counts, 10, cap=1000, size=10**6, budget=20_000, min_terms=2)
    assert found == ["langka", "umum"]
    # In a small archive the same counts are cheap, and every word is used.
    found = rarest(terms, counts, 10, cap=1000, size=2000, budget=20_000, min_terms=1)
    assert found == ["langka", "umum", "dan"]


def test_quote_similarity_is_containment_with_a_short_claim_discount() -> None:
    claim = "penutupan diperlukan untuk renovasi saluran air di pasar ikan"
    assert quote_similarity("renovasi saluran air di pasar", claim) == 100
    reworded = "penutupan dibutuhkan untuk renovasi saluran air di pasar ikan"
    assert 80 <= quote_similarity(reworded, claim) < 100
    assert quote_similarity("penutupan diperlukan untuk renovasi saluran air", "air") < 30
    assert quote_similarity("apa saja", "") == 0


def test_fuzzy_coverage_forgives_typos_but_not_other_words() -> None:
    assert fuzzy_coverage(["anies", "bongkar"], ["anis", "bongkar", "aib"], 80) > 0.9
    assert fuzzy_coverage(["anies", "bongkar"], ["prabowo", "pidato"], 80) == 0


def test_rerank_puts_the_source_of_a_partial_forward_first() -> None:
    other = "Pasar ikan di kota lain tetap buka. Pedagang menjual ikan segar setiap pagi."
    candidates = [
        ArticleCandidate(article_id=2, bm25=9.0, title="Pasar buka", text=other),
        ArticleCandidate(article_id=1, bm25=8.0, title="Pasar ikan ditutup", text=ARTICLE),
    ]
    forward = parse_query(ARTICLE[: len(ARTICLE) // 2] + " Sebarkan! 🙏 #info", CONFIG)
    ranked = rerank_articles(forward, candidates, frozenset(), CONFIG)
    assert [s.article_id for s in ranked] == [1, 2]
    assert ranked[0].similarity >= CONFIG.match_threshold > ranked[1].similarity


def test_rerank_claims_prefers_the_claim_holding_the_quote() -> None:
    candidates = [
        ClaimCandidate(claim_id=7, article_id=3, bm25=5.0, text="Pedagang mengeluhkan omzet"),
        ClaimCandidate(
            claim_id=8,
            article_id=4,
            bm25=4.0,
            text="penutupan diperlukan untuk renovasi saluran air",
        ),
    ]
    query = parse_query("siapa yang bilang penutupan diperlukan untuk renovasi?", CONFIG)
    ranked = rerank_claims(query, candidates, frozenset(), CONFIG)
    assert ranked[0].claim_id == 8
    assert ranked[0].similarity == 100


def test_hidden_words_recover_tags_and_leetspeak_but_keep_norm() -> None:
    query = parse_query(
        "@MaskapaiLangitbiru naikkan tarif bagasi #TarifNaik j0k0wi diam 20KG KotaLembayung",
        CONFIG,
    )
    # The shown/compared text is what ingest folds to: tags dropped.
    assert query.norm == "naikkan tarif bagasi j0k0wi diam 20kg kotalembayung"
    assert query.extra == (
        "jokowi",
        "20",
        "kg",
        "maskapailangitbiru",
        "maskapai",
        "langitbiru",
        "tarifnaik",
        "naik",
        "kota",
        "lembayung",
    )  # "tarif" is a query word already: not repeated


def test_hidden_words_are_empty_for_plain_text() -> None:
    assert parse_query("harga beras turun minggu depan", CONFIG).extra == ()
    assert hidden_words("60 jt untuk harga beras", ("60", "jt", "untuk", "harga", "beras")) == ()
    # Numbers run into units are split, but only into words the query does not have yet.
    assert hidden_words("60jt untuk 60 kg", ("60jt", "untuk", "60", "kg")) == ("jt",)


def test_probe_terms_include_hidden_words() -> None:
    query = parse_query("kenapa mahal sekali sekarang @Langitbiru", CONFIG)
    assert "langitbiru" in probe_terms(query, 40)
