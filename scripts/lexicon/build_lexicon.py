#!/usr/bin/env python3
"""Build the personal-name lexicon for the UK patient-data screen.

Run from this directory with the Python environment described in SOURCES.md
(raw/venv, which has Faker, wordfreq, rdata, openpyxl and pypinyin installed):

    raw/venv/bin/python build_lexicon.py

Inputs are read from raw/ (downloaded sources, not committed) and from
supplement/ (short hand-written lists that belong to this project).
Outputs are written next to this script:

    forenames.txt  surnames.txt  particles.txt  nicknames.txt
    common_word_names.txt  very_common_words.txt  build_stats.json
"""

import collections
import csv
import gzip
import importlib
import json
import math
import os
import pkgutil
import re
import sys
import unicodedata
import warnings

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, "raw")
SUP = os.path.join(HERE, "supplement")

# ---------------------------------------------------------------- settings
UK_MIN_TOTAL = 3          # UK baby names: keep a name seen >= 3 times in all
UK_HYPHEN_MIN_TOTAL = 10  # hyphenated UK names below this are kept only if
                          # one of their parts is not already a forename
SSA_MIN_TOTAL = 100       # US SSA names 1880-2015: total births >= 100
CENSUS_CUTS = list(range(100, 300, 10)) + [300, 400, 500, 750, 1000]
SIZE_BUDGET = 1_480_000   # bytes, forenames.txt + surnames.txt together
                          # (the limit is 1.5 MB; leave a little room)
POLISH_FEMININE_MIN = 500  # derive -ska/-cka/-dzka from Census -ski names >= this
VERY_COMMON_TOP_N = 3000  # wordfreq English top-N list
NAME_DOMINANCE_CUT = -0.5  # log10(word freq / name share) below this: the
                           # token is mostly a name, keep it out of
                           # very_common_words (still in common_word_names)

# Surname particles.  Written to particles.txt.
PARTICLES = sorted(set("""
    van von der den de del della delle dei degli des di da das do dos du
    le la les lo l' d' dal dalla dall' ten ter te vom zu zum zur af av
    mac mc mic o' o ni nic mhic ui an ap ab ferch verch
    bin ben binti binte bint ibn bar abu al el ul ud
    st ste saint san santa santo y e
""".split()))

# Placeholders that appear in registers but are not names.
NOT_NAMES = set("""
    unknown unnamed baby infant male female boy girl twin son daughter none
    null test notstated stated not
    ii iii iv vii viii ix xii xiii jr sr snr jnr md dr mr mrs ms mx rd uk usa
    nhs gp phd esq
""".split())
# Forenames must contain a vowel (drops initials such as "jr", "cj", "md"),
# except these.
VOWELLESS_FORENAMES_OK = {"twm", "tsz"}
# Two-letter Census surnames are kept only if this common (Li, Ng, Wu, Oh ...).
CENSUS_TWO_LETTER_MIN = 1000

NAME_RE = re.compile(r"^[a-z](?:[a-z'-]*[a-z])?$")

SPECIAL = {
    "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ħ": "h", "ŋ": "ng", "ſ": "s", "ə": "a", "ɔ": "o",
    "ɛ": "e", "ε": "e", "ƒ": "f", "ɖ": "d", "ʃ": "sh", "ĸ": "k",
}
APOSTROPHES = "'’‘`´ʼʻ′"
DASHES = "-‐‑‒–—"

# Cyrillic and Greek transliteration (common English-language practice,
# close to BGN/PCGN; Ukrainian follows the Ukrainian national system).
RU = dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziyklmnoprstufye"))
RU.update({"ё": "yo", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
           "щ": "shch", "ъ": "", "ь": "", "ю": "yu", "я": "ya"})
RU_ICAO = dict(RU)  # as in Russian passports issued since 2013
RU_ICAO.update({"ё": "e", "й": "i", "ъ": "ie", "ю": "iu", "я": "ia"})
UK = dict(RU)
UK.update({"г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "є": "ye",
           "е": "e", "й": "y", "'": "", "’": "", "ʼ": ""})
# Ukrainian national system (2010): these letters differ inside a word.
UK_NONINITIAL = {"є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}
BG = dict(RU)
BG.update({"щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya", "й": "y"})
GR_DIGRAPHS = [("ου", "ou"), ("αι", "ai"), ("ει", "ei"), ("οι", "oi"),
               ("αυ", "av"), ("ευ", "ev"), ("γγ", "ng"), ("γκ", "gk"),
               ("μπ", "mp"), ("ντ", "nt"), ("τσ", "ts"), ("τζ", "tz")]
GR = dict(zip("αβγδεζηικλμνξοπρστυφωθχψς",
              ["a", "v", "g", "d", "e", "z", "i", "i", "k", "l", "m", "n",
               "x", "o", "p", "r", "s", "t", "y", "f", "o", "th", "ch", "ps",
               "s"]))


def strip_marks(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def translit(s, table):
    out = []
    for ch in s.lower():
        out.append(table.get(ch, ch))
    return "".join(out)


def translit_uk_official(s):
    out = []
    s = s.lower().replace("зг", "zgh")
    for i, ch in enumerate(s):
        initial = i == 0 or not s[i - 1].isalpha()
        if not initial and ch in UK_NONINITIAL:
            out.append(UK_NONINITIAL[ch])
        else:
            out.append(UK.get(ch, ch))
    return "".join(out)


def translit_greek(s):
    s = strip_marks(s.lower())
    for a, b in GR_DIGRAPHS:
        s = s.replace(a, b)
    s = re.sub(r"\bmp", "b", s)
    s = re.sub(r"\bnt", "d", s)
    return "".join(GR.get(ch, ch) for ch in s)


def fold(s):
    """Lower-case, fold to ASCII, normalise apostrophes/dashes/spaces."""
    s = s.strip()
    for a in APOSTROPHES:
        s = s.replace(a, "'")
    for d in DASHES:
        s = s.replace(d, "-")
    s = s.lower()
    s = "".join(SPECIAL.get(c, c) for c in s)
    s = strip_marks(s)
    s = "".join(SPECIAL.get(c, c) for c in s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s*-\s*", "-", s)
    s = re.sub(r"-+", "-", s)
    s = re.sub(r"'+", "'", s)
    return s


def clean_word(w):
    w = w.strip("'-")
    if len(w) < 2 or not NAME_RE.match(w) or w in NOT_NAMES:
        return None
    return w


def forename_words(raw):
    """Words to add to forenames from one raw given name."""
    s = fold(raw)
    words = s.split(" ")
    out = []
    for i, w in enumerate(words):
        if len(words) > 1 and w in PARTICLES:
            continue
        w = clean_word(w)
        if w:
            out.append(w)
    return out


def surname_words(raw, particles_seen):
    """Words to add to surnames from one raw surname.

    Multi-word surnames contribute their non-particle words (so `van der
    Berg` gives `berg`, and a Spanish double surname gives both parts);
    particle words are noted in particles_seen.
    """
    s = fold(raw)
    words = s.split(" ")
    out = []
    for i, w in enumerate(words):
        if len(words) > 1 and w in PARTICLES and i < len(words) - 1:
            particles_seen[w] += 1
            continue
        w = clean_word(w)
        if w:
            out.append(w)
    return out


class Bag:
    """A set of names with a record of which source brought each in."""

    def __init__(self):
        self.src = collections.defaultdict(set)

    def add(self, name, source):
        self.src[name].add(source)

    def names(self):
        return set(self.src)

    def count_by_source(self):
        c = collections.Counter()
        for n, ss in self.src.items():
            for s in ss:
                c[s] += 1
        return dict(sorted(c.items()))

    def discard(self, name):
        self.src.pop(name, None)


# ---------------------------------------------------------------- loaders
def load_uk_babynames():
    """UK baby names: totals per folded name (ONS, NRS, NISRA)."""
    import rdata
    import openpyxl

    totals = collections.Counter()
    per_source = collections.Counter()
    base = os.path.join(RAW, "ukbabynames")
    for fn, label in (("ewbabynames.rda", "ons_ew_1996_2020"),
                      ("scotbabynames.rda", "nrs_scotland_1974_2020")):
        df = next(iter(rdata.read_rda(os.path.join(base, fn)).values()))
        for name, n in zip(df["name"], df["n"]):
            if isinstance(name, str) and n == n:
                totals[name] += int(n)
                per_source[label] += 1
    with open(os.path.join(base, "nibabynames.csv"), newline="") as f:
        for row in csv.DictReader(f):
            totals[row["name"]] += int(row["n"])
            per_source["nisra_ni_1997_2020"] += 1

    # ONS England and Wales 2021-2024: the full "Top names" table.
    ew = os.path.join(RAW, "ons_ew")
    for fn in sorted(os.listdir(ew)):
        if not fn.endswith(".xlsx") or "historical" in fn:
            continue
        wb = openpyxl.load_workbook(os.path.join(ew, fn), read_only=True)
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            first = next(rows, (None,))
            title = str(first[0] or "")
            if "Top names for baby" not in title:
                continue
            for r in rows:
                if (len(r) >= 3 and isinstance(r[1], str)
                        and isinstance(r[2], (int, float))
                        and isinstance(r[0], (int, float))):
                    totals[r[1]] += int(r[2])
                    per_source["ons_ew_2021_2024"] += 1

    # ONS historic top-100 lists 1904-2024 (no counts; give each the
    # threshold so they are always kept).
    hist = []
    fn = os.path.join(ew, "historicalnames2024.xlsx")
    wb = openpyxl.load_workbook(fn, read_only=True)
    for sn in ("Table_1", "Table_2"):
        for r in wb[sn].iter_rows(values_only=True, min_row=5):
            if isinstance(r[0], (int, float)):
                for v in r[1:]:
                    if isinstance(v, str) and v.strip():
                        hist.append(v)
    return totals, hist, per_source


def load_ssa():
    totals = collections.Counter()
    fn = os.path.join(RAW, "ssa", "year_of_birth_counts.csv.gz")
    with gzip.open(fn, "rt", newline="") as f:
        for row in csv.DictReader(f):
            totals[row["first_name"]] += int(row["count"])
    return totals


def load_census():
    import openpyxl

    fn = os.path.join(RAW, "census2010", "Names_2010Census.xlsx")
    wb = openpyxl.load_workbook(fn, read_only=True)
    out = {}
    for r in wb["2010 Census Names"].iter_rows(values_only=True, min_row=2):
        if r[0] and r[0] != "ALL OTHER NAMES" and isinstance(r[2], int):
            out[r[0]] = r[2]
    return out


# Icelandic given names (3,700, mostly not used in the UK) are left out to
# save space for surnames.
FAKER_SKIP_LOCALES = {"is_IS"}
FAKER_SKIP_ATTRS = ("prefix", "suffix", "format", "language", "middle",
                    "degree", "tax", "kana", "without_suffix")


def load_faker():
    """Given names and surnames from every Faker person provider.

    Latin-script entries are kept; Cyrillic (ru, uk, bg) and Greek entries
    are transliterated; Chinese entries are converted to pinyin with
    pypinyin; other scripts are skipped.
    """
    import faker
    import faker.providers.person as P
    from pypinyin import Style, lazy_pinyin

    first, last = [], []
    for m in pkgutil.iter_modules(P.__path__):
        loc = m.name
        if loc in FAKER_SKIP_LOCALES:
            continue
        prov = importlib.import_module(f"faker.providers.person.{loc}").Provider
        for attr in dir(prov):
            if attr.startswith("_") or any(k in attr for k in FAKER_SKIP_ATTRS):
                continue
            kind = None
            if attr.startswith("first_") or attr == "first_names":
                kind = "first"
            elif "last_names" in attr or attr.startswith("last_"):
                kind = "last"
            if kind is None:
                continue
            val = getattr(prov, attr)
            if not isinstance(val, (list, tuple, dict)):
                continue
            items = [x for x in (val.keys() if isinstance(val, dict) else val)
                     if isinstance(x, str)]
            for x in items:
                cand = None
                if loc in ("zh_CN", "zh_TW") and not attr.endswith("romanized_names") \
                        and "romanized" not in attr:
                    syl = lazy_pinyin(x, style=Style.NORMAL, v_to_u=True)
                    cand = ["".join(syl)]
                    if kind == "first" and len(syl) == 1:
                        cand = syl
                elif loc == "ru_RU" or (loc == "et_EE" and re.search("[а-я]", x)):
                    cand = [translit(x, RU), translit(x, RU_ICAO)]
                elif loc == "uk_UA":
                    cand = [translit(x, UK), translit_uk_official(x)]
                elif loc == "bg_BG":
                    cand = [translit(x, BG)]
                elif loc == "el_GR":
                    cand = [translit_greek(x)]
                else:
                    cand = [x]
                for c in cand:
                    if kind == "first":
                        first.append((c, f"faker:{loc}"))
                    else:
                        last.append((c, f"faker:{loc}"))
    return first, last, faker.VERSION


def load_nicknames():
    pairs = []
    with open(os.path.join(RAW, "nicknames", "names.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["relationship"] == "has_nickname":
                pairs.append((row["name2"], row["name1"], "carltonnorthern"))
    fn = os.path.join(SUP, "nicknames_supplement.txt")
    with open(fn) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            short, full = line.split()
            pairs.append((short, full, "supplement"))
    return pairs


def load_supplement_list(fn):
    out = []
    with open(os.path.join(SUP, fn)) as f:
        for line in f:
            out.extend(line.split("#", 1)[0].split())
    return out


def load_dictionary_words():
    words = set()
    for fn in ("british-english", "american-english"):
        with open(os.path.join(RAW, "dict", fn), encoding="utf-8") as f:
            for line in f:
                w = line.strip()
                if w and w == w.lower():
                    words.add(w)
    return words


# ---------------------------------------------------------------- build
def polish_feminine(s):
    for a, b in (("dzki", "dzka"), ("cki", "cka"), ("ski", "ska")):
        if s.endswith(a) and len(s) > len(a) + 1:
            return s[: -len(a)] + b
    return None


LITHUANIAN_SUFFIXES = ("auskas", "evicius", "avicius", "aitis", "iunas",
                       "iulis")


def lithuanian_feminine(s):
    """Married (-iene) and unmarried (-aite/-yte/-ute) forms."""
    for a, unmarried in (("as", "aite"), ("ys", "yte"), ("is", "yte"),
                         ("us", "ute")):
        if s.endswith(a) and len(s) > len(a) + 2:
            stem = s[: -len(a)]
            return [stem + "iene", stem + unmarried]
    return []


def main():
    stats = {}
    particles_seen = collections.Counter()
    fore, sur = Bag(), Bag()

    # UK baby names ------------------------------------------------------
    uk_totals, uk_hist, uk_rows = load_uk_babynames()
    stats["uk_rows_read"] = dict(uk_rows)
    uk_folded = collections.Counter()
    for name, n in uk_totals.items():
        for w in forename_words(name):
            uk_folded[w] += n
    for name in uk_hist:
        for w in forename_words(name):
            uk_folded[w] += UK_MIN_TOTAL
    stats["uk_distinct_folded"] = len(uk_folded)
    kept_uk = {w for w, n in uk_folded.items() if n >= UK_MIN_TOTAL}
    plain = {w for w in kept_uk if "-" not in w}
    dropped_hyphen = 0
    for w in sorted(kept_uk):
        if "-" in w and uk_folded[w] < UK_HYPHEN_MIN_TOTAL:
            parts = [p for p in w.split("-") if p]
            if all(p in plain for p in parts):
                dropped_hyphen += 1
                continue
        fore.add(w, "uk_babynames")
    stats["uk_kept"] = len(kept_uk) - dropped_hyphen
    stats["uk_below_min_total_dropped"] = len(uk_folded) - len(kept_uk)
    stats["uk_rare_hyphenated_dropped"] = dropped_hyphen

    # US SSA -------------------------------------------------------------
    ssa = load_ssa()
    stats["ssa_distinct"] = len(ssa)
    n_ssa = 0
    for name, n in ssa.items():
        if n >= SSA_MIN_TOTAL:
            for w in forename_words(name):
                fore.add(w, "us_ssa")
                n_ssa += 1
    stats["ssa_kept"] = n_ssa

    # Faker ----------------------------------------------------------------
    f_first, f_last, faker_version = load_faker()
    stats["faker_version"] = faker_version
    for raw, src in f_first:
        for w in forename_words(raw):
            fore.add(w, src)
    polish_male, lith = [], []
    for raw, src in f_last:
        words = surname_words(raw, particles_seen)
        for w in words:
            sur.add(w, src)
            if src == "faker:pl_PL":
                polish_male.append(w)
            if src == "faker:lt_LT":
                lith.append(w)
    for w in polish_male:
        fem = polish_feminine(w)
        if fem:
            sur.add(fem, "derived:polish_feminine")
    for w in lith:
        for fem in lithuanian_feminine(w):
            sur.add(fem, "derived:lithuanian_feminine")

    # Nicknames --------------------------------------------------------------
    nick_pairs = load_nicknames()
    nick_lines = set()
    for short, full, src in nick_pairs:
        s = forename_words(short)
        fl = forename_words(full)
        if len(s) != 1 or len(fl) != 1:
            continue
        nick_lines.add((s[0], fl[0]))
        fore.add(s[0], f"nicknames:{src}")
        fore.add(fl[0], f"nicknames:{src}")
    stats["nickname_pairs"] = len(nick_lines)

    # Hand-written supplements --------------------------------------------
    for raw in load_supplement_list("forenames_supplement.txt"):
        for w in forename_words(raw):
            fore.add(w, "supplement")
    for raw in load_supplement_list("surnames_supplement.txt"):
        for w in surname_words(raw, particles_seen):
            sur.add(w, "supplement")

    # Census surnames (cut chosen to fit the size budget) ------------------
    census = load_census()
    stats["census_rows"] = len(census)
    census_folded = collections.Counter()
    two_letter_dropped = 0
    for name, n in census.items():
        for w in surname_words(name, particles_seen):
            if len(w) == 2 and n < CENSUS_TWO_LETTER_MIN:
                two_letter_dropped += 1
                continue
            census_folded[w] += n
    stats["census_two_letter_dropped"] = two_letter_dropped

    def bytes_of(names):
        return sum(len(n) + 1 for n in names)

    fore_bytes = bytes_of(fore.names())
    base_sur = sur.names()
    chosen = None
    for cut in CENSUS_CUTS:
        cen = {w for w, n in census_folded.items() if n >= cut}
        pol = set()
        for w in cen:
            if census_folded[w] >= max(cut, POLISH_FEMININE_MIN):
                fem = polish_feminine(w)
                if fem:
                    pol.add(fem)
        total = fore_bytes + bytes_of(base_sur | cen | pol)
        if total <= SIZE_BUDGET:
            chosen = (cut, cen, pol)
            break
    if chosen is None:
        sys.exit("size budget cannot be met")
    cut, cen, pol = chosen
    stats["census_cut_min_count"] = cut
    stats["census_kept"] = len(cen)
    stats["census_dropped_below_cut"] = len(census_folded) - len(cen)
    for w in cen:
        sur.add(w, "us_census_2010")
    for w in pol:
        sur.add(w, "derived:polish_feminine")

    # Lithuanian feminine forms for surnames with distinctively Lithuanian
    # endings, whatever their source (Faker lt_LT, Census, supplement).
    for w in list(sur.names()):
        if w.endswith(LITHUANIAN_SUFFIXES):
            for fem in lithuanian_feminine(w):
                sur.add(fem, "derived:lithuanian_feminine")

    # Remove non-names --------------------------------------------------------
    for bag in (fore, sur):
        for w in list(bag.names()):
            if w in NOT_NAMES or not NAME_RE.match(w) or len(w) < 2:
                bag.discard(w)
    for w in list(fore.names()):
        if not re.search("[aeiouy]", w) and w not in VOWELLESS_FORENAMES_OK:
            fore.discard(w)

    forenames = sorted(fore.names())
    surnames = sorted(sur.names())
    allnames = set(forenames) | set(surnames)

    # Common-word flags -------------------------------------------------------
    dict_words = load_dictionary_words()
    common = sorted(w for w in allnames if w in dict_words)

    import wordfreq

    top = wordfreq.top_n_list("en", VERY_COMMON_TOP_N)
    fore_counts = collections.Counter()
    for w, n in uk_folded.items():
        fore_counts[w] = max(fore_counts[w], n / sum(uk_folded.values()))
    ssa_total = sum(ssa.values())
    for name, n in ssa.items():
        fore_counts[name] = max(fore_counts[name], n / ssa_total)
    cen_total = sum(census_folded.values())
    very_common, name_dominant = [], []
    for w in top:
        if w not in allnames or w not in dict_words:
            continue
        share = max(fore_counts.get(w, 0.0), census_folded.get(w, 0) / cen_total)
        score = math.log10(wordfreq.word_frequency(w, "en") / max(share, 1e-9))
        if score < NAME_DOMINANCE_CUT:
            name_dominant.append(w)
        else:
            very_common.append(w)
    very_common.sort()
    stats["very_common_name_dominant_excluded"] = sorted(name_dominant)
    stats["wordfreq_version"] = getattr(wordfreq, "__version__", "3.1.1")

    # Particles -----------------------------------------------------------------
    stats["particles_seen_in_sources"] = dict(particles_seen.most_common())

    # Write -----------------------------------------------------------------------
    def write(fn, lines):
        with open(os.path.join(HERE, fn), "w", encoding="ascii", newline="\n") as f:
            for line in lines:
                f.write(line + "\n")

    write("forenames.txt", forenames)
    write("surnames.txt", surnames)
    write("particles.txt", PARTICLES)
    write("nicknames.txt", [f"{s} {f}" for s, f in sorted(nick_lines)])
    write("common_word_names.txt", common)
    write("very_common_words.txt", very_common)

    stats["counts"] = {
        "forenames": len(forenames), "surnames": len(surnames),
        "union": len(allnames), "particles": len(PARTICLES),
        "nicknames": len(nick_lines), "common_word_names": len(common),
        "very_common_words": len(very_common),
    }
    stats["forename_sources"] = fore.count_by_source()
    stats["surname_sources"] = sur.count_by_source()
    stats["forename_only_source"] = collections.Counter(
        next(iter(s)) for n, s in fore.src.items() if len(s) == 1)
    stats["surname_only_source"] = collections.Counter(
        next(iter(s)) for n, s in sur.src.items() if len(s) == 1)
    sizes = {fn: os.path.getsize(os.path.join(HERE, fn)) for fn in (
        "forenames.txt", "surnames.txt", "particles.txt", "nicknames.txt",
        "common_word_names.txt", "very_common_words.txt")}
    stats["sizes"] = sizes
    both = sizes["forenames.txt"] + sizes["surnames.txt"]
    if both >= 1_500_000:
        sys.exit(f"forenames.txt + surnames.txt = {both} bytes, over 1.5 MB")
    with open(os.path.join(HERE, "build_stats.json"), "w") as f:
        json.dump(stats, f, indent=1, sort_keys=True, default=dict)
    print(json.dumps({k: stats[k] for k in ("counts", "sizes",
                      "census_cut_min_count")}, indent=1))


if __name__ == "__main__":
    main()
