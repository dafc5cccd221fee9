"""The Bot API stand-in rejects what Telegram rejects, over real HTTP and through PTB itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageOriginChannel, Update
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from tests.helpers.botapi_rules import parse_html
from tests.helpers.botapi_standin import SECRET_HEADER, BotApiStandIn, make_token

CHAT = 1001
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def api(
    http: aiohttp.ClientSession,
    standin: BotApiStandIn,
    method: str,
    params: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    form: bool = False,
) -> tuple[int, dict[str, Any]]:
    url = f"{standin.base_url}{token or standin.token}/{method}"
    if form:
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (params or {}).items()}
        response = await http.post(url, data=data)
    else:
        response = await http.post(url, json=params or {})
    async with response:
        return response.status, await response.json()


@pytest.fixture
async def chat(standin: BotApiStandIn) -> int:
    standin.add_text_message("/start", user_id=CHAT)
    return CHAT


async def test_get_me_is_a_full_bot_user(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    status, body = await api(http, standin, "getMe")
    assert status == 200
    assert body["ok"] is True
    me = body["result"]
    assert me["is_bot"] is True
    assert me["id"] == int(standin.token.split(":")[0])
    assert {"first_name", "username", "can_join_groups", "supports_inline_queries"} <= me.keys()


async def test_wrong_tokens_and_unknown_methods(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    status, body = await api(http, standin, "getMe", token=make_token())
    assert (status, body["description"]) == (401, "Unauthorized")
    status, body = await api(http, standin, "getMe", token="not-a-token")
    assert (status, body["description"]) == (404, "Not Found")
    status, body = await api(http, standin, "sendTelepathy")
    assert (status, body["ok"], body["error_code"]) == (404, False, 404)


async def test_send_message_checks_like_telegram(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        ({"text": "hi"}, "Bad Request: chat_id is empty"),
        ({"chat_id": chat}, "Bad Request: message text is empty"),
        ({"chat_id": chat, "text": "   "}, "Bad Request: message text is empty"),
        (
            {"chat_id": chat, "text": "<b></b>", "parse_mode": "HTML"},
            "Bad Request: message text is empty",
        ),
        ({"chat_id": chat, "text": "x" * 4097}, "Bad Request: message is too long"),
        ({"chat_id": 424242, "text": "hi"}, "Bad Request: chat not found"),
    ]
    for params, description in cases:
        status, body = await api(http, standin, "sendMessage", params)
        assert (status, body["description"]) == (400, description), params
    assert standin.sent_messages() == []


async def test_length_is_counted_after_entity_parsing(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    # 4096 visible characters wrapped in markup and entities: accepted.
    text = "<b>" + "&amp;" * 4096 + "</b>"
    status, body = await api(
        http, standin, "sendMessage", {"chat_id": chat, "text": text, "parse_mode": "HTML"}
    )
    assert status == 200, body
    assert body["result"]["text"] == "&" * 4096
    assert body["result"]["entities"] == [{"type": "bold", "offset": 0, "length": 4096}]
    # One more visible character is one too many.
    status, body = await api(
        http, standin, "sendMessage", {"chat_id": chat, "text": text + "!", "parse_mode": "HTML"}
    )
    assert (status, body["description"]) == (400, "Bad Request: message is too long")


@pytest.mark.parametrize(
    ("markup", "detail"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag"),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("<script>alert(1)</script>", 'Unsupported start tag "script"'),
        ("3 < 4", 'Unsupported start tag ""'),
        ("Fish & Chips", "Character '&'"),
        ("&nbsp;", "Character '&'"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<b", "Unclosed start tag"),
    ],
)
async def test_unparsable_html_is_rejected(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int, markup: str, detail: str
) -> None:
    status, body = await api(
        http, standin, "sendMessage", {"chat_id": chat, "text": markup, "parse_mode": "HTML"}
    )
    assert status == 400
    assert body["description"].startswith("Bad Request: can't parse entities: ")
    assert detail in body["description"]
    # Without parse_mode the same text is just text.
    if markup.strip("<b"):
        status, _ = await api(http, standin, "sendMessage", {"chat_id": chat, "text": markup})
        assert status == 200


async def test_valid_html_is_accepted_with_entities(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    markup = (
        "<b>Bold</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> "
        '<strike>k</strike> <del>d</del> <a href="https://example.org/?a=1&amp;b=2">link</a> '
        '<code>c</code> <pre><code class="language-python">x = 1</code></pre> '
        "<blockquote expandable>q</blockquote> <tg-spoiler>sp</tg-spoiler> "
        '<span class="tg-spoiler">sp2</span> '
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> '
        "&lt;tag&gt; &quot;q&quot; &#39;a&#x27; 😀 <B>upper</B>"
    )
    status, body = await api(
        http, standin, "sendMessage", {"chat_id": chat, "text": markup, "parse_mode": "HTML"}
    )
    assert status == 200, body
    result = body["result"]
    assert "<tag>" in result["text"]
    assert '"q"' in result["text"]
    assert isinstance(result["date"], int)
    assert result["from"]["is_bot"] is True
    kinds = {e["type"] for e in result["entities"]}
    assert {
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "text_link",
        "code",
        "pre",
        "expandable_blockquote",
        "spoiler",
        "custom_emoji",
    } <= kinds
    link = next(e for e in result["entities"] if e["type"] == "text_link")
    assert link["url"] == "https://example.org/?a=1&b=2"


def test_entity_offsets_are_utf16() -> None:
    plain, entities = parse_html("😀 <b>é</b>")
    assert plain == "😀 é"
    assert entities == [{"type": "bold", "offset": 3, "length": 1}]


async def test_callback_data_over_64_bytes_is_rejected(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    def keyboard(data: str) -> dict[str, Any]:
        return {"inline_keyboard": [[{"text": "More", "callback_data": data}]]}

    params = {"chat_id": chat, "text": "pick", "reply_markup": keyboard("x" * 65)}
    status, body = await api(http, standin, "sendMessage", params)
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")
    # 64 bytes is fine, but 22 three-byte characters (66 bytes) are not.
    status, body = await api(
        http, standin, "sendMessage", dict(params, reply_markup=keyboard("y" * 64))
    )
    assert status == 200
    assert body["result"]["reply_markup"] == keyboard("y" * 64)
    status, body = await api(
        http, standin, "sendMessage", dict(params, reply_markup=keyboard("€" * 22))
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


async def test_form_encoded_bodies_are_accepted(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    params = {
        "chat_id": str(chat),
        "text": "<i>hi</i>",
        "parse_mode": "HTML",
        "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]},
    }
    status, body = await api(http, standin, "sendMessage", params, form=True)
    assert status == 200, body
    assert standin.sent[-1].params["chat_id"] == chat
    assert standin.sent[-1].text == "hi"


async def test_get_updates_offset_and_long_poll(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    first = standin.add_text_message("one")
    second = standin.add_text_message("two")
    status, body = await api(http, standin, "getUpdates", {"timeout": 0})
    assert [u["update_id"] for u in body["result"]] == [first["update_id"], second["update_id"]]
    assert isinstance(body["result"][0]["message"]["date"], int)
    # Updates stay until confirmed with a higher offset.
    status, body = await api(http, standin, "getUpdates", {"offset": second["update_id"]})
    assert [u["update_id"] for u in body["result"]] == [second["update_id"]]
    # A long poll returns as soon as an update is queued, not after the timeout.
    loop = asyncio.get_running_loop()
    started = loop.time()
    poll = asyncio.create_task(
        api(http, standin, "getUpdates", {"offset": second["update_id"] + 1, "timeout": 20})
    )
    await standin.wait_for_polling(timeout=5)
    third = standin.add_text_message("three")
    status, body = await asyncio.wait_for(poll, 5)
    assert [u["update_id"] for u in body["result"]] == [third["update_id"]]
    assert loop.time() - started < 5
    # An empty long poll honours its timeout.
    started = loop.time()
    status, body = await api(
        http, standin, "getUpdates", {"offset": third["update_id"] + 1, "timeout": 1}
    )
    assert body["result"] == []
    assert 0.9 <= loop.time() - started < 4


async def test_second_poll_terminates_the_first(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    older = asyncio.create_task(api(http, standin, "getUpdates", {"timeout": 20}))
    await standin.wait_for_polling(timeout=5)
    status, body = await api(http, standin, "getUpdates", {"timeout": 0})
    assert status == 200
    status, body = await asyncio.wait_for(older, 5)
    assert status == 409
    assert body["description"].startswith("Conflict: terminated by other getUpdates request")


async def test_commands_per_language(standin: BotApiStandIn, http: aiohttp.ClientSession) -> None:
    commands = [{"command": "start", "description": "Start"}]
    assert (await api(http, standin, "setMyCommands", {"commands": commands}))[0] == 200
    status, _ = await api(
        http,
        standin,
        "setMyCommands",
        {"commands": [{"command": "mulai", "description": "Mulai"}], "language_code": "id"},
    )
    assert status == 200
    assert (await api(http, standin, "getMyCommands"))[1]["result"] == commands
    status, body = await api(http, standin, "getMyCommands", {"language_code": "id"})
    assert body["result"][0]["command"] == "mulai"
    status, body = await api(
        http, standin, "setMyCommands", {"commands": [{"command": "Bad-Name", "description": "x"}]}
    )
    assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID")


async def test_edit_and_callback_rules(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    _, body = await api(http, standin, "sendMessage", {"chat_id": chat, "text": "v1"})
    message_id = body["result"]["message_id"]
    edit = {"chat_id": chat, "message_id": message_id, "text": "v1"}
    status, body = await api(http, standin, "editMessageText", edit)
    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified")
    status, body = await api(http, standin, "editMessageText", dict(edit, text="v2"))
    assert status == 200
    assert body["result"]["text"] == "v2"
    assert isinstance(body["result"]["edit_date"], int)
    status, body = await api(http, standin, "editMessageText", dict(edit, message_id=999, text="x"))
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")

    update = standin.add_callback_query(
        "more:1",
        body_message := {
            "message_id": message_id,
            "chat": {"id": chat, "type": "private"},
            "date": 0,
        },
    )
    assert body_message["message_id"] == message_id
    query_id = update["callback_query"]["id"]
    status, _ = await api(http, standin, "answerCallbackQuery", {"callback_query_id": query_id})
    assert status == 200
    status, body = await api(http, standin, "answerCallbackQuery", {"callback_query_id": query_id})
    assert status == 400
    assert "query is too old" in body["description"]
    status, _ = await api(http, standin, "sendChatAction", {"chat_id": chat, "action": "typing"})
    assert status == 200
    status, body = await api(http, standin, "sendChatAction", {"chat_id": chat, "action": "dance"})
    assert status == 400


async def test_injected_failures_reach_ptb_as_its_exceptions(
    standin: BotApiStandIn, chat: int
) -> None:
    standin.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
    standin.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    standin.fail_next("sendMessage", 400, "Bad Request: something odd")
    async with Bot(standin.token, base_url=standin.base_url) as bot:
        assert bot.username == "katasiapa_test_bot"
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(chat, "hi")
        assert retry.value.retry_after == dt.timedelta(seconds=7)
        with pytest.raises(Forbidden):
            await bot.send_message(chat, "hi")
        with pytest.raises(BadRequest, match="(?i)something odd"):
            await bot.send_message(chat, "hi")
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(chat, "x" * 5000)
        with pytest.raises(BadRequest, match="(?i)can.t parse entities"):
            await bot.send_message(chat, "a < b", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(
                chat,
                "pick",
                reply_markup=InlineKeyboardMarkup(
                    [[InlineKeyboardButton("x", callback_data="d" * 65)]]
                ),
            )
        message = await bot.send_message(chat, "<b>ok</b>", parse_mode="HTML")
        assert message.text == "ok"
        assert message.chat.id == chat
        assert message.date.year >= 2024  # seconds, not milliseconds
    assert [c.method for c in standin.sent if c.method == "sendMessage"] == ["sendMessage"]
    with pytest.raises(InvalidToken):
        async with Bot(make_token(), base_url=standin.base_url):
            pass


async def test_runs_standalone_with_control_endpoints(http: aiohttp.ClientSession) -> None:
    """``python -m tests.helpers.botapi_standin`` (for benchmarks) serves and stops on SIGTERM."""
    token = make_token()
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.helpers.botapi_standin", "--port", "0", "--token", token,
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        ready = json.loads(await asyncio.wait_for(proc.stdout.readline(), 15))
        assert ready["token"] == token
        base = ready["base_url"]
        async with http.post(f"{base}{token}/getMe") as response:
            assert (await response.json())["result"]["is_bot"] is True
        control = base.removesuffix("/bot") + "/_control"
        async with http.post(f"{control}/update", json={"text": "/start", "user_id": 5}) as r:
            update_id = (await r.json())["update_id"]
        async with http.post(f"{base}{token}/getUpdates", json={"timeout": 1}) as response:
            assert [u["update_id"] for u in (await response.json())["result"]] == [update_id]
        async with http.post(f"{base}{token}/sendMessage", data={"chat_id": "5", "text": "hi"}):
            pass
        async with http.get(f"{control}/sent") as response:
            assert [c["method"] for c in (await response.json())["calls"]] == [
                "getMe",
                "sendMessage",
            ]
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 10) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await asyncio.wait_for(proc.wait(), 10)


# -- updates built like Telegram's: forwards, replies, captions, button presses ---------------


async def test_forwards_replies_and_captions_look_like_telegrams(standin: BotApiStandIn) -> None:
    origin = standin.channel_origin(username="kabar_rekaan", post_id=77, posted_at=1_700_000_000)
    forward = standin.add_forward("Artikel yang diteruskan", origin=origin, user_id=CHAT)
    message = forward["message"]
    assert message["forward_origin"] == {
        "type": "channel",
        "chat": {"id": origin["chat"]["id"], "type": "channel", "title": "Kabar Rekaan",
                 "username": "kabar_rekaan"},
        "message_id": 77,
        "date": 1_700_000_000,
    }  # fmt: skip
    assert standin.update_added_at[forward["update_id"]] <= time.monotonic()

    reply = standin.add_reply("siapa yang bilang?", forward, user_id=CHAT)
    embedded = reply["message"]["reply_to_message"]
    assert embedded["message_id"] == message["message_id"]
    assert embedded["text"] == "Artikel yang diteruskan"
    # Telegram does not nest replies: a reply to the reply embeds the reply without its target.
    second = standin.add_reply("/who", reply, user_id=CHAT)
    assert "reply_to_message" not in second["message"]["reply_to_message"]
    assert second["message"]["entities"][0]["type"] == "bot_command"

    photo = standin.add_forward("Lihat https://example.org/a", as_caption=True, user_id=CHAT)
    assert "text" not in photo["message"]
    assert photo["message"]["caption_entities"] == [{"type": "url", "offset": 6, "length": 21}]

    # PTB reads all of it back as Telegram objects.
    async with Bot(standin.token, base_url=standin.base_url) as bot:
        parsed = Update.de_json(second, bot)
        assert parsed is not None
        assert parsed.effective_message is not None
        assert parsed.effective_message.reply_to_message is not None
        fwd = Update.de_json(forward, bot)
        assert fwd is not None
        assert fwd.effective_message is not None
        channel_origin = fwd.effective_message.forward_origin
        assert isinstance(channel_origin, MessageOriginChannel)
        assert channel_origin.chat.username == "kabar_rekaan"
        assert channel_origin.date.year == 2023  # seconds, not milliseconds


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda s: s.add_forward("x", origin=dict(s.channel_origin(), date=1_700_000_000_000)),
         "whole seconds"),
        (lambda s: s.add_forward("x", origin={"type": "channel", "date": 1}), "needs"),
        (lambda s: s.add_forward("x", origin=dict(s.channel_origin(), type="group")), "type"),
        (lambda s: s.add_text_message("x", extra={"caption": "c"}), "media"),
        (lambda s: s.add_reply("x", {"message_id": 999, "chat": {"id": CHAT}}, user_id=CHAT),
         "no message 999"),
        (lambda s: s.add_text_message("x" * 4097), "4096"),
        (lambda s: s.add_photo_message(caption="x" * 1025), "1024"),
    ],
)  # fmt: skip
def test_updates_telegram_would_never_send_are_refused(build: Any, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        build(BotApiStandIn(user_limits=True))


def test_oversized_user_text_is_allowed_without_user_limits() -> None:
    """In-process unit tests feed oversized text on purpose to test the bot's own guard."""
    assert len(BotApiStandIn().add_text_message("x" * 5000)["message"]["text"]) == 5000


async def test_buttons_can_be_pressed_only_while_the_message_has_them(
    standin: BotApiStandIn, http: aiohttp.ClientSession, chat: int
) -> None:
    keyboard = {"inline_keyboard": [[{"text": "All", "callback_data": "all:1"},
                                     {"text": "Docs", "url": "https://example.org"}],
                                    [{"text": "Next ›", "callback_data": "all:1:2"}]]}  # fmt: skip
    _, body = await api(
        http, standin, "sendMessage", {"chat_id": chat, "text": "card", "reply_markup": keyboard}
    )
    sent = standin.sent[-1]
    assert standin.buttons(sent) == [("All", "all:1"), ("Next ›", "all:1:2")]
    pressed = standin.press_button(sent, text="Next ›", user_id=chat)
    query = pressed["callback_query"]
    assert query["data"] == "all:1:2"
    assert query["message"]["message_id"] == body["result"]["message_id"]
    assert standin.pending_callback_queries == {query["id"]}
    with pytest.raises(ValueError, match="no button 'forged:1'"):
        standin.press_button(sent, "forged:1")
    # After an edit that drops the keyboard, the old buttons are gone, as in the client.
    edit = {"chat_id": chat, "message_id": body["result"]["message_id"], "text": "page 2"}
    assert (await api(http, standin, "editMessageText", edit))[0] == 200
    with pytest.raises(ValueError, match="no button"):
        standin.press_button(sent, "all:1")
    with pytest.raises(ValueError, match="not sent by the bot"):
        standin.press_button(standin.add_text_message("hi", user_id=chat)["message"], "all:1")
    status, _ = await api(http, standin, "answerCallbackQuery", {"callback_query_id": query["id"]})
    assert status == 200
    assert standin.pending_callback_queries == set()


# -- webhooks ---------------------------------------------------------------------------------


async def test_webhook_is_recorded_and_checked_like_telegram(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    hook: dict[str, Any] = {"url": "http://127.0.0.1:8999/hook", "secret_token": "s3cr3t_-X"}
    cases: list[tuple[dict[str, Any], str]] = [
        (dict(hook, secret_token="bad secret!"), "secret token contains unallowed characters"),
        (dict(hook, secret_token="x" * 257), "secret token contains unallowed characters"),
        (dict(hook, url="http://bot.example.org/hook"), "An HTTPS URL must be provided"),
        (dict(hook, url="https://bot.example.org:9000/hook"), "ports 80, 88, 443 or 8443"),
        (dict(hook, max_connections=101), "invalid max_connections"),
    ]
    for bad, description in cases:
        status, body = await api(http, standin, "setWebhook", bad)
        assert status == 400, bad
        assert description in body["description"]
    assert standin.webhook is None
    assert (await api(http, standin, "setWebhook", dict(hook, max_connections=40)))[0] == 200
    assert standin.webhook is not None
    assert standin.webhook["url"] == hook["url"]
    assert standin.webhook["secret_token"] == hook["secret_token"]
    _, body = await api(http, standin, "getWebhookInfo")
    assert body["result"]["url"] == hook["url"]
    assert "secret_token" not in body["result"]  # never echoed back
    status, body = await api(http, standin, "getUpdates")
    assert status == 409
    assert "can't use getUpdates method while webhook is active" in body["description"]
    assert (await api(http, standin, "deleteWebhook"))[0] == 200
    _, body = await api(http, standin, "getWebhookInfo")
    assert body["result"]["url"] == ""
    assert (await api(http, standin, "getUpdates"))[0] == 200


async def test_set_webhook_ends_a_parked_long_poll(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    poll = asyncio.create_task(api(http, standin, "getUpdates", {"timeout": 20}))
    await standin.wait_for_polling(timeout=5)
    assert (await api(http, standin, "setWebhook", {"url": "http://127.0.0.1:1/h"}))[0] == 200
    status, body = await asyncio.wait_for(poll, 5)
    assert (status, body["description"]) == (409, "Conflict: terminated by setWebhook request")


async def test_post_to_webhook_sends_the_registered_secret(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        url = f"http://127.0.0.1:{site.port}/hook"
        with pytest.raises(RuntimeError, match="no webhook is set"):
            await standin.post_to_webhook({"message": standin.make_message(text="hi")})
        params = {"url": url, "secret_token": "right_secret"}
        assert (await api(http, standin, "setWebhook", params))[0] == 200
        update = {"message": standin.make_message(text="hi", user_id=CHAT)}
        assert (await standin.post_to_webhook(update))[0] == 200
        assert (await standin.post_to_webhook(update, secret="wrong"))[0] == 200
        assert (await standin.post_to_webhook(update, secret=None))[0] == 200
    finally:
        await runner.cleanup()
    assert [secret for secret, _ in received] == ["right_secret", "wrong", None]
    assert received[0][1]["message"]["text"] == "hi"
    assert isinstance(received[0][1]["update_id"], int)
    # The chat is known now, so the bot can answer it (sendMessage would 400 otherwise).
    status, _ = await api(http, standin, "sendMessage", {"chat_id": CHAT, "text": "hello"})
    assert status == 200


@pytest.mark.parametrize(
    "build",
    [
        lambda s: s.add_text_message("/start"),
        lambda s: s.add_photo_message(),
        lambda s: s.add_photo_message(caption="a caption"),
        lambda s: s.add_sticker_message(),
        lambda s: s.add_voice_message(),
        lambda s: s.add_document_message(caption="laporan"),
        lambda s: s.add_poll_message(),
        lambda s: s.add_forward("teks", chat_type="supergroup"),
    ],
    ids=["text", "photo", "captioned", "sticker", "voice", "document", "poll", "forward"],
)
async def test_every_built_update_parses_in_ptb(standin: BotApiStandIn, build: Any) -> None:
    """PTB refuses a whole getUpdates batch with one object it cannot parse (and then never
    processes it), so every helper must build what the current Bot API sends."""
    update = build(standin)
    async with Bot(standin.token, base_url=standin.base_url) as bot:
        parsed = Update.de_json(update, bot)
    assert parsed is not None
    assert parsed.effective_message is not None
    assert parsed.to_dict()["update_id"] == update["update_id"]


async def test_a_queued_update_wakes_the_parked_long_poll_at_once(
    standin: BotApiStandIn, http: aiohttp.ClientSession
) -> None:
    """Latency figures (benchmarks/bench_bot.py) start at add_update: a parked getUpdates
    must return the update at once, not at its timeout."""
    poll = asyncio.create_task(api(http, standin, "getUpdates", {"timeout": 30}))
    await standin.wait_for_polling(timeout=5)
    update = standin.add_text_message("wake up")
    status, body = await asyncio.wait_for(poll, 5)
    assert [u["update_id"] for u in body["result"]] == [update["update_id"]]
    [answered] = [c for c in standin.calls if c.method == "getUpdates"]
    assert answered.done_at - standin.update_added_at[update["update_id"]] < 0.5
