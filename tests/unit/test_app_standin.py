"""The Bot API stand-in rejects what Telegram rejects, over real HTTP and through PTB itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from tests.helpers.botapi_rules import parse_html
from tests.helpers.botapi_standin import BotApiStandIn, make_token

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
