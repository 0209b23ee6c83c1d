#!/usr/bin/env python3
"""Build src/screen/lexicon/places.txt: the UK's towns, villages and
suburbs ("Barry", "Moss Side", "Keswick", "Much Wenlock").

Run from this directory after get_sources.sh (which puts the OS Open Names
extract in raw/places/places.csv):

    python3 build_places.py

Two readers use them: where a place's name is also a person's ("Barry",
"Milton Keynes"), the screen decides which by where it stands; and a
place written in lower case ("the chap who runs the chippy in ballymena")
is still a place. Hamlets are left out. Names are folded as the name
lexicon's are (lower case, accents removed).
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
    places = []
    with open(os.path.join(HERE, "raw", "places", "places.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["type"] != "Hamlet":
                places.append(row["name"])
    places += sorted(words(os.path.join(HERE, "supplement", "places_supplement.txt")))
    kept = set()
    for place in places:
        folded = re.sub(r"\s+", " ", fold(place))
        if re.fullmatch(r"[a-z][a-z' -]*[a-z]", folded):
            kept.add(folded)
    with open(os.path.join(LEXICON, "places.txt"), "w", encoding="utf-8") as out:
        for place in sorted(kept):
            out.write(place + "\n")
    one = sum(" " not in p for p in kept)
    print(f"places.txt: {len(kept)} places ({one} of one word)")


if __name__ == "__main__":
    main()
