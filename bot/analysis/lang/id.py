"""Indonesian language pack (data only)."""

from __future__ import annotations

from bot.analysis.lang.base import Cue, LanguagePack, Shape, words
from bot.core.models import Stance


def _c(shape: Shape, stance: Stance, *phrases: str, needs_that: bool = False) -> list[Cue]:
    return [Cue(p, shape, stance, needs_that) for p in phrases]


_SPEECH = (
    "mengatakan",
    "berkata",
    "menuturkan",
    "menjelaskan",
    "menyatakan",
    "menegaskan",
    "mengungkapkan",
    "menyebutkan",
    "menyebut",
    "menambahkan",
    "melaporkan",
    "memberitakan",
    "mengklaim",
    "mengakui",
    "mengaku",
    "menyampaikan",
    "mengumumkan",
    "menekankan",
    "memperingatkan",
    "mengingatkan",
    "menerangkan",
    "memaparkan",
    "membeberkan",
    "menilai",
    "berpendapat",
    "memperkirakan",
    "menduga",
    "menulis",
    "mencuit",
    "mengungkap",
    "menyinggung",
    "mengimbau",
    "mendesak",
    "menyarankan",
    "mengusulkan",
    "meyakini",
    "menganggap",
    "berharap",
    "bersikeras",
    "mengonfirmasi",
    "mengonfirmasikan",
    "melansir",
    "mewartakan",
    "menambahkan",
    "menandaskan",
    "menyimpulkan",
    "mengutarakan",
    "mengisahkan",
    "bercerita",
    "menceritakan",
    "mengeluhkan",
    "mempertanyakan",
    "memprediksi",
    "memprediksikan",
    "mengemukakan",
    "memaklumkan",
    "melontarkan",
    "mengabarkan",
    "mengisyaratkan",
    "menuliskan",
    "membenarkan",
)
_FINAL = (
    "kata",
    "ujar",
    "tutur",
    "ucap",
    "jelas",
    "imbuh",
    "tambah",
    "ungkap",
    "tegas",
    "sebut",
    "papar",
    "terang",
    "lanjut",
    "pungkas",
    "tandas",
    "tulis",
    "sambung",
    "tanya",
    "seru",
    "katanya",
    "ujarnya",
    "tuturnya",
    "ucapnya",
    "jelasnya",
    "imbuhnya",
    "tambahnya",
    "ungkapnya",
    "tegasnya",
    "sebutnya",
    "paparnya",
    "terangnya",
    "lanjutnya",
    "pungkasnya",
    "tandasnya",
    "tulisnya",
    "sambungnya",
    "tanyanya",
    "serunya",
    "kilahnya",
    "kilah",
    "akunya",
)

CUES: tuple[Cue, ...] = tuple(
    _c(Shape.VERB, "asserts", *_SPEECH)
    + _c(Shape.FINAL, "asserts", *_FINAL)
    + _c(
        Shape.VERB,
        "denies",
        "membantah",
        "menyangkal",
        "menepis",
        "menampik",
        "menolak klaim",
        "menolak tuduhan",
        "membantah klaim",
        "membantah tuduhan",
    )
    + _c(
        Shape.VERB,
        "accuses",
        "menuduh",
        "menyalahkan",
        "menuding",
        "mengkritik",
        "mengecam",
        "menyoroti",
        "mempersalahkan",
    )
    + _c(
        Shape.ACCORDING,
        "asserts",
        "menurut",
        "menurutnya",
        "seperti dikutip",
        "seperti dikutip dari",
        "sebagaimana dikutip dari",
        "seperti dilansir dari",
        "dilansir dari",
        "dikutip dari",
        "seperti dilaporkan",
        "sebagaimana dilaporkan",
        "seperti diberitakan",
        "berdasarkan laporan",
    )
    + _c(
        Shape.CITING,
        "asserts",
        "mengutip",
        "dengan mengutip",
        "mengutip dari",
        "bersumber dari",
        "yang bersumber dari",
        "yang mengutip",
    )
    + _c(
        Shape.FINAL,
        "asserts",
        "demikian dilaporkan",
        "seperti dilaporkan oleh",
        "dilaporkan oleh",
        "demikian diberitakan",
        "demikian kata",
        "demikian dikatakan",
    )
    + _c(Shape.VERB, "asserts", "memastikan", "berjanji", needs_that=True)
    + _c(
        Shape.NOCONTENT,
        "declines_comment",
        "menolak menyebut",
        "menolak menyebutkan",
        "enggan menyebut",
        "enggan menyebutkan",
        "menolak berkomentar",
        "menolak memberikan komentar",
        "tidak menanggapi",
        "belum menanggapi",
        "enggan berkomentar",
        "tidak mau berkomentar",
        "menolak mengomentari",
        "tidak bersedia berkomentar",
        "belum memberikan tanggapan",
        "tidak memberikan tanggapan",
        "belum memberi tanggapan",
        "tidak memberi tanggapan",
        "belum memberikan keterangan",
        "belum merespons",
        "tidak merespons",
        "belum merespons permintaan",
        "tidak menjawab pertanyaan",
        "tidak menjawab",
        "belum menjawab",
        "tidak dapat dihubungi",
        "tidak bisa dihubungi",
        "belum dapat dihubungi",
        "belum bisa dihubungi",
        "sulit dihubungi",
        "tidak mengangkat telepon",
        "tidak membalas pesan",
        "belum membalas pesan",
    )
    # passive hedges ("dikabarkan", "disebut-sebut"): nobody is quoted by them
    + _c(Shape.HEDGE, "asserts", "dikabarkan", "disebut-sebut", "diperkirakan", "diyakini akan")
    + _c(
        Shape.NOCONTENT,
        "unverified",
        "tidak dapat memverifikasi",
        "tidak bisa memverifikasi",
        "belum dapat memverifikasi",
        "belum bisa memverifikasi",
        "tidak dapat memastikan kebenaran",
        "tidak dapat mengonfirmasi secara independen",
    )
)

PACK = LanguagePack(
    code="id",
    name="Bahasa Indonesia",
    stopwords=words(
        "yang|dan|di|ke|dari|ini|itu|dengan|untuk|tidak|dalam|akan|pada|juga|atau|"
        "karena|telah|sudah|bahwa|oleh|para|adalah|bisa|kata|mereka|kami|saya|tersebut|"
        "menjadi|sebagai|lebih|ada|belum|secara|hingga|namun|masih"
    ),
    cues=CUES,
    complementizers=frozenset({"bahwa", "jika", "kalau"}),
    addressee_markers=frozenset({"kepada"}),
    addressee_verbs=frozenset(),
    abbreviations=words(
        "dr.|drs.|ir.|h.|hj.|prof.|st.|no.|jl.|jln.|kol.|letjen.|mayjen.|brigjen.|"
        "kapt.|sdr.|bpk.|ny.|tn.|dll.|dsb.|dkk.|tsb.|yth.|a.n.|u.p.|ps.|mr.|ms.|"
        "mrs.|sen.|gov.|rp.|s.h.|m.h.|m.si.|s.e.|m.m.|kh."
    ),
    titles=words(
        "dr|drs|ir|prof|h|hj|kh|st|presiden|wakil|menteri|gubernur|bupati|wali|kota|letnan|"
        "jenderal|jend.|jenderal|kolonel|mayor|kapten|brigadir|laksamana|marsekal|"
        "komisaris|inspektur|irjen|kapolri|kapolda|kapolres|ketua|direktur|kepala|"
        "sekretaris|juru|bicara|jubir|dr.|prof.|ir.|drs.|h.|hj.|bapak|ibu|pak|bu|sdr.|"
        "saudara|reporter|wartawan|penyiar|senator|anggota|perdana|raja|ratu|pangeran|"
        "syekh|kiai|kh.|habib|ustaz|dokter|hakim|jaksa|letjen|mayjen|brigjen|kombes|akbp|"
        "kompol|ipda|iptu|aiptu|bripka|tuan|nyonya|camat|lurah|kades|ajun|ajudan|aipda|"
        "bripda|briptu|brigpol|ipka|akp|kapolsek|kapolresta|kasat|kasi|kabag|kasubag|kadis|"
        "kadin|sekda|wabup|wawali|wagub|serka|serma|pelda|letda|lettu|mayjen|laksda|"
        "laksdya|marsda|marsdya|kasatreskrim|plt.|plh|plh."
    ),
    role_words=words(
        "asisten|deputi|plt|pelaksana|kabid|kasubdit|kapolsek|komandan|pelatih|pegiat|"
        "kapten|pemain|manajer|pemilik|kuasa|penasihat|staf|petugas|pengelola|pengurus|"
        "perwakilan|utusan|pihak|aktivis|relawan|sekjen|bendahara|camat|lurah|kades|"
        "rektor|dekan|mantan|eks|wakil|kepala|ketua|direktur|juru|jubir|menteri|"
        "pejabat|anggota|sekretaris|pengamat|analis|peneliti|dosen|guru|besar|pakar|"
        "ahli|koordinator|kepala|komisaris|presiden|gubernur|bupati|wali|pemimpin|"
        "pimpinan|pendiri|dokter|warga|staf|salah|seorang|pengurus|manajer|kuasa|"
        "pengacara|kapolda|kapolres|kapolri|panglima|rekan|kerabat|kakak|adik|ayah|ibu|"
        "istri|suami|anak|paman|tetangga|teman|sahabat|kolega|pengacara|kuasa|hukum|"
        "juru|kasi|kasat|kabag|kadis|sekda|kapolsek"
    ),
    person_pronouns=frozenset({"dia", "ia", "beliau", "saya", "aku"}),
    plural_pronouns=frozenset({"mereka", "kami", "kita"}),
    clitic_pronoun="nya",
    outlet_anaphors=(
        "surat kabar",
        "koran",
        "harian",
        "media",
        "majalah",
        "kantor berita",
        "situs",
        "laman",
        "stasiun televisi",
        "portal berita",
        "korannya",
    ),
    source_anaphors=("sumber tersebut", "sumber itu", "sumber-sumber tersebut", "sumber ini"),
    outlet_words=words(
        "kabar|warta|pos|buletin|majalah|journal|times|post|news|kompas|tempo|antara|"
        "detik|reuters|bloomberg|cnn|bbc|afp|ap|guardian|telegraph|tribune|herald|"
        "gazette|liputan6|kumparan|okezone|tribunnews|republika|wsj|nyt|cnbc|dw|"
        "sputnik|tass|ria|xinhua|aljazeera|jazeera|metro|sindonews|viva|harian|koran"
    ),
    org_words=words(
        "utara|selatan|barat|timur|tengah|pusat|raya|jakarta|jawa|sumatera|sumatra|"
        "kalimantan|sulawesi|papua|bali|maluku|nusa|tenggara|aceh|riau|jambi|bengkulu|"
        "lampung|banten|yogyakarta|surabaya|bandung|semarang|medan|makassar|palembang|"
        "denpasar|bekasi|bogor|depok|tangerang|malang|solo|manado|ambon|kupang|"
        "pontianak|samarinda|balikpapan|banjarmasin|padang|batam|hong|kong|singapura|"
        "malaysia|australia|jepang|eropa|senin|selasa|rabu|kamis|jumat|sabtu|minggu|"
        "januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|"
        "desember|undang-undang|rancangan|peraturan|ruu|uu|perpres|perda|permen|"
        "kebijakan|program|hari|tahun|pasal|festival|pilkada|pemilu|covid|provinsi|"
        "kabupaten|kota|kementerian|kemenkes|kemenkeu|pemerintah|pemprov|pemkot|pemkab|"
        "badan|komisi|dewan|partai|universitas|bank|perusahaan|pt|tbk|lembaga|polri|tni|"
        "polda|polres|kejaksaan|mahkamah|pengadilan|dpr|dpd|mpr|kpk|bnpb|bpk|ojk|kpu|"
        "bawaslu|satgas|tim|yayasan|asosiasi|ikatan|persatuan|organisasi|angkatan|staf|"
        "umum|perjanjian|pakta|istana|rusia|amerika|serikat|as|cina|china|tiongkok|"
        "mesir|ukraina|nato|pbb|who|uni|eropa|pakistan|belarusia|brasil|inggris|jepang|"
        "korea|pyongyang|moskow|kairo|kyiv|washington|beijing|indonesia|rumah|sakit|"
        "dinas|survei|jajak|pendapat|laporan|data|hasil|studi|riset|penelitian|"
        "kabupaten|kota|provinsi|kecamatan|desa|kelurahan|dusun|jalan|pulau|daerah|"
        "kampung|gedung|masjid|gereja|pasar|stasiun|bandara|kepolisian|polsek|polresta|"
        "polrestabes|resor|sektor|kodim|korem|kodam|pemda|dprd|direktorat|sekretariat|"
        "inspektorat|biro|balai|kantor|koperasi|perum|persero|perseroan|cv|bumn|bumd|"
        "rsud|puskesmas|sekolah|institut|fakultas|jaringan|aliansi|koalisi|forum|"
        "gerakan|himpunan|perhimpunan|lsm|serikat|kelompok|komunitas|fraksi|kejari|"
        "kejati|ombudsman|otoritas|manajemen|direksi|grup|group|holding|industri|"
        "airlines|corp|inc|ltd|kemenlu|kemendagri|kemenhub|kemendikbud|dokumen|surel|"
        "surat|memo|catatan|notulen|rekaman|arsip|sungai|danau|gunung|teluk|tanjung|"
        "lembah|muara|pantai|selat|kepulauan|nomor|edaran|keputusan|instruksi|inpres|"
        "keppres|pergub|perwali|perbup|sk|liga|operator"
    ),
    group_words=words(
        "para|analis|pengamat|pejabat|warga|ahli|pakar|peneliti|aktivis|pihak|"
        "kalangan|sejumlah|beberapa|banyak|petani|nelayan|buruh|mahasiswa|dokter|"
        "pedagang"
    ),
    anonymous_words=words("sumber|orang|yang|mengetahui|narasumber|informan|seseorang|anonim"),
    determiners=frozenset({"para", "sang", "si", "seorang", "sebuah"}),
    fillers=words(
        "juga|telah|sudah|pernah|lalu|kemudian|lagi|pun|sebelumnya|berulang|kali|secara|"
        "resmi|terbuka|tegas|langsung|akhirnya|sempat|justru|bahkan|tak|tidak|hanya|"
        "sendiri|tetap|masih|kerap|sering|kembali"
    ),
    clause_breakers=words(
        "dan|tetapi|namun|karena|sehingga|ketika|saat|bahwa|jika|sementara|"
        "sedangkan|meski|walaupun|agar|supaya|setelah|sebelum|sejak|sambil|dengan"
    ),
    tail_words=words(
        "kepada|pada|di|dalam|saat|ketika|usai|seusai|setelah|senin|selasa|rabu|kamis|"
        "jumat|sabtu|minggu|hari|ini|kemarin|pagi|siang|sore|malam|lalu|wartawan|media|"
        "ke|melalui|lewat|via|sambil|seraya|kompas.com|kompas"
    ),
    participle_markers=frozenset({"dengan", "sambil", "seraya"}),
    participle_suffix=None,
    adverbial_openers=words(
        "sementara|itu|dalam|pada|di|mengenai|terkait|soal|menanggapi|untuk|"
        "saat|ketika|setelah|sebelumnya|selain|namun|meski|adapun|kemudian|oleh|"
        "karena|sejak"
    ),
    relatives=frozenset({"yang"}),
    report_nouns=words("laporan|artikel|berita|pemberitaan|tulisan|liputan"),
    partitives=("salah satu", "salah seorang"),
    definite_markers=frozenset({"itu", "tersebut", "ini"}),
    head_initial=True,
    # me-/ber-/di-/ter- verbs; the lookahead spares common non-verbs of the same shape
    verb_pattern=(
        r"^(?!(?:tersebut|terakhir|terbaru|tertentu|terkait|tertinggi|terbesar|terdekat|"
        r"terpilih|bersangkutan|berbagai|bersama|menara|merah|medan|dinas|direktur|"
        r"menteri|bersih)$)(?:me|mem|men|meng|meny|ber|di|ter)[a-z]{4,}$"
    ),
    not_sources=words("rencana|jadwal|rencananya|perkiraan|hitungan|aturan|ketentuan|kabar"),
    org_anaphor_heads=words(
        "perusahaan|lembaga|instansi|kementerian|dinas|badan|pemerintah|operator"
    ),
    company_heads=words("perusahaan|maskapai|emiten|operator|pengembang|produsen|korporasi"),
    public_bodies=words(
        "kementerian|dinas|badan|kejaksaan|pengadilan|kepolisian|polisi|polda|polres|"
        "pemerintah|pemprov|pemkot|pemkab|dprd|dpr|komisi|kantor|mahkamah|kpk|kpu|bnpb|"
        "bpk|ojk|tni|polri|kejari|kejati|kejagung|kemenkes|kemenkeu|bpbd|bmkg|pemda|"
        "direktorat|inspektorat|sekretariat|satpol"
    ),
    company_words=words("bank|grup|group|holding|logistik|maskapai|persero"),
    company_affixes=words("pt|tbk|cv|persero"),
    headline_labels=words(
        "foto|video|baca|simak|editor|catatan|update|ralat|opini|tajuk|eksklusif|"
        "live|sumber|infografik"
    ),
    time_words=words(
        "senin|selasa|rabu|kamis|jumat|sabtu|minggu|januari|februari|maret|april|mei|"
        "juni|juli|agustus|september|oktober|november|desember|pagi|siang|sore|malam|"
        "petang|kemarin|hari|pekan|bulan|tahun|wib|wita|wit|dini|tadi|lusa"
    ),
    time_names=words(
        "senin|selasa|rabu|kamis|jumat|sabtu|minggu|januari|februari|maret|april|mei|"
        "juni|juli|agustus|september|oktober|november|desember|wib|wita|wit"
    ),
    time_modifiers=words("lalu|ini|depan|kemarin|tadi|dini|itu|pada|hari|sejak"),
    time_preps=frozenset({"pada", "sejak", "di", "dalam"}),
    person_noun_pattern=r"^(?:pe[a-z-]+|warga|orang|mereka|siapa|kalangan)$",
    clause_markers=words(
        "akan|harus|sudah|telah|bisa|dapat|tidak|tak|belum|sedang|masih|perlu|adalah|"
        "merupakan|bakal|juga|mesti|wajib|boleh|ingin|mau|pernah|sempat|tengah"
    ),
    core_cues=words(
        "kata|katanya|ujar|ujarnya|mengatakan|menurut|menurutnya|tutur|tuturnya|ucap|ucapnya|"
        "menjelaskan|menyatakan|menambahkan|jelasnya|imbuhnya|berkata"
    ),
    time_adverbs=words("kemarin|tadi|semalam|lusa"),
    aside_openers=words("saat|ketika|usai|seusai|setelah|sesudah|sebelum|sewaktu|tatkala"),
    portfolio_words=words(
        "keuangan|luar|dalam|negeri|pertahanan|kesehatan|pendidikan|perhubungan|"
        "energi|hukum|agama|sosial|perdagangan|industri|pertanian|kelautan|"
        "perikanan|lingkungan|hidup|kehutanan|pariwisata|ketenagakerjaan|tenaga|"
        "kerja|pekerjaan|humas|hubungan|masyarakat|seksi|bidang|subbagian|bagian|"
        "urusan|umum|operasional|reserse|kriminal|khusus|lalu|lintas|keamanan|"
        "politik|ekonomi|komunikasi|informatika|perencanaan|pembangunan|daerah|"
        "nasional|divisi|satuan|polisi|ajun|besar|sementara|terpilih|nonaktif|"
        "koordinator|sekretaris|jenderal"
    ),
    claim_nouns=words(
        "tuduhan|tudingan|klaim|kabar|isu|berita|laporan|pernyataan|anggapan|dugaan|"
        "informasi|pemberitaan|hal|itu|tersebut|ini|pesan|hoaks|rumor|desas-desus|"
        "sangkaan|kritik|keras"
    ),
    agent_markers=frozenset({"oleh"}),
    author_participles=words(
        "dirilis|diterbitkan|dikeluarkan|ditulis|disusun|dibuat|dipublikasikan|"
        "ditandatangani|dikirim|diumumkan|dilakukan|digelar|dilansir"
    ),
    honorifics=words(
        "dr|drs|ir|h|hj|pak|bu|bapak|ibu|sdr|sdr.|saudara|saudari|tuan|nyonya|mas|mbak|bang|kak"
    ),
    place_preps=frozenset({"di"}),
    coordinators=words("namun|tetapi|tapi|dan|sedangkan|padahal"),
    anonymity_markers=words("namanya|identitasnya|anonim|disebut|disebutkan|dikutip"),
    study_nouns=words("survei|jajak|studi|riset|penelitian|sensus|audit"),
    document_nouns=words(
        "dokumen|surel|surat|memo|catatan|notulen|rekaman|arsip|data|laporan|survei|"
        "jajak|studi|riset|penelitian|hasil|audit|putusan|berkas"
    ),
    participle_pattern=r"^di[a-z]{3,}$",
    nonfinal_words=words(
        "yang|dan|atau|di|ke|dari|pada|untuk|dengan|oleh|bagi|dalam|akan|telah|"
        "sudah|tidak|bukan|sebuah|seorang|para"
    ),
)
