#!/usr/bin/env python3
"""Builds src/screen/lexicon/english.txt: ordinary English words that are no
name, so that a capitalised word after a forename that is one ("Derry City",
"Clarke's Chemist", "Marie Curie Hospice") does not continue a name.

Source: SCOWL's British English list as Debian ships it (package wbritish
2020.12.07-2, `/usr/share/dict/british-english`; licence in
`src/screen/lexicon/licenses/SCOWL-wbritish-copyright.txt`). Fetch it with
`apt-get download wbritish && dpkg-deb -x wbritish_*.deb raw/wbritish` or
copy the installed file to `scripts/lexicon/raw/scowl/british-english`.

Kept: entries written in lower case (proper nouns are capitalised in the
list), ASCII letters only, at least three letters, that are not in
forenames.txt, surnames.txt or places.txt (a name word stays a name).
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LEX = ROOT / "src/screen/lexicon"
RAW = ROOT / "scripts/lexicon/raw/scowl/british-english"


def words(path):
    return set(path.read_text(encoding="utf-8").split())


def main():
    names = words(LEX / "forenames.txt") | words(LEX / "surnames.txt")
    places = set(Path(LEX / "places.txt").read_text(encoding="utf-8").split("\n"))
    raw = RAW.read_text(encoding="latin-1").split("\n")
    kept = sorted(
        {
            w
            for w in raw
            if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower()
        }
        - names
        - places
    )
    (LEX / "english.txt").write_text("\n".join(kept) + "\n", encoding="ascii")
    print(f"english.txt: {len(kept)} words, {sum(len(w) + 1 for w in kept)} bytes")


if __name__ == "__main__":
    main()
