"""The katasiapa command line against real SQLite files."""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.analysis import text_fits_span
from bot.cli.main import main
from bot.core.models import Claim
from tests.helpers.botprocess import clean_env

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEED = FIXTURES / "seed-id-wsj-buyback.txt"

EN_ARTICLE = (
    "Port authority denies ferry ban\n\n"
    "The Harbourview port authority denied on Monday that it had banned night ferries. "
    '"There is no ban," said Dana Whitlock, the authority\'s spokeswoman. '
    "According to two dock workers, at least 14 sailings were cancelled last week.\n"
)
ID_ARTICLE = (
    "Dinas kesehatan bantah kabar vaksin palsu\n\n"
    "Kepala Dinas Kesehatan Kota Lembayung, Rina Safitri, membantah kabar adanya vaksin palsu. "
    "\u201cSemua vaksin berasal dari distributor resmi,\u201d kata Rina kepada wartawan, Selasa.\n"
)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No developer .env or environment leaks into CLI runs."""
    monkeypatch.chdir(tmp_path)
    for name in ("TELEGRAM_BOT_TOKEN", "KATASIAPA_DB", "KATASIAPA_ADMIN_IDS"):
        monkeypatch.delenv(name, raising=False)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _write_jsonl(path: Path, rows: list[dict[str, object] | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_analyze_json_offsets_point_into_the_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "analyze", str(SEED), "--json")
    assert code == 0
    analysis = json.loads(out)
    text = SEED.read_text(encoding="utf-8")
    assert analysis["language"] == "id"
    assert analysis["title"].startswith("Rusia melakukan pembelian kembali")
    assert len(analysis["claims"]) >= 10
    for claim in analysis["claims"]:
        assert text_fits_span(text, Claim.model_validate(claim))
        sp = claim["speaker"]
        if sp and sp["mention_start"] is not None:
            assert 0 <= sp["mention_start"] < sp["mention_end"] <= len(text)


def test_analyze_readable_output_shows_speakers_and_stances(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    article = tmp_path / "en.txt"
    article.write_text(EN_ARTICLE, encoding="utf-8")
    code, out, _ = _run(capsys, "analyze", str(article))
    assert code == 0
    assert "Title: Port authority denies ferry ban" in out
    assert "Dana Whitlock" in out
    assert "DENIES" in out


def test_analyze_reads_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ID_ARTICLE.encode())))
    code, out, _ = _run(capsys, "analyze", "-", "--json")
    assert code == 0
    claims = json.loads(out)["claims"]
    assert any(c["speaker"] and "Rina" in c["speaker"]["name"] for c in claims)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty text"),
        (b"   \n\t ", "empty text"),
        ("Caf\u00e9".encode("latin-1") * 10, "not UTF-8"),
        (b"\x00\x01\x02binary", "binary"),
        (("kata " * 1_100_000).encode(), "too long"),
    ],
)
def test_analyze_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    code, out, err = _run(capsys, "analyze", str(path))
    assert code == 2
    assert message in err
    assert out == ""
    assert "Traceback" not in err


def test_analyze_unknown_language_and_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "analyze", str(SEED), "--lang", "xx")
    assert code == 2
    assert "xx" in err
    code, _, err = _run(capsys, "analyze", "does-not-exist.txt")
    assert code == 2
    assert "no such file" in err


def test_analyze_jsonl_batch_continues_past_bad_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write_jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": 1, "text": EN_ARTICLE},
            "{broken",
            {"id": "two", "text": ""},
            {"id": "three", "text": ID_ARTICLE, "language": "id"},
            {"id": "four", "text": EN_ARTICLE, "language": "xx"},
        ],
    )
    code, out, err = _run(capsys, "analyze", "--jsonl", str(path))
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [r["id"] for r in rows] == [1, None, "two", "three", "four"]
    assert rows[0]["language"] == "en"
    assert rows[0]["claims"]
    assert "invalid JSON" in rows[1]["error"]
    assert "empty" in rows[2]["error"]
    assert rows[3]["language"] == "id"
    assert "error" in rows[4]
    assert "3 line(s)" in err


def test_ingest_is_idempotent_and_show_stats_report_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "archive.sqlite3"
    src = _write_jsonl(
        tmp_path / "articles.jsonl",
        [
            {
                "id": "en-1",
                "text": EN_ARTICLE,
                "outlet": "Harbour Times",
                "url": "https://example.org/a",
            },
            {"id": "id-1", "text": ID_ARTICLE, "published_at": "2026-05-02T09:00:00+07:00"},
            {"id": "dup", "text": EN_ARTICLE.replace("  ", " ").upper()},
            "not json at all",
        ],
    )
    code, out, _ = _run(capsys, "ingest", "--db", str(db), str(src))
    assert code == 1  # one line was rejected
    assert "2 added, 1 already present, 1 rejected" in out
    assert "invalid JSON" in out

    code, out, _ = _run(capsys, "ingest", "--db", str(db), str(src), str(SEED))
    assert "1 added, 3 already present, 1 rejected" in out

    code, out, _ = _run(capsys, "stats", "--db", str(db), "--json")
    stats = json.loads(out)
    assert code == 0
    assert stats["articles"] == 3
    assert stats["claims"] > 5
    assert stats["by_language"] == {"en": 1, "id": 2}

    code, out, _ = _run(capsys, "show", "--db", str(db), "en-1", "--json")
    article = json.loads(out)
    assert code == 0
    assert article["external_id"] == "en-1"
    assert article["outlet"] == "Harbour Times"
    assert any(c["speaker"] and c["speaker"]["name"] == "Dana Whitlock" for c in article["claims"])

    code, out, _ = _run(capsys, "show", "--db", str(db), str(article["id"]))
    assert code == 0
    assert "Harbour Times" in out

    code, _, err = _run(capsys, "show", "--db", str(db), "nope")
    assert code == 1
    assert "No article" in err


def test_ingest_failure_midway_keeps_committed_batches(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.articles import SqliteArticleStore

    db = tmp_path / "archive.sqlite3"
    rows: list[dict[str, object] | str] = [
        {"id": f"n{i}", "text": f"Artikel nomor {i}. " + ID_ARTICLE} for i in range(30)
    ]
    src = _write_jsonl(tmp_path / "many.jsonl", rows)
    monkeypatch.setattr("bot.archive.ingest.INGEST_BATCH", 10)
    original = SqliteArticleStore.add_many
    calls = {"n": 0}

    async def failing_add_many(self: SqliteArticleStore, items):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk fell off")
        return await original(self, items)

    monkeypatch.setattr(SqliteArticleStore, "add_many", failing_add_many)
    with pytest.raises(RuntimeError):
        main(["ingest", "--db", str(db), str(src)])
    capsys.readouterr()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 10
    monkeypatch.setattr(SqliteArticleStore, "add_many", original)
    code, out, _ = _run(capsys, "ingest", "--db", str(db), str(src))
    assert code == 0
    assert "20 added, 10 already present, 0 rejected" in out


def test_ingest_reports_a_locked_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "archive.sqlite3"
    src = _write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": EN_ARTICLE}])
    assert _run(capsys, "ingest", "--db", str(db), str(SEED))[0] == 0
    monkeypatch.setenv("KATASIAPA_BUSY_TIMEOUT_MS", "200")
    locker = sqlite3.connect(db, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        code, _, err = _run(capsys, "ingest", "--db", str(db), str(src))
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert code == 1
    assert "busy" in err.lower() or "locked" in err.lower()
    assert "Traceback" not in err
    code, out, _ = _run(capsys, "stats", "--db", str(db), "--json")
    assert json.loads(out)["articles"] == 1  # nothing lost, nothing half-written


def test_run_without_token_explains_botfather(tmp_path: Path) -> None:
    # clean_env: no TELEGRAM_/KATASIAPA_ settings, and PYTHONPATH on this checkout (a bare
    # environment ran whatever package the interpreter had installed instead).
    proc = _cli(tmp_path, "run", "--db", str(tmp_path / "k.sqlite3"))
    assert proc.returncode == 2
    assert "@BotFather" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_large_ingest_optimizes_the_search_index_and_matching_still_works(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.cli.main.OPTIMIZE_AFTER", 2)
    db = tmp_path / "archive.sqlite3"
    src = _write_jsonl(
        tmp_path / "a.jsonl", [{"id": "en", "text": EN_ARTICLE}, {"id": "id", "text": ID_ARTICLE}]
    )
    code, out, err = _run(capsys, "ingest", "--db", str(db), str(src))
    assert code == 0
    assert "optimizing the search index" in err
    code, out, _ = _run(capsys, "ask", "--db", str(db), "--json", EN_ARTICLE)
    result = json.loads(out)
    assert code == 0
    assert result["outcome"] == "match"
    assert result["results"][0]["external_id"] == "en"


def _hostile_lines() -> list[bytes]:
    """Ten lines that used to crash a batch or that must each be refused on their own."""
    return [
        b"[" * 100_000,  # RecursionError in the JSON parser
        b'{"id": "surrogate", "text": "Kata \\ud800 menteri ' + b"x" * 300 + b'"}',
        b'{"id": "low", "text": "\\udfff' + json.dumps(EN_ARTICLE)[1:-1].encode() + b'"}',
        b'{"id": ' + b"[" * 900 + b"1" + b"]" * 900 + b', "text": "' + b"y" * 300 + b'"}',
        b'{"id": "big", "text": "' + b"z" * (5 * 1024 * 1024) + b'"}',  # over the line cap
        b'{"id": "bytes", "text": "caf\xe9 ' + b"w" * 300 + b'"}',  # not UTF-8
        b'{"id": "nul", "text": "\x00\x00\x00"}',
        b'{"text": 12345}',
        b'"just a string"',
        json.dumps({"id": "date", "text": EN_ARTICLE, "published_at": "nope"}).encode(),
    ]


def test_ingest_of_1000_good_and_10_hostile_lines_stores_exactly_the_1000(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = [
        json.dumps({"id": f"g{i}", "text": f"Berita nomor {i} dari Lembayung. " + ID_ARTICLE})
        .encode()
        for i in range(1000)
    ]  # fmt: skip
    hostile = _hostile_lines()
    lines = list(good)
    for k, line in enumerate(hostile):  # spread through the file
        lines.insert(k * 97 + 13, line)
    src = tmp_path / "mixed.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    db = tmp_path / "archive.sqlite3"
    code, out, err = _run(capsys, "ingest", "--quiet", "--db", str(db), str(src))
    assert code == 1
    assert "1000 added, 0 already present, 10 rejected" in out
    rejected = [line for line in out.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 10
    reasons = " | ".join(rejected)
    for reason in ("nested too deeply", "lone UTF-16 surrogate", "line is too long",
                   "not valid UTF-8", "must be a string", "not an ISO 8601 date"):  # fmt: skip
        assert reason in reasons
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1000


def test_ask_and_analyze_jsonl_carry_on_past_hostile_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "archive.sqlite3"
    src = _write_jsonl(tmp_path / "a.jsonl", [{"id": "en", "text": EN_ARTICLE}])
    assert _run(capsys, "ingest", "--db", str(db), str(src))[0] == 0
    queries = tmp_path / "q.jsonl"
    last = json.dumps({"id": "last", "text": EN_ARTICLE}).encode()
    queries.write_bytes(b"\n".join([*_hostile_lines(), last]) + b"\n")
    for command in (["ask", "--db", str(db), "--jsonl"], ["analyze", "--jsonl"]):
        code, out, err = _run(capsys, *command, str(queries))
        rows = [json.loads(line) for line in out.splitlines()]
        assert code == 1, command
        assert len(rows) == 11
        assert rows[-1]["id"] == "last"
        assert "error" not in rows[-1]
        assert sum("error" in r for r in rows) >= 9
        assert "Traceback" not in err


@pytest.mark.parametrize("command", ["ingest", "ask", "analyze"])
def test_a_100_mb_single_line_is_unusable_input_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as out:
        out.write(b'{"id": "x", "text": "')
        for _ in range(100):
            out.write(b"kata " * 209_716)  # ~1 MiB
        out.write(b'"}\n')
    assert huge.stat().st_size > 100 * 2**20
    db = str(tmp_path / "archive.sqlite3")
    argv = {
        "ingest": ["ingest", "--db", db, str(huge)],
        "ask": ["ask", "--db", db, "--jsonl", str(huge)],
        "analyze": ["analyze", "--jsonl", str(huge)],
    }[command]
    code, out, err = _run(capsys, *argv)
    assert code == 2
    assert "too long" in out + err or "too large" in out + err
    assert "Traceback" not in err


def test_huge_ids_are_usage_errors_not_overflows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "archive.sqlite3")
    assert _run(capsys, "ingest", "--db", db, str(SEED))[0] == 0
    code, _, err = _run(capsys, "show", "--db", db, "9" * 40)
    assert (code, "Traceback" in err) == (1, False)
    assert "No article with id" in err
    with pytest.raises(SystemExit) as exited:
        main(["feeds", "remove", "9" * 40, "--db", db])
    assert exited.value.code == 2
    assert "not an id" in capsys.readouterr().err


def _cli(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """The CLI as its own process (a hang is a failure: the timeout), on this checkout."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_special_files_are_refused_not_read(tmp_path: Path) -> None:
    """A FIFO hung ingest forever; a link to /dev/zero was read without limit (6 GB in 18 s);
    a link inside a folder pointing outside it brought a system file in as an article."""
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(EN_ARTICLE, encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "real.txt").write_text(ID_ARTICLE, encoding="utf-8")
    (folder / "leak.txt").symlink_to(secret)
    (folder / "same.txt").symlink_to(folder / "real.txt")  # inside: followed
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "pipe.txt").symlink_to(fifo)
    db = str(tmp_path / "archive.sqlite3")
    proc = _cli(tmp_path, "ingest", "--db", db, str(fifo), str(zero), str(folder))
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout
    assert f"rejected  {fifo}: not a regular file" in out
    assert f"rejected  {zero}: not a regular file" in out
    assert f"rejected  {folder / 'leak.txt'}: a link to a file outside the folder" in out
    assert f"rejected  {folder / 'zero.txt'}: a link to a file outside the folder" in out
    assert "1 added, 1 already present, 5 rejected" in out
    with sqlite3.connect(db) as conn:
        texts = [r[0] for r in conn.execute("SELECT text FROM articles")]
    assert len(texts) == 1
    assert "Whitlock" not in texts[0]  # the file outside the folder was not ingested
    for command in (["analyze", str(fifo)], ["analyze", str(zero)], ["ask", "--jsonl", str(fifo)]):
        proc = _cli(tmp_path, *command, "--db", db) if command[0] == "ask" else _cli(
            tmp_path, *command
        )
        assert proc.returncode == 2, (command, proc.stderr)
        assert "not a regular file" in proc.stderr


def test_a_new_archive_gets_the_sample_on_first_use_and_says_so_in_one_line(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "new.sqlite3")
    proc = _cli(tmp_path, "stats", "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"^Articles: [1-9]\d*$", proc.stdout, re.MULTILINE), proc.stdout
    [line] = proc.stderr.splitlines()  # results on stdout; one line on stderr, no log noise
    assert line.startswith(f"New archive {db}: imported the bundled sample (")
    proc = _cli(tmp_path, "ask", "--db", db, "siapa yang bilang pembeli tetap banyak")
    assert (proc.returncode, proc.stderr) == (0, "")  # not imported twice, nothing logged
    assert "Suwarni" in proc.stdout
    # ingest fills an archive with the user's own articles: no invented ones mixed in.
    other = str(tmp_path / "own.sqlite3")
    proc = _cli(tmp_path, "ingest", "--db", other, str(SEED))
    assert proc.returncode == 0
    assert proc.stderr == ""
    assert "1 added" in proc.stdout
    proc = _cli(tmp_path, "stats", "--db", other, "--json")
    assert json.loads(proc.stdout)["articles"] == 1
