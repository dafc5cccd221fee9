"""Language packs, one module per language; register new ones in ``PACKS``."""

from __future__ import annotations

from bot.analysis.lang.base import CompiledPack, Cue, LanguagePack, Shape
from bot.analysis.lang.en import PACK as EN
from bot.analysis.lang.id import PACK as ID

PACKS: dict[str, CompiledPack] = {p.code: CompiledPack(p) for p in (ID, EN)}

__all__ = ["PACKS", "CompiledPack", "Cue", "LanguagePack", "Shape"]
