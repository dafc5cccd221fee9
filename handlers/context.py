"""Typed per-application state and the callback context type every handler receives.

``ContextTypes(bot_data=BotData)`` makes ``context.bot_data`` this dataclass instead of a dict,
so a missing or misspelled key is a type error rather than a ``KeyError`` at 3 a.m.
PTB creates ``bot_data`` by calling the class without arguments, hence the defaults; the
composition root (``bot/app.py``) fills the fields before the first update is processed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram.ext import CallbackContext, ExtBot

from bot.core.clock import Clock
from bot.settings import Settings

if TYPE_CHECKING:  # type-only: handlers never touch storage directly at run time
    from bot.conversation import Conversation
    from bot.digest.delivery import DigestService
    from bot.digest.pacer import Pacer
    from bot.digest.subscriptions import Subscriptions
    from bot.web.feeds import FeedService
    from handlers.guard import FloodGuard
    from storage.stores import Stores


class NotReadyError(RuntimeError):
    """An update arrived before ``post_init`` opened the archive (a wiring bug)."""


@dataclass
class BotData:
    """Long-lived dependencies shared by all handlers of one application."""

    settings: Settings | None = None
    stores: Stores | None = None
    clock: Clock | None = None
    owns_stores: bool = False  # opened by the application (closed at shutdown), not injected
    conversation: Conversation | None = None
    flood: FloodGuard | None = None
    digests: DigestService | None = None
    pacer: Pacer | None = None
    subscriptions: Subscriptions | None = None
    feeds: FeedService | None = None

    def require_stores(self) -> Stores:
        if self.stores is None:
            raise NotReadyError("the archive is not open yet; was post_init run?")
        return self.stores

    def require_conversation(self) -> Conversation:
        if self.conversation is None:
            raise NotReadyError("the conversation service is not set up; was post_init run?")
        return self.conversation

    def require_subscriptions(self) -> Subscriptions:
        if self.subscriptions is None:
            raise NotReadyError("digests are not set up; was post_init run?")
        return self.subscriptions

    def require_feeds(self) -> FeedService:
        if self.feeds is None:
            raise NotReadyError("feeds are not set up; was post_init run?")
        return self.feeds

    def require_clock(self) -> Clock:
        if self.clock is None:
            raise NotReadyError("the clock was not set by build_application")
        return self.clock

    def require_settings(self) -> Settings:
        if self.settings is None:
            raise NotReadyError("settings were not set by build_application")
        return self.settings


Context: TypeAlias = CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]
