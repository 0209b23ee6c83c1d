"""Lists the cases of a corpus that mot's screen gets wrong, with its reasons.
Usage: python3 mot_misses.py MOT_BINARY CORPUS [block|pass]"""
import json, os, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from corpus_lib import read_corpus
mot, path = sys.argv[1], sys.argv[2]
only = sys.argv[3] if len(sys.argv) > 3 else None
db = os.path.join(tempfile.gettempdir(), 'mot-screen-score.db')
for verdict, cls, text, lineno in read_corpus(path, any_verdict=True):
    if verdict not in ('block', 'pass') or (only and verdict != only):
        continue
    r = subprocess.run([mot, '--db', db, 'screen', '--format', 'json', '-'],
                       input=text.encode(), capture_output=True)
    findings = json.loads(r.stdout or b'{}').get('findings', [])
    blocked = r.returncode == 4
    warned = not blocked and bool(findings)
    if (verdict == 'block') != blocked or (verdict == 'pass' and warned):
        got = 'BLOCK' if blocked else ('warn' if warned else 'pass')
        print(f"{lineno}: {verdict}->{got} [{cls}] {text[:150]!r}")
        raw = text.encode()
        for f in findings:
            span = raw[f['start']:f['end']].decode(errors='replace')
            print(f"      {f['severity']} {f['kind']}: {span!r} — {f['reason']}")
