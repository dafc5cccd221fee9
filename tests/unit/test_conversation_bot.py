"""The conversation through ``Application.process_update`` over the bundled sample archive:
answer cards, who-said, buttons, /lang, admin commands, flood control, Telegram errors.

Bot API calls go to the strict stand-in through ``RecordingRequest`` (it rejects bad HTML,
over-long texts and callback data over 64 bytes), the archive is a real SQLite file.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import KataSiapaApp, build_application
from bot.archive.ingest import load_sample_if_empty
from bot.core.models import Analysis, ArticleInput, Claim, Speaker
from bot.settings import Settings
from storage.articles import SqliteArticleStore
from storage.db import Database
from storage.stores import sqlite_stores
from tests.helpers.botapi_rules import parse_html
from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.recording_request import RecordingRequest

USER = 1001
ADMIN = 777
CHANNEL = {
    "id": -1_001_555_000_111,
    "type": "channel",
    "title": "Kabar Cepat",
    "username": "kabarcepat",
}
QUOTE_EN = "who said the certificate had been due for renewal in January"


def sample() -> list[dict[str, Any]]:
    text = resources.files("bot.sample").joinpath("articles.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


SAMPLE = sample()
CHIRRUP = next(a for a in SAMPLE if "chirrup" in a["id"])
CABAI = next(a for a in SAMPLE if "cabai" in a["id"])

UNKNOWN_ARTICLE = (
    "Dewan kota Lembah Jernih menunda pembangunan jembatan gantung baru\n\n"
    "Pembangunan jembatan gantung di Desa Kali Bening ditunda hingga tahun depan, kata Ketua "
    'Dewan Kota Lembah Jernih, Rahmat Hidayanto, pada Senin. "Anggarannya belum turun dari '
    'provinsi," ujar Rahmat kepada wartawan di balai kota.\n\n'
    "Warga desa, yang setiap hari menyeberang sungai dengan rakit, kecewa dengan keputusan itu. "
    '"Anak-anak kami harus berangkat sekolah jam lima pagi," kata Siti Marlina, seorang ibu '
    "rumah tangga.\n\n"
    "Menurut seorang pejabat dinas pekerjaan umum yang tidak mau disebut namanya, kontraktor "
    "yang memenangi tender belum menyerahkan jaminan pelaksanaan. Kontraktor itu membantah "
    "tuduhan tersebut dan menyebutnya tidak berdasar."
)


def make_settings(standin: BotApiStandIn, db_path: Path, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "TELEGRAM_BOT_TOKEN": standin.token,
        "TELEGRAM_API_BASE_URL": standin.base_url,
        "KATASIAPA_DB": str(db_path),
        "KATASIAPA_LOAD_SAMPLE": False,
        "KATASIAPA_ADMIN_IDS": str(ADMIN),
    }
    values.update(extra)
    return Settings(_env_file=None, **values)


@dataclass
class Bot:
    standin: BotApiStandIn
    app: KataSiapaApp
    store: SqliteArticleStore

    async def feed(self, update: dict[str, Any]) -> None:
        async with asyncio.timeout(20):
            await self.app.process_update(Update.de_json(update, self.app.bot))

    async def say(self, text: str, **kwargs: Any) -> list[str]:
        """Send a text message; return the visible text of every reply it produced."""
        before = len(self.standin.sent_messages(kwargs.get("user_id", USER)))
        await self.feed(self.standin.add_text_message(text, **kwargs))
        sent = self.standin.sent_messages(kwargs.get("user_id", USER))
        return [visible(c) for c in sent[before:]]

    def last(self, chat_id: int = USER) -> Call:
        return self.standin.sent_messages(chat_id)[-1]

    async def press(self, data: str, on: Call, *, user_id: int = USER) -> list[Call]:
        before = len(self.standin.calls)
        await self.feed(self.standin.add_callback_query(data, on.result, user_id=user_id))
        return self.standin.calls[before:]


def visible(call: Call) -> str:
    assert call.ok, call.result
    assert call.params.get("parse_mode") == "HTML"
    plain, _ = parse_html(call.params["text"])
    assert len(plain) <= 4096
    return plain


def buttons(call: Call) -> dict[str, str]:
    markup = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}


@asynccontextmanager
async def open_bot(tmp_path: Path, **settings: Any) -> AsyncIterator[Bot]:
    """The real application over a real archive file holding the sample articles."""
    db = await Database.open(tmp_path / "archive.sqlite3")
    store = SqliteArticleStore(db)
    await load_sample_if_empty(store)
    standin = BotApiStandIn()
    app = build_application(
        make_settings(standin, tmp_path / "unused.sqlite3", **settings),
        request=RecordingRequest(standin),
        stores=sqlite_stores(db),
    )
    async with asyncio.timeout(10):
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
    try:
        yield Bot(standin, app, store)
    finally:
        async with asyncio.timeout(10):
            await app.shutdown()
            assert app.post_shutdown is not None
            await app.post_shutdown(app)
        await db.close()


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with open_bot(tmp_path) as opened:
        yield opened


def forwarded(standin: BotApiStandIn, text: str, *, post_id: int = 42, **kw: Any) -> dict[str, Any]:
    origin = {
        "type": "channel",
        "chat": CHANNEL,
        "message_id": post_id,
        "date": int(time.time()) - 3600,
    }
    return standin.add_update(
        {"message": standin.make_message(text=text, extra={"forward_origin": origin}, **kw)}
    )


# -- forwarded articles ---------------------------------------------------------------------


async def test_forwarded_article_gets_a_card_with_claims_sources_and_circulation(bot: Bot) -> None:
    await bot.feed(forwarded(bot.standin, CHIRRUP["text"]))
    card = bot.last()
    text = visible(card)
    assert text.startswith("Found in the archive (")
    assert CHIRRUP["title"] in text
    assert "The Example Gazette" in text
    assert "Key claims" in text
    assert "engineer" in text.lower()  # a speaker from the article
    assert "First seen in @kabarcepat" in text
    assert "Sent to Kata Siapa once." in text
    # the sourcing summary line, and a stance badge the article carries
    assert "claims:" in text
    assert "[not independently verified]" in text or "not independently verified" in text
    assert set(buttons(card)) == {"All claims", "Sources", "Not this article"}
    # The channel link points to the original post.
    assert 'href="https://t.me/kabarcepat/42"' in card.params["text"]


async def test_truncated_and_retitled_forwards_find_the_same_article(bot: Bot) -> None:
    body = CHIRRUP["text"].split("\n", 1)[1]
    await bot.say(body[: int(len(body) * 0.5)])
    await bot.say("BREAKING: payments app down all weekend\n\n" + body)
    for call in bot.standin.sent_messages(USER)[-2:]:
        assert CHIRRUP["title"] in visible(call)


async def test_forward_counts_accumulate_across_users(bot: Bot) -> None:
    await bot.feed(forwarded(bot.standin, CABAI["text"]))
    await bot.feed(forwarded(bot.standin, CABAI["text"], user_id=2002, language_code="id"))
    text = visible(bot.last(2002))
    assert text.startswith("Ditemukan di arsip")
    assert "Dikirim ke Kata Siapa 2 kali oleh 2 orang." in text


async def test_unknown_article_is_analyzed_stored_as_submission_then_matched(bot: Bot) -> None:
    before = await bot.store.count()
    [reply] = await bot.say(UNKNOWN_ARTICLE, language_code="id")
    assert reply.startswith("Belum ada di arsip")
    assert "kiriman pengguna" in reply
    assert "Rahmat Hidayanto" in reply  # a claim the analyzer found in the text itself
    assert await bot.store.count() == before + 1
    stored = await bot.store.get(before + 1)
    assert stored is not None
    assert stored.provenance.value == "user"
    # The next user who forwards it gets the stored submission, labelled unverified.
    [again] = await bot.say(UNKNOWN_ARTICLE, user_id=3003)
    assert again.startswith("Found in the archive")
    assert "User submission: not verified" in again
    assert await bot.store.count() == before + 1


async def test_stored_links_answer_at_once_in_any_spelling(bot: Bot) -> None:
    article = await bot.store.get(2)  # the sample articles after the first have URLs
    assert article is not None
    assert article.url
    mobile = article.url.replace("https://", "http://m.") + "?utm_source=tg#top"
    [card] = await bot.say(f"Cek ini: {mobile}")
    assert card.startswith("Found in the archive (100% similar)")
    assert str(article.title) in card


async def test_a_link_into_the_local_network_is_refused_politely(bot: Bot) -> None:
    [status] = await bot.say("http://127.0.0.1:9/admin")
    assert status == "Reading the article…"
    # the status message became the answer
    [edit] = [c for c in bot.standin.calls if c.method == "editMessageText"]
    assert visible(edit).startswith("That link points to a private or local address")


# -- who said this? -------------------------------------------------------------------------


async def test_who_said_an_exact_english_quote(bot: Bot) -> None:
    [reply] = await bot.say('who said "the certificate had been due for renewal in January"?')
    assert reply.startswith("Found in 1 article")
    assert "two engineers involved in restoring the service" in reply
    assert "Northwind Courier" in reply  # the chain: outlet ← newspaper ← engineers
    assert "The Example Gazette" in reply
    assert any(label.startswith("Open #") for label in buttons(bot.last()))


async def test_words_found_only_in_article_text_are_not_given_a_speaker(bot: Bot) -> None:
    """A sentence no claim holds: say where it appears, and show no speakers that would pass
    for the quote's (the article's key claims are someone else's words)."""
    text = (
        "Volunteers repaint the Old Mill bridge\n\nThe mayor said the bridge would reopen in "
        "May. The railings of the footbridge were painted dark green by forty volunteers over "
        "two weekends, using paint left over from the library."
    )
    claim = Claim(
        text="the bridge would reopen in May",
        start=text.index("the bridge would"),
        end=text.index("the bridge would") + len("the bridge would reopen in May"),
        speaker=Speaker(name="The mayor", kind="person"),
        cue="said",
        key=True,
    )
    await bot.store.add(
        ArticleInput(text=text, title="Volunteers repaint the Old Mill bridge", outlet="Mill Post"),
        Analysis(language="en", claims=[claim]),
    )
    [reply] = await bot.say("who said the railings were painted dark green by forty volunteers")
    assert reply.startswith("These words appear in the text of 1 article")
    assert "Volunteers repaint the Old Mill bridge" in reply
    assert "The mayor" not in reply  # the article's key claim is not the quote's speaker


async def test_who_said_a_partial_indonesian_quote_and_slash_who(bot: Bot) -> None:
    [reply] = await bot.say("siapa yang bilang barang dari petani sedikit", language_code="id")
    assert "Suwarni" in reply
    [again] = await bot.say("/who pembeli tetap banyak, barang dari petani sedikit")
    assert "Suwarni" in again
    [usage] = await bot.say("/who")
    assert "/who" in usage


async def test_reply_who_said_this_to_a_message(bot: Bot) -> None:
    quoted = bot.standin.add_text_message("Saya sekarang cuma berani ambil lima kilo sehari")
    await bot.feed(quoted)
    question = bot.standin.make_message(
        text="siapa yang bilang?", extra={"reply_to_message": quoted["message"]}
    )
    await bot.feed(bot.standin.add_update({"message": question}))
    assert "Suwarni" in visible(bot.last())


async def test_unknown_quote_says_so(bot: Bot) -> None:
    [reply] = await bot.say("who said the moon is made of green cheese and pickles")
    assert "no stored claim" in reply


# -- buttons --------------------------------------------------------------------------------


async def test_buttons_all_claims_paging_sources_and_not_this(bot: Bot) -> None:
    await bot.say(CHIRRUP["text"])
    card = bot.last()
    data = buttons(card)
    calls = await bot.press(data["Sources"], card)
    [sources] = [c for c in calls if c.method == "sendMessage"]
    assert visible(sources).startswith("Sources in this article")
    assert any(c.method == "answerCallbackQuery" for c in calls)

    calls = await bot.press(data["All claims"], card)
    [page] = [c for c in calls if c.method == "sendMessage"]
    assert "page 1 of" in visible(page)
    nxt = buttons(page).get("Next ›")
    if nxt is not None:
        calls = await bot.press(nxt, page)
        [edit] = [c for c in calls if c.method == "editMessageText"]
        assert "page 2 of" in visible(edit)

    calls = await bot.press(data["Not this article"], card)
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "not the right article" in str(answer.params.get("text"))
    stats = await bot.app.bot_data.require_conversation().stats(datetime.now(UTC))
    assert stats.activity.not_this_total == 1


async def test_button_for_a_removed_article_and_forged_data(bot: Bot) -> None:
    await bot.say(CHIRRUP["text"])
    card = bot.last()
    article_id = int(buttons(card)["Sources"].split(":")[1])
    await bot.store.remove(article_id)
    calls = await bot.press(f"src:{article_id}", card)
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert "no longer in the archive" in str(answer.params.get("text"))
    for forged in ("src:abc", "zzz:1", "all:-1", "", "all:1:2:3"):
        calls = await bot.press(forged, card)
        assert [c.method for c in calls] == ["answerCallbackQuery"]


# -- language -------------------------------------------------------------------------------


async def test_lang_switches_and_sticks(bot: Bot) -> None:
    [reply] = await bot.say("/lang id")
    assert reply == "Bahasa diganti ke Bahasa Indonesia."
    [card] = await bot.say(CHIRRUP["text"])  # the user's Telegram app is English
    assert card.startswith("Ditemukan di arsip")
    [choose] = await bot.say("/lang")
    assert set(buttons(bot.last())) == {"English", "Bahasa Indonesia"}
    assert choose == "Pilih bahasa:"
    calls = await bot.press("lang:en", bot.last())
    [edit] = [c for c in calls if c.method == "editMessageText"]
    assert visible(edit) == "Language set to English."
    [card] = await bot.say(CHIRRUP["text"])
    assert card.startswith("Found in the archive")


# -- admin ----------------------------------------------------------------------------------


async def test_non_admin_cannot_add_remove_or_see_stats(bot: Bot) -> None:
    count = await bot.store.count()
    for command in ("/add " + UNKNOWN_ARTICLE, "/remove 1", "/stats"):
        [reply] = await bot.say(command)
        assert reply == "Sorry, that command is for Kata Siapa admins only."
    assert await bot.store.count() == count
    assert await bot.store.get(1) is not None


async def test_admin_add_reply_remove_and_stats(bot: Bot) -> None:
    kw = {"user_id": ADMIN}
    fwd = forwarded(bot.standin, UNKNOWN_ARTICLE, **kw)
    command = bot.standin.make_message(
        text="/add", user_id=ADMIN, extra={"reply_to_message": fwd["message"]}
    )
    await bot.feed(bot.standin.add_update({"message": command}))
    reply = visible(bot.last(ADMIN))
    assert reply.startswith("Added to the archive as #")
    new_id = int(reply.split("#")[1].split()[0])
    article = await bot.store.get(new_id)
    assert article is not None
    assert article.provenance.value == "curated"
    assert article.outlet == "@kabarcepat"
    [again] = await bot.say("/add " + UNKNOWN_ARTICLE, **kw)
    assert again == f"Already in the archive as #{new_id}; it is now marked curated."

    [stats] = await bot.say("/stats", **kw)
    assert "Archive: 38 articles" in stats
    assert "curated: 1" in stats

    [removed] = await bot.say(f"/remove {new_id}", **kw)
    assert removed == f"Article #{new_id} removed from the archive."
    assert await bot.store.get(new_id) is None
    [missing] = await bot.say(f"/remove {new_id}", **kw)
    assert missing == f"There is no article #{new_id} in the archive."
    [usage] = await bot.say("/remove abc", **kw)
    assert "/remove 12" in usage
    # Ids past SQLite's 64-bit integers, or digits int() reads differently, are not ids.
    for bad in ("9" * 40, "9223372036854775808", "9" * 5000, "\u00b2", "-1", "0", "#"):
        [usage] = await bot.say(f"/remove {bad}", **kw)
        assert "/remove 12" in usage, bad
        [usage] = await bot.say(f"/feed_remove {bad}", **kw)
        assert "/feed_remove 3" in usage, bad


async def test_admin_stats_count_unmatched_and_forwards(bot: Bot) -> None:
    await bot.say(CHIRRUP["text"])
    await bot.say("who said the moon is made of green cheese and pickles")
    [stats] = await bot.say("/stats", user_id=ADMIN)
    assert "Today: 2 lookups, 1 articles sent, 1 unmatched." in stats
    assert "Users: 2 in all" in stats


# -- robustness -----------------------------------------------------------------------------


async def test_flood_control_stops_lookups_and_warns_once(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "f.sqlite3")
    standin = BotApiStandIn()
    settings = make_settings(standin, tmp_path / "x", KATASIAPA_FLOOD_LIMIT=3)
    app = build_application(settings, request=RecordingRequest(standin), stores=sqlite_stores(db))
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    try:
        for _ in range(6):
            await app.process_update(
                Update.de_json(standin.add_text_message("who said the sky is green"), app.bot)
            )
        texts = [visible(c) for c in standin.sent_messages(USER)]
        assert len(texts) == 4
        assert texts[-1].startswith("You are sending messages faster")
        # another user is not affected
        await app.process_update(
            Update.de_json(standin.add_text_message("/start", user_id=5), app.bot)
        )
        assert len(standin.sent_messages(5)) == 1
    finally:
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        await db.close()


@pytest.mark.parametrize(
    "text",
    [
        '"NEAR(* -:)',
        "😀😀😀 🙈🙈",
        "SELECT * FROM articles; DROP TABLE articles; --",
        "\u0000\u200b  \t",
    ],
)
async def test_hostile_text_gets_an_answer_not_an_error(bot: Bot, text: str) -> None:
    replies = await bot.say(text)
    assert len(replies) == 1
    assert "went wrong" not in replies[0]
    assert await bot.store.count() == len(SAMPLE)


async def test_group_answers_only_when_mentioned(bot: Bot) -> None:
    group = -1_001_234_567_890
    await bot.feed(bot.standin.add_text_message(CHIRRUP["text"], chat_type="supergroup"))
    assert bot.standin.sent_messages(group) == []
    username = bot.app.bot.username
    await bot.feed(bot.standin.add_text_message(f"@{username} {QUOTE_EN}", chat_type="supergroup"))
    [reply] = bot.standin.sent_messages(group)
    assert "two engineers" in visible(reply)


@pytest.mark.parametrize(
    ("status", "description", "retry"),
    [
        (403, "Forbidden: bot was blocked by the user", None),
        (400, "Bad Request: message to be replied not found", None),
        (429, "Too Many Requests: retry after 1", 1),
    ],
)
async def test_telegram_error_mid_reply_and_the_next_update_is_served(
    bot: Bot, status: int, description: str, retry: int | None
) -> None:
    bot.standin.fail_next("sendMessage", status, description, retry)
    await bot.feed(bot.standin.add_text_message(CHIRRUP["text"]))
    [reply] = await bot.say(QUOTE_EN)
    assert "two engineers" in reply


async def test_a_long_card_is_split_under_the_limit(bot: Bot) -> None:
    """An article with many long claims: every message parses and fits."""
    sentences = " ".join(
        f'"Kalimat nomor {i} ini sengaja dibuat sangat panjang agar kartu jawaban melewati '
        f'batas empat ribu karakter {"dan terus berlanjut " * 12}," kata Juru Bicara{i} Budi.'
        for i in range(40)
    )
    await bot.say("Judul artikel panjang sekali\n\n" + sentences, language_code="id")
    card = bot.last()
    await bot.press(buttons(card)["Semua klaim"], card)
    await bot.press(buttons(card)["Narasumber"], card)
    sent = bot.standin.sent_messages(USER)
    assert len(sent) >= 4  # the card and the sources list do not fit in one message each
    for call in sent:
        visible(call)


# -- long arguments and hostile text ---------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    ["/timezone", "/subscribe", "/unfollow", "/follow", "/feed_add", "/remove", "/who"],
)
async def test_a_10000_character_argument_is_quoted_as_a_short_prefix(
    bot: Bot, command: str
) -> None:
    """/timezone with 10,000 characters used to be answered in four messages echoing them."""
    argument = "Zona" + "x" * 9_996
    replies = await bot.say(f"{command} {argument}", user_id=ADMIN)
    assert len(replies) == 1, command
    assert len(replies[0]) < 600, (command, len(replies[0]))
    assert "x" * 250 not in replies[0]


async def test_lone_surrogates_in_an_update_are_cleaned_before_any_handler(bot: Bot) -> None:
    """Clients and proxies can send "\\ud800" escapes; SQLite, the Bot API and the log cannot
    encode them (UnicodeEncodeError, the generic apology)."""
    text = UNKNOWN_ARTICLE.replace("Rahmat Hidayanto", "Rahmat \ud800Hidayanto", 1)
    channel = {**CHANNEL, "title": "Kabar \udfff Cepat"}
    origin = {"type": "channel", "chat": channel, "message_id": 7, "date": int(time.time())}
    await bot.feed(bot.standin.add_update(
        {"message": bot.standin.make_message(text=text, extra={"forward_origin": origin})}
    ))  # fmt: skip
    card = visible(bot.last())
    assert card.startswith("Not in the archive yet"), card
    assert "Rahmat \ufffdHidayanto" in card
    [who] = await bot.say("/who anggarannya belum turun \udc80 dari provinsi")
    assert "Rahmat" in who


async def test_100_users_forwarding_one_unknown_article_all_get_the_header(bot: Bot) -> None:
    """The first lookup stores the article; the other 99, racing it, found it stored by the
    time they tried, and their cards had neither "not in the archive" nor "found" on top."""
    users = range(20_000, 20_100)
    updates = [forwarded(bot.standin, UNKNOWN_ARTICLE, user_id=u) for u in users]
    async with asyncio.timeout(120):
        await asyncio.gather(
            *(bot.app.process_update(Update.de_json(u, bot.app.bot)) for u in updates)
        )
    cards = [visible(bot.last(u)) for u in users]
    new = [c for c in cards if c.startswith("Not in the archive yet")]
    found = [c for c in cards if c.startswith("Found in the archive (100% similar)")]
    assert len(new) == 1
    assert len(found) == 99, [c[:60] for c in cards if c not in new and c not in found][:3]
    assert await bot.store.count() == len(SAMPLE) + 1
