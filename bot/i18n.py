"""User-facing bot strings in English and Indonesian.

Strings here are plain text (no HTML): ``handlers/render.py`` escapes and marks them up, so a
translator can never break Telegram's HTML parser. Placeholders use ``str.format`` names.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal

Lang = Literal["en", "id"]
DEFAULT_LANG: Final[Lang] = "en"
LANGS: Final[tuple[Lang, ...]] = ("en", "id")

# command -> description, as shown in Telegram's command menu (setMyCommands).
COMMANDS: Final[dict[Lang, dict[str, str]]] = {
    "en": {
        "start": "What Kata Siapa does and how to use it",
        "help": "How to ask who said something",
        "who": "Who said this? /who followed by the quote",
        "lang": "Switch language: English / Bahasa Indonesia",
        "subscribe": "Daily digest (optionally at HH:MM)",
        "unsubscribe": "Stop the daily digest",
        "digest": "Today's digest now",
        "follow": "Follow a speaker, outlet or topic",
        "following": "What you follow",
        "unfollow": "Stop following something",
        "timezone": "Set your timezone for the digest",
    },
    "id": {
        "start": "Apa yang dilakukan Kata Siapa dan cara memakainya",
        "help": "Cara menanyakan siapa yang mengatakan sesuatu",
        "who": "Siapa yang bilang? /who diikuti kutipannya",
        "lang": "Ganti bahasa: Bahasa Indonesia / English",
        "subscribe": "Ringkasan harian (bisa pukul JJ:MM)",
        "unsubscribe": "Hentikan ringkasan harian",
        "digest": "Ringkasan hari ini sekarang",
        "follow": "Ikuti narasumber, media, atau topik",
        "following": "Yang Anda ikuti",
        "unfollow": "Berhenti mengikuti",
        "timezone": "Atur zona waktu ringkasan",
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
        "welcome.help_hint": (
            "Commands: /who followed by a quote asks who said it; /lang switches between "
            "English and Bahasa Indonesia; /help shows this again."
        ),
        "error": "Sorry, something went wrong on our side; please try again.",
        "card.match": "Found in the archive ({score}% similar)",
        "card.submitted": "Not in the archive yet",
        "card.submitted_note": (
            "I analyzed the text you sent; these are the claims I found. It is saved as a "
            "user submission, not as a verified article."
        ),
        "card.user_submission": "User submission: not verified by the Kata Siapa team.",
        "card.none": "Not in the archive yet, and I could not analyze this text.",
        "card.similar": "No exact match. Similar articles in the archive, pick one:",
        "card.link": "Link",
        "card.key_claims": "Key claims",
        "card.no_claims": "No attributed claims found in this article.",
        "card.no_key_claims": (
            "No claim here is attributed clearly enough to show on this card; "
            "All claims lists everything found, with its attribution."
        ),
        "card.no_source": "no source named",
        "card.via": "via",
        "card.first_seen": "First seen in {channel} on {date}.",
        "card.forwarded": "Sent to Kata Siapa {times} times by {users} people.",
        "card.forwarded_once": "Sent to Kata Siapa once.",
        "card.from_channels": "From {count} channels.",
        "summary.claims": "{count} claims",
        "summary.named": "{count} named sources",
        "summary.anonymous": "{count} anonymous",
        "summary.anonymous_via": "{count} anonymous via {via}",
        "summary.denials": "{count} denials",
        "summary.declined": "{count} declined to comment",
        "summary.unverified": "{count} not independently verified",
        "stance.denies": "denied",
        "stance.declines_comment": "declined to comment",
        "stance.unverified": "not independently verified",
        "stance.accuses": "accusation",
        "stance.claims": "claimed",
        "badge.anonymous": "anonymous source",
        "who.found": "Found in {count} articles, earliest first:",
        "who.found_one": "Found in 1 article:",
        "who.similar": "No stored claim has these exact words. The closest statements:",
        "who.in_text": (
            "These words appear in the text of {count} article(s), but not in a statement I "
            "could attribute to anyone. Open an article to see who says what in it:"
        ),
        "who.none": (
            "I found no stored claim with these words. It may be new, or worded differently "
            "in the articles I have."
        ),
        "who.conflict": (
            "Attributions conflict: the same words are attributed to different speakers "
            "({speakers}). This is a possible misattribution."
        ),
        "who.usage": (
            "Send /who followed by a quote, or reply \"who said this?\" to a message with one. "
            "Example: /who the outage was caused by an expired certificate"
        ),
        "button.all": "All claims",
        "button.sources": "Sources",
        "button.not_this": "Not this article",
        "button.prev": "‹ Previous",
        "button.next": "Next ›",
        "button.open": "Open #{id}",
        "all.title": "All claims ({count}), page {page} of {pages}",
        "sources.title": "Sources in this article ({count})",
        "sources.none": "No named or anonymous sources in this article.",
        "feedback.thanks": "Thanks, noted: this was not the right article.",
        "gone": "That article is no longer in the archive.",
        "link.reading": "Reading the article…",
        "link.blocked": (
            "That link points to a private or local address; I only read public web pages."
        ),
        "link.not_web": "That is not a web link I can open: send an http:// or https:// address.",
        "link.unsupported": (
            "I cannot read this kind of link yet (PDF, image, video or other files)."
        ),
        "link.too_large": "That page is too large for me to read.",
        "link.encoding": (
            "That page is packed in a way I do not read (compressed more than once, or with "
            "an unknown method)."
        ),
        "link.timeout": "The site took too long to answer; please try again later.",
        "link.redirects": "That link redirects too many times; send the article's own address.",
        "link.bad_redirect": (
            "That link redirects to something that is not a web page (a script or an app "
            "link), so there is no article to read."
        ),
        "link.failed": (
            "I could not open that link (the site did not answer, or answered with an error)."
        ),
        "link.unreadable": (
            "I could not read the article text on that page (it may be paywalled, empty or not "
            "an article). Paste the text instead."
        ),
        "link.busy": (
            "I am still reading your previous link; send the next one when that answer "
            "arrives."
        ),
        "input.too_short": "That is too short to look up: send a whole sentence or the article.",
        "input.too_long": "That is too long to look up: send the first paragraphs or one quote.",
        "input.empty": "There are no words in that message to look up.",
        "input.unsupported": (
            "I can read text: forward a news article or its link, paste its text, or send a "
            "quote to ask who said it. Photos without a caption, stickers, voice messages, "
            "files and polls I cannot read yet."
        ),
        "flood": "You are sending messages faster than I can check them; please wait a minute.",
        "busy": "The archive is busy right now; please send that again in a moment.",
        "storage.refused": (
            "The archive can't store new things right now; looking things up still works. "
            "Please send that again later."
        ),
        "admin.storage_alert": (
            "⚠️ The archive can't store new things: {reason} Lookups, cards and buttons "
            "still work; nothing stored is lost. Free some space (or fix the file's "
            "permissions); writes resume by themselves. I will tell you again only if it "
            "recovers and then fails again."
        ),
        "lang.choose": "Choose your language:",
        "lang.set": "Language set to English.",
        "admin.denied": "Sorry, that command is for Kata Siapa admins only.",
        "admin.add_usage": "Reply /add to a forwarded article (or send /add followed by the text).",
        "admin.added": "Added to the archive as #{id} (curated), {claims} claims.",
        "admin.curated": "Already in the archive as #{id}; it is now marked curated.",
        "admin.rejected": "Not added: {reason}",
        "admin.remove_usage": "Send /remove followed by the article number, e.g. /remove 12.",
        "admin.removed": "Article #{id} removed from the archive.",
        "admin.not_found": "There is no article #{id} in the archive.",
        "digest.title": "Kata Siapa daily digest — {date}",
        "digest.total": "{count} new articles analyzed in the 24 hours before {time}.",
        "digest.total_none": "No new articles, but people forwarded these:",
        "digest.followed": "Your follows",
        "digest.new": "New articles",
        "digest.forwarded": "Most forwarded",
        "digest.forwarded_times": "forwarded {count}×",
        "digest.flags": "Denials and unverified claims",
        "digest.nothing": "Nothing new in the archive in the last 24 hours.",
        "button.more": "More claims",
        "button.change_time": "Change time",
        "button.unsubscribe": "Unsubscribe",
        "sub.subscribed": (
            "Subscribed: you will get a digest every day at {time} ({zone}), in English, "
            "only on days with something new. /subscribe HH:MM changes the time, /timezone "
            "the timezone, /follow adds speakers, outlets or topics, /unsubscribe stops it."
        ),
        "sub.rescheduled": "Your daily digest now comes at {time} ({zone}).",
        "sub.unsubscribed": "Unsubscribed: no more daily digests. /subscribe starts them again.",
        "sub.not_subscribed": "You are not subscribed to the daily digest. /subscribe starts it.",
        "sub.bad_time": (
            "I could not read \"{value}\" as a time. Use 24-hour HH:MM, for example "
            "/subscribe 07:30 or /subscribe 19:00."
        ),
        "sub.bad_timezone": (
            "I do not know the timezone \"{value}\". Try a city (/timezone Jakarta), a zone "
            "name (/timezone Europe/Berlin), WIB/WITA/WIT or an offset (/timezone UTC+7)."
        ),
        "sub.timezone_set": "Timezone set to {zone}: your digest comes at {time} there.",
        "sub.timezone_usage": (
            "Send /timezone followed by a city, zone or offset, e.g. /timezone Jakarta."
        ),
        "sub.choose_time": "When should your digest arrive? Pick a time or send /subscribe HH:MM.",
        "follow.added": "Following \"{value}\": your digest will include what is new about it.",
        "follow.exists": "You already follow \"{value}\".",
        "follow.full": (
            "You follow {max} things already, the most a digest can hold. /unfollow one first."
        ),
        "follow.too_long": "That is too long to follow (at most {max} characters).",
        "follow.usage": (
            "Send /follow followed by a name, an outlet or a topic, e.g. /follow Sri Mulyani."
        ),
        "follow.removed": "No longer following \"{value}\".",
        "follow.missing": "You do not follow \"{value}\". /following lists what you follow.",
        "follow.list": "You follow ({count}/{max}):",
        "follow.none": (
            "You do not follow anything yet. /follow NAME adds a speaker, outlet or topic."
        ),
        "stats.digests": (
            "Digests: {active} subscribers. Last run: {due} due, {sent} sent, {empty} empty, "
            "{late} late, {failed} failed, {deactivated} deactivated, {ambiguous} ambiguous."
        ),
        "stats.digests_none": "Digests: {active} subscribers; no run yet.",
        "feeds.none": "No feeds yet. /feed_add URL adds an RSS or Atom feed.",
        "feeds.title": "Feeds ({count})",
        "feeds.line": "every {minutes} min, last poll {polled} [{status}], {added} articles added",
        "feeds.add_usage": "Send /feed_add followed by the feed's URL.",
        "feeds.add_failed": "Not added: {reason}",
        "feeds.not_a_feed": "That address is not an RSS or Atom feed I can read.",
        "feeds.added": "Feed #{id} added ({title}); it is polled within a minute.",
        "feeds.exists": "That feed is already in the list as #{id} ({title}).",
        "feeds.remove_usage": "Send /feed_remove followed by the feed number, e.g. /feed_remove 3.",
        "feeds.removed": "Feed #{id} removed.",
        "feeds.not_found": "There is no feed #{id}.",
        "stats.title": "Kata Siapa statistics",
        "stats.archive": "Archive: {articles} articles, {claims} claims, {speakers} speakers.",
        "stats.sources": "By source: {sources}.",
        "stats.users": "Users: {users} in all, {active} active today.",
        "stats.today": "Today: {queries} lookups, {forwards} articles sent, {unmatched} unmatched.",
        "stats.totals": "Unmatched lookups in all: {unmatched}; \"not this article\": {not_this}.",
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
        "welcome.help_hint": (
            "Perintah: /who diikuti kutipan menanyakan siapa yang mengatakannya; /lang "
            "mengganti bahasa (English / Bahasa Indonesia); /help menampilkan pesan ini lagi."
        ),
        "error": "Maaf, terjadi kesalahan di pihak kami; silakan coba lagi.",
        "card.match": "Ditemukan di arsip (kemiripan {score}%)",
        "card.submitted": "Belum ada di arsip",
        "card.submitted_note": (
            "Saya menganalisis teks yang Anda kirim; ini klaim-klaim yang saya temukan. Teks "
            "disimpan sebagai kiriman pengguna, bukan sebagai artikel terverifikasi."
        ),
        "card.user_submission": "Kiriman pengguna: belum diverifikasi tim Kata Siapa.",
        "card.none": "Belum ada di arsip, dan teks ini tidak dapat saya analisis.",
        "card.similar": "Tidak ada yang persis sama. Artikel serupa di arsip, pilih salah satu:",
        "card.link": "Tautan",
        "card.key_claims": "Klaim utama",
        "card.no_claims": "Tidak ada klaim beratribusi dalam artikel ini.",
        "card.no_key_claims": (
            "Tidak ada klaim yang atribusinya cukup jelas untuk ditampilkan di sini; "
            "Semua klaim mencantumkan semua yang ditemukan, dengan atribusinya."
        ),
        "card.no_source": "tanpa narasumber",
        "card.via": "lewat",
        "card.first_seen": "Pertama terlihat di {channel} pada {date}.",
        "card.forwarded": "Dikirim ke Kata Siapa {times} kali oleh {users} orang.",
        "card.forwarded_once": "Dikirim ke Kata Siapa sekali.",
        "card.from_channels": "Dari {count} kanal.",
        "summary.claims": "{count} klaim",
        "summary.named": "{count} narasumber bernama",
        "summary.anonymous": "{count} anonim",
        "summary.anonymous_via": "{count} anonim lewat {via}",
        "summary.denials": "{count} bantahan",
        "summary.declined": "{count} menolak berkomentar",
        "summary.unverified": "{count} tidak dapat diverifikasi secara independen",
        "stance.denies": "membantah",
        "stance.declines_comment": "menolak berkomentar",
        "stance.unverified": "tidak dapat diverifikasi independen",
        "stance.accuses": "tuduhan",
        "stance.claims": "mengklaim",
        "badge.anonymous": "sumber anonim",
        "who.found": "Ditemukan di {count} artikel, yang paling awal lebih dulu:",
        "who.found_one": "Ditemukan di 1 artikel:",
        "who.similar": "Tidak ada klaim tersimpan dengan kata-kata persis ini. Yang paling mirip:",
        "who.in_text": (
            "Kata-kata ini ada dalam teks {count} artikel, tetapi tidak dalam pernyataan yang "
            "bisa saya kaitkan dengan seseorang. Buka artikelnya untuk melihat siapa bilang apa:"
        ),
        "who.none": (
            "Tidak ada klaim tersimpan dengan kata-kata ini. Mungkin pernyataan baru, atau "
            "kata-katanya berbeda di artikel yang saya punya."
        ),
        "who.conflict": (
            "Atribusi bertentangan: kata-kata yang sama dikaitkan dengan narasumber berbeda "
            "({speakers}). Ini tanda kemungkinan salah atribusi."
        ),
        "who.usage": (
            "Kirim /who diikuti kutipan, atau balas \"siapa yang bilang?\" ke pesan berisi "
            "kutipan. Contoh: /who harga cabai rawit tembus Rp 90.000"
        ),
        "button.all": "Semua klaim",
        "button.sources": "Narasumber",
        "button.not_this": "Bukan artikel ini",
        "button.prev": "‹ Sebelumnya",
        "button.next": "Berikutnya ›",
        "button.open": "Buka #{id}",
        "all.title": "Semua klaim ({count}), halaman {page} dari {pages}",
        "sources.title": "Narasumber dalam artikel ini ({count})",
        "sources.none": "Tidak ada narasumber bernama atau anonim dalam artikel ini.",
        "feedback.thanks": "Terima kasih, dicatat: ini bukan artikel yang dimaksud.",
        "gone": "Artikel itu sudah tidak ada di arsip.",
        "link.reading": "Membaca artikel…",
        "link.blocked": (
            "Tautan itu mengarah ke alamat jaringan privat atau lokal; saya hanya membaca "
            "halaman web publik."
        ),
        "link.not_web": (
            "Itu bukan tautan web yang bisa saya buka: kirim alamat http:// atau https://."
        ),
        "link.unsupported": (
            "Jenis tautan ini belum bisa saya baca (PDF, gambar, video, atau berkas lain)."
        ),
        "link.too_large": "Halaman itu terlalu besar untuk saya baca.",
        "link.encoding": (
            "Halaman itu dikemas dengan cara yang tidak saya baca (dikompresi lebih dari "
            "sekali, atau dengan metode yang tidak saya kenal)."
        ),
        "link.timeout": "Situsnya terlalu lama menjawab; silakan coba lagi nanti.",
        "link.redirects": "Tautan itu dialihkan terlalu banyak kali; kirim alamat asli artikelnya.",
        "link.bad_redirect": (
            "Tautan itu dialihkan ke sesuatu yang bukan halaman web (skrip atau tautan "
            "aplikasi), jadi tidak ada artikel untuk dibaca."
        ),
        "link.failed": (
            "Tautan itu tidak bisa saya buka (situsnya tidak menjawab, atau menjawab dengan "
            "galat)."
        ),
        "link.unreadable": (
            "Teks artikel di halaman itu tidak bisa saya baca (mungkin berbayar, kosong, atau "
            "bukan artikel). Tempel teksnya saja."
        ),
        "link.busy": (
            "Saya masih membaca tautan Anda sebelumnya; kirim tautan berikutnya setelah "
            "jawabannya datang."
        ),
        "input.too_short": "Terlalu pendek untuk dicari: kirim satu kalimat utuh atau artikelnya.",
        "input.too_long": "Terlalu panjang untuk dicari: kirim paragraf awal atau satu kutipan.",
        "input.empty": "Tidak ada kata dalam pesan itu yang bisa dicari.",
        "input.unsupported": (
            "Saya membaca teks: teruskan artikel berita atau tautannya, tempel teksnya, atau "
            "kirim kutipan untuk menanyakan siapa yang mengatakannya. Foto tanpa keterangan, "
            "stiker, pesan suara, berkas, dan polling belum bisa saya baca."
        ),
        "flood": "Pesan Anda lebih cepat daripada yang bisa saya periksa; mohon tunggu semenit.",
        "busy": "Arsip sedang sibuk; silakan kirim lagi sebentar lagi.",
        "storage.refused": (
            "Arsip tidak bisa menyimpan hal baru saat ini; pencarian tetap berjalan. "
            "Silakan kirim lagi nanti."
        ),
        "admin.storage_alert": (
            "⚠️ Arsip tidak bisa menyimpan hal baru: {reason} Pencarian, kartu dan tombol "
            "tetap berjalan; tidak ada yang hilang. Kosongkan ruang disk (atau perbaiki izin "
            "berkasnya); penyimpanan akan pulih sendiri. Saya akan memberi tahu lagi hanya "
            "jika sempat pulih lalu gagal lagi."
        ),
        "lang.choose": "Pilih bahasa:",
        "lang.set": "Bahasa diganti ke Bahasa Indonesia.",
        "admin.denied": "Maaf, perintah itu hanya untuk admin Kata Siapa.",
        "admin.add_usage": (
            "Balas /add ke artikel yang diteruskan (atau kirim /add diikuti teksnya)."
        ),
        "admin.added": "Ditambahkan ke arsip sebagai #{id} (kurasi), {claims} klaim.",
        "admin.curated": "Sudah ada di arsip sebagai #{id}; kini ditandai kurasi.",
        "admin.rejected": "Tidak ditambahkan: {reason}",
        "admin.remove_usage": "Kirim /remove diikuti nomor artikel, mis. /remove 12.",
        "admin.removed": "Artikel #{id} dihapus dari arsip.",
        "admin.not_found": "Tidak ada artikel #{id} di arsip.",
        "digest.title": "Ringkasan harian Kata Siapa — {date}",
        "digest.total": "{count} artikel baru dianalisis dalam 24 jam sebelum pukul {time}.",
        "digest.total_none": "Tidak ada artikel baru, tetapi ini yang banyak diteruskan:",
        "digest.followed": "Yang Anda ikuti",
        "digest.new": "Artikel baru",
        "digest.forwarded": "Paling banyak diteruskan",
        "digest.forwarded_times": "diteruskan {count}×",
        "digest.flags": "Bantahan dan klaim yang belum terverifikasi",
        "digest.nothing": "Tidak ada yang baru di arsip dalam 24 jam terakhir.",
        "button.more": "Klaim lainnya",
        "button.change_time": "Ganti jam",
        "button.unsubscribe": "Berhenti langganan",
        "sub.subscribed": (
            "Berlangganan: Anda akan menerima ringkasan setiap hari pukul {time} ({zone}), "
            "dalam Bahasa Indonesia, hanya pada hari yang ada beritanya. /subscribe JJ:MM "
            "mengganti jam, /timezone zona waktu, /follow menambah narasumber, media, atau "
            "topik, /unsubscribe menghentikannya."
        ),
        "sub.rescheduled": "Ringkasan harian Anda kini datang pukul {time} ({zone}).",
        "sub.unsubscribed": (
            "Langganan dihentikan: tidak ada lagi ringkasan harian. /subscribe untuk mulai "
            "lagi."
        ),
        "sub.not_subscribed": "Anda belum berlangganan ringkasan harian. /subscribe untuk mulai.",
        "sub.bad_time": (
            "\"{value}\" tidak bisa saya baca sebagai jam. Pakai format 24 jam JJ:MM, misalnya "
            "/subscribe 07:30 atau /subscribe 19:00."
        ),
        "sub.bad_timezone": (
            "Zona waktu \"{value}\" tidak saya kenal. Coba nama kota (/timezone Jakarta), nama "
            "zona (/timezone Asia/Makassar), WIB/WITA/WIT, atau selisih (/timezone UTC+7)."
        ),
        "sub.timezone_set": "Zona waktu diganti ke {zone}: ringkasan datang pukul {time} di sana.",
        "sub.timezone_usage": (
            "Kirim /timezone diikuti kota, zona, atau selisih, mis. /timezone Jakarta."
        ),
        "sub.choose_time": "Jam berapa ringkasan dikirim? Pilih jam atau kirim /subscribe JJ:MM.",
        "follow.added": "Mengikuti \"{value}\": ringkasan Anda akan memuat kabar terbarunya.",
        "follow.exists": "Anda sudah mengikuti \"{value}\".",
        "follow.full": "Anda sudah mengikuti {max} hal, batas maksimal. /unfollow salah satu dulu.",
        "follow.too_long": "Terlalu panjang untuk diikuti (maksimal {max} karakter).",
        "follow.usage": "Kirim /follow diikuti nama, media, atau topik, mis. /follow Sri Mulyani.",
        "follow.removed": "Tidak lagi mengikuti \"{value}\".",
        "follow.missing": "Anda tidak mengikuti \"{value}\". /following menampilkan daftarnya.",
        "follow.list": "Yang Anda ikuti ({count}/{max}):",
        "follow.none": (
            "Anda belum mengikuti apa pun. /follow NAMA menambah narasumber, media, atau "
            "topik."
        ),
        "stats.digests": (
            "Ringkasan: {active} pelanggan. Pengiriman terakhir: {due} jatuh tempo, {sent} "
            "terkirim, {empty} kosong, {late} terlambat, {failed} gagal, {deactivated} "
            "dinonaktifkan, {ambiguous} ambigu."
        ),
        "stats.digests_none": "Ringkasan: {active} pelanggan; belum ada pengiriman.",
        "feeds.none": "Belum ada feed. /feed_add URL menambah feed RSS atau Atom.",
        "feeds.title": "Feed ({count})",
        "feeds.line": (
            "setiap {minutes} menit, terakhir {polled} [{status}], {added} artikel ditambahkan"
        ),
        "feeds.add_usage": "Kirim /feed_add diikuti URL feed-nya.",
        "feeds.add_failed": "Tidak ditambahkan: {reason}",
        "feeds.not_a_feed": "Alamat itu bukan feed RSS atau Atom yang bisa saya baca.",
        "feeds.added": "Feed #{id} ditambahkan ({title}); dibaca dalam satu menit.",
        "feeds.exists": "Feed itu sudah ada di daftar sebagai #{id} ({title}).",
        "feeds.remove_usage": "Kirim /feed_remove diikuti nomor feed, mis. /feed_remove 3.",
        "feeds.removed": "Feed #{id} dihapus.",
        "feeds.not_found": "Tidak ada feed #{id}.",
        "stats.title": "Statistik Kata Siapa",
        "stats.archive": "Arsip: {articles} artikel, {claims} klaim, {speakers} narasumber.",
        "stats.sources": "Menurut sumber: {sources}.",
        "stats.users": "Pengguna: {users} seluruhnya, {active} aktif hari ini.",
        "stats.today": (
            "Hari ini: {queries} pencarian, {forwards} artikel dikirim, {unmatched} tak cocok."
        ),
        "stats.totals": (
            "Pencarian tak cocok seluruhnya: {unmatched}; \"bukan artikel ini\": {not_this}."
        ),
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


_MONTHS: Final[dict[Lang, tuple[str, ...]]] = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
}


def format_date(lang: Lang, value: date) -> str:
    """"5 Nov 2026" / "5 Agu 2026": unambiguous in both languages, unlike 05/11."""
    return f"{value.day} {_MONTHS[lang][value.month - 1]} {value.year}"
