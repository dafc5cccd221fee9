"""The attribution benchmark's scorer, on tiny invented examples (never the eval data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.scripts import load_script

ea = load_script("eval_attribution")
Gold = ea.GoldAttribution
Pred = ea.Prediction


def test_overlap_threshold_is_half_of_the_shorter_span() -> None:
    gold = ((10, 30),)  # 20 chars
    assert ea.content_matches((20, 100), gold)  # overlap 10 = half of 20
    assert not ea.content_matches((21, 100), gold)  # overlap 9
    assert ea.content_matches((0, 200), gold)  # gold fully inside a long prediction
    assert ea.content_matches((12, 16), gold)  # short prediction fully inside gold
    assert not ea.content_matches((30, 40), gold)  # touching is not overlapping


def test_split_gold_content_is_scored_piecewise() -> None:
    # '"Part one," she said, "part two."' -> pieces [0,11) and [21,33)
    gold = ((0, 11), (21, 33))
    assert ea.content_overlap((0, 33), gold) == 23  # the attribution in between is not counted
    assert ea.content_matches((0, 33), gold)
    assert ea.content_matches((0, 11), gold)  # the first half alone still matches
    assert not ea.content_matches((11, 21), gold)  # only the attribution: no overlap


def test_greedy_matching_is_one_to_one_by_overlap() -> None:
    golds = [Gold(content=((0, 50),)), Gold(content=((60, 100),))]
    preds = [Pred(0, 40), Pred(0, 50), Pred(60, 100)]
    pairs = ea.greedy_match(preds, golds)
    assert pairs == [(1, 0), (2, 1)]  # the larger overlap wins gold 0; pred 0 stays unmatched


def test_head_token() -> None:
    assert ea.head_token("The Daily Ledger") == "ledger"
    assert ea.head_token("Mayor Rina Wulandari\u2019s") == "wulandari"
    assert ea.head_token("  ") is None
    assert ea.head_token(None) is None


def test_speaker_right_by_mention_overlap_or_head_token() -> None:
    gold = Gold(content=((0, 10),), source=((20, 22),), source_text="he")
    assert ea.speaker_correct(Pred(0, 10, "Tomas Verhoek", mention=(20, 22)), gold)
    assert not ea.speaker_correct(Pred(0, 10, "Tomas Verhoek", mention=(30, 43)), gold)
    named = Gold(content=((0, 10),), source=((30, 43),), source_text="Tomas Verhoek")
    assert ea.speaker_correct(Pred(0, 10, "Verhoek"), named)
    assert ea.speaker_correct(Pred(0, 10, "Dr. tomas VERHOEK"), named)
    assert not ea.speaker_correct(Pred(0, 10, "Tomas"), named)
    assert not ea.speaker_correct(Pred(0, 10, "Verhoek"), Gold(content=((0, 10),)))


def test_score_document_and_summary() -> None:
    golds = [
        Gold(content=((0, 20),), source=((25, 30),), source_text="Verhoek", direct=True),
        Gold(content=((40, 80),), source=((82, 90),), source_text="the mayor", direct=False),
        Gold(content=((100, 120),), source=None, direct=False),
    ]
    preds = [
        Pred(0, 20, "Tomas Verhoek", mention=(25, 30), direct=True),  # right speaker
        Pred(40, 80, "Budi Santoso", mention=(200, 212)),  # content right, speaker wrong
        Pred(150, 170, "Someone"),  # no gold
    ]
    c = ea.score_document(preds, golds)
    s = ea.summarize(c)
    assert (s["predictions"], s["gold"], s["matched"]) == (3, 3, 2)
    assert s["content_precision"] == pytest.approx(2 / 3)
    assert s["content_recall"] == pytest.approx(2 / 3)
    assert s["content_f1"] == pytest.approx(2 / 3)
    assert s["speaker_acc"] == pytest.approx(1 / 2)
    assert s["e2e_precision"] == pytest.approx(1 / 3)
    assert s["e2e_f1"] == pytest.approx(1 / 3)
    assert s["recall_direct"] == 1.0
    assert s["recall_indirect"] == pytest.approx(1 / 2)
    assert s["precision_direct"] == 1.0
    assert s["precision_indirect"] == pytest.approx(1 / 2)
    assert s["direct_flag_acc"] == 1.0
    assert s["gold_without_source"] == 1


def test_counts_add_and_empty_summary() -> None:
    total = ea.Counts()
    total.add(ea.score_document([], [Gold(content=((0, 5),))]))
    total.add(ea.score_document([Pred(0, 5, "X")], []))
    s = ea.summarize(total)
    assert (s["docs"], s["gold"], s["predictions"], s["matched"]) == (2, 1, 1, 0)
    assert s["content_f1"] == 0.0
    assert s["speaker_acc"] is None


def test_gold_is_direct() -> None:
    assert ea.gold_is_direct(["\u201cWe will rebuild the bridge,\u201d"])
    assert ea.gold_is_direct(['"Part one,"', '"part two."'])
    assert ea.gold_is_direct(["\u00abKami tidak tahu.\u00bb"])
    assert not ea.gold_is_direct(['that the bridge would be "rebuilt soon."'])
    assert not ea.gold_is_direct(["the bridge would be rebuilt"])


def test_pfsa_source_derivation() -> None:
    text = (
        "Walikota Rina Wulandari meresmikan jembatan.\n"
        "\u201cJembatan ini aman,\u201d kata Rina.\n"
        "Warga menyambut baik.\n"
        "\u201cKami senang,\u201d ujarnya.\n"
        "Menurut Budi Santoso, biayanya besar."
    )

    def span(label: str, part: str, start_at: int = 0) -> object:
        i = text.index(part, start_at)
        return ea.LabeledSpan(label, i, i + len(part), part)

    second_line = text.index("\n") + 1
    spans = [
        span("PERSON", "Rina Wulandari"),
        span("STATEMENT", "\u201cJembatan ini aman,\u201d"),
        span("CUE", "kata"),
        span("PERSONCOREF", "Rina", second_line),
        span("STATEMENT", "\u201cKami senang,\u201d"),
        span("CUECOREF", "ujarnya"),
        span("CUE", "Menurut"),
        span("PERSON", "Budi Santoso"),
        span("STATEMENT", "biayanya besar."),
    ]
    sources = [
        (st.text, src.text if src else None) for st, src in ea.derive_pfsa_sources(text, spans)
    ]
    assert sources == [
        ("\u201cJembatan ini aman,\u201d", "Rina"),  # person next to the cue
        ("\u201cKami senang,\u201d", "Rina"),  # clitic cue: the last person before
        ("biayanya besar.", "Budi Santoso"),  # no adjacent cue: the person in its line
    ]


def test_baseline_finds_speech_sentences() -> None:
    text = "The weather was mild. \u201cWe are ready,\u201d said Mayor Ana Kovac. Nothing else."
    preds = ea.baseline_predict(text)
    assert len(preds) == 1
    p = preds[0]
    assert text[p.start : p.end].startswith("\u201cWe are ready")
    assert p.speaker_name == "Mayor Ana Kovac"
    assert p.direct


def test_data_dir_resolution(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ea.ENV_DATA_DIR, str(tmp_path))
    assert ea.resolve_data_dir(None) == tmp_path
    assert ea.resolve_data_dir("/elsewhere") == Path("/elsewhere")
    monkeypatch.delenv(ea.ENV_DATA_DIR)
    assert ea.resolve_data_dir(None) == ea.REPO_ROOT.parent / "shared" / "eval"


def test_missing_data_exits_with_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert ea.main(["polnear", "--baseline", "--data-dir", str(tmp_path / "nope")]) == 2
    assert "not found" in capsys.readouterr().err
    assert ea.main(["pfsa", "--baseline", "--data-dir", str(tmp_path)]) == 2
    assert "not found" in capsys.readouterr().err
