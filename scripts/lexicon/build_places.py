#!/usr/bin/env python3
"""Build src/screen/lexicon/places.txt: the UK places whose names the
personal-name lexicon also holds ("Barry", "Moss Side", "Clapham").

Run from this directory after get_sources.sh (which puts the OS Open Names
extract in raw/places/places.csv):

    python3 build_places.py

Only places that could be read as a person's name are kept: a one-word
place that is a forename or a surname, and a place of several words that
opens with one ("Milton Keynes"). A place no name opens is never mistaken
for a person, so the screen need not carry it. Hamlets are left out. Names are
folded as the name lexicon's are (lower case, accents removed).
"""

import csv
import os
import re
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
LEXICON = os.path.join(HERE, "..", "..", "src", "screen", "lexicon")


def fold(name):
    name = name.replace("\u2019", "'").lower()
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name if not unicodedata.combining(c)).strip()


def words(path):
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def main():
    names = words(os.path.join(LEXICON, "forenames.txt")) | words(
        os.path.join(LEXICON, "surnames.txt")
    )
    places = []
    with open(os.path.join(HERE, "raw", "places", "places.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] != "Hamlet":
                places.append(row["name"])
    places += sorted(words(os.path.join(HERE, "supplement", "places_supplement.txt")))
    kept = set()
    for place in places:
        folded = re.sub(r"\s+", " ", fold(place))
        parts = folded.split(" ")
        if not re.fullmatch(r"[a-z][a-z' -]*[a-z]", folded):
            continue
        if parts[0] in names:
            kept.add(folded)
    with open(os.path.join(LEXICON, "places.txt"), "w", encoding="utf-8") as out:
        for place in sorted(kept):
            out.write(place + "\n")
    one = sum(" " not in p for p in kept)
    print(f"places.txt: {len(kept)} places ({one} of one word)")


if __name__ == "__main__":
    main()
