"""Cue matching, speaker/role extraction, coreference, chains and stance (invented text)."""

from __future__ import annotations

from bot.analysis import analyze
from bot.core.models import Analysis
from tests.helpers_gold import claim_containing

_claim = claim_containing


def _speaker(a: Analysis, fragment: str) -> str:
    c = _claim(a, fragment)
    assert c.speaker is not None, f"{fragment!r} has no speaker"
    return c.speaker.name


# ---- English -----------------------------------------------------------------------------


def test_en_said_that_and_clause_final() -> None:
    a = analyze(
        "Mayor Ruth Adeyemi said that the tunnel would open in June. "
        "The budget is already spent, the treasurer said on Friday."
    )
    c = _claim(a, "tunnel would open in June")
    assert c.speaker is not None
    assert c.speaker.name == "Ruth Adeyemi"
    assert c.cue == "said"
    assert not c.direct
    assert _speaker(a, "budget is already spent") == "the treasurer"


def test_en_inverted_and_told_to() -> None:
    a = analyze(
        "“We will appeal,” said Tomas Berg, a lawyer for the growers. "
        "The plant is safe, the inspector told the Valley Echo."
    )
    c = _claim(a, "We will appeal")
    assert c.speaker is not None
    assert c.speaker.name == "Tomas Berg"
    assert c.speaker.role == "a lawyer for the growers"
    assert c.direct
    told = _claim(a, "plant is safe")
    assert told.told_to == "Valley Echo"


def test_en_according_to_both_positions() -> None:
    a = analyze(
        "According to the port authority, cargo fell by 8 percent. "
        "Fares will rise next year, according to a memo seen by reporters."
    )
    assert _speaker(a, "cargo fell") == "the port authority"
    assert _speaker(a, "Fares will rise") == "a memo seen by reporters"


def test_en_split_quote_and_next_sentence_quote() -> None:
    a = analyze("“The dam held,” engineer Pia Lund said, “but barely.” “We were lucky.”")
    for fragment in ("The dam held", "but barely", "We were lucky"):
        c = _claim(a, fragment)
        assert c.direct
        assert c.speaker is not None
        assert c.speaker.name == "Pia Lund"
        assert c.speaker.role == "engineer"


def test_en_role_before_name_appositive_and_pronoun() -> None:
    text = (
        "The club's treasurer, Omar Haddad, said the accounts were in order. "
        "He accused the auditors of bias."
    )
    a = analyze(text)
    c = _claim(a, "accounts were in order")
    assert c.speaker is not None
    assert (c.speaker.name, c.speaker.role) == ("Omar Haddad", "The club's treasurer")
    acc = _claim(a, "accused the auditors")
    assert acc.stance == "accuses"
    assert acc.speaker is not None
    assert acc.speaker.name == "Omar Haddad"
    assert acc.speaker.mention_start is not None
    assert text[acc.speaker.mention_start : acc.speaker.mention_end] == "He"


def test_en_stances() -> None:
    a = analyze(
        "The ministry denied the report. Northfield Mining declined to comment. "
        "The Harbour Herald could not independently verify the footage. "
        "Unions blamed the board for the delays."
    )
    assert _claim(a, "denied the report").stance == "denies"
    assert _claim(a, "declined to comment").stance == "declines_comment"
    unver = _claim(a, "could not independently verify")
    assert unver.stance == "unverified"
    assert unver.speaker is not None
    assert unver.speaker.kind == "outlet"
    assert _claim(a, "blamed the board").stance == "accuses"


def test_en_reporting_chain_and_anaphora() -> None:
    a = analyze(
        "The Northern Courier reported, citing two officials familiar with the talks, "
        "that the merger had collapsed. The newspaper said the banks walked away. "
        "The sources said the board was split."
    )
    c = _claim(a, "merger had collapsed")
    assert c.speaker is not None
    assert c.speaker.name == "two officials familiar with the talks"
    assert c.speaker.kind == "anonymous"
    assert c.via == ["The Northern Courier"]
    assert _speaker(a, "banks walked away") == "The Northern Courier"


def test_en_acronym_keeps_longest_name() -> None:
    a = analyze(
        "The Regional Water Board said supply was stable. "
        "Later the RWB said a pipe had burst near the depot."
    )
    assert _speaker(a, "pipe had burst").removeprefix("The ") == "Regional Water Board"


def test_unattributed_statement_gets_no_speaker() -> None:
    a = analyze("The festival drew 40,000 visitors over three days in 2023, organisers' data show.")
    for c in a.claims:
        if "festival drew" in c.text and c.cue is None:
            assert c.speaker is None


# ---- Indonesian --------------------------------------------------------------------------


def test_id_kata_with_role_and_split_quote() -> None:
    a = analyze(
        "“Stok beras aman,” kata Kepala Dinas Pangan Kota Tepian, Wulan Sari, "
        "“hingga akhir tahun.” “Warga tidak perlu panik.”"
    )
    for fragment in ("Stok beras aman", "hingga akhir tahun", "Warga tidak perlu panik"):
        c = _claim(a, fragment)
        assert c.direct
        assert c.speaker is not None
        assert c.speaker.name == "Wulan Sari"
    c = _claim(a, "Stok beras aman")
    assert c.speaker is not None
    assert c.speaker.role == "Kepala Dinas Pangan Kota Tepian"


def test_id_indirect_speech_forms_and_clitic() -> None:
    a = analyze(
        "Camat Bukit Indah, Rahmat Hidayat, mengatakan bahwa jalan itu rusak sejak Maret. "
        "Menurut Rahmat, perbaikan butuh dana Rp 2 miliar. "
        "“Kami sudah mengajukan anggaran,” ujarnya."
    )
    assert _speaker(a, "jalan itu rusak") == "Rahmat Hidayat"
    assert _speaker(a, "perbaikan butuh dana") == "Rahmat Hidayat"
    c = _claim(a, "Kami sudah mengajukan anggaran")
    assert c.speaker is not None
    assert c.speaker.name == "Rahmat Hidayat"
    assert c.cue == "ujarnya"


def test_id_stances_and_told_to() -> None:
    a = analyze(
        "Direktur PT Sinar Laut, Dodi Kurnia, membantah tuduhan itu. "
        "Ia menuduh pesaingnya menyebar kabar bohong. "
        "Pihak bank menolak berkomentar kepada Warta Kita. "
        "Harian Pagi tidak dapat memverifikasi dokumen tersebut secara independen. "
        "Dodi mengatakan kepada wartawan bahwa kontrak tetap berjalan."
    )
    assert _claim(a, "membantah tuduhan itu").stance == "denies"
    acc = _claim(a, "menyebar kabar bohong")
    assert acc.stance == "accuses"
    assert acc.speaker is not None
    assert acc.speaker.name == "Dodi Kurnia"
    dec = _claim(a, "menolak berkomentar")
    assert dec.stance == "declines_comment"
    assert dec.told_to == "Warta Kita"
    assert _claim(a, "tidak dapat memverifikasi").stance == "unverified"
    told = _claim(a, "kontrak tetap berjalan")
    assert told.told_to == "wartawan"
    assert told.cue == "mengatakan kepada"


def test_id_chain_with_citing_parenthetical_and_anonymous_anaphor() -> None:
    a = analyze(
        "Koran Suara Tepian, mengutip dua pejabat yang mengetahui rapat itu, melaporkan "
        "bahwa proyek pelabuhan ditunda. Sumber tersebut mengklaim dana belum cair. "
        "Menurut surat kabar itu, kontraktor sudah mundur."
    )
    c = _claim(a, "proyek pelabuhan ditunda")
    assert c.speaker is not None
    assert c.speaker.name == "dua pejabat yang mengetahui rapat itu"
    assert c.via == ["Suara Tepian"]
    again = _claim(a, "dana belum cair")
    assert again.speaker is not None
    assert again.speaker.name == c.speaker.name
    assert again.via == ["Suara Tepian"]
    assert _speaker(a, "kontraktor sudah mundur") == "Suara Tepian"


def test_id_headline_suffix_attribution() -> None:
    text = "Tarif tol naik bulan depan: Kabar Tepian\n\nPengelola jalan tol belum bersuara."
    a = analyze(text)
    assert a.title == "Tarif tol naik bulan depan: Kabar Tepian"
    assert _speaker(a, "Tarif tol naik") == "Kabar Tepian"


def test_key_claims_ranked() -> None:
    a = analyze(
        "Menteri Keuangan, Ani Rahma, mengatakan defisit anggaran mencapai 2,9 persen pada 2024. "
        "Seorang juru bicara menolak berkomentar."
    )
    key = [c for c in a.claims if c.key]
    assert key
    assert "defisit anggaran" in key[0].text
    assert all(0.0 <= c.score <= 1.0 for c in a.claims)
    assert _claim(a, "defisit").score > _claim(a, "menolak berkomentar").score
