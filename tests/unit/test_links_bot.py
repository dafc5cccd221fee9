"""Links and feeds through the bot (process_update, strict stand-in) against a local site."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Update

from tests.helpers.newsite import NewsSite, serve
from tests.unit.test_conversation_bot import ADMIN, USER, Bot, open_bot, visible


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with serve(NewsSite()) as running:
        yield running


@pytest.fixture
async def linkbot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with open_bot(tmp_path, KATASIAPA_FETCH_ALLOW_PRIVATE=True) as opened:
        yield opened


def edits(bot: Bot) -> list[str]:
    return [visible(c) for c in bot.standin.calls if c.method == "editMessageText"]


async def test_an_unknown_link_is_read_analyzed_stored_and_then_known(
    linkbot: Bot, site: NewsSite
) -> None:
    url = f"{site.base}/a/id/7.html"
    before = await linkbot.store.count()
    [status] = await linkbot.say(f"Ini benar? {url}", language_code="id")
    assert status == "Membaca artikel…"
    [card] = edits(linkbot)
    assert card.startswith("Belum ada di arsip")
    assert "Hendra Wibisono7" in card  # a source from the page, found by the analyzer
    assert "Baca juga" not in card
    assert await linkbot.store.count() == before + 1
    # The same link again (another spelling): answered from the archive, no second fetch.
    hits = site.hits["/a/id/7.html"]
    [again] = await linkbot.say(url.replace("http://", "http://www.") + "?utm_source=wa")
    assert again.startswith("Found in the archive (100% similar)")
    assert site.hits["/a/id/7.html"] == hits


async def test_many_users_sending_one_link_at_once_cause_one_fetch(
    linkbot: Bot, site: NewsSite
) -> None:
    url = f"{site.base}/a/en/3.html"
    updates = [linkbot.standin.add_text_message(url, user_id=9000 + i) for i in range(5)]
    await asyncio.gather(
        *(linkbot.app.process_update(Update.de_json(u, linkbot.app.bot)) for u in updates)
    )
    assert site.hits["/a/en/3.html"] == 1
    cards = edits(linkbot)
    assert len(cards) == 5
    assert all("Rivermead 3 council votes to close Harbour Road library" in c for c in cards)
    assert sum(c.startswith("Not in the archive yet") for c in cards) == 1  # stored once
    assert sum(c.startswith("Found in the archive (100% similar)") for c in cards) == 4


async def test_broken_and_non_html_links_get_a_clear_note(linkbot: Bot, site: NewsSite) -> None:
    site.broken_items = {9}
    await linkbot.say(f"{site.base}/a/id/9.html")
    await linkbot.say(f"{site.base}/rss.xml")
    notes = edits(linkbot)
    assert notes[0].startswith("I could not open that link")
    assert notes[1].startswith("I cannot read this kind of link yet")


async def test_a_link_redirecting_to_javascript_gets_its_own_message(
    linkbot: Bot, site: NewsSite
) -> None:
    await linkbot.say(f"{site.base}/go/js/4.html")
    [note] = edits(linkbot)
    assert note.startswith("That link redirects to something that is not a web page")
    assert site.hits["/go/js/4.html"] == 1


async def test_admin_feed_commands(linkbot: Bot, site: NewsSite) -> None:
    [denied] = await linkbot.say(f"/feed_add {site.base}/rss.xml", user_id=USER)
    assert denied == "Sorry, that command is for Kata Siapa admins only."
    [empty] = await linkbot.say("/feeds", user_id=ADMIN)
    assert empty.startswith("No feeds yet")
    [added] = await linkbot.say(f"/feed_add {site.base}/rss.xml", user_id=ADMIN)
    assert added.startswith("Feed #1 added (Warta Contoh rss)")
    [bad] = await linkbot.say(f"/feed_add {site.base}/not-a-feed", user_id=ADMIN)
    assert bad.startswith("Not added:")
    feeds = linkbot.app.bot_data.require_feeds()
    poll = await feeds.poll_due()
    assert poll.added == 3
    [listing] = await linkbot.say("/feeds", user_id=ADMIN)
    assert "3 articles added" in listing
    assert "[ok]" in listing
    [removed] = await linkbot.say("/feed_remove 1", user_id=ADMIN)
    assert removed == "Feed #1 removed."
    [usage] = await linkbot.say("/feed_remove", user_id=ADMIN)
    assert "/feed_remove 3" in usage


async def test_an_unexpected_failure_does_not_leave_the_status_hanging(
    linkbot: Bot, site: NewsSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def explode(url: str, *, user_id: int | None) -> None:
        raise RuntimeError("extractor crashed")

    conversation = linkbot.app.bot_data.require_conversation()
    monkeypatch.setattr(conversation, "read_link", explode)
    [status] = await linkbot.say(f"{site.base}/a/en/5.html")
    assert status == "Reading the article…"
    [note] = edits(linkbot)
    assert note == "Sorry, something went wrong on our side; please try again."
    monkeypatch.undo()
    await linkbot.say(f"{site.base}/a/en/6.html")  # and the next link is served
    assert "Rivermead 6" in edits(linkbot)[-1]
