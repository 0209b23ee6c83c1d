#!/usr/bin/env python3
"""Sanity checks on the built lexicon files (plain Python, no dependencies)."""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FILES = ["forenames.txt", "surnames.txt", "particles.txt", "nicknames.txt",
         "common_word_names.txt", "very_common_words.txt"]
PRESENT = ("margaret hollis oneill|o'neill dsouza|d'souza siobhan aoife dafydd "
           "eilidh priya mohammed muhammad oluwaseun chidi kwame agnieszka "
           "wojciech kowalski ionut popescu giedre kazlauskas joao goncalves "
           "wei zhang chan wong fatima abdi mehmet yilmaz ron bev kath gaz").split()
COMMON = "hope faith rose summer drew frank mark grace bill will may stock ward".split()


def load(fn):
    with open(os.path.join(HERE, fn), encoding="ascii") as f:
        return [l.rstrip("\n") for l in f]


def main():
    ok = True
    data = {fn: load(fn) for fn in FILES}
    name_re = re.compile(r"^[a-z](?:[a-z'-]*[a-z])?$")
    for fn in ("forenames.txt", "surnames.txt", "common_word_names.txt",
               "very_common_words.txt"):
        lines = data[fn]
        bad = [l for l in lines if not name_re.match(l) or len(l) < 2]
        if lines != sorted(set(lines)) or bad:
            ok = False
            print(f"FORMAT PROBLEM in {fn}: sorted/unique={lines == sorted(set(lines))} bad={bad[:5]}")
    total = 0
    for fn in FILES:
        size = os.path.getsize(os.path.join(HERE, fn))
        if fn in ("forenames.txt", "surnames.txt"):
            total += size
        print(f"{fn:26s} {len(data[fn]):7d} lines {size:9d} bytes")
    print(f"forenames+surnames         {total:9d} bytes ({'under' if total < 1_500_000 else 'OVER'} 1.5 MB)")
    ok &= total < 1_500_000

    fore, sur = set(data["forenames.txt"]), set(data["surnames.txt"])
    names = fore | sur
    common = set(data["common_word_names.txt"])
    very = set(data["very_common_words.txt"])
    ok &= common <= names and very <= common
    print("\nPresence (F = forenames, S = surnames):")
    for item in PRESENT:
        hits = []
        for alt in item.split("|"):
            where = ("F" if alt in fore else "") + ("S" if alt in sur else "")
            if where:
                hits.append(f"{alt}:{where}")
        print(f"  {item:18s} {'yes ' + ' '.join(hits) if hits else 'MISSING'}")
        ok &= bool(hits)
    print("\nCommon-word flags:")
    for w in COMMON:
        print(f"  {w:8s} name={'yes' if w in names else 'no ':3s} "
              f"common_word={'yes' if w in common else 'no ':3s} "
              f"very_common={'yes' if w in very else 'no'}")
    print("\nALL CHECKS PASSED" if ok else "\nSOME CHECKS FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
