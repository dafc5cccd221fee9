"""Telegram's validation rules, as pure functions shared by the stand-in and the recording request.

The HTML parser follows TDLib's ``parse_html`` (the code behind the Bot API's parse_mode=HTML):
same tag list, same attribute grammar, same error texts. It is deliberately *stricter* than
Telegram in one place the Bot API documentation asks for but TDLib tolerates: a bare ``&`` that
does not start one of the supported entities (``&lt; &gt; &amp; &quot;`` and numeric ones) is
rejected, because it always means a string was not passed through ``html.escape``.
Lengths are counted in UTF-16 code units, which is >= what Telegram counts, so the stand-in
never accepts a message Telegram would reject as too long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

MAX_MESSAGE_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200

SUPPORTED_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins",
        "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote",
    }
)  # fmt: skip

_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]+));")
_SPACE = " \t\r\n\f\v"
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])")
_URL_RE = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)\]}']", re.IGNORECASE)
_COMMAND_NAME_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_LANGUAGE_CODE_RE = re.compile(r"^[a-z]{2}$")


class ApiError(Exception):
    """A Bot API error answer: HTTP status, description, optional ``parameters`` object."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def utf16_len(text: str) -> int:
    """Telegram measures offsets (and, conservatively here, lengths) in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Open:
    tag: str
    start: int  # UTF-16 offset in the parsed text
    attrs: dict[str, str]


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """The character an HTML entity at ``pos`` stands for and its length, if it is supported."""
    match = _ENTITY_RE.match(text, pos)
    if match is None:
        return None
    dec, hexa, name = match.groups()
    if name is not None:
        char = _NAMED_ENTITIES.get(name)
        if char is None:
            return None
        return char, match.end() - pos
    code = int(dec) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code), match.end() - pos


def _byte_offset(text: str, pos: int) -> int:
    return len(text[:pos].encode("utf-8"))


def _cant_parse(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entities) or raise ``ApiError`` like the Bot API."""
    out: list[str] = []
    out_len = 0  # UTF-16 length of the plain text so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    n = len(text)

    def emit(chunk: str) -> None:
        nonlocal out_len
        out.append(chunk)
        out_len += utf16_len(chunk)

    while i < n:
        c = text[i]
        if c == "&":
            decoded = _decode_entity(text, i)
            if decoded is None:
                raise _cant_parse(
                    f"Character '&' at byte offset {_byte_offset(text, i)} does not start a "
                    "supported HTML entity; escape it as &amp;"
                )
            emit(decoded[0])
            i += decoded[1]
            continue
        if c != "<":
            emit(c)
            i += 1
            continue
        begin = i
        begin_byte = _byte_offset(text, begin)
        i += 1
        if i < n and text[i] == "/":
            # End tag.
            if not stack:
                raise _cant_parse(f"Unexpected end tag at byte offset {begin_byte}")
            j = i + 1
            while j < n and text[j] not in _SPACE and text[j] != ">":
                j += 1
            end_name = text[i + 1 : j].lower()
            while j < n and text[j] in _SPACE:
                j += 1
            if j >= n or text[j] != ">":
                raise _cant_parse(f"Unclosed end tag at byte offset {begin_byte}")
            top = stack.pop()
            if end_name and end_name != top.tag:
                raise _cant_parse(
                    f'Unmatched end tag at byte offset {begin_byte}, expected "</{top.tag}>", '
                    f'found "</{end_name}>"'
                )
            i = j + 1
            entity = _make_entity(top, out_len)
            if entity is not None:
                entities.append(entity)
            continue
        # Start tag.
        j = i
        while j < n and text[j] not in _SPACE and text[j] != ">":
            j += 1
        if j >= n:
            raise _cant_parse(f"Unclosed start tag at byte offset {begin_byte}")
        tag = text[i:j].lower()
        if tag not in SUPPORTED_TAGS:
            raise _cant_parse(f'Unsupported start tag "{tag}" at byte offset {begin_byte}')
        attrs: dict[str, str] = {}
        while True:
            while j < n and text[j] in _SPACE:
                j += 1
            if j >= n:
                raise _cant_parse(f'Unclosed start tag "{tag}" at byte offset {begin_byte}')
            if text[j] == ">":
                break
            k = j
            while k < n and text[k] not in _SPACE and text[k] not in "=>":
                k += 1
            attr_name = text[j:k].lower()
            if not attr_name:
                raise _cant_parse(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin_byte}'
                )
            while k < n and text[k] in _SPACE:
                k += 1
            if k < n and text[k] != "=":
                if tag == "blockquote" and attr_name == "expandable":
                    attrs[attr_name] = ""
                    j = k
                    continue
                raise _cant_parse(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {begin_byte}"
                )
            k += 1
            while k < n and text[k] in _SPACE:
                k += 1
            if k >= n:
                raise _cant_parse(f'Unclosed start tag "{tag}" at byte offset {begin_byte}')
            if text[k] in "\"'":
                quote = text[k]
                k += 1
                value_chars: list[str] = []
                while k < n and text[k] != quote:
                    if text[k] == "&":
                        decoded = _decode_entity(text, k)
                        if decoded is None:
                            raise _cant_parse(
                                f"Character '&' at byte offset {_byte_offset(text, k)} does not "
                                "start a supported HTML entity; escape it as &amp;"
                            )
                        value_chars.append(decoded[0])
                        k += decoded[1]
                        continue
                    value_chars.append(text[k])
                    k += 1
                if k >= n:
                    raise _cant_parse(f"Unclosed start tag at byte offset {begin_byte}")
                k += 1
                value = "".join(value_chars)
            else:
                token_begin = k
                while k < n and (text[k].isalnum() or text[k] in ".-"):
                    k += 1
                value = text[token_begin:k].lower()
                if k < n and text[k] not in _SPACE and text[k] != ">":
                    raise _cant_parse(
                        "Unexpected end of name token at byte offset "
                        f"{_byte_offset(text, token_begin)}"
                    )
            attrs[attr_name] = value
            j = k
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise _cant_parse(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin_byte}'
            )
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise _cant_parse(
                f'Tag "tg-emoji" must have a numeric "emoji-id" attribute at byte offset '
                f"{begin_byte}"
            )
        stack.append(_Open(tag=tag, start=out_len, attrs=attrs))
        i = j + 1
    if stack:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _make_entity(opened: _Open, end: int) -> dict[str, Any] | None:
    length = end - opened.start
    if length <= 0:
        return None
    kind = _ENTITY_TYPE[opened.tag]
    entity: dict[str, Any] = {"type": kind, "offset": opened.start, "length": length}
    if kind == "text_link":
        href = opened.attrs.get("href", "")
        if not href:
            return None
        entity["url"] = href
    elif kind == "custom_emoji":
        entity["custom_emoji_id"] = opened.attrs["emoji-id"]
    elif kind == "blockquote" and "expandable" in opened.attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def check_message_text(text: object, parse_mode: object) -> tuple[str, list[dict[str, Any]]]:
    """Validate a sendMessage/editMessageText ``text``; return the parsed text and entities."""
    if text is None:
        raise bad_request("message text is empty")
    if not isinstance(text, str):
        text = str(text)
    mode = parse_mode.lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        plain, entities = parse_html(text)
    elif mode in ("", "none"):
        plain, entities = text, []
    elif mode in ("markdown", "markdownv2"):
        # The bot does not use Markdown; accept it without parsing rather than guess its rules.
        plain, entities = text, []
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > MAX_MESSAGE_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def check_reply_markup(markup: object) -> dict[str, Any] | None:
    """Validate an inline keyboard (the only markup kind whose rules tests rely on)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard")
    if rows is None:
        return markup  # reply keyboards / force_reply / remove: accepted as is
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request('can\'t find field "text"')
            if not button["text"].strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None:
                size = len(str(data).encode("utf-8"))
                if size < 1 or size > MAX_CALLBACK_DATA_BYTES:
                    raise bad_request("BUTTON_DATA_INVALID")
            url = button.get("url")
            if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
                raise bad_request("BUTTON_URL_INVALID")
            kinds = {"callback_data", "url", "switch_inline_query", "web_app", "login_url",
                     "switch_inline_query_current_chat", "switch_inline_query_chosen_chat",
                     "copy_text", "callback_game", "pay"}  # fmt: skip
            if not kinds & button.keys():
                raise bad_request('can\'t find field "callback_data"')
    return markup


def check_commands(commands: object) -> list[dict[str, str]]:
    """Validate setMyCommands' list like Telegram (BOT_COMMAND_INVALID and friends)."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked: list[dict[str, str]] = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand")
        command = str(item.get("command", "")).removeprefix("/")
        description = str(item.get("description", ""))
        if not _COMMAND_NAME_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("command description is empty")
        checked.append({"command": command, "description": description})
    return checked


def check_language_code(code: object) -> str:
    if code is None or code == "":
        return ""
    if not isinstance(code, str) or not _LANGUAGE_CODE_RE.match(code):
        raise bad_request("invalid language code specified")
    return code


def detect_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram attaches to an incoming message: bot commands and plain URLs.

    PTB's ``CommandHandler`` only sees a command when a ``bot_command`` entity starts at offset 0,
    so updates built by tests must carry them exactly as Telegram would.
    """
    found: list[dict[str, Any]] = []
    for match in _COMMAND_RE.finditer(text):
        found.append(
            {
                "type": "bot_command",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    for match in _URL_RE.finditer(text):
        found.append(
            {
                "type": "url",
                "offset": utf16_len(text[: match.start()]),
                "length": utf16_len(match.group()),
            }
        )
    found.sort(key=lambda e: e["offset"])
    return found


# -- webhooks ---------------------------------------------------------------------------------

WEBHOOK_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def check_webhook(url: object, secret_token: object, max_connections: object) -> None:
    """setWebhook's checks: an HTTPS URL on a supported port, a secret of 1-256 characters
    of ``A-Za-z0-9_-``, 1-100 connections.

    Like a local Bot API server (``telegram-bot-api --local``), plain HTTP and any port are
    accepted for loopback hosts, so a test can point Telegram at a bot on 127.0.0.1.
    """
    if not isinstance(url, str):
        raise bad_request("bad webhook: Webhook URL must be a string")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
    loopback = parts.hostname in _LOOPBACK_HOSTS
    if parts.scheme != "https" and not loopback:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise bad_request("bad webhook: Wrong port number specified in the URL") from exc
    if port not in WEBHOOK_PORTS and not loopback:
        raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
    if secret_token is not None and (
        not isinstance(secret_token, str) or not WEBHOOK_SECRET_RE.match(secret_token)
    ):
        raise bad_request("secret token contains unallowed characters")
    if max_connections is not None and not (
        isinstance(max_connections, int) and 1 <= max_connections <= 100
    ):
        raise bad_request("invalid max_connections specified")


# -- incoming updates -------------------------------------------------------------------------

MAX_CAPTION_LENGTH = 1024
_ORIGIN_FIELDS = {
    "user": ("sender_user",),
    "hidden_user": ("sender_user_name",),
    "chat": ("sender_chat",),
    "channel": ("chat", "message_id"),
}


def _check_date(value: object, where: str) -> None:
    # Telegram sends Unix time in seconds; a millisecond timestamp is a bug in the test.
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10**10:
        raise ValueError(f"{where}: date must be Unix time in whole seconds, got {value!r}")


def check_incoming_message(
    message: dict[str, Any], *, lengths: bool = True, nested: bool = False
) -> None:
    """Refuse a Message object Telegram would never send (a mistake in the test, so
    ``ValueError``, not an API error): dates in seconds, a well-formed ``forward_origin``, a
    ``reply_to_message`` of the same chat without its own reply, captions only on media and,
    with ``lengths``, text and caption within what a user can send (4096 / 1024)."""
    for key in ("message_id", "chat", "date"):
        if key not in message:
            raise ValueError(f"a message needs {key!r}")
    _check_date(message["date"], "message")
    text = message.get("text")
    if lengths and isinstance(text, str) and not 1 <= utf16_len(text) <= MAX_MESSAGE_LENGTH:
        raise ValueError(f"message text must be 1-{MAX_MESSAGE_LENGTH} characters")
    caption = message.get("caption")
    if lengths and isinstance(caption, str) and not 0 < utf16_len(caption) <= MAX_CAPTION_LENGTH:
        raise ValueError(f"captions are at most {MAX_CAPTION_LENGTH} characters")
    if caption is not None and not any(
        k in message for k in ("photo", "video", "document", "audio", "animation", "voice")
    ):
        raise ValueError("only media messages have a caption")
    origin = message.get("forward_origin")
    if origin is not None:
        kind = origin.get("type") if isinstance(origin, dict) else None
        if kind not in _ORIGIN_FIELDS:
            raise ValueError(f"forward_origin.type must be one of {sorted(_ORIGIN_FIELDS)}")
        assert isinstance(origin, dict)
        missing = [k for k in ("date", *_ORIGIN_FIELDS[kind]) if k not in origin]
        if missing:
            raise ValueError(f"a {kind} forward_origin needs {missing}")
        _check_date(origin["date"], "forward_origin")
        if kind == "channel" and origin["chat"].get("type") != "channel":
            raise ValueError('a channel forward_origin needs chat.type == "channel"')
    reply = message.get("reply_to_message")
    if reply is not None:
        if nested:
            raise ValueError("Telegram does not nest reply_to_message inside reply_to_message")
        if not isinstance(reply, dict) or reply.get("chat", {}).get("id") != message["chat"]["id"]:
            raise ValueError("reply_to_message must be a message of the same chat")
        check_incoming_message(reply, lengths=lengths, nested=True)
