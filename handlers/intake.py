"""What comes in from Telegram, made safe before any handler sees it.

* **Lone surrogates.** A ``"\\ud800"`` escape in an update (clients and proxies do send
  them) becomes a Python string that SQLite, the Bot API and the log cannot encode, so
  every string of an update is cleaned (U+FFFD) once, in ``KataSiapaApplication``
  (bot/app.py) before handlers run: polling, webhook and tests alike.
* **Updates that do not parse.** PTB reads a whole getUpdates batch at once; one update it
  cannot read (an older self-hosted Bot API server sending a poll without fields PTB
  requires) failed the batch, and the same batch was fetched again forever. The getUpdates
  request checks each update, logs an unreadable one once and hands PTB a bare update with
  its id in its place, so the offset moves past it.
"""

from __future__ import annotations

import copy
import logging
from typing import Any

from telegram import Update
from telegram._utils.types import JSONDict
from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.core.textnorm import any_surrogates, replace_surrogates

log = logging.getLogger(__name__)


def cleaned(update: Update, bot: ExtBot[Any]) -> Update:
    """The update itself, or a copy with every lone surrogate replaced (rare: the check is
    one walk over the update's strings)."""
    data = update.to_dict()
    if not any_surrogates(data):
        return update
    log.info("Update %s had invalid characters (lone surrogates); replaced", update.update_id)
    fixed = Update.de_json(_clean(data), bot)
    return fixed if fixed is not None else update


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def readable_updates(payload: JSONDict) -> JSONDict:
    """A getUpdates answer in which every update parses; an unreadable one is logged once
    and replaced by a bare update with its id (no handler acts on it)."""
    result = payload.get("result")
    if not payload.get("ok") or not isinstance(result, list):
        return payload
    readable: list[object] = []
    for raw in result:
        update_id = raw.get("update_id") if isinstance(raw, dict) else None
        if not isinstance(update_id, int):
            log.warning("Skipped an update without an update_id from getUpdates")
            continue
        try:
            Update.de_json(copy.deepcopy(raw), None)
        except Exception as exc:  # whatever PTB cannot read: never the whole batch
            log.warning("Update %s could not be read and is skipped (%s: %s)",
                        update_id, type(exc).__name__, str(exc)[:200])  # fmt: skip
            readable.append({"update_id": update_id})
            continue
        readable.append(raw)
    return {**payload, "result": readable}


class UpdatesRequest(HTTPXRequest):
    """PTB's HTTP request for getUpdates, with :func:`readable_updates` applied."""

    def parse_json_payload(self, payload: bytes) -> JSONDict:  # type: ignore[override]
        return readable_updates(BaseRequest.parse_json_payload(payload))
