#!/usr/bin/env python3
"""Synthetic Indonesian-like news corpus and query set for Warta's search benchmark.

Writes articles in Warta's JSON import format ({"items": [...], "next": null}, one article per
line, streamed) and/or a list of search queries, one per line. Words are made from the roots in
crates/warta-core/data/id-roots.txt with Indonesian affixes (meN-/peN- with nasal assimilation,
ber-, ter-, di-, ke-...-an, -kan, -i, -nya), drawn with a Zipf-like frequency so that some words
are common and most are rare. The text is not real Indonesian, only shaped like it.

    python3 bench/search/gen_corpus.py --count 100000 --seed 7 --out /tmp/corpus.json
    python3 bench/search/gen_corpus.py --queries 1000 --seed 7 --queries-out bench/search/queries.txt

Output is deterministic for a given --seed, --count and --end (the queries depend only on --seed
and --queries). Standard library only.
"""

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(REPO, "crates", "warta-core", "data")
VOWELS = frozenset("aeiou")

# Roots that news text uses a lot; they get the top Zipf ranks (in a seeded order).
NEWS_ROOTS = """kata tahun orang hari harga kerja negara rakyat bangun jalan laku kembang wilayah
daerah ekonomi politik hukum bantu tingkat perintah usaha milik masyarakat polisi presiden menteri
warga kota desa data dana pasar bank bijak program proyek target kuat hasil rencana anggar laksana
temu tanggap capai sebut ungkap jelas minta putus periksa tangkap dukung tolak pilih sidang""".split()

SECTIONS = ["Nasional", "Internasional", "Ekonomi", "Olahraga", "Teknologi", "Sains", "Regional"]
SECTION_WEIGHTS = [20, 14, 18, 14, 10, 8, 16]

# Words and phrases that show up more in one section's articles.
SECTION_WORDS = {
    "Nasional": "presiden menteri kebijakan pemilihan dewan partai anggaran undang-undang "
                "pemerintah kementerian sidang kabinet",
    "Internasional": "perang diplomat gencatan_senjata perundingan sanksi perbatasan pengungsi "
                     "konflik perdamaian duta_besar PBB",
    "Ekonomi": "inflasi harga_pangan saham rupiah ekspor impor investasi suku_bunga pajak subsidi "
               "bank_sentral beras",
    "Olahraga": "pertandingan gol pelatih tim_nasional liga juara sepak_bola atlet medali stadion "
                "laga",
    "Teknologi": "aplikasi internet digital ponsel pusat_data kecerdasan_buatan jaringan satelit "
                 "sinyal perangkat",
    "Sains": "peneliti penelitian spesies vaksin iklim perubahan_iklim riset planet virus "
             "energi_terbarukan",
    "Regional": "bupati gubernur kabupaten banjir gempa_bumi nelayan petani jalan_tol "
                "rumah_sakit sungai",
}
SECTION_WORDS = {k: [w.replace("_", " ") for w in v.split()] for k, v in SECTION_WORDS.items()}

PHRASES = ["kerja sama", "tanggung jawab", "rumah sakit", "suku bunga", "harga pangan",
           "tenaga kerja", "hak asasi manusia", "bahan bakar", "angkutan umum", "nilai tukar",
           "pertumbuhan ekonomi", "lapangan kerja", "masyarakat adat", "kepala daerah",
           "dana desa", "tahun depan", "pekan lalu", "rapat kerja"]

PLACES_ID = ["Jakarta", "Surabaya", "Makassar", "Jayapura", "Bandung", "Medan", "Semarang",
             "Yogyakarta", "Denpasar", "Palembang", "Balikpapan", "Manado", "Ambon", "Kupang",
             "Pontianak", "Mataram", "Ternate", "Sorong", "Merauke", "Padang"]
PLACES_WORLD = ["Kyiv", "Donetsk", "Kharkiv", "Moskwa", "Beijing", "Tokyo", "Singapura",
                "Washington", "Jenewa", "Kairo", "Canberra", "Manila"]

FIRST = ["Rina", "Budi", "Siti", "Agus", "Dewi", "Andi", "Putri", "Hendra", "Wulan", "Yusuf",
         "Ayu", "Fajar", "Nur", "Rizky", "Made", "Lestari", "Bayu", "Indah", "Teguh", "Sri",
         "Ahmad", "Maria", "Yohanes", "Citra", "Dimas"]
LAST = ["Marlina", "Santoso", "Rahmawati", "Wijaya", "Pratama", "Siregar", "Nasution", "Lubis",
        "Hidayat", "Saputra", "Kusuma", "Wibowo", "Simanjuntak", "Pangaribuan", "Sembiring",
        "Tanjung", "Rumbiak", "Manuputty", "Daeng", "Setiawan"]
NEWSMAKERS = ["Budi Santoso", "Siti Rahmawati", "Hendra Siregar", "Maria Manuputty",
              "Yohanes Rumbiak", "Ahmad Hidayat", "Dewi Lestari", "Denis Pushilin",
              "Olena Kovalenko", "Li Wei", "Andi Daeng", "Made Wijaya"]

PREPS = ["di", "ke", "dari", "untuk", "dengan", "pada", "dalam", "terhadap"]
PREP_WEIGHTS = [30, 8, 15, 15, 12, 12, 8, 4]
ADVERBS = ["akan", "telah", "tidak", "juga", "sudah", "masih", "belum"]


# --- morphology -------------------------------------------------------------------------------

def syllables(word):
    """Number of vowel groups, close enough to syllables for choosing menge-."""
    return sum(1 for a, b in zip(" " + word, word) if b in VOWELS and a not in VOWELS)


def nasal(root, pre):
    """meN-/peN- + root with nasal assimilation; `pre` is "me" or "pe"."""
    c = root[0]
    cluster = len(root) > 1 and root[1] not in VOWELS  # kr-, pr-, tr-, st-, kh-, sy-: keep c
    if syllables(root) == 1:
        return pre + "nge" + root  # bom -> mengebom, cat -> mengecat
    if c in VOWELS or c in "gh":
        return pre + "ng" + root  # ambil -> mengambil, gali -> menggali
    if c == "k":
        return pre + "ng" + (root if cluster else root[1:])  # kirim -> mengirim
    if c == "p":
        return pre + "m" + (root if cluster else root[1:])  # pakai -> memakai
    if c in "bfv":
        return pre + "m" + root  # bangun -> membangun
    if c == "t":
        return pre + "n" + (root if cluster else root[1:])  # tulis -> menulis
    if c in "dcjz":
        return pre + "n" + root  # dukung -> mendukung
    if c == "s":
        return pre + ("n" + root if cluster else "ny" + root[1:])  # sebut -> menyebut
    return pre + root  # l m n r w y: lapor -> melapor


def ber(root):
    if root == "ajar":
        return "belajar"
    if root[0] == "r" or root == "kerja" or root.startswith("ter"):
        return "be" + root  # rencana -> berencana, kerja -> bekerja
    return "ber" + root


def ter(root):
    return ("te" if root[0] == "r" else "ter") + root


def per(root):
    return ("pe" if root[0] == "r" else "per") + root


def suffix_i(root):
    # -i after a root ending in i reads badly (*diberii*), use -kan there.
    return root + ("kan" if root.endswith("i") else "i")


# (name, part of speech, relative weight, builder). Pairs Indonesian never combines
# (di-...-an, ke-...-i, meN-...-an, ...) are left out, as Warta's stemmer rejects them.
AFFIXES = [
    ("root", "n", 30, lambda r: r),
    ("-nya", "n", 5, lambda r: r + "nya"),
    ("-an", "n", 5, lambda r: r + "an"),
    ("peN-", "n", 3, lambda r: nasal(r, "pe")),
    ("peN-an", "n", 5, lambda r: nasal(r, "pe") + "an"),
    ("per-an", "n", 2, lambda r: per(r) + "an"),
    ("ke-an", "n", 3, lambda r: "ke" + r + "an"),
    ("peN-annya", "n", 0.5, lambda r: nasal(r, "pe") + "annya"),
    ("meN-", "v", 12, lambda r: nasal(r, "me")),
    ("meN-kan", "v", 6, lambda r: nasal(r, "me") + "kan"),
    ("meN-i", "v", 3, lambda r: nasal(r, "me") + suffix_i(r)[len(r):]),
    ("meN-nya", "v", 1, lambda r: nasal(r, "me") + "nya"),
    ("memper-kan", "v", 0.5, lambda r: "mem" + per(r) + "kan"),
    ("di-", "v", 6, lambda r: "di" + r),
    ("di-kan", "v", 5, lambda r: "di" + r + "kan"),
    ("di-i", "v", 2, lambda r: "di" + suffix_i(r)),
    ("di-kannya", "v", 0.5, lambda r: "di" + r + "kannya"),
    ("ber-", "v", 6, lambda r: ber(r)),
    ("ter-", "v", 3, lambda r: ter(r)),
]


# --- vocabulary -------------------------------------------------------------------------------

def read_list(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return [w for w in (line.strip() for line in f) if w and not w.startswith("#")]


class Vocab:
    """Roots in Zipf rank order and every inflected form, with weights, split nouns/verbs."""

    def __init__(self, seed, zipf_s=1.0):
        rng = random.Random(f"{seed}:vocab")
        self.stop = set(read_list("id-stopwords.txt"))
        roots = [r for r in read_list("id-roots.txt")
                 if r.isascii() and r.isalpha() and len(r) >= 3 and r not in self.stop]
        known = set(roots)
        top = [r for r in NEWS_ROOTS if r in known]
        rng.shuffle(top)
        rest = [r for r in roots if r not in set(top)]
        rng.shuffle(rest)
        self.ranked = top + rest
        self.forms = {}  # root -> [(affix name, word)]
        nouns, verbs = {}, {}
        for rank, root in enumerate(self.ranked):
            root_w = 1.0 / (rank + 2) ** zipf_s
            self.forms[root] = []
            for name, pos, w, build in AFFIXES:
                word = build(root)
                self.forms[root].append((name, word))
                table = nouns if pos == "n" else verbs
                table[word] = table.get(word, 0.0) + root_w * w
        self.nouns = (list(nouns), list(nouns.values()))
        self.verbs = (list(verbs), list(verbs.values()))


class Sampler:
    """Weighted draws, fetched from random.choices in batches (much faster than one by one)."""

    def __init__(self, rng, items, weights, batch=4096):
        self.rng, self.items, self.batch = rng, items, batch
        self.cum = list(itertools.accumulate(weights))
        self.buf = []

    def __call__(self):
        if not self.buf:
            self.buf = self.rng.choices(self.items, cum_weights=self.cum, k=self.batch)
        return self.buf.pop()


def zipf_weights(n, offset=3):
    return [1.0 / (i + offset) for i in range(n)]


TAGS_CURATED = {
    "Nasional": ["Pemilu", "DPR", "Kabinet", "Anggaran Negara", "Korupsi", "Pendidikan",
                 "Kesehatan", "Pertahanan", "Mahkamah Konstitusi", "Partai Politik"],
    "Internasional": ["Perang Ukraina", "Donetsk", "Gencatan Senjata", "PBB", "ASEAN",
                      "Timur Tengah", "Pengungsi", "Diplomasi", "Sanksi", "Tiongkok"],
    "Ekonomi": ["Harga Pangan", "Beras", "Inflasi", "Rupiah", "Suku Bunga", "Pasar Saham",
                "Ekspor", "Pajak", "Subsidi BBM", "UMKM"],
    "Olahraga": ["Timnas", "Liga 1", "Bulu Tangkis", "Sepak Bola", "MotoGP", "SEA Games",
                 "Olimpiade", "Pelatih", "Transfer Pemain", "Atletik"],
    "Teknologi": ["Kecerdasan Buatan", "Aplikasi", "Ponsel", "Keamanan Siber", "Pusat Data",
                  "Internet", "Startup", "Satelit", "Data Pribadi", "5G"],
    "Sains": ["Perubahan Iklim", "Vaksin", "Antariksa", "Keanekaragaman Hayati", "Gunung Api",
              "Penelitian", "Energi Terbarukan", "Kesehatan Laut", "Genetika", "Astronomi"],
    "Regional": ["Banjir", "Gempa Bumi", "Jalan Tol", "Papua", "Sulawesi Selatan", "Jawa Timur",
                 "Nelayan", "Petani", "Pilkada", "Transportasi"],
}


def build_tags(vocab, total=200):
    """~200 tags: the curated ones, then "Noun Place" and inflected-noun tags, by section."""
    tags = {s: list(TAGS_CURATED[s]) for s in SECTIONS}
    seen = {t for ts in tags.values() for t in ts}
    i = 0
    for root in vocab.ranked:
        if len(seen) >= total:
            break
        section = SECTIONS[i % len(SECTIONS)]
        form = dict(vocab.forms[root])["peN-an" if i % 2 else "root"]
        place = (PLACES_WORLD if section == "Internasional" else PLACES_ID)[i % 12]
        tag = form.title() if i % 3 else f"{form.title()} {place}"
        if tag not in seen:
            seen.add(tag)
            tags[section].append(tag)
            i += 1
    return tags


def build_authors(rng, total=300):
    names = [f"{a} {b}" for a in FIRST for b in LAST]
    rng.shuffle(names)
    return names[:total]


# --- text -------------------------------------------------------------------------------------

FUNCTION_WORDS = frozenset(PREPS + ADVERBS + ["yang", "dan", "itu", "ini"])
HEADLINE_LOWER = frozenset(PREPS + ["yang", "dan"])  # the rest are capitalized in headlines


class Writer:
    def __init__(self, rng, vocab):
        self.rng = rng
        self.noun = Sampler(rng, *vocab.nouns)
        self.verb = Sampler(rng, *vocab.verbs)
        self.prep = Sampler(rng, PREPS, PREP_WEIGHTS)

    def place(self, section):
        world = section == "Internasional" or self.rng.random() < 0.05
        return self.rng.choice(PLACES_WORLD if world else PLACES_ID)

    def np(self, section):
        """A noun phrase as a list of words (a phrase or a name may hold a space)."""
        rng = self.rng
        x = rng.random()
        if x < 0.10:
            return [rng.choice(SECTION_WORDS[section])]
        if x < 0.14:
            return [rng.choice(PHRASES)]
        if x < 0.18:
            return [self.place(section)]
        if x < 0.20:
            return [rng.choice(NEWSMAKERS)]
        out = [self.noun()]
        if x < 0.55:
            out.append(self.noun())
        if rng.random() < 0.12:
            out.append("itu" if rng.random() < 0.6 else "ini")
        return out

    def clause(self, n, section):
        """About n words: NP [adverb] V NP, then prepositional, yang-, dan- and verb parts."""
        rng = self.rng
        out = self.np(section)
        if rng.random() < 0.35:
            out.append(rng.choice(ADVERBS))
        out.append(self.verb())
        out += self.np(section)
        while len(out) < n:
            x = rng.random()
            if x < 0.40:
                out.append(self.prep())
                out += self.np(section)
            elif x < 0.60:
                out.append("yang")
                if rng.random() < 0.3:
                    out.append(rng.choice(ADVERBS))
                out.append(self.verb())
            elif x < 0.75:
                out.append("dan")
                out += self.np(section)
            elif x < 0.85:
                out.append(self.verb())
                out += self.np(section)
            else:
                out.append(self.noun())
        return out

    def sentence(self, n, section):
        s = " ".join(self.clause(n, section))
        if self.rng.random() < 0.12:
            s += ", kata " + self.rng.choice(NEWSMAKERS)
        return s[0].upper() + s[1:] + "."

    def headline(self, section):
        n = self.rng.randint(6, 12)
        words = " ".join(self.clause(n, section)).split()[:n]
        while words[-1] in FUNCTION_WORDS:
            words[-1] = self.noun()
        return " ".join(w if w in HEADLINE_LOWER and i else w[0].upper() + w[1:]
                        for i, w in enumerate(words))

    def summary(self, section):
        while True:
            k = 1 if self.rng.random() < 0.4 else 2
            s = " ".join(self.sentence(self.rng.randint(10, 20), section) for _ in range(k))
            if len(s) <= 300:  # Warta's MAX_SUMMARY
                return s

    def body(self, section):
        """6-14 paragraphs of 2-5 sentences, about 400-700 words."""
        rng = self.rng
        words = rng.randint(400, 700)
        avg = rng.uniform(11, 19)
        n_sent = round(words / avg)
        n_par = rng.randint(max(6, -(-n_sent // 5)), min(14, n_sent // 2))
        counts = [2] * n_par
        for _ in range(n_sent - 2 * n_par):
            i = rng.randrange(n_par)
            while counts[i] == 5:
                i = (i + 1) % n_par
            counts[i] += 1
        # A sentence comes out about 1.5 words longer than asked for (phrases, names, the end).
        lo, hi = max(4, round(avg * 0.6 - 1.5)), round(avg * 1.4 - 1.5)
        return "\n\n".join(
            " ".join(self.sentence(rng.randint(lo, hi), section) for _ in range(c))
            for c in counts)


# --- articles ---------------------------------------------------------------------------------

def slugify(text, n, max_len=60):
    """Like warta-core's slug::slugify (ASCII input only), cut short, plus "-n" to be unique."""
    slug = "-".join("".join(c for c in w if c.isascii() and c.isalnum())
                    for w in text.lower().replace("-", " ").split())
    slug = "-".join(p for p in slug.split("-") if p)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return f"{slug or 'artikel'}-{n}"


def dateline(rng, section):
    if section == "Internasional":
        return rng.choice(PLACES_WORLD).upper()
    if section == "Regional" or rng.random() < 0.3:
        return rng.choice(PLACES_ID).upper()
    return "JAKARTA"


def write_corpus(path, count, seed, vocab, end):
    rng = random.Random(f"{seed}:corpus")
    writer = Writer(rng, vocab)
    tags = build_tags(vocab)
    tag_pick = {s: Sampler(rng, ts, zipf_weights(len(ts))) for s, ts in tags.items()}
    authors = build_authors(rng)
    author = Sampler(rng, authors, zipf_weights(len(authors), 10))
    section_of = Sampler(rng, SECTIONS, SECTION_WEIGHTS)
    span = 3 * 365 * 24 * 60  # minutes in the last three years before `end` (WIB)
    start = end - datetime.timedelta(minutes=span)
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        out.write('{"items": [\n')
        for n in range(1, count + 1):
            section = section_of()
            headline = writer.headline(section)
            when = start + datetime.timedelta(minutes=rng.randrange(span))
            names = [author()]
            if rng.random() < 0.2:
                second = author()
                if second != names[0]:
                    names.append(second)
            article_tags = []
            for _ in range(rng.randint(1, 4)):
                t = tag_pick[section]()
                if t not in article_tags:
                    article_tags.append(t)
            item = {
                "slug": slugify(headline, n),
                "headline": headline,
                "summary": writer.summary(section),
                "published_at": when.strftime("%Y-%m-%dT%H:%M:00+07:00"),
                "zone": "WIB",
                "authors": [{"name": a} for a in names],
                "section": section,
                "tags": article_tags,
                "dateline": dateline(rng, section),
                "body_markdown": writer.body(section),
            }
            if n > 1:
                out.write(",\n")
            out.write(json.dumps(item, ensure_ascii=False))
        out.write('\n], "next": null}\n')


# --- queries ----------------------------------------------------------------------------------

def make_queries(count, seed, vocab):
    """Deterministic mix: common and rare inflected words (1-3), phrases, sections, names."""
    rng = random.Random(f"{seed}:queries")
    common_roots, rare_roots = vocab.ranked[:80], vocab.ranked[1500:]

    def word(roots, inflected=True):
        while True:
            name, w = rng.choice(vocab.forms[rng.choice(roots)])
            if (name != "root" or not inflected) and w not in vocab.stop:
                return w

    def common():
        return word(common_roots)

    def rare():
        return word(rare_roots)

    def words(k):
        return " ".join(word(common_roots if rng.random() < 0.6 else rare_roots, rng.random() < 0.7)
                        for _ in range(k))

    def phrase():
        p = rng.choice(PHRASES + [w for ws in SECTION_WORDS.values() for w in ws if " " in w])
        return f'"{p}"' + (" " + common() if rng.random() < 0.3 else "")

    def section():
        s = rng.choice(SECTIONS)
        x = rng.random()
        if x < 0.3:
            return s.lower()
        if x < 0.7:
            return f"{s.lower()} {rng.choice(SECTION_WORDS[s])}"
        return f"{rng.choice(SECTION_WORDS[s])} {common()}"

    def name():
        x = rng.random()
        if x < 0.4:
            return rng.choice(PLACES_ID + PLACES_WORLD)
        if x < 0.7:
            return rng.choice(NEWSMAKERS)
        if x < 0.85:
            return f"{rng.choice(PLACES_ID + PLACES_WORLD)} {common()}"
        return "Kyiv Donetsk" if rng.random() < 0.5 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    plan = [(0.22, common), (0.15, rare), (0.06, lambda: word(common_roots, False)),
            (0.22, lambda: words(2)), (0.12, lambda: words(3)), (0.07, phrase),
            (0.08, section), (0.08, name)]
    queries, seen = [], set()
    for i, (frac, make) in enumerate(plan):
        want = count - len(queries) if i == len(plan) - 1 else round(frac * count)
        for _ in range(want * 50):
            if want == 0:
                break
            q = make()
            if q not in seen:
                seen.add(q)
                queries.append(q)
                want -= 1
    rng.shuffle(queries)
    return queries


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=100000, help="articles to write (100000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", help="corpus JSON file to write")
    ap.add_argument("--queries", type=int, default=1000, help="queries to write (1000)")
    ap.add_argument("--queries-out", help="queries file to write, one per line")
    ap.add_argument("--end", default="2026-11-28",
                    help="articles are dated in the 3 years before this day, WIB "
                         "(YYYY-MM-DD or 'today'; default 2026-11-28 so output is reproducible)")
    args = ap.parse_args()
    if not args.out and not args.queries_out:
        ap.error("give --out and/or --queries-out")
    end = (datetime.date.today() if args.end == "today"
           else datetime.date.fromisoformat(args.end))
    end = datetime.datetime(end.year, end.month, end.day)
    t0 = time.perf_counter()
    vocab = Vocab(args.seed)
    if args.queries_out:
        queries = make_queries(args.queries, args.seed, vocab)
        with open(args.queries_out, "w", encoding="utf-8") as f:
            f.write("\n".join(queries) + "\n")
        print(f"{len(queries)} queries -> {args.queries_out}", file=sys.stderr)
    if args.out:
        write_corpus(args.out, args.count, args.seed, vocab, end)
        size = os.path.getsize(args.out)
        print(f"{args.count} articles -> {args.out}: {size / 1e6:.1f} MB in "
              f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
