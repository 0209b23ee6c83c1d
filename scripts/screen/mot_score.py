"""Scores mot's screen (`mot screen --format json`) on a corpus file.
Usage: python3 mot_score.py MOT_BINARY CORPUS"""
import collections, json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_lib import read_corpus
mot, path = sys.argv[1], sys.argv[2]
cases = read_corpus(path)
by = collections.defaultdict(lambda: [0, 0, 0])  # total, blocked, warned
tot = {'block': [0, 0, 0], 'pass': [0, 0, 0]}
for c in cases:
    verdict, cls, text = c[0], c[1], c[2]
    r = subprocess.run([mot, '--db', os.path.join(tempfile.gettempdir(), 'mot-screen-score.db'), 'screen', '--format', 'json', '-'], input=text.encode(), capture_output=True)
    out = json.loads(r.stdout or b'{}')
    blocked = r.returncode == 4
    warned = (not blocked) and bool(out.get('findings'))
    key = verdict if verdict in tot else None
    if key is None: continue
    t = tot[key]; t[0] += 1; t[1] += blocked; t[2] += warned
    b = by[(verdict, cls)]; b[0] += 1; b[1] += blocked; b[2] += warned
bl, pa = tot['block'], tot['pass']
print(f"blocks caught {bl[1]}/{bl[0]} ({100*bl[1]/max(bl[0],1):.1f}%); passes not blocked {pa[0]-pa[1]}/{pa[0]} ({100*(pa[0]-pa[1])/max(pa[0],1):.1f}%); passes that warn {pa[2]}/{pa[0]} ({100*pa[2]/max(pa[0],1):.1f}%)")
for (v, cls), (n, b, w) in sorted(by.items()):
    print(f"  {v:5} {cls:24} {n:3}  blocked {b:3}  warned {w:3}")
