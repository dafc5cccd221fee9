"""User-facing bot strings in English and Indonesian.

Strings here are plain text (no HTML): ``handlers/render.py`` escapes and marks them up, so a
translator can never break Telegram's HTML parser. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

from typing import Final, Literal

Lang = Literal["en", "id"]
DEFAULT_LANG: Final[Lang] = "en"

# command -> description, as shown in Telegram's command menu (setMyCommands).
COMMANDS: Final[dict[Lang, dict[str, str]]] = {
    "en": {
        "start": "What Kata Siapa does and how to use it",
        "help": "How to ask who said something",
    },
    "id": {
        "start": "Apa yang dilakukan Kata Siapa dan cara memakainya",
        "help": "Cara menanyakan siapa yang mengatakan sesuatu",
    },
}

_STRINGS: Final[dict[Lang, dict[str, str]]] = {
    "en": {
        "welcome.title": "Kata Siapa — who said it?",
        "welcome.what": (
            "Forward me a news article or ask who said something. I reply with the key claims "
            "and who said them: the speaker, their role, through whom it reached the outlet, "
            "and stance signals such as denied, declined to comment or could not be verified."
        ),
        "welcome.archive": "The archive holds {count} articles.",
        "welcome.archive_one": "The archive holds 1 article.",
        "welcome.archive_empty": "The archive is empty for now.",
        "welcome.try": "Try it:",
        "welcome.example_forward": "forward a news article from a channel to this chat, or",
        # Examples ask about articles in the bundled sample archive, so they work on day one.
        "welcome.example_question": "Who said the Chirrup Pay outage was caused by an expired "
        "certificate?",
        "welcome.help_hint": "Send /help to see this again.",
        "coming_soon": (
            "Thanks! Answering forwarded articles and questions is coming in the next version. "
            "For now, send /help to see what Kata Siapa will do."
        ),
        "error": "Sorry, something went wrong on our side; please try again.",
    },
    "id": {
        "welcome.title": "Kata Siapa — siapa yang bilang?",
        "welcome.what": (
            "Teruskan artikel berita ke saya atau tanyakan siapa yang mengatakan sesuatu. Saya "
            "membalas dengan klaim-klaim utama dan siapa yang mengatakannya: narasumber, "
            "jabatannya, lewat siapa pernyataan itu sampai ke media, dan sinyal sikap seperti "
            "membantah, menolak berkomentar, atau tidak dapat diverifikasi."
        ),
        "welcome.archive": "Arsip berisi {count} artikel.",
        "welcome.archive_one": "Arsip berisi 1 artikel.",
        "welcome.archive_empty": "Arsip masih kosong.",
        "welcome.try": "Coba:",
        "welcome.example_forward": "teruskan artikel berita dari sebuah kanal ke obrolan ini, atau",
        "welcome.example_question": "Siapa yang bilang harga cabai rawit tembus Rp 90.000?",
        "welcome.help_hint": "Kirim /help untuk melihat pesan ini lagi.",
        "coming_soon": (
            "Terima kasih! Jawaban untuk artikel yang diteruskan dan pertanyaan akan hadir di "
            "versi berikutnya. Untuk sekarang, kirim /help untuk melihat apa yang akan "
            "dilakukan Kata Siapa."
        ),
        "error": "Maaf, terjadi kesalahan di pihak kami; silakan coba lagi.",
    },
}


def pick_language(language_code: str | None) -> Lang:
    """Indonesian for ``id``/``id-ID``/``in`` (Telegram clients may send either), else English."""
    code = (language_code or "").strip().lower()
    if code.startswith("id") or code == "in" or code.startswith("in-"):
        return "id"
    return DEFAULT_LANG


def text(lang: Lang, key: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (English if missing there), formatted with ``values``."""
    template = _STRINGS[lang].get(key) or _STRINGS[DEFAULT_LANG][key]
    return template.format(**values) if values else template


def format_count(lang: Lang, count: int) -> str:
    """Group digits the local way: 1,234 in English, 1.234 in Indonesian."""
    grouped = f"{count:,}"
    return grouped.replace(",", ".") if lang == "id" else grouped
