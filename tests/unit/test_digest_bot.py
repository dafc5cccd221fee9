"""Digest commands and delivery through ``process_update`` and the strict stand-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.digest import TelegramSender
from tests.unit.test_conversation_bot import ADMIN, USER, Bot, bot, buttons, visible

__all__ = ["bot"]  # the fixture, shared with the conversation tests


async def test_subscribe_confirms_what_is_set_and_repeats_are_harmless(bot: Bot) -> None:
    [first] = await bot.say("/subscribe")
    assert first.startswith("Subscribed: you will get a digest every day at 08:00 (Asia/Jakarta)")
    [again] = await bot.say("/subscribe")
    assert again == "Your daily digest now comes at 08:00 (Asia/Jakarta)."
    [moved] = await bot.say("/subscribe 19:30")
    assert moved == "Your daily digest now comes at 19:30 (Asia/Jakarta)."
    sub = await bot.app.bot_data.require_subscriptions().get(USER)
    assert sub is not None
    assert sub.active
    assert sub.send_time == "19:30"


async def test_bad_times_and_timezones_change_nothing(bot: Bot) -> None:
    await bot.say("/subscribe 07:00")
    for bad in ("/subscribe 25:00", "/subscribe pagi"):
        [reply] = await bot.say(bad)
        assert "could not read" in reply
    [tz] = await bot.say("/timezone Mars/Olympus")
    assert 'do not know the timezone "Mars/Olympus"' in tz
    sub = await bot.app.bot_data.require_subscriptions().get(USER)
    assert sub is not None
    assert (sub.send_time, sub.timezone) == ("07:00", "Asia/Jakarta")
    [ok] = await bot.say("/timezone Berlin")
    assert ok == "Timezone set to Europe/Berlin: your digest comes at 07:00 there."
    [usage] = await bot.say("/timezone")
    assert "/timezone Jakarta" in usage


async def test_unsubscribe_when_not_subscribed_and_indonesian(bot: Bot) -> None:
    [reply] = await bot.say("/unsubscribe", language_code="id")
    assert reply == "Anda belum berlangganan ringkasan harian. /subscribe untuk mulai."
    await bot.say("/subscribe 6", language_code="id")
    [done] = await bot.say("/unsubscribe", language_code="id")
    assert done.startswith("Langganan dihentikan")
    [tz] = await bot.say("/timezone WITA", language_code="id")
    assert "Asia/Makassar" in tz  # kept for when they subscribe again


async def test_follow_list_cap_and_unfollow(bot: Bot) -> None:
    bot.app.bot_data.flood = None  # 25 commands in a row would trip flood control
    [added] = await bot.say("/follow Gunawan Prasetya")
    assert added.startswith('Following "Gunawan Prasetya"')
    [dup] = await bot.say("/follow gunawan  prasetya")
    assert dup == 'You already follow "gunawan prasetya".'
    for i in range(19):
        await bot.say(f"/follow topik {i}")
    [full] = await bot.say("/follow one too many")
    assert "20 things already" in full
    [listing] = await bot.say("/following")
    assert listing.startswith("You follow (20/20):")
    [long] = await bot.say("/follow " + "x" * 200)
    assert "at most 80 characters" in long
    [removed] = await bot.say("/unfollow Gunawan Prasetya")
    assert removed == 'No longer following "Gunawan Prasetya".'
    [missing] = await bot.say("/unfollow nobody")
    assert missing.startswith('You do not follow "nobody"')
    [usage] = await bot.say("/follow")
    assert "/follow Sri Mulyani" in usage


async def test_digest_now_covers_the_last_day_with_follows(bot: Bot) -> None:
    # the sample archive was stored just now, so it is all "new in the last 24 hours"
    await bot.say("/follow Gunawan Prasetya")
    [digest] = await bot.say("/digest")
    assert digest.startswith("Kata Siapa daily digest")
    assert "Your follows" in digest
    assert "Gunawan Prasetya" in digest
    assert "New articles" in digest
    assert "Denials and unverified claims" in digest
    assert {"More claims", "Change time", "Unsubscribe"} <= set(buttons(bot.last()))


async def test_tick_delivers_through_telegram_with_buttons_and_blocked_users_end(
    bot: Bot,
) -> None:
    # Due now; the run's clock a minute later (the sample was stored a moment ago, and the
    # window is the 24 hours before the scheduled time).
    now = datetime.now(UTC)
    for user in (USER, 2002, 3003):
        await bot.say("/subscribe", user_id=user)
    digests = bot.app.bot_data.digests
    assert digests is not None
    store = digests.store
    for user in (USER, 2002, 3003):
        await store.advance(user, now)
    now += timedelta(minutes=1)
    bot.standin.add_chat({"id": 3003, "type": "private", "first_name": "C"})
    bot.standin.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    run = await digests.run_due(now, TelegramSender(bot.app.bot))
    assert (run.due, run.sent + run.deactivated) == (3, 3)
    assert run.deactivated == 1
    delivered = [
        c
        for user in (USER, 2002, 3003)
        for c in bot.standin.sent_messages(user)
        if c.ok and visible(c).startswith("Kata Siapa daily digest")
    ]
    assert len(delivered) == 2
    card = delivered[0]
    # Unsubscribe from the digest's own button.
    calls = await bot.press(buttons(card)["Unsubscribe"], card, user_id=card.params["chat_id"])
    [reply] = [c for c in calls if c.method == "sendMessage"]
    assert visible(reply).startswith("Unsubscribed")
    # Change time: pick 07:00 from the offered buttons.
    calls = await bot.press(buttons(card)["Change time"], card, user_id=card.params["chat_id"])
    [choice] = [c for c in calls if c.method == "sendMessage"]
    calls = await bot.press(buttons(choice)["07:00"], choice, user_id=card.params["chat_id"])
    [confirm] = [c for c in calls if c.method == "sendMessage"]
    assert "07:00" in visible(confirm)
    # More claims
    more = buttons(card).get("More claims")
    if more is not None:
        calls = await bot.press(more, card, user_id=card.params["chat_id"])
        assert any(c.method == "sendMessage" and c.ok for c in calls)


async def test_admin_stats_show_the_last_digest_run(bot: Bot) -> None:
    [before] = await bot.say("/stats", user_id=ADMIN)
    assert "Digests: 0 subscribers; no run yet." in before
    await bot.say("/subscribe")
    digests = bot.app.bot_data.digests
    assert digests is not None
    now = datetime.now(UTC)
    await digests.store.advance(USER, now)
    await digests.run_due(now + timedelta(minutes=1), TelegramSender(bot.app.bot))
    [after] = await bot.say("/stats", user_id=ADMIN)
    assert "Digests: 1 subscribers. Last run: 1 due, 1 sent" in after


async def test_a_429_on_a_digest_is_retried_by_the_service_not_by_ptb(bot: Bot) -> None:
    """Digest sends bypass PTB's limiter (whose 429 pause would stop every user's reply):
    the stand-in's 429 reaches the service, which waits and sends again, once."""
    now = datetime.now(UTC)
    await bot.say("/subscribe")
    digests = bot.app.bot_data.digests
    assert digests is not None
    await digests.store.advance(USER, now)
    bot.standin.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", 1)
    run = await digests.run_due(now + timedelta(minutes=1), TelegramSender(bot.app.bot))
    assert run.sent == 1
    attempts = [
        c for c in bot.standin.calls
        if c.method == "sendMessage" and "daily digest" in str(c.params.get("text"))
    ]  # fmt: skip
    assert [c.ok for c in attempts] == [False, True]
