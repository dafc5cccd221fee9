"""bot.lookup.ask.ask and ``katasiapa ask`` over a real SQLite archive: article forwards, quotes,
misattribution, match right after ingest, bad input."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.core.errors import InputError
from bot.core.models import Analysis, ArticleInput, Claim, Speaker
from bot.lookup.ask import ask
from bot.settings import Settings
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.search import SqliteMatchIndex

PASAR = (
    "Pemerintah Kota Lembayung menutup pasar ikan Sukamaju selama dua pekan mulai Senin. "
    "Wali kota Rina Safitri mengatakan penutupan diperlukan untuk renovasi saluran air yang "
    "sudah berumur empat puluh tahun. Para pedagang dipindahkan sementara ke lapangan Merdeka. "
    "Menurut dinas perdagangan, sekitar 340 kios terdampak penutupan tersebut. "
    "Pedagang mengeluhkan penurunan omzet hingga setengahnya sejak relokasi diumumkan."
)
FERRY = (
    "The Harbourview port authority denied on Monday that it had banned night ferries. "
    "Spokeswoman Dana Whitlock said the schedule was unchanged and blamed a forged notice "
    "that circulated on messaging apps. According to two dock workers, at least 14 sailings "
    "were cancelled last week because of engine inspections at the Eastquay terminal."
)
QUOTE = "kami tidak pernah menaikkan tarif air bersih tahun ini"


def _settings(**fields: object) -> Settings:
    return Settings(_env_file=None, **fields)  # type: ignore[call-arg]


def _with_quote(text: str, speaker: str, role: str) -> tuple[str, Claim]:
    full = f'{text} "{QUOTE[0].upper()}{QUOTE[1:]}," kata {speaker}, {role}.'
    start = full.index(QUOTE[0].upper() + QUOTE[1:])
    claim = Claim(
        text=full[start : start + len(QUOTE)],
        start=start,
        end=start + len(QUOTE),
        speaker=Speaker(name=speaker, kind="person", role=role),
        direct=True,
        key=True,
    )
    return full, claim


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "archive.sqlite3")
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
def store(db: Database) -> SqliteArticleStore:
    return SqliteArticleStore(db)


@pytest.fixture
def index(db: Database) -> SqliteMatchIndex:
    return SqliteMatchIndex(db)


async def _add(
    store: SqliteArticleStore,
    text: str,
    *claims: Claim,
    title: str | None = None,
    day: int = 1,
    outlet: str = "kabar.id",
) -> int:
    result = await store.add(
        ArticleInput(
            text=text,
            title=title,
            outlet=outlet,
            published_at=datetime(2025, 3, day, 8, tzinfo=UTC),
            external_id=f"ext-{day}-{outlet}",
        ),
        Analysis(language="id", claims=list(claims)),
    )
    assert result.article_id is not None
    return result.article_id


async def test_a_partial_reworded_forward_matches_right_after_ingest(
    store: SqliteArticleStore,
    index: SqliteMatchIndex,
) -> None:
    await _add(store, FERRY, title="Port denies ferry ban", day=2, outlet="harbour.news")
    pasar_id = await _add(store, PASAR, title="Pasar ikan Sukamaju ditutup", day=3)
    forward = (
        "INFO PENTING!! 🙏 " + PASAR[:200].replace("Senin", "hari Senin") + " … selengkapnya "
        "https://t.me/kabarlembayung/991 #Lembayung @kabarlembayung"
    )
    result = await ask(index, forward, _settings())
    assert (result.kind, result.outcome) == ("article", "match")
    assert result.results[0].article_id == pasar_id
    assert result.results[0].score >= 80
    assert result.results[0].outlet == "kabar.id"
    dumped = result.model_dump(mode="json")
    assert {"kind", "outcome", "results"} <= dumped.keys()
    assert {"article_id", "external_id", "score", "title", "outlet", "published_at", "claims"} <= (
        dumped["results"][0].keys()
    )


async def test_thresholds_from_settings_decide_similar(
    store: SqliteArticleStore, index: SqliteMatchIndex
) -> None:
    pasar_id = await _add(store, PASAR, title="Pasar ikan Sukamaju ditutup")
    reworded = PASAR.replace("dua pekan", "14 hari").replace("Para pedagang", "Semua penjual")
    assert (await ask(index, reworded, _settings())).outcome == "match"
    result = await ask(index, reworded, _settings(KATASIAPA_MATCH_THRESHOLD=100))
    assert result.outcome == "similar"
    assert [h.article_id for h in result.results] == [pasar_id]


async def test_unknown_text_is_a_real_none(
    store: SqliteArticleStore, index: SqliteMatchIndex
) -> None:
    await _add(store, PASAR)
    result = await ask(index, FERRY, _settings(), analyze_unmatched=False)
    assert (result.kind, result.outcome, result.results) == ("article", "none", [])


async def test_none_outcome_analyzes_the_text_itself(
    store: SqliteArticleStore, index: SqliteMatchIndex
) -> None:
    await _add(store, PASAR)
    result = await ask(index, FERRY, _settings())
    assert result.outcome == "none"
    assert result.analysis is not None
    assert result.analysis.language == "en"


async def test_same_quote_two_speakers_is_flagged_earliest_first(
    store: SqliteArticleStore,
    index: SqliteMatchIndex,
) -> None:
    text_b, claim_b = _with_quote(FERRY, "Budi Santoso", "direktur PDAM")
    later = await _add(store, text_b, claim_b, day=20, outlet="later.id")
    text_a, claim_a = _with_quote(PASAR, "Rina Safitri", "wali kota")
    first = await _add(store, text_a, claim_a, day=5, outlet="first.id")
    result = await ask(index, f"siapa yang bilang “{QUOTE[:40]}”?", _settings())
    assert (result.kind, result.outcome) == ("quote", "match")
    assert [h.article_id for h in result.results] == [first, later]
    assert [h.claims[0].speaker.name for h in result.results if h.claims[0].speaker] == [
        "Rina Safitri",
        "Budi Santoso",
    ]
    assert result.results[0].claims[0].speaker is not None
    assert result.results[0].claims[0].speaker.role == "wali kota"
    assert result.misattribution is True
    assert result.speakers == ["Rina Safitri", "Budi Santoso"]


async def test_one_speaker_many_articles_is_no_misattribution(
    store: SqliteArticleStore,
    index: SqliteMatchIndex,
) -> None:
    for day, base in ((4, PASAR), (9, FERRY)):
        text, claim = _with_quote(base, "Rina Safitri", "wali kota")
        await _add(store, text, claim, day=day, outlet=f"o{day}.id")
    result = await ask(index, f"who said {QUOTE.replace('tarif', 'tarip')}", _settings())
    assert result.kind == "quote"
    assert result.outcome == "match"
    assert len(result.results) == 2
    assert result.misattribution is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "kata",
        "😀😀😀 🔥",
        "x" * 100_000,
        "Путин 習近平 Jokowi said pasar ikan",
        "\u0000\u0001pasar\u0007 ikan\u001f sukamaju",
        '"pasar" * NEAR(ikan sukamaju) -ditutup : (lembayung) AND OR NOT ^',
        "'; DROP TABLE articles; -- SELECT * FROM claims WHERE 1=1",
        'col:"x" NEAR/3 {a b} "unterminated',
    ],
)
async def test_bad_input_gives_an_answer_or_a_domain_error(
    store: SqliteArticleStore,
    index: SqliteMatchIndex, text: str
) -> None:
    await _add(store, PASAR)
    outcome: str
    try:
        outcome = (await ask(index, text, _settings(), analyze_unmatched=False)).outcome
    except InputError as exc:  # a clear "too short / too long / no words" message
        outcome = f"refused: {exc.user_message()}"
    assert outcome in ("match", "similar", "none") or len(outcome) > 20
    assert await store.count() == 1  # and the archive is untouched


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "KATASIAPA_DB", "KATASIAPA_MATCH_THRESHOLD"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "cli.sqlite3"
    rows = [
        {"id": "pasar", "text": PASAR, "title": "Pasar ikan ditutup", "language": "id"},
        {"id": "ferry", "text": FERRY, "title": "Port denies ferry ban", "language": "en"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert main(["ingest", "--db", str(path), "--quiet", str(src)]) == 0
    return path


def test_cli_ask_json(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code, out, _ = _cli(capsys, "ask", "--db", str(cli_db), FERRY[:300], "--json")
    assert code == 0
    result = json.loads(out)
    assert (result["kind"], result["outcome"]) == ("article", "match")
    assert result["results"][0]["external_id"] == "ferry"


def test_cli_ask_text_and_too_short(cli_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    code, out, _ = _cli(capsys, "ask", "--db", str(cli_db), PASAR)
    assert code == 0
    assert "Pasar ikan ditutup" in out
    code, _, err = _cli(capsys, "ask", "--db", str(cli_db), "halo")
    assert code == 2
    assert "short" in err


def test_cli_ask_jsonl_batch(
    cli_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "q.jsonl"
    lines = [
        json.dumps({"id": "q1", "text": PASAR[:220]}),
        json.dumps({"id": "q2", "text": "😀"}),
        "not json",
        json.dumps({"id": "q3", "text": FERRY}),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    code, out, _ = _cli(capsys, "ask", "--db", str(cli_db), "--jsonl", str(batch))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1  # two lines could not be looked up
    assert [r.get("id") for r in rows] == ["q1", "q2", None, "q3"]
    assert rows[0]["results"][0]["external_id"] == "pasar"
    assert "error" in rows[1]
    assert "error" in rows[2]
    assert rows[3]["results"][0]["external_id"] == "ferry"


async def test_a_quote_no_claim_holds_is_found_in_the_article_text(
    store: SqliteArticleStore,
    index: SqliteMatchIndex,
) -> None:
    text_a, claim_a = _with_quote(FERRY, "Budi Santoso", "direktur PDAM")
    await _add(store, text_a, claim_a, day=2, outlet="a.id")
    pasar_id = await _add(store, PASAR, day=3)  # no claims stored for this one
    result = await ask(
        index, "benarkah relokasi pasar ikan Sukamaju ke lapangan Merdeka?", _settings()
    )
    assert result.kind == "quote"
    assert result.results[0].article_id == pasar_id
    assert result.misattribution is False
    assert result.speakers == []
