"""The whole Telegram conversation, end to end: the real ``python -m bot run`` process,
long-polling the strict Bot API stand-in, with the bundled sample archive loaded.

One bot process serves the whole module (starting it loads the sample archive); every test
talks to it as its own users, so tests do not see each other's language choice, flood
window or circulation counts. Replies are awaited through the stand-in's ``wait_for_*``
helpers, never with sleeps. After every test, no Bot API call may have failed except the
failures a test injected: the stand-in answers 400 for unparsable HTML, messages over 4096
characters and oversized callback data, so that check is the HTML/length check of
everything the bot sent in that test (and the last test re-checks every message). The
second-to-last test restarts the bot on the same archive.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import signal
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.helpers.botapi_rules import MAX_MESSAGE_LENGTH, parse_html, utf16_len
from tests.helpers.botapi_standin import BotApiStandIn, Call
from tests.helpers.botprocess import BotProcess, clean_env, spawn

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 90.0  # first start imports the sample archive into a new database
REPLY_TIMEOUT = 30.0  # generous: the machine is shared; a passing run takes milliseconds
ADMINS = (9001, 9002, 9003)
FLOOD_LIMIT = 10
BOT = "katasiapa_test_bot"
SAMPLE = [
    json.loads(line)
    for line in (REPO / "bot" / "sample" / "articles.jsonl").read_text().splitlines()
    if line.strip()
]
REFERENCE = SAMPLE[0]  # the Indonesian WSJ buyback article
CHIRRUP = next(a for a in SAMPLE if "chirrup" in a["id"])
FERNCASTLE = next(a for a in SAMPLE if "ferncastle" in a["id"])
CABAI = next(a for a in SAMPLE if "cabai" in a["id"])
DBD = next(a for a in SAMPLE if "dbd" in a["id"])
MAYOR = next(a for a in SAMPLE if "mayor-quote" in a["id"])
APOLOGY = "Sorry, something went wrong"


# -- the bot process --------------------------------------------------------------------------


@dataclass
class Live:
    standin: BotApiStandIn
    bot: BotProcess
    env: dict[str, str]
    workdir: Path
    expected_errors: list[str] = field(default_factory=list)  # for the current test only

    async def reply(
        self,
        chat: int,
        since: float,
        needle: str | None = None,
        *,
        method: str = "sendMessage",
        keyboard: bool = False,
        timeout: float = REPLY_TIMEOUT,  # noqa: ASYNC109
    ) -> Call:
        """The first ``method`` call to ``chat`` that arrived after ``since`` (and contains
        ``needle``, and carries an inline keyboard if asked)."""

        def match(call: Call) -> bool:
            return (
                call.method == method
                and call.chat_id == chat
                and call.at >= since
                and (needle is None or needle in (call.text or ""))
                and (not keyboard or "reply_markup" in call.params)
            )

        return await self.standin.wait_for_sent(match, timeout=timeout)

    async def send(
        self, add: Callable[[], Any], chat: int, needle: str | None = None, **kw: Any
    ) -> Call:
        """Queue an update with ``add()`` and wait for the bot's reply to ``chat``."""
        since = time.monotonic()
        add()
        return await self.reply(chat, since, needle, **kw)

    async def say(
        self, text: str, user: int, needle: str | None = None, *, lang: str = "en", **kw: Any
    ) -> Call:
        return await self.send(
            lambda: self.standin.add_text_message(text, user_id=user, language_code=lang),
            user,
            needle,
            **kw,
        )

    async def forward(
        self,
        text: str,
        user: int,
        needle: str | None = None,
        *,
        lang: str = "en",
        origin: dict[str, Any] | None = None,
        as_caption: bool = False,
    ) -> Call:
        """Forward a channel post; wait for the answer card (the message with buttons)."""
        return await self.send(
            lambda: self.standin.add_forward(
                text, origin=origin, as_caption=as_caption, user_id=user, language_code=lang
            ),
            user,
            needle,
            keyboard=True,
        )

    async def press(
        self, on: Call, data: str, user: int, needle: str | None = None, **kw: Any
    ) -> Call:
        return await self.send(
            lambda: self.standin.press_button(on, data, user_id=user), user, needle, **kw
        )

    async def press_answer(self, on: Call, data: str, user: int) -> Call:
        """Press a button; wait for the bot's answerCallbackQuery to that press."""
        query = self.standin.press_button(on, data, user_id=user)["callback_query"]
        return await self.standin.wait_for_sent(
            lambda c: c.method == "answerCallbackQuery"
            and c.params.get("callback_query_id") == query["id"],
            timeout=REPLY_TIMEOUT,
        )


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def live(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Live]:
    standin = BotApiStandIn(user_limits=True)  # users cannot send more than Telegram allows
    await standin.start()
    workdir = tmp_path_factory.mktemp("conversation")
    env = clean_env(
        TELEGRAM_BOT_TOKEN=standin.token,
        TELEGRAM_API_BASE_URL=standin.base_url,
        KATASIAPA_ADMIN_IDS=",".join(map(str, ADMINS)),
        KATASIAPA_FLOOD_LIMIT=str(FLOOD_LIMIT),
        KATASIAPA_FLOOD_WINDOW_S="60",
    )
    bot = await spawn(workdir, env, "run", "--db", str(workdir / "k.sqlite3"))
    try:
        try:
            await standin.wait_for_polling(timeout=START_TIMEOUT)
        except TimeoutError:
            pytest.fail(f"the bot never polled getUpdates; its output:\n{bot.output()[-4000:]}")
        live = Live(standin, bot, env, workdir)
        yield live
        bot = live.bot  # a test may have restarted it
    finally:
        await bot.kill()
        await standin.close()


@pytest.fixture(autouse=True)
def _only_injected_api_errors(live: Live) -> Iterator[None]:
    """Every Bot API call the bot made during the test succeeded, unless the test made it
    fail (or said it expects that error in ``live.expected_errors``); and the bot is still
    running afterwards."""
    start = len(live.standin.calls)
    yield
    allowed, live.expected_errors = live.expected_errors, []
    failed = [
        f"{c.method}: {c.error and c.error['description']} ({str(c.params.get('text'))[:200]!r})"
        for c in live.standin.calls[start:]
        if not c.ok
        and not c.injected
        and not any(a in str(c.error and c.error["description"]) for a in allowed)
    ]
    assert not failed, "the stand-in (i.e. Telegram) rejected:\n" + "\n".join(failed)
    assert live.bot.running, f"the bot died:\n{live.bot.output()[-4000:]}"


# -- what the bot said ------------------------------------------------------------------------


def card_id(live: Live, card: Call) -> int:
    """The archive id an answer card is about, from its buttons ("all:<id>")."""
    ids = {int(d.split(":")[1]) for _, d in live.standin.buttons(card) if d.startswith("all:")}
    assert len(ids) == 1, live.standin.buttons(card)
    return ids.pop()


def match_percent(text: str) -> int:
    found = re.search(r"Found in the archive \((\d+)% similar\)", text)
    assert found is not None, text
    return int(found.group(1))


def _gold_sources(path: Path) -> frozenset[str]:
    """The sources a person annotated in an article (names and aliases), not what the
    analyzer under test finds."""
    gold = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(
        name
        for c in gold["claims"]
        if c.get("speaker")
        for name in (c["speaker"], *c.get("aliases", []))
    )


# Who the sample articles' claims come from, read by a person.
SOURCES = {
    "reference-id": _gold_sources(REPO / "tests" / "fixtures" / "seed-id-wsj-buyback.gold.json"),
    "chirrup-en": frozenset({
        "Northwind Courier", "Courier", "Oona Castellane", "Castellane", "Chirrup Pay",
        "Fair Ledger Alliance", "The Example Gazette", "two engineers involved in restoring "
        "the service", "two engineers", "One of the engineers", "the engineer",
    }),
}  # fmt: skip


def first_share(text: str, share: float) -> str:
    cut = text[: int(len(text) * share)]
    return cut.rsplit(" ", 1)[0]


def new_headline(text: str, headline: str) -> str:
    return f"{headline}\n\n{text.split(chr(10) + chr(10), 1)[1]}"


def every_other_word_replaced(text: str) -> str:
    """Half the words replaced: related to the original, but not the same article."""
    return " ".join(w if i % 2 else f"zq{i}x" for i, w in enumerate(text.split()))


_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def invented_article(seed: int, *, min_chars: int = 0) -> tuple[str, str]:
    """(text, main speaker) of a news article nobody stored: invented names and places,
    ordinary English attribution, so the analyzer finds its claims."""
    rng = random.Random(seed)

    def word(lo: int = 2, hi: int = 4) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(lo, hi)))

    def sentence() -> str:
        words = [word() for _ in range(rng.randint(8, 14))]
        return " ".join([words[0].capitalize(), *words[1:]]) + "."

    town, firm = word().capitalize(), word().capitalize() + " " + word().capitalize()
    speaker = f"{word().capitalize()} {word(3, 4).capitalize()}"
    critic = f"{word().capitalize()} {word(3, 4).capitalize()}"
    # Mostly invented words, so two invented articles are not "similar" to each other.
    paragraphs = [
        f"{town} {word()} {word()} {word()} {firm}",
        f"{sentence()} {town} {word()} {rng.randint(100, 999)} {word()} {word()}. {sentence()}",
        f'"{sentence()[:-1]}," said {speaker}, the director of {firm}.',
        f"{sentence()} {sentence()}",
        f'{critic}, who chairs the {town} {word()} association, said: "{sentence()}"',
        f"{firm} denied that the {word()} had been ignored. {sentence()}",
        f"{sentence()} {sentence()}",
    ]
    text = "\n\n".join(paragraphs)
    while len(text) < min_chars:
        text += f"\n\n{sentence()} {sentence()}"
    return text, speaker


# -- forwarded articles -------------------------------------------------------------------------

VARIANTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "full text": lambda a: a["text"],
    "first 40%": lambda a: first_share(a["text"], 0.4),
    "changed headline": lambda a: new_headline(a["text"], "Judul lain untuk berita yang sama"),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize(
    ("article", "speaker", "sources"),
    [(REFERENCE, "Wall Street Journal", SOURCES["reference-id"]),
     (CHIRRUP, "Northwind Courier", SOURCES["chirrup-en"])],
    ids=["reference-id", "chirrup-en"],
)  # fmt: skip
async def test_forwarded_sample_article_gets_its_card(
    live: Live, variant: str, article: dict[str, Any], speaker: str, sources: frozenset[str]
) -> None:
    user = 1000 + list(VARIANTS).index(variant) + (10 if article is CHIRRUP else 0)
    card = await live.forward(VARIANTS[variant](article), user)
    text = card.text or ""
    assert match_percent(text) >= 80
    assert article["title"] in text
    assert article["outlet"] in text
    assert speaker in text
    named = set(re.findall(r"— ([^(·\n]+?)(?: \(| ·|\n|$)", text))
    assert named & sources, named  # the card names the article's real sources
    assert "Key claims" in text
    assert "First seen in @kabar_rekaan" in text  # the channel it was forwarded from
    article_id = card_id(live, card)
    assert f"#{article_id}" in text
    assert {d for _, d in live.standin.buttons(card)} == {
        f"all:{article_id}",
        f"src:{article_id}",
        f"no:{article_id}",
    }
    assert card.params["parse_mode"] == "HTML"


async def test_caption_of_a_forwarded_photo_post_is_read(live: Live) -> None:
    caption = first_share(CABAI["text"], 0.6)[:1000].rsplit(" ", 1)[0]
    card = await live.forward(caption, 1020, as_caption=True)
    assert CABAI["title"] in (card.text or "")


async def test_unknown_article_is_analyzed_stored_then_matched(live: Live) -> None:
    article, speaker = invented_article(1)
    origin = live.standin.channel_origin(username="warta_contoh", title="Warta", post_id=88)
    first = await live.forward(article, 1030, origin=origin)
    text = first.text or ""
    assert text.startswith("Not in the archive yet")
    assert "User submission" in text
    assert speaker in text  # analyzed on the fly
    assert "First seen in @warta_contoh" in text
    assert "Sent to Kata Siapa once" in text
    stored = card_id(live, first)

    again = await live.forward(article, 1031, origin=origin)
    text = again.text or ""
    assert match_percent(text) >= 80
    assert card_id(live, again) == stored
    assert "Sent to Kata Siapa 2 times by 2 people" in text

    # The submission keeps the t.me link of the post it was forwarded from.
    by_link = await live.say("https://t.me/warta_contoh/88", 1032, keyboard=True)
    assert card_id(live, by_link) == stored


async def test_a_private_senders_name_is_not_shown_to_other_users(live: Live) -> None:
    article, _ = invented_article(6)
    origin = live.standin.user_origin(first_name="Siti", last_name="Rahayu")
    first = await live.forward(article, 1060, origin=origin)
    assert (first.text or "").startswith("Not in the archive yet")
    later = await live.forward(article, 1061)  # someone else sends the same article
    assert card_id(live, later) == card_id(live, first)
    assert "Siti Rahayu" not in (later.text or "")


async def test_markup_characters_from_users_are_escaped(live: Live) -> None:
    """Titles, quotes, speakers and channel names come from users: every <, > and & in them
    must reach Telegram escaped (the stand-in rejects the message otherwise)."""
    rng = random.Random(7)
    filler = " ".join(
        "".join(rng.choice(_SYLLABLES) for _ in range(3)) for _ in range(40)
    )  # fmt: skip
    article = (
        'Harga <b>cabai</b> & "bawang" di Pasar <Baru> naik 5% > 3%\n\n'
        f"{filler.capitalize()}.\n\n"
        '"Ongkos <script>alert(1)</script> & sewa lapak naik terus," kata Budi <Santoso> & '
        "Rekan, pedagang di Pasar <Baru>.\n\n"
        f"{filler[::-1].capitalize()}."
    )
    origin = live.standin.channel_origin(username=None, title="Kabar <Rekaan> & Co", post_id=5)
    card = await live.forward(article, 1070, origin=origin)
    text = card.text or ""
    assert text.startswith("Not in the archive yet")
    assert 'Harga <b>cabai</b> & "bawang" di Pasar <Baru>' in text  # shown as typed
    assert "Kabar <Rekaan> & Co" in text
    assert "<script>alert(1)</script>" in text
    assert "&lt;" in card.params["text"]
    who = await live.say("/who Ongkos <script>alert(1)</script> & sewa lapak naik terus", 1070)
    assert "<script>alert(1)</script>" in (who.text or "")


async def test_link_only_messages(live: Live) -> None:
    card = await live.say(DBD["url"], 1040, keyboard=True)
    assert DBD["title"] in (card.text or "")
    # A link nobody stored is read from the web (its own tests cover that); here only: it is
    # answered, without an apology, and without touching the network (a private address).
    since = time.monotonic()
    live.standin.add_text_message("http://127.0.0.1:9/nothing/here", user_id=1041)
    status = await live.reply(1041, since)
    final = await live.standin.wait_for_sent(
        lambda c: c.chat_id == 1041 and c.at > status.at, timeout=REPLY_TIMEOUT
    )
    assert APOLOGY not in (final.text or "")


async def test_a_similar_article_offers_candidates_to_open(live: Live) -> None:
    similar = await live.say(every_other_word_replaced(FERNCASTLE["text"]), 1050, keyboard=True)
    text = similar.text or ""
    assert text.startswith("No exact match")
    assert FERNCASTLE["title"] in text
    candidates = [d for _, d in live.standin.buttons(similar) if d.startswith("open:")]
    assert candidates
    card = await live.press(similar, candidates[0], 1050, keyboard=True)
    assert FERNCASTLE["title"] in (card.text or "")
    assert card_id(live, card) == int(candidates[0].split(":")[1])
    assert not live.standin.pending_callback_queries


# -- who said it? -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "lang", "speaker", "article"),
    [
        (
            "siapa yang bilang “Rusia menghabiskan waktu puluhan tahun untuk membangun "
            "perdagangan senjatanya”?",
            "id", "salah satu sumber", REFERENCE,
        ),
        ("pembeli tetap banyak kata siapa", "id", "Suwarni", CABAI),
        ("Who said “Nothing is missing, and nothing has been opened”?", "en",
         "Nnamdi-Price", FERNCASTLE),
        ("who said the outage was caused by an expired security certificate", "en",
         "Northwind Courier", CHIRRUP),
    ],
    ids=["id-exact", "id-partial", "en-exact", "en-partial"],
)  # fmt: skip
async def test_who_said_this(
    live: Live, question: str, lang: str, speaker: str, article: dict[str, Any]
) -> None:
    user = 1100 + sum(map(ord, question)) % 97
    reply = await live.say(question, user, lang=lang, keyboard=True)
    text = reply.text or ""
    head = "Ditemukan di" if lang == "id" else "Found in"
    assert text.startswith(head), text
    assert speaker in text
    assert article["title"] in text
    opens = [d for _, d in live.standin.buttons(reply) if d.startswith("open:")]
    assert opens
    card = await live.press(reply, opens[0], user, keyboard=True)
    assert article["title"] in (card.text or "")


async def test_who_command(live: Live) -> None:
    reply = await live.say("/who we would rather be slow and right than fast and wrong", 1200)
    assert "Nnamdi-Price" in (reply.text or "")
    usage = await live.say("/who", 1200)
    assert "Send /who followed by a quote" in (usage.text or "")
    # /who as a reply to the message that holds the quote.
    quote = live.standin.add_text_message(
        "It took a junior developer to check the obvious", user_id=1201
    )
    await live.reply(1201, 0.0, "Found in")
    answer = await live.send(lambda: live.standin.add_reply("/who", quote, user_id=1201), 1201)
    assert "Found in" in (answer.text or "")
    assert CHIRRUP["title"] in (answer.text or "")


async def test_reply_siapa_yang_bilang_to_a_message(live: Live) -> None:
    quote = live.standin.add_text_message(
        "Saya sekarang cuma berani ambil lima kilo sehari", user_id=1210, language_code="id"
    )
    await live.reply(1210, 0.0, "Suwarni")
    answer = await live.send(
        lambda: live.standin.add_reply(
            "siapa yang bilang?", quote, user_id=1210, language_code="id"
        ),
        1210,
    )
    text = answer.text or ""
    assert text.startswith("Ditemukan di 1 artikel")
    assert "Suwarni" in text


async def test_contradicting_attributions_are_flagged(live: Live) -> None:
    quote = "The mayor has never said these words, in public or in private"
    assert quote in MAYOR["text"]  # said by her press secretary in the sample article
    misquote = (
        "Greyhaven council meets over parking charges\n\n"
        "Greyhaven councillors met on Monday evening to discuss the new parking charges.\n\n"
        f'"{quote}," said Cornelia Bastable, the mayor of Greyhaven.\n\n'
        "Councillors voted to review the parking charges in the spring."
    )
    added = await live.say(f"/add {misquote}", ADMINS[2], "Added to the archive")
    assert "(curated)" in (added.text or "")
    reply = await live.say(f"/who {quote}", 1220, keyboard=True)
    text = reply.text or ""
    assert "Attributions conflict" in text
    assert "Anil Devereaux" in text
    assert "Cornelia Bastable" in text
    assert text.index("Anil Devereaux") < text.index("Cornelia Bastable")  # earliest first


# -- buttons ------------------------------------------------------------------------------------


async def test_all_claims_pages_in_place_sources_and_not_this(live: Live) -> None:
    user = 1300
    card = await live.forward(REFERENCE["text"], user)
    article_id = card_id(live, card)

    page1 = await live.press(card, f"all:{article_id}", user, "page 1 of")
    pages = int(re.search(r"page 1 of (\d+)", page1.text or "").group(1))  # type: ignore[union-attr]
    assert pages >= 2, "the reference article has more claims than one page holds"
    assert live.standin.buttons(page1) == [("Next ›", f"all:{article_id}:2")]
    page2 = await live.press(page1, f"all:{article_id}:2", user, "page 2 of",
                             method="editMessageText")  # fmt: skip
    assert page2.params["message_id"] == page1.result["message_id"]  # edited in place
    assert ("‹ Previous", f"all:{article_id}:1") in live.standin.buttons(page2)
    back = await live.press(page2, f"all:{article_id}:1", user, "page 1 of",
                            method="editMessageText")  # fmt: skip
    assert back.params["message_id"] == page1.result["message_id"]
    assert live.standin.bot_message(page1)["text"] == back.text

    sources = await live.press(card, f"src:{article_id}", user, "Sources in this article")
    assert "Wall Street Journal" in (sources.text or "")

    noted = await live.press_answer(card, f"no:{article_id}", user)
    assert "not the right article" in str(noted.params.get("text"))
    assert not live.standin.pending_callback_queries


async def test_a_double_tap_on_next_does_not_send_the_page_again(live: Live) -> None:
    user = 1305
    live.expected_errors.append("message is not modified")  # Telegram's answer to tap two
    card = await live.forward(REFERENCE["text"], user)
    article_id = card_id(live, card)
    page1 = await live.press(card, f"all:{article_id}", user, "page 1 of")
    # The reference article has more claims than a page holds (a silent skip here once
    # hid a broken pager).
    assert ("Next ›", f"all:{article_id}:2") in live.standin.buttons(page1)
    since = time.monotonic()
    # Two taps before the first edit arrives: the client still shows the old button.
    live.standin.press_button(page1, f"all:{article_id}:2", user_id=user)
    live.standin.press_button(page1, f"all:{article_id}:2", user_id=user)
    await live.standin.wait_for_call(
        lambda c: c.method == "editMessageText" and c.at >= since and not c.ok,
        timeout=REPLY_TIMEOUT,
    )
    await live.say("/lang en", user, "Language set")  # everything before it is done
    resent = [
        c for c in live.standin.sent_messages(user)
        if c.at >= since and "page 2 of" in (c.text or "")
    ]  # fmt: skip
    assert resent == []


async def test_lang_switches_the_reply_language(live: Live) -> None:
    user = 1310
    choice = await live.say("/lang", user, "Choose your language", keyboard=True)
    assert {d for _, d in live.standin.buttons(choice)} == {"lang:en", "lang:id"}
    done = await live.press(choice, "lang:id", user, method="editMessageText")
    assert done.text == "Bahasa diganti ke Bahasa Indonesia."
    card = await live.forward(CHIRRUP["text"], user)  # the user's Telegram app is English
    assert (card.text or "").startswith("Ditemukan di arsip")
    assert "Klaim utama" in (card.text or "")
    assert [t for t, _ in live.standin.buttons(card)][:2] == ["Semua klaim", "Narasumber"]
    back = await live.say("/lang en", user)
    assert back.text == "Language set to English."
    card = await live.forward(CHIRRUP["text"], user)
    assert (card.text or "").startswith("Found in the archive")


# -- admin commands -----------------------------------------------------------------------------


async def test_admin_add_remove_stats_and_non_admins_change_nothing(live: Live) -> None:
    admin, user = ADMINS[0], 1400
    article, speaker = invented_article(2)
    added = await live.say(f"/add {article}", admin, "Added to the archive")
    found = re.search(r"as #(\d+) \(curated\), (\d+) claims", added.text or "")
    assert found is not None, added.text
    new_id, claims = int(found.group(1)), int(found.group(2))
    assert claims > 0

    card = await live.forward(article, user)
    assert card_id(live, card) == new_id
    assert "User submission" not in (card.text or "")
    assert speaker in (card.text or "")

    denied = await live.say(f"/remove {new_id}", user)
    assert "for Kata Siapa admins only" in (denied.text or "")
    denied = await live.say("/stats", user)
    assert "for Kata Siapa admins only" in (denied.text or "")
    still = await live.forward(article, user + 1)
    assert card_id(live, still) == new_id  # the non-admin /remove changed nothing

    stats = await live.say("/stats", admin, "Kata Siapa statistics")
    archive = re.search(r"Archive: ([\d,]+) articles", stats.text or "")
    assert archive is not None
    assert int(archive.group(1).replace(",", "")) > len(SAMPLE)

    removed = await live.say(f"/remove {new_id}", admin)
    assert removed.text == f"Article #{new_id} removed from the archive."
    again = await live.say(f"/remove {new_id}", admin)
    assert again.text == f"There is no article #{new_id} in the archive."
    usage = await live.say("/remove abc", admin)
    assert "Send /remove followed by the article number" in (usage.text or "")

    # A button on the old card now says the article is gone instead of failing.
    gone = await live.press_answer(card, f"src:{new_id}", user)
    assert gone.params.get("show_alert") is True
    assert "no longer in the archive" in str(gone.params.get("text"))

    after = await live.forward(article, user + 2)
    assert (after.text or "").startswith("Not in the archive yet")
    assert card_id(live, after) != new_id


async def test_admin_add_as_reply_to_a_forward_marks_it_curated(live: Live) -> None:
    admin = ADMINS[1]
    article, _ = invented_article(3)
    since = time.monotonic()
    forwarded = live.standin.add_forward(article, user_id=admin)
    submitted = await live.reply(admin, since, "Not in the archive yet", keyboard=True)
    assert "User submission" in (submitted.text or "")
    article_id = card_id(live, submitted)
    curated = await live.send(
        lambda: live.standin.add_reply("/add", forwarded, user_id=admin), admin
    )
    assert curated.text == f"Already in the archive as #{article_id}; it is now marked curated."
    card = await live.forward(article, 1410)
    assert card_id(live, card) == article_id
    assert "User submission" not in (card.text or "")


async def test_non_admin_add_adds_nothing(live: Live) -> None:
    article, _ = invented_article(4)
    denied = await live.say(f"/add {article}", 1420)
    assert "for Kata Siapa admins only" in (denied.text or "")
    since = time.monotonic()
    forwarded = live.standin.add_forward(article, user_id=1421)
    first = await live.reply(1421, since, keyboard=True)
    assert (first.text or "").startswith("Not in the archive yet")  # so /add stored nothing
    denied = await live.send(
        lambda: live.standin.add_reply("/add", forwarded, user_id=1421), 1421
    )
    assert "for Kata Siapa admins only" in (denied.text or "")
    card = await live.forward(article, 1422)
    assert "User submission" in (card.text or "")  # still not curated


# -- what the bot cannot read -------------------------------------------------------------------

_LONG_ARTICLE, _ = invented_article(5, min_chars=5000)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda s, u: s.add_text_message("  .  ", user_id=u), "There are no words"),
        (lambda s, u: s.add_text_message("😀🙏🔥", user_id=u), "There are no words"),
        (lambda s, u: s.add_text_message("😀" * 2048, user_id=u), "There are no words"),
        (lambda s, u: s.add_text_message('"NEAR(* -:)', user_id=u), "too short"),
        (lambda s, u: s.add_sticker_message(user_id=u), "I can read text"),
        (lambda s, u: s.add_photo_message(user_id=u), "Photos without a caption"),
        (lambda s, u: s.add_voice_message(user_id=u), "I can read text"),
        (lambda s, u: s.add_document_message(user_id=u), "I can read text"),
        (lambda s, u: s.add_poll_message(user_id=u), "I can read text"),
    ],
    ids=["dot", "emoji", "emoji-4096", "fts-syntax", "sticker", "photo", "voice", "file", "poll"],
)
async def test_unreadable_input_gets_a_friendly_answer(
    live: Live,
    make: Callable[[BotApiStandIn, int], Any],
    expected: str,
    request: pytest.FixtureRequest,
) -> None:
    user = 1500 + sum(map(ord, request.node.callspec.id)) % 97
    reply = await live.send(lambda: make(live.standin, user), user, expected)
    assert APOLOGY not in (reply.text or "")


@pytest.mark.parametrize(
    "text",
    [
        '"NEAR(* -:) AND OR NOT foo* ^bar {baz} col:qux "unterminated',
        "siapa yang bilang NEAR(a b, 3) OR \"x\" * - : ( ) ^ {}",
        _LONG_ARTICLE[:MAX_MESSAGE_LENGTH],
        "kata " * 819,  # 4095 characters of one word
    ],
    ids=["fts-operators", "who-said-fts", "4096-article", "4095-one-word"],
)
async def test_hostile_or_maximal_text_gets_a_real_answer(live: Live, text: str) -> None:
    assert utf16_len(text) <= MAX_MESSAGE_LENGTH
    user = 1600 + sum(map(ord, text)) % 97
    since = time.monotonic()
    live.standin.add_text_message(text, user_id=user)
    reply = await live.reply(user, since)
    assert APOLOGY not in (reply.text or "")
    assert "Sorry" not in (reply.text or "")


# -- Telegram errors while replying -------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "description", "retry_after"),
    [
        (429, "Too Many Requests: retry after 1", 1),
        (403, "Forbidden: bot was blocked by the user", None),
        (400, "Bad Request: message to be replied not found", None),
    ],
)
async def test_telegram_error_mid_reply_and_the_bot_keeps_serving(
    live: Live, code: int, description: str, retry_after: int | None
) -> None:
    user = 1700 + code % 100 * 2  # 1758, 1706, 1700 (and the next one after each)
    since = time.monotonic()
    live.standin.fail_next("sendMessage", code, description, retry_after=retry_after)
    live.standin.add_text_message("pembeli tetap banyak kata siapa", user_id=user)
    failed = await live.standin.wait_for_call(
        lambda c: c.injected and c.at >= since, timeout=REPLY_TIMEOUT
    )
    assert failed.error is not None
    assert failed.error["error_code"] == code
    if code == 429:  # AIORateLimiter waits retry_after and sends again
        retried = await live.reply(user, since, "Suwarni")
        assert retried.at - failed.at >= 0.9
    elif code == 400:  # the global error handler apologises
        await live.reply(user, since, APOLOGY)
    # ...and the next update is served as usual.
    answer = await live.say("/who pembeli tetap banyak", user + 1)
    assert "Suwarni" in (answer.text or "")


# -- groups, concurrency, flood control ---------------------------------------------------------


async def test_in_groups_only_commands_and_mentions_are_answered(live: Live) -> None:
    chat_id = -1_001_555_000_111
    group: dict[str, Any] = {"chat_type": "supergroup", "chat_id": chat_id}
    start = await live.send(
        lambda: live.standin.add_text_message(f"/start@{BOT}", user_id=1800, **group),
        chat_id,
        "The archive holds",
    )
    assert start.params.get("reply_parameters")  # replies quote the command in a group
    ignored = live.standin.add_text_message(
        "Barang dari petani sedikit, pembeli tetap banyak", user_id=1801, **group
    )
    asked = await live.send(
        lambda: live.standin.add_reply(
            f"@{BOT} siapa yang bilang?", ignored, user_id=1802, language_code="id", **group
        ),
        chat_id,
        "Suwarni",
    )
    asked_id = asked.params["reply_parameters"]["message_id"]
    assert asked_id != ignored["message"]["message_id"]
    replies = [c for c in live.standin.sent_messages(chat_id) if c.at > start.at]
    assert [c.params["reply_parameters"]["message_id"] for c in replies] == [asked_id]


async def test_concurrent_users_are_all_answered(live: Live) -> None:
    questions = [
        (REFERENCE["text"], REFERENCE["title"]),
        (CHIRRUP["text"], CHIRRUP["title"]),
        ("pembeli tetap banyak kata siapa", "Suwarni"),
        ("Who said “Nothing is missing, and nothing has been opened”?", "Nnamdi-Price"),
    ] * 3
    users = list(range(1900, 1900 + len(questions)))
    since = time.monotonic()
    for user, (text, _) in zip(users, questions, strict=True):
        live.standin.add_text_message(text, user_id=user)
    await asyncio.gather(
        *(live.reply(u, since, needle) for u, (_, needle) in zip(users, questions, strict=True))
    )  # each user's answer names what they asked about (or this times out)
    for user in users:  # ...and came exactly once
        assert len([c for c in live.standin.sent_messages(user) if c.at >= since]) == 1, user


async def test_flood_control_allows_exactly_the_limit_and_answers_every_press(
    live: Live,
) -> None:
    """Every update of the flood is observable (each button press is answered exactly once,
    a flooded one with the "please wait" text), and the test waits for all of them: a limit
    off by one either way changes the counts, whatever order the updates are handled in."""
    user = 1950
    card = await live.forward(CHIRRUP["text"], user)  # update 1 of the window
    article_id = card_id(live, card)
    presses = FLOOD_LIMIT + 2
    ids = {
        live.standin.press_button(card, f"src:{article_id}", user_id=user)["callback_query"]["id"]
        for _ in range(presses)
    }
    answers = await live.standin.wait_for_sent_count(
        lambda c: c.method == "answerCallbackQuery" and c.params.get("callback_query_id") in ids,
        presses,
        timeout=REPLY_TIMEOUT,
    )
    assert len(answers) == presses  # each press answered once (a second answer would fail)
    flooded = [a for a in answers if "faster than I can check" in str(a.params.get("text"))]
    assert len(flooded) == presses - (FLOOD_LIMIT - 1)
    served = await live.standin.wait_for_sent_count(
        lambda c: c.chat_id == user and c.method == "sendMessage" and "Sources" in (c.text or ""),
        FLOOD_LIMIT - 1,
        timeout=REPLY_TIMEOUT,
    )
    assert len(served) == FLOOD_LIMIT - 1  # all answered above, so no late one can follow
    # Another user is served as usual.
    await live.say("/start", user + 1, "The archive holds")


# -- a restart --------------------------------------------------------------------------------


async def test_choices_and_circulation_survive_a_restart(live: Live) -> None:
    """Nothing that matters lives in process memory: SIGTERM, start again on the same
    archive, and the language choice and the circulation counts are still there."""
    user = 1990
    # On shutdown PTB confirms the last updates with one more getUpdates, which ends the
    # long poll it abandoned: Telegram answers that abandoned poll with a 409, as here.
    live.expected_errors.append("terminated by other getUpdates request")
    await live.say("/lang id", user, "Bahasa diganti")
    article, _ = invented_article(8)
    first = await live.forward(article, user)
    assert "Dikirim ke Kata Siapa sekali" in (first.text or "")

    assert await live.bot.stop(signal.SIGTERM) == 0
    output = live.bot.output()
    assert "Archive closed" in output
    assert live.standin.token not in output
    assert live.standin.token.split(":")[1] not in output
    workdir = live.workdir / "restarted"
    await asyncio.to_thread(workdir.mkdir)
    since = time.monotonic()
    live.bot = await spawn(workdir, live.env, "run", "--db", str(live.workdir / "k.sqlite3"))
    await live.standin.wait_for_sent(
        lambda c: c.method == "setMyCommands" and c.at >= since, timeout=START_TIMEOUT
    )
    await live.standin.wait_for_polling(timeout=START_TIMEOUT)
    start = await live.say("/start", user + 1, "The archive holds")
    count = re.search(r"The archive holds ([\d,]+) articles", start.text or "")
    assert count is not None
    assert int(count.group(1).replace(",", "")) > len(SAMPLE)  # not re-seeded, not emptied

    again = await live.forward(article, user)  # the user's app is English, the choice is not
    text = again.text or ""
    assert text.startswith("Ditemukan di arsip")
    assert card_id(live, again) == card_id(live, first)
    assert "Dikirim ke Kata Siapa 2 kali oleh 1 orang" in text


# -- everything the bot sent --------------------------------------------------------------------


async def test_every_message_sent_was_valid_telegram_html(live: Live) -> None:
    """Runs last: re-checks every message of the module against Telegram's rules."""
    texts = [c for c in live.standin.sent if c.method in ("sendMessage", "editMessageText")]
    assert len(texts) > 50
    for call in texts:
        assert call.params.get("parse_mode") == "HTML", call.params
        plain, _ = parse_html(call.params["text"])
        assert 0 < utf16_len(plain) <= MAX_MESSAGE_LENGTH
    assert not live.standin.pending_callback_queries
    output = live.bot.output()
    assert live.standin.token not in output
    assert live.standin.token.split(":")[1] not in output
