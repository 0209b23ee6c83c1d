//! Findings rendered for a plain terminal, in output that stays linear in the
//! input however many findings one long line holds.
//!
//! Each finding prints a window of its line (at most [`WINDOW`] chars either
//! side, at most [`MAX_SPAN`] chars of the span itself), and at most
//! [`MAX_EXPLAINED`] findings are shown: a 300 KB line of patient words once
//! printed the whole line for each of its thousands of findings.

use super::Finding;

/// Most findings explained one by one; the rest are counted.
pub const MAX_EXPLAINED: usize = 50;

/// Chars of context shown either side of a span.
pub const WINDOW: usize = 30;

/// Chars of a span shown (a pasted row can be one long finding).
pub const MAX_SPAN: usize = 60;

/// Renders findings for a plain terminal: for each, `line N: severity: reason`,
/// a window of the line, and carets under the span (columns count chars; tabs
/// are echoed so the carets line up). Control and bidi characters are shown as
/// U+FFFD so a message cannot rewrite the operator's terminal.
pub fn explain(text: &str, findings: &[Finding]) -> String {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut out = String::new();
    for f in findings.iter().take(MAX_EXPLAINED) {
        explain_one(text, &line_starts, f, &mut out);
    }
    if findings.len() > MAX_EXPLAINED {
        out.push_str(&format!(
            "… and {} more finding(s) not shown\n",
            findings.len() - MAX_EXPLAINED
        ));
    }
    out
}

fn explain_one(text: &str, line_starts: &[usize], f: &Finding, out: &mut String) {
    let start = floor_char_boundary(text, f.start);
    let end = floor_char_boundary(text, f.end.max(start));
    let line_index = line_starts.partition_point(|&s| s <= start) - 1;
    let line_start = line_starts[line_index];
    // The next line's start is just past this line's '\n'.
    let line_end = line_starts
        .get(line_index + 1)
        .map_or(text.len(), |&next| next - 1);
    let line_end = if text[line_start..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    }
    .max(start);

    // Walk at most WINDOW chars out from the span: never the whole line.
    let before_start = text[line_start..start]
        .char_indices()
        .rev()
        .take(WINDOW)
        .last()
        .map_or(start, |(i, _)| line_start + i);
    let span_end = end.min(line_end);
    let span_shown_end = text[start..span_end]
        .char_indices()
        .nth(MAX_SPAN)
        .map_or(span_end, |(i, _)| start + i);
    let after_end = text[span_shown_end..line_end]
        .char_indices()
        .nth(WINDOW)
        .map_or(line_end, |(i, _)| span_shown_end + i);

    let cut_before = before_start > line_start;
    let cut_after = after_end < line_end;
    out.push_str(&format!(
        "line {}: {}: {}\n  ",
        line_index + 1,
        f.severity.as_str(),
        f.reason
    ));
    if cut_before {
        out.push('…');
    }
    out.extend(text[before_start..after_end].chars().map(printable));
    if cut_after {
        out.push('…');
    }
    out.push_str("\n  ");
    if cut_before {
        out.push(' ');
    }
    out.extend(
        text[before_start..start]
            .chars()
            .map(|c| if c == '\t' { '\t' } else { ' ' }),
    );
    let carets = text[start..span_shown_end].chars().count().max(1);
    out.push_str(&"^".repeat(carets));
    out.push('\n');
}

/// Replaces characters that would move the cursor, change colours or reorder
/// the line on a terminal with one visible character, keeping columns intact.
fn printable(c: char) -> char {
    // Zero-width characters too: `output` would widen them to `<U+200B>`,
    // and the caret line below counts one column per character.
    if (c.is_control() && c != '\t') || crate::output::is_invisible(c) {
        '\u{fffd}'
    } else {
        c
    }
}

/// The largest char boundary at or below `i` (clamped to the text), so that
/// [`explain`] copes with findings that did not come from this text.
fn floor_char_boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::super::screen;
    use super::*;

    #[test]
    fn explain_points_at_the_span_by_chars() {
        let text = "Stock update\n\tCafé: NHS no 999 000 0018 thanks";
        let out = explain(text, &screen(text));
        assert_eq!(
            out,
            "line 2: block: NHS number (passes the Mod 11 check) written 3-3-4, near \"NHS no\"\n\
             \x20 \tCafé: NHS no 999 000 0018 thanks\n\
             \x20 \t             ^^^^^^^^^^^^\n"
        );
    }

    #[test]
    fn explain_shows_a_window_of_a_long_line() {
        let pad = "stock ".repeat(20);
        let text = format!("{pad}NHS no 999 000 0018 {pad}");
        let out = explain(&text, &screen(&text));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert_eq!(
            lines[1],
            "  …tock stock stock stock NHS no 999 000 0018 stock stock stock stock stock…"
        );
        assert_eq!(lines[2], format!("   {}^^^^^^^^^^^^", " ".repeat(WINDOW)));
    }

    #[test]
    fn explain_neutralises_terminal_escapes() {
        let text = "\u{1b}[2J patient 999 000 0018";
        let out = explain(text, &screen(text));
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(out.contains("\u{fffd}[2J"), "{out}");
    }

    #[test]
    fn one_long_line_of_patient_words_explains_in_linear_space() {
        // Issue 9, item 12: a 300 KB line once asked for 4.9 GB.
        for n in [1_000, 10_000] {
            let text = "Patient Mrs Smith NHS no 999 000 0018 DOB 01/02/1960 ".repeat(n);
            let findings = screen(&text);
            assert!(findings.len() >= 3 * n, "{} findings", findings.len());
            let out = explain(&text, &findings);
            assert!(
                out.len() < 250 * MAX_EXPLAINED,
                "{} bytes of explanation for {} bytes",
                out.len(),
                text.len()
            );
            assert!(out.ends_with(&format!(
                "… and {} more finding(s) not shown\n",
                findings.len() - MAX_EXPLAINED
            )));
        }
    }
}
