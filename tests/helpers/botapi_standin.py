"""A strict local stand-in for the Telegram Bot API, for tests and benchmarks.

The real bot talks to it over HTTP (``TELEGRAM_API_BASE_URL=http://127.0.0.1:PORT/bot``) and
gets Telegram's answers for everything python-telegram-bot v22 relies on: full ``User`` objects,
dates in seconds, ``{"ok": ...}`` envelopes, 401/404 for bad tokens and methods, and the 400s
Telegram sends for empty/too long text, unparsable HTML and oversized callback data
(see ``botapi_rules``). Being strict is the point: a test that passes here must not fail against
Telegram because of a message the bot renders.

The protocol core (:meth:`BotApiStandIn.call`) does not know about HTTP, so
``recording_request.RecordingRequest`` can drive it in-process for fast unit tests.

Updates are built the way Telegram sends them (:meth:`BotApiStandIn.make_message`,
:meth:`~BotApiStandIn.add_forward` with a channel ``forward_origin``,
:meth:`~BotApiStandIn.add_reply`, :meth:`~BotApiStandIn.press_button` on a button of a message
the bot sent) and delivered by long polling, or, once the bot called ``setWebhook``, POSTed to
its webhook with the secret header (:meth:`~BotApiStandIn.post_to_webhook`).

Standalone: ``python -m tests.helpers.botapi_standin --port 8081`` prints the base URL and token
as one JSON line; benchmarks feed updates through ``POST /_control/update``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import re
import secrets
import signal
import string
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self

import aiohttp
from aiohttp import web

from tests.helpers.botapi_rules import (
    ApiError,
    bad_request,
    check_commands,
    check_incoming_message,
    check_language_code,
    check_message_text,
    check_reply_markup,
    check_webhook,
    detect_entities,
)

TOKEN_SHAPE = re.compile(r"^(\d{3,}):[A-Za-z0-9_-]{30,}$")
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice",
        "upload_voice", "upload_document", "choose_sticker", "find_location",
        "record_video_note", "upload_video_note",
    }
)  # fmt: skip
# Update types delivered when allowed_updates is empty or never set (Telegram's default).
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message", "edited_message", "channel_post", "edited_channel_post", "inline_query",
        "chosen_inline_result", "callback_query", "shipping_query", "pre_checkout_query",
        "poll", "poll_answer", "my_chat_member", "chat_join_request", "business_connection",
        "business_message", "edited_business_message", "deleted_business_messages",
        "chat_boost", "removed_chat_boost", "purchased_paid_media",
    }
)  # fmt: skip

_INT_PARAMS = frozenset(
    {"offset", "limit", "timeout", "message_id", "message_thread_id", "reply_to_message_id",
     "cache_time", "max_connections"}
)  # fmt: skip
_BOOL_PARAMS = frozenset(
    {"disable_notification", "protect_content", "show_alert", "drop_pending_updates",
     "allow_sending_without_reply", "disable_web_page_preview", "allow_paid_broadcast"}
)  # fmt: skip
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_DEFAULT: Any = object()  # "use the secret the bot registered" in post_to_webhook
_JSON_PARAMS = frozenset(
    {"reply_markup", "entities", "allowed_updates", "commands", "scope", "link_preview_options",
     "reply_parameters"}
)  # fmt: skip


def make_token(bot_id: int | None = None) -> str:
    """A token shaped like BotFather's, so the bot's own format check accepts it."""
    ident = bot_id if bot_id is not None else 7_000_000_000 + secrets.randbelow(10**9)
    alphabet = string.ascii_letters + string.digits + "_-"
    return f"{ident}:AA" + "".join(secrets.choice(alphabet) for _ in range(33))


@dataclass
class Call:
    """One Bot API call the stand-in answered: what was asked and what it replied."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: dict[str, Any] | None = None
    at: float = field(default_factory=time.monotonic)  # when the request arrived
    done_at: float = 0.0  # when it was answered (a long poll returns long after it arrived)
    injected: bool = False  # the error came from fail_next, not from a rule

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def text(self) -> str | None:
        """The message text as the user would see it (after HTML parsing), for send/edit."""
        if isinstance(self.result, dict) and isinstance(self.result.get("text"), str):
            return str(self.result["text"])
        return None

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class _Injected:
    error_code: int
    description: str
    retry_after: int | None


class BotApiStandIn:
    """Telegram Bot API stand-in; one bot, in-memory chats, messages and update queue."""

    def __init__(
        self,
        token: str | None = None,
        *,
        username: str = "katasiapa_test_bot",
        first_name: str = "Kata Siapa (test)",
        strict_chats: bool = True,
        user_limits: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        """``user_limits``: refuse to build user messages longer than Telegram lets users
        send (text 4096, caption 1024). Off by default because in-process unit tests feed
        the bot oversized text on purpose, to exercise its own length guard."""
        self.token = token or make_token()
        match = TOKEN_SHAPE.match(self.token)
        if match is None:
            raise ValueError("token must look like a BotFather token")
        self.bot_user: dict[str, Any] = {
            "id": int(match.group(1)),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.strict_chats = strict_chats
        self.user_limits = user_limits
        self.host = host
        self._port = port
        self.sent: list[Call] = []  # successful calls (every method but getUpdates)
        self.calls: list[Call] = []  # every call, failed ones included
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._updates: deque[dict[str, Any]] = deque()
        self._next_update_id = 100_000
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._callback_ids: set[str] = set()
        self._allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._failures: dict[str, deque[_Injected]] = {}
        self.update_added_at: dict[int, float] = {}  # update_id -> time.monotonic() when queued
        self.webhook: dict[str, Any] | None = None  # the last setWebhook's url, secret_token...
        self._changed = asyncio.Event()
        self._poll_generation = 0
        self._polls_parked = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None

    # ------------------------------------------------------------------ server lifecycle

    async def start(self) -> Self:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle_http)
        # access_log=None: the access log would print request paths, which contain the token.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        self._site = web.TCPSite(self._runner, self.host, self._port)
        await self._site.start()
        self._port = self._site.port
        return self

    async def close(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """The value for TELEGRAM_API_BASE_URL (PTB appends the token and the method)."""
        return f"http://{self.host}:{self._port}/bot"

    # ------------------------------------------------------------------ test control API

    def add_update(self, update: Mapping[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (an ``update_id`` is assigned when missing)."""
        upd = self._register(update)
        self._updates.append(upd)
        self._notify()  # wakes a parked long poll at once
        return upd

    def _register(self, update: Mapping[str, Any]) -> dict[str, Any]:
        """Check an incoming update and remember its chats, messages and callback ids."""
        upd = dict(update)
        if "update_id" not in upd:
            upd["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(upd["update_id"])) + 1
        for key in ("message", "edited_message", "channel_post", "business_message"):
            msg = upd.get(key)
            if isinstance(msg, dict) and isinstance(msg.get("chat"), dict):
                check_incoming_message(msg, lengths=self.user_limits)
                reply = msg.get("reply_to_message")
                if isinstance(reply, dict) and (
                    (reply["chat"]["id"], reply["message_id"]) not in self._messages
                ):
                    raise ValueError("reply_to_message must be a message the chat already has")
                self.add_chat(msg["chat"])
                self._messages[(msg["chat"]["id"], msg["message_id"])] = msg
        query = upd.get("callback_query")
        if isinstance(query, dict):
            self._callback_ids.add(str(query["id"]))
            inner = query.get("message")
            if isinstance(inner, dict) and isinstance(inner.get("chat"), dict):
                self.add_chat(inner["chat"])
        self.update_added_at[int(upd["update_id"])] = time.monotonic()
        return upd

    def add_chat(self, chat: Mapping[str, Any]) -> None:
        """Make a chat known (sendMessage to unknown chats fails with "chat not found")."""
        self._chats.setdefault(int(chat["id"]), dict(chat))

    def user(
        self, user_id: int = 1001, *, first_name: str = "Ayu", language_code: str | None = "en"
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def make_message(
        self,
        *,
        text: str | None = None,
        user_id: int = 1001,
        first_name: str = "Ayu",
        language_code: str | None = "en",
        chat_type: str = "private",
        chat_id: int | None = None,
        forward_origin: Mapping[str, Any] | None = None,
        reply_to: Mapping[str, Any] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A Message object as Telegram would send it (entities for commands/links included).

        ``forward_origin``: where a forwarded message came from (see :meth:`channel_origin`).
        ``reply_to``: the message this one replies to; it must be known in the chat, and is
        embedded as Telegram does, without its own ``reply_to_message``.
        """
        sender = self.user(user_id, first_name=first_name, language_code=language_code)
        if chat_type == "private":
            chat: dict[str, Any] = {"id": user_id, "type": "private", "first_name": first_name}
        else:
            chat = {
                "id": chat_id if chat_id is not None else -1_001_234_567_890,
                "type": chat_type,
                "title": "Fact-checkers",
            }
        message: dict[str, Any] = {
            "message_id": self._next_message_id(int(chat["id"])),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
            entities = detect_entities(text)
            if entities:
                message["entities"] = entities
        if forward_origin is not None:
            message["forward_origin"] = dict(forward_origin)
        if reply_to is not None:
            key = (int(chat["id"]), int(reply_to["message_id"]))
            target = self._messages.get(key)
            if target is None:
                raise ValueError(f"no message {key[1]} in chat {key[0]} to reply to")
            message["reply_to_message"] = {
                k: v for k, v in target.items() if k != "reply_to_message"
            }
        if extra:
            message.update(extra)
        caption = message.get("caption")
        if isinstance(caption, str) and "caption_entities" not in message:
            entities = detect_entities(caption)
            if entities:
                message["caption_entities"] = entities
        return message

    @staticmethod
    def channel_origin(
        *,
        username: str | None = "kabar_rekaan",
        title: str = "Kabar Rekaan",
        channel_id: int = -1_001_987_654_321,
        post_id: int = 1,
        posted_at: int | None = None,
    ) -> dict[str, Any]:
        """A ``MessageOriginChannel``: the channel post a message was forwarded from."""
        chat: dict[str, Any] = {"id": channel_id, "type": "channel", "title": title}
        if username is not None:
            chat["username"] = username
        return {
            "type": "channel",
            "chat": chat,
            "message_id": post_id,
            "date": posted_at if posted_at is not None else int(time.time()) - 3600,
        }

    def user_origin(
        self,
        user_id: int = 4_000_001,
        *,
        first_name: str = "Siti",
        last_name: str | None = "Rahayu",
        posted_at: int | None = None,
    ) -> dict[str, Any]:
        """A ``MessageOriginUser``: a message forwarded from a person's private chat."""
        sender: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name is not None:
            sender["last_name"] = last_name
        date = posted_at if posted_at is not None else int(time.time()) - 600
        return {"type": "user", "sender_user": sender, "date": date}

    def add_forward(
        self,
        text: str,
        *,
        origin: Mapping[str, Any] | None = None,
        as_caption: bool = False,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """Queue a channel post forwarded to the bot: its text, or a photo with it as caption."""
        origin = origin if origin is not None else self.channel_origin()
        if as_caption:
            return self.add_photo_message(caption=text, forward_origin=origin, **kwargs)
        return self.add_update(
            {"message": self.make_message(text=text, forward_origin=origin, **kwargs)}
        )

    def add_reply(self, text: str, to: Mapping[str, Any], **kwargs: Any) -> dict[str, Any]:
        """Queue a text message replying to ``to`` (an update or a message of the same chat)."""
        target = to.get("message", to)
        return self.add_text_message(text, reply_to=target, **kwargs)

    def add_text_message(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a text message update (private chat from an English user by default)."""
        return self.add_update({"message": self.make_message(text=text, **kwargs)})

    def add_photo_message(self, caption: str | None = None, **kwargs: Any) -> dict[str, Any]:
        photo = [
            {"file_id": "AgACAgIAAx0", "file_unique_id": "AQAD1", "width": 90, "height": 67,
             "file_size": 1234},
            {"file_id": "AgACAgIAAx1", "file_unique_id": "AQAD2", "width": 800, "height": 600,
             "file_size": 56789},
        ]  # fmt: skip
        extra: dict[str, Any] = {"photo": photo}
        if caption is not None:
            extra["caption"] = caption
        return self.add_update({"message": self.make_message(extra=extra, **kwargs)})

    def add_sticker_message(self, **kwargs: Any) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxk", "file_unique_id": "AgADx", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": "👍",
        }  # fmt: skip
        return self.add_update({"message": self.make_message(extra={"sticker": sticker}, **kwargs)})

    def add_voice_message(self, **kwargs: Any) -> dict[str, Any]:
        voice = {"file_id": "AwACAgIAAxk", "file_unique_id": "AgADv", "duration": 4,
                 "mime_type": "audio/ogg", "file_size": 9876}  # fmt: skip
        return self.add_update({"message": self.make_message(extra={"voice": voice}, **kwargs)})

    def add_document_message(self, caption: str | None = None, **kwargs: Any) -> dict[str, Any]:
        document = {"file_id": "BQACAgIAAxk", "file_unique_id": "AgADd",
                    "file_name": "laporan.pdf", "mime_type": "application/pdf",
                    "file_size": 123456}  # fmt: skip
        extra: dict[str, Any] = {"document": document}
        if caption is not None:
            extra["caption"] = caption
        return self.add_update({"message": self.make_message(extra=extra, **kwargs)})

    def add_poll_message(self, question: str = "Benarkah?", **kwargs: Any) -> dict[str, Any]:
        # Bot API 9.6/10.0 fields included: PTB 22.8 refuses a poll without them, and a
        # getUpdates batch it cannot parse is never processed (the bot stalls on it).
        poll = {
            "id": str(secrets.randbelow(10**18)), "question": question,
            "options": [{"persistent_id": "0", "text": "Ya", "voter_count": 0},
                        {"persistent_id": "1", "text": "Tidak", "voter_count": 0}],
            "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
            "type": "regular", "allows_multiple_answers": False, "allows_revoting": False,
            "members_only": False,
        }  # fmt: skip
        return self.add_update({"message": self.make_message(extra={"poll": poll}, **kwargs)})

    def add_callback_query(
        self, data: str, message: Mapping[str, Any], *, user_id: int = 1001,
        language_code: str | None = "en",
    ) -> dict[str, Any]:  # fmt: skip
        query = {
            "id": str(secrets.randbelow(10**18)),
            "from": self.user(user_id, language_code=language_code),
            "message": dict(message),
            "chat_instance": "-5000000000000000000",
            "data": data,
        }
        return self.add_update({"callback_query": query})

    def bot_message(self, on: Call | Mapping[str, Any]) -> dict[str, Any]:
        """The current version (after edits) of a message the bot sent: from its
        sendMessage/editMessageText call or from the message object."""
        message = on.result if isinstance(on, Call) else on
        if not isinstance(message, Mapping) or "chat" not in message:
            raise ValueError("not a message (did the call fail?)")
        key = (int(message["chat"]["id"]), int(message["message_id"]))
        current = self._messages.get(key)
        if current is None or current.get("from", {}).get("id") != self.bot_user["id"]:
            raise ValueError(f"message {key[1]} in chat {key[0]} was not sent by the bot")
        return current

    def buttons(self, on: Call | Mapping[str, Any]) -> list[tuple[str, str]]:
        """(text, callback_data) of every callback button on a bot message, row by row."""
        markup = self.bot_message(on).get("reply_markup") or {}
        return [
            (b["text"], b["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for b in row
            if "callback_data" in b
        ]

    def press_button(
        self,
        on: Call | Mapping[str, Any],
        data: str | None = None,
        *,
        text: str | None = None,
        user_id: int = 1001,
        language_code: str | None = "en",
    ) -> dict[str, Any]:
        """Queue the callback query of pressing a button of a bot message (by its data or its
        label). Like a Telegram client, only a button the message carries *now* can be
        pressed; the query carries the message as it is now."""
        message = self.bot_message(on)
        found = [
            d for t, d in self.buttons(message) if (data is None or d == data)
            and (text is None or t == text)
        ]  # fmt: skip
        if data is None and text is None or not found:
            raise ValueError(
                f"no button {data or text!r} on that message; it has {self.buttons(message)}"
            )
        return self.add_callback_query(
            found[0], message, user_id=user_id, language_code=language_code
        )

    @property
    def pending_callback_queries(self) -> set[str]:
        """Callback queries the bot has not answered yet (Telegram shows a spinner)."""
        return set(self._callback_ids)

    async def post_to_webhook(
        self,
        update: Mapping[str, Any],
        *,
        url: str | None = None,
        secret: str | None = _DEFAULT,
        timeout: float = 10.0,  # noqa: ASYNC109
    ) -> tuple[int, str]:
        """Deliver an update as Telegram does in webhook mode: POST it as JSON to the URL the
        bot registered with setWebhook, with the registered secret in the
        ``X-Telegram-Bot-Api-Secret-Token`` header. ``secret=None`` leaves the header out;
        a string sends that instead. Returns (HTTP status, response body)."""
        upd = self._register(update)
        target = url or (self.webhook or {}).get("url")
        if not target:
            raise RuntimeError("no webhook is set; call setWebhook first or pass url=")
        if secret is _DEFAULT:
            secret = (self.webhook or {}).get("secret_token")
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.post(target, json=upd, headers=headers) as response,
        ):
            return response.status, await response.text()

    async def wait_for_sent_count(
        self,
        predicate: Callable[[Call], bool],
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> list[Call]:
        """Wait until ``count`` successful calls match ``predicate``; return them."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.sent if predicate(c)]
            if len(found) >= count:
                return found
            await self._wait_changed(deadline, f"{count} matching calls (have {len(found)})")

    def fail_next(
        self, method: str, error_code: int, description: str, retry_after: int | None = None
    ) -> None:
        """Answer the next call of ``method`` with this error (429 + retry_after, 403, 400...)."""
        self._failures.setdefault(method.lower(), deque()).append(
            _Injected(error_code, description, retry_after)
        )

    def sent_messages(self, chat_id: int | None = None) -> list[Call]:
        return [
            c for c in self.sent
            if c.method == "sendMessage" and (chat_id is None or c.chat_id == chat_id)
        ]  # fmt: skip

    # The explicit timeout parameters are the point of these helpers (tests must not hang).
    async def wait_for_sent(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Call:
        """The first successful call matching ``predicate``, waiting up to ``timeout`` seconds."""
        return await self._wait_for(lambda: self.sent, predicate, timeout)

    async def wait_for_call(
        self,
        predicate: Callable[[Call], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Call:
        """Like :meth:`wait_for_sent` but also sees failed calls and getUpdates."""
        return await self._wait_for(lambda: self.calls, predicate, timeout)

    async def wait_for_polling(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the bot is parked in a long-poll getUpdates (i.e. it is serving)."""
        deadline = time.monotonic() + timeout
        while self._polls_parked == 0:
            await self._wait_changed(deadline, "the bot to long-poll getUpdates")

    async def _wait_for(
        self,
        source: Callable[[], list[Call]],
        predicate: Callable[[Call], bool],
        timeout: float,  # noqa: ASYNC109
    ) -> Call:
        deadline = time.monotonic() + timeout
        while True:
            for call in source():
                if predicate(call):
                    return call
            await self._wait_changed(deadline, "a matching call")

    async def _wait_changed(self, deadline: float, what: str) -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            seen = ", ".join(f"{c.method}{'' if c.ok else '!'}" for c in self.calls[-20:])
            texts = [c.text for c in self.sent[-3:] if c.text is not None]
            raise TimeoutError(
                f"timed out waiting for {what}; last calls: [{seen}]; last texts: {texts}"
            )
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), remaining)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    # ------------------------------------------------------------------ protocol core

    async def call(
        self, token: str, method: str, params: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """Answer one Bot API request: (HTTP status, JSON body)."""
        if not TOKEN_SHAPE.match(token):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        handler = self._methods().get(method.lower())
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        name = handler.__name__.removeprefix("_m_")
        record = Call(method=name, params={})
        try:
            record.params = _normalize(params)
            pending = self._failures.get(method.lower())
            if pending:
                injected = pending.popleft()
                extra = {"retry_after": injected.retry_after} if injected.retry_after else None
                record.injected = True
                raise ApiError(injected.error_code, injected.description, extra)
            record.result = await handler(record.params)
        except ApiError as exc:
            record.error = exc.payload()
            record.done_at = time.monotonic()
            self.calls.append(record)
            self._notify()
            return exc.error_code, record.error
        record.done_at = time.monotonic()
        self.calls.append(record)
        if name != "getUpdates":
            self.sent.append(record)
        self._notify()
        return 200, {"ok": True, "result": record.result}

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], Any]]:
        handlers = (
            self._m_getMe, self._m_getUpdates, self._m_setWebhook, self._m_deleteWebhook,
            self._m_getWebhookInfo,
            self._m_setMyCommands, self._m_getMyCommands, self._m_deleteMyCommands,
            self._m_sendMessage, self._m_editMessageText, self._m_answerCallbackQuery,
            self._m_sendChatAction, self._m_close, self._m_logOut,
        )  # fmt: skip
        return {h.__name__.removeprefix("_m_").lower(): h for h in handlers}

    async def _m_getMe(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return dict(self.bot_user)

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: N802
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # wakes (and so terminates) an older poll
        offset = p.get("offset")
        limit = min(max(int(p.get("limit", 100)), 1), 100)
        timeout = max(float(p.get("timeout", 0)), 0.0)
        if "allowed_updates" in p:
            allowed = p["allowed_updates"] or []
            self._allowed = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        if isinstance(offset, int):
            if offset < 0:
                while len(self._updates) > -offset:
                    self._updates.popleft()
            else:
                while self._updates and self._updates[0]["update_id"] < offset:
                    self._updates.popleft()
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation and self.webhook is not None:
                raise ApiError(409, "Conflict: terminated by setWebhook request")
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only one "
                    "bot instance is running",
                )
            ready = [u for u in self._updates if self._is_allowed(u)]
            if ready or self._closing or time.monotonic() >= deadline:
                return ready[:limit]
            self._polls_parked += 1
            self._notify()  # tell wait_for_polling; then wait on the fresh event
            event = self._changed
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), deadline - time.monotonic())
            finally:
                self._polls_parked -= 1

    def _is_allowed(self, update: Mapping[str, Any]) -> bool:
        kinds = set(update) - {"update_id"}
        return bool(kinds & self._allowed)

    async def _m_setWebhook(self, p: dict[str, Any]) -> bool:  # noqa: N802
        url = p.get("url", "")
        if url == "":  # Telegram: an empty URL removes the webhook
            return await self._m_deleteWebhook(p)
        check_webhook(url, p.get("secret_token"), p.get("max_connections"))
        if p.get("drop_pending_updates"):
            self._updates.clear()
        allowed = p.get("allowed_updates")
        if allowed is not None:
            self._allowed = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self._poll_generation += 1  # a webhook ends a parked long poll, as on Telegram
        self.webhook = {
            "url": url,
            "secret_token": p.get("secret_token"),
            "max_connections": p.get("max_connections", 40),
            "allowed_updates": allowed,
        }
        return True

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> bool:  # noqa: N802
        if p.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    async def _m_getWebhookInfo(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        info: dict[str, Any] = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook is not None:
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook["allowed_updates"] is not None:
                info["allowed_updates"] = sorted(self.webhook["allowed_updates"])
        return info  # the secret is never echoed back, as on Telegram

    def _commands_key(self, p: dict[str, Any]) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or "type" not in scope:
            raise bad_request("can't parse BotCommandScope JSON object")
        return json.dumps(scope, sort_keys=True), check_language_code(p.get("language_code"))

    async def _m_setMyCommands(self, p: dict[str, Any]) -> bool:  # noqa: N802
        if "commands" not in p:
            raise bad_request('parameter "commands" is required')
        self.commands[self._commands_key(p)] = check_commands(p["commands"])
        return True

    async def _m_getMyCommands(self, p: dict[str, Any]) -> list[dict[str, str]]:  # noqa: N802
        return list(self.commands.get(self._commands_key(p), []))

    async def _m_deleteMyCommands(self, p: dict[str, Any]) -> bool:  # noqa: N802
        self.commands.pop(self._commands_key(p), None)
        return True

    def _chat(self, p: dict[str, Any]) -> dict[str, Any]:
        if "chat_id" not in p or p["chat_id"] in ("", None):
            raise bad_request("chat_id is empty")
        chat_id = p["chat_id"]
        if isinstance(chat_id, int):
            chat = self._chats.get(chat_id)
            if chat is not None:
                return chat
            if not self.strict_chats:
                return {"id": chat_id, "type": "private", "first_name": "User"}
        raise bad_request("chat not found")

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        chat = self._chat(p)
        plain, entities = check_message_text(p.get("text"), p.get("parse_mode"))
        if not p.get("parse_mode") and isinstance(p.get("entities"), list):
            entities = p["entities"]
        markup = check_reply_markup(p.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": self._next_message_id(int(chat["id"])),
            "from": dict(self.bot_user),
            "chat": dict(chat),
            "date": int(time.time()),
            "text": plain,
        }
        if entities:
            message["entities"] = entities
        reply_to = self._reply_target(p, int(chat["id"]))
        if reply_to is not None:  # embedded without its own reply, as Telegram does
            message["reply_to_message"] = {
                k: v for k, v in reply_to.items() if k != "reply_to_message"
            }
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(int(chat["id"]), message["message_id"])] = message
        return message

    def _reply_target(self, p: dict[str, Any], chat_id: int) -> dict[str, Any] | None:
        params = p.get("reply_parameters")
        if isinstance(params, dict):
            target_id, lenient = params.get("message_id"), params.get("allow_sending_without_reply")
        else:
            target_id, lenient = p.get("reply_to_message_id"), p.get("allow_sending_without_reply")
        if target_id is None:
            return None
        target = self._messages.get((chat_id, int(target_id)))
        if target is None and not lenient:
            raise bad_request("message to be replied not found")
        return target

    async def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any] | bool:  # noqa: N802
        plain, entities = check_message_text(p.get("text"), p.get("parse_mode"))
        markup = check_reply_markup(p.get("reply_markup"))
        if p.get("inline_message_id"):
            return True
        chat = self._chat(p)
        if "message_id" not in p:
            raise bad_request("message identifier is not specified")
        key = (int(chat["id"]), int(p["message_id"]))
        message = self._messages.get(key)
        if message is None:
            raise bad_request("message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise bad_request("message can't be edited")
        new_markup = markup if markup is not None and "inline_keyboard" in markup else None
        if (
            message.get("text") == plain
            and message.get("entities", []) == entities
            and message.get("reply_markup") == new_markup
        ):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        edited = dict(message, text=plain, edit_date=int(time.time()))
        edited.pop("entities", None)
        edited.pop("reply_markup", None)
        if entities:
            edited["entities"] = entities
        if new_markup is not None:
            edited["reply_markup"] = new_markup
        self._messages[key] = edited
        return edited

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> bool:  # noqa: N802
        query_id = p.get("callback_query_id")
        if not query_id:
            raise bad_request("query_id is empty")  # sic: Telegram's wording
        if str(query_id) not in self._callback_ids:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self._callback_ids.discard(str(query_id))
        return True

    async def _m_sendChatAction(self, p: dict[str, Any]) -> bool:  # noqa: N802
        self._chat(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    async def _m_close(self, p: dict[str, Any]) -> bool:
        return True

    async def _m_logOut(self, p: dict[str, Any]) -> bool:  # noqa: N802
        return True

    def _next_message_id(self, chat_id: int) -> int:
        counter = self._message_ids.setdefault(chat_id, itertools.count(1))
        return next(counter)

    # ------------------------------------------------------------------ HTTP transport

    async def _handle_http(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        if path.startswith("_control/"):
            return await self._handle_control(request, path.removeprefix("_control/"))
        match = re.fullmatch(r"bot([^/]*)/([A-Za-z]+)", path)
        if match is None:
            return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        params: dict[str, Any] = dict(request.query)
        try:
            params.update(await _read_body(request))
        except ValueError as exc:
            return _json(400, bad_request(str(exc)).payload())
        status, body = await self.call(match.group(1), match.group(2), params)
        return _json(status, body)

    async def _handle_control(self, request: web.Request, what: str) -> web.StreamResponse:
        """Benchmark/test hooks for standalone use; never part of Telegram's API."""
        body: dict[str, Any] = await request.json() if request.can_read_body else {}
        if what == "update":
            if "update_id" in body or any(k in body for k in DEFAULT_UPDATE_TYPES):
                return _json(200, self.add_update(body))
            text = body.pop("text", "/start")
            return _json(200, self.add_text_message(text, **body))
        if what == "sent":
            since = int(request.query.get("since", 0))
            data = [_call_dict(c) for c in self.sent[since:]]
            return _json(200, {"count": len(self.sent), "calls": data})
        if what == "fail_next":
            self.fail_next(**body)
            return _json(200, {"ok": True})
        if what == "stats":
            stats = {"sent": len(self.sent), "calls": len(self.calls),
                     "queued": len(self._updates), "polling": self._polls_parked}  # fmt: skip
            return _json(200, stats)
        return _json(404, {"ok": False, "description": "unknown control endpoint"})


def _json(status: int, body: Any) -> web.Response:
    text = json.dumps(body, ensure_ascii=False)
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate (tests send them): escaped, as Telegram does
        text = json.dumps(body)
    return web.Response(status=status, text=text, content_type="application/json")


def _call_dict(call: Call) -> dict[str, Any]:
    return {"method": call.method, "params": call.params, "result": call.result, "at": call.at}


async def _read_body(request: web.Request) -> dict[str, Any]:
    """JSON, form-encoded and multipart bodies, as Telegram accepts all three."""
    if not request.can_read_body:
        return {}
    if request.content_type == "application/json":
        try:
            data = await request.json()
        except json.JSONDecodeError as exc:
            raise ValueError("can't parse JSON request body") from exc
        if not isinstance(data, dict):
            raise ValueError("JSON request body must be an object")
        return data
    form = await request.post()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def _normalize(params: Mapping[str, Any]) -> dict[str, Any]:
    """Coerce transport strings to the types Telegram reads them as (JSON and form alike)."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if key == "chat_id":
            out[key] = _to_chat_id(value)
        elif key in _INT_PARAMS:
            out[key] = _to_int(key, value)
        elif key in _BOOL_PARAMS:
            out[key] = value if isinstance(value, bool) else str(value).lower() in ("true", "1")
        elif key in _JSON_PARAMS and isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise bad_request(f"can't parse {key} JSON object") from exc
        else:
            out[key] = value
    return out


def _to_chat_id(value: Any) -> int | str:
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text  # "@channelusername"; unknown to the stand-in, so "chat not found" later


def _to_int(key: str, value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    raise bad_request(f"invalid {key} specified")


def _print_ready(standin: BotApiStandIn) -> None:
    print(json.dumps({"base_url": standin.base_url, "token": standin.token}), flush=True)


async def _serve(host: str, port: int, token: str | None) -> None:
    standin = BotApiStandIn(token, host=host, port=port, strict_chats=False)
    await standin.start()
    _print_ready(standin)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await standin.close()


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token", default=None, help="bot token to accept (random if omitted)")
    args = parser.parse_args(list(argv) if argv is not None else None)
    asyncio.run(_serve(args.host, args.port, args.token))


if __name__ == "__main__":
    main()
