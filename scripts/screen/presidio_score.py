#!/usr/bin/env python3
"""Score a mot screen corpus with Microsoft Presidio, as a peer anchor.

Usage:
    venv/bin/python presidio_score.py CORPUS [--model PATH_OR_NAME] [--details OUT.tsv]

The corpus holds one case a line, `VERDICT CLASS TEXT` (VERDICT is block or pass,
or another lowercase word such as mot's `warn`, which is reported apart: how many of
those cases Presidio flags, counted in neither the block nor the pass figure;
TEXT may hold the escapes \\n \\t \\r \\\\ and \\u{XXXX}, decoded before analysis).
Lines starting with '#' and blank lines are skipped.

Presidio set-up: AnalyzerEngine with the default recognizer registry, language "en",
the default score threshold (AnalyzerEngine's default_score_threshold, which is 0:
every result the recognizers return counts), and a spaCy English model given by
--model (default: the en_core_web_md 3.8.0 model directory under ./models, because
en_core_web_lg could not be installed on this machine: see the report).

How a Presidio result becomes a verdict (the mapping)
-----------------------------------------------------
A case counts as "blocked" by Presidio when any returned entity's type is in the
variant's set:

  strict      = PERSON, UK_NHS, PHONE_NUMBER, EMAIL_ADDRESS, DATE_TIME, LOCATION
  identifiers = PERSON, UK_NHS, PHONE_NUMBER, EMAIL_ADDRESS

Why these and not others:
  * PERSON, UK_NHS, PHONE_NUMBER and EMAIL_ADDRESS pick out (or contact) a person
    directly, so both variants use them.
  * DATE_TIME and LOCATION are in "strict" only. A date of birth or a home address
    identifies a patient, but Presidio cannot tell a DOB from a delivery date, or a
    home from a pharmacy's street, so on operational traffic these two types cost
    many false alarms. "strict" shows the ceiling on recall; "identifiers" shows the
    trade-off with fewer false alarms.
  * URL is left out. A link is normal in operational messages (surveys, alerts). The
    query string of a link that leaks a patient is still analysed as text, so a
    name, number or date inside it can still be found by the other recognizers.
  * NRP (nationality/religion/political group), ORGANIZATION, IP_ADDRESS,
    CREDIT_CARD, CRYPTO, IBAN_CODE, MEDICAL_LICENSE, UK_NINO and the US_*, AU_*, ...
    country recognizers are left out. They are not patient identifiers in this
    setting, or they never apply to UK records. The output still tallies every
    entity type seen, so the effect of any other mapping can be judged.

Output: for each variant, "blocks caught N/M (p%)" and "passes passed N/M (p%)",
overall and per class, then the throughput (messages per second, analysis only,
model load excluded). With --details, one TSV row per case (verdict, class, line,
strict, identifiers, entity types) is written; do not use it on a corpus whose
contents must stay unseen.
"""
import argparse
import collections
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from corpus_lib import read_corpus  # noqa: E402

# tldextract (used by Presidio's email recognizer) tries to download the public
# suffix list; there is no network here, so use its bundled snapshot instead.
import tldextract  # noqa: E402
import tldextract.tldextract as _tlde  # noqa: E402
_tlde.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())

VARIANTS = {
    'strict': {'PERSON', 'UK_NHS', 'PHONE_NUMBER', 'EMAIL_ADDRESS', 'DATE_TIME', 'LOCATION'},
    'identifiers': {'PERSON', 'UK_NHS', 'PHONE_NUMBER', 'EMAIL_ADDRESS'},
}

DEFAULT_MODEL = os.path.join(HERE, 'models', 'en_core_web_md')


def pct(n, m):
    return '%5.1f%%' % (100.0 * n / m) if m else '   n/a'


def build_analyzer(model):
    import logging
    logging.getLogger('presidio-analyzer').setLevel(logging.ERROR)
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    conf = {'nlp_engine_name': 'spacy',
            'models': [{'lang_code': 'en', 'model_name': model}]}
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=['en'])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('corpus')
    ap.add_argument('--model', default=DEFAULT_MODEL)
    ap.add_argument('--details', help='write per-case TSV here')
    args = ap.parse_args()

    cases = read_corpus(args.corpus, any_verdict=True)
    import presidio_analyzer
    import spacy
    t0 = time.perf_counter()
    analyzer = build_analyzer(args.model)
    load_s = time.perf_counter() - t0
    nlp = analyzer.nlp_engine.nlp['en']
    meta = nlp.meta

    results = []
    t1 = time.perf_counter()
    for verdict, cls, text, lineno in cases:
        found = analyzer.analyze(text=text, language='en')
        results.append((verdict, cls, lineno, sorted({r.entity_type for r in found})))
    run_s = time.perf_counter() - t1

    print('corpus: %s' % args.corpus)
    print('presidio-analyzer %s, spaCy %s, model %s %s (%s)' % (
        presidio_analyzer.__version__ if hasattr(presidio_analyzer, '__version__') else _dist_version('presidio-analyzer'),
        spacy.__version__, meta.get('lang', '') + '_' + meta.get('name', ''), meta.get('version', ''), args.model))
    vc = collections.Counter(c[0] for c in cases)
    print('cases: %d (%s); default score threshold %s' % (
        len(cases), ', '.join('%d %s' % (n, v) for v, n in sorted(vc.items())),
        analyzer.default_score_threshold))
    print('timing: model load %.1f s; analysis %.2f s = %.1f messages/s' % (load_s, run_s, len(cases) / run_s))
    print()

    for name, types in VARIANTS.items():
        print('=== variant %s: blocked if any of %s' % (name, ', '.join(sorted(types))))
        per = collections.defaultdict(lambda: [0, 0])
        tot = collections.defaultdict(lambda: [0, 0])
        for verdict, cls, lineno, ents in results:
            hit = bool(types.intersection(ents))
            good = not hit if verdict == 'pass' else hit  # for block (and others): flagged
            per[(verdict, cls)][0] += good
            per[(verdict, cls)][1] += 1
            tot[verdict][0] += good
            tot[verdict][1] += 1
        b, p = tot['block'], tot['pass']
        print('blocks caught  %d/%d (%s)' % (b[0], b[1], pct(*b).strip()))
        print('passes passed  %d/%d (%s)' % (p[0], p[1], pct(*p).strip()))
        for v in sorted(set(tot) - {'block', 'pass'}):
            print('%s flagged  %d/%d (%s)  [neither block nor pass; not in the figures above]' % (
                v, tot[v][0], tot[v][1], pct(*tot[v]).strip()))
        print('per class:')
        for (verdict, cls) in sorted(per):
            n, m = per[(verdict, cls)]
            what = {'block': 'caught', 'pass': 'passed'}.get(verdict, 'flagged')
            print('  %-5s %-26s %s %3d/%-3d %s' % (verdict, cls, what, n, m, pct(n, m)))
        print()

    tally = collections.Counter(e for _, _, _, ents in results for e in ents)
    print('entity types returned (number of cases with each):')
    for e, n in tally.most_common():
        print('  %-20s %d' % (e, n))

    if args.details:
        with open(args.details, 'w', encoding='utf-8') as f:
            f.write('verdict\tclass\tline\tstrict\tidentifiers\tentities\n')
            for verdict, cls, lineno, ents in results:
                f.write('%s\t%s\t%d\t%s\t%s\t%s\n' % (
                    verdict, cls, lineno,
                    'block' if VARIANTS['strict'].intersection(ents) else 'pass',
                    'block' if VARIANTS['identifiers'].intersection(ents) else 'pass',
                    ','.join(ents)))


def _dist_version(name):
    from importlib.metadata import version
    return version(name)


if __name__ == '__main__':
    main()
