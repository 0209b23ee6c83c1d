"""Shared reader for the `VERDICT CLASS TEXT` corpus format (escapes: \\t \\n \\r \\\\ \\u{XXXX})."""
import re

LINE_RE = re.compile(r'^(block|pass) ([a-z0-9_]+) (.+)$')
# Looser form: any lowercase verdict word (mot's own corpus also has `warn`).
ANY_VERDICT_RE = re.compile(r'^([a-z]+) ([a-z0-9_]+) (.+)$')


def decode(text):
    out = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == '\\' and i + 1 < len(text):
            n = text[i + 1]
            if n == 'n':
                out.append('\n'); i += 2; continue
            if n == 't':
                out.append('\t'); i += 2; continue
            if n == 'r':
                out.append('\r'); i += 2; continue
            if n == '\\':
                out.append('\\'); i += 2; continue
            if n == 'u' and i + 2 < len(text) and text[i + 2] == '{':
                j = text.index('}', i + 3)
                out.append(chr(int(text[i + 3:j], 16))); i = j + 1; continue
            raise ValueError('bad escape at column %d' % i)
        out.append(c); i += 1
    return ''.join(out)


def read_corpus(path, any_verdict=False):
    line_re = ANY_VERDICT_RE if any_verdict else LINE_RE
    cases = []
    with open(path, encoding='utf-8') as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            m = line_re.match(line)
            if not m:
                raise ValueError('%s:%d: line not in VERDICT CLASS TEXT form' % (path, lineno))
            try:
                text = decode(m.group(3))
            except ValueError as e:
                raise ValueError('%s:%d: %s' % (path, lineno, e)) from None
            cases.append((m.group(1), m.group(2), text, lineno))
    return cases
