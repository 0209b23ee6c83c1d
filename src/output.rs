//! Rendering command results on stdout as a table, CSV or JSON, and making
//! every human-readable byte safe to show: text from outside (a WhatsApp
//! profile name, a message, an error Meta relays) passes through [`escape`]
//! before it reaches a terminal or a spreadsheet; JSON keeps it exact.

use std::fmt::{self, Display};
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::ValueEnum;
use comfy_table::{ColumnConstraint, ContentArrangement, LineStyle, Table, TableStyle};
use serde::Serialize;

mod csv;
mod escape;

pub use self::csv::{BOM, csv_records, set_csv_bom, unprotect_csv};
pub use escape::{
    Unsendable, escape, escape_text, find_unsendable, is_bidi_control, is_invisible, printable,
};

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
    /// Columns a table too wide for the terminal leaves out, the least
    /// useful first (consent source, times), before the others wrap.
    const DROP_FIRST: &'static [&'static str] = &[];
    /// Columns a table never wraps, besides `PHONES`: a name stays whole.
    const WHOLE: &'static [&'static str] = &[];
    /// Columns holding stored E.164 numbers: a table shows them as people
    /// read them (`07700 900123`, see `phone::shown`) and never wraps them;
    /// CSV and JSON keep E.164.
    const PHONES: &'static [&'static str] = &[];
    /// The values, as CSV writes them (JSON serialises the row itself).
    fn cells(&self) -> Vec<String>;
    /// The values as a table shows them to people: [`for_people`].
    fn table_cells(&self) -> Vec<String> {
        for_people::<Self>(self.cells())
    }
}

/// The start of `text` on one line, at most `chars` characters, with "…"
/// when there is more: what a table shows of a long text (CSV and JSON
/// keep the whole).
pub fn cut(text: &str, chars: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= chars {
        return flat;
    }
    let mut cut: String = flat.chars().take(chars.saturating_sub(1)).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// A row's `cells` as a table shows them: numbers as people read them, and
/// times in this computer's time zone (see [`local_time`]).
pub fn for_people<T: Row + ?Sized>(mut cells: Vec<String>) -> Vec<String> {
    for (cell, header) in cells.iter_mut().zip(T::HEADERS) {
        if T::PHONES.contains(header) {
            *cell = crate::phone::shown(cell);
        } else if let Some(local) = local_time(cell) {
            *cell = local;
        }
    }
    cells
}

/// Whether tables show times in UTC, as stored (`--utc`).
static UTC: AtomicBool = AtomicBool::new(false);

/// Sets, for this process, whether tables show times in UTC (`--utc`).
pub fn set_utc(on: bool) {
    UTC.store(on, Ordering::Relaxed);
}

/// A cell that is a time as mot stores them (`2026-11-30T09:00:00Z`), as a
/// table shows it: in this computer's time zone, to the minute (`2026-11-30
/// 09:00`), unless `--utc` keeps it as stored. `None` for any other cell.
/// CSV and JSON keep the stored time.
fn local_time(cell: &str) -> Option<String> {
    if UTC.load(Ordering::Relaxed) {
        return None;
    }
    local_time_in(cell, &jiff::tz::TimeZone::system())
}

/// A stored time in a sentence for people ("held until 2026-11-30 09:00"):
/// shown as a table shows it ([`local_time`]), so that a summary and the
/// table under it agree. Anything that is not a stored time is kept.
pub fn shown_time(stored: &str) -> String {
    local_time(stored).unwrap_or_else(|| stored.to_string())
}

fn local_time_in(cell: &str, tz: &jiff::tz::TimeZone) -> Option<String> {
    if !(cell.len() == 20 && cell.as_bytes()[10] == b'T' && cell.ends_with('Z')) {
        return None;
    }
    let at: jiff::Timestamp = cell.parse().ok()?;
    Some(
        at.to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
    )
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
                table.add_row(item.table_cells().iter().map(|c| escape(c)));
            }
            let width = terminal_width();
            let left_out = fit::<T>(&mut table, width);
            for line in table_lines(&mut table, width) {
                writeln!(out, "{line}")?;
            }
            if !left_out.is_empty() {
                writeln!(
                    out,
                    "(left out to fit: {}; see --format csv)",
                    left_out.join(", ")
                )?;
            }
            Ok(())
        }
    }
}

/// Keeps `T::WHOLE` and `T::PHONES` columns whole and, when the table is
/// wider than `width`, hides columns one by one until it fits (the rest
/// then wrap): first those empty in every row, then `T::DROP_FIRST`.
/// Returns the columns hidden.
fn fit<T: Row>(table: &mut Table, width: Option<u16>) -> Vec<&'static str> {
    let column = |name: &str| T::HEADERS.iter().position(|h| *h == name);
    for i in T::WHOLE
        .iter()
        .chain(T::PHONES)
        .filter_map(|name| column(name))
    {
        if let Some(c) = table.column_mut(i) {
            c.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    let Some(width) = width else {
        return Vec::new();
    };
    // A column empty in every row carries nothing: it goes before any other.
    let kept = |name: &&str| T::WHOLE.contains(name) || T::PHONES.contains(name);
    let empty = |i: usize| {
        table.row_iter().next().is_some()
            && table
                .column_cells_iter(i)
                .all(|c| c.is_none_or(|c| c.content().trim().is_empty()))
    };
    let mut candidates: Vec<&'static str> = T::HEADERS
        .iter()
        .enumerate()
        .filter(|&(i, name)| !kept(name) && empty(i))
        .map(|(_, name)| *name)
        .collect();
    for name in T::DROP_FIRST {
        if !candidates.contains(name) {
            candidates.push(name);
        }
    }
    let mut hidden = Vec::new();
    for name in candidates {
        if natural_width(table) <= usize::from(width) {
            break;
        }
        if let Some(c) = column(name).and_then(|i| table.column_mut(i)) {
            c.set_constraint(ColumnConstraint::Hidden);
            hidden.push(name);
        }
    }
    hidden
}

/// How wide `table` is with every row whole.
fn natural_width(table: &Table) -> usize {
    let mut whole = table.clone();
    whole.set_content_arrangement(ContentArrangement::Disabled);
    whole
        .lines()
        .map(|l| console::measure_text_width(l.trim_end()))
        .max()
        .unwrap_or(0)
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
            for (h, v) in T::HEADERS.iter().zip(item.table_cells()) {
                writeln!(out, "{h:>width$}: {}", escape(&v))?;
            }
            Ok(())
        }
    }
}

/// Writes an object of named lists of rows (`members export-data`): JSON
/// when asked; otherwise each list under its name, each row as
/// `key: value` lines.
pub fn sections(out: &mut dyn Write, format: Format, value: &serde_json::Value) -> io::Result<()> {
    let Some(parts) = value.as_object().filter(|_| format != Format::Json) else {
        return json(out, value);
    };
    for (name, rows) in parts {
        let rows = rows.as_array().map_or(&[][..], Vec::as_slice);
        writeln!(out, "{name} ({}):", rows.len())?;
        for row in rows {
            for (key, v) in row.as_object().into_iter().flatten() {
                let v = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                writeln!(out, "  {key}: {}", escape(&v))?;
            }
            writeln!(out)?;
        }
    }
    Ok(())
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

    #[derive(Serialize)]
    struct Person {
        name: String,
        phone: String,
        note: String,
        source: String,
    }

    impl Row for Person {
        const HEADERS: &'static [&'static str] = &["name", "phone", "note", "source"];
        const DROP_FIRST: &'static [&'static str] = &["source"];
        const WHOLE: &'static [&'static str] = &["name"];
        const PHONES: &'static [&'static str] = &["phone"];
        fn cells(&self) -> Vec<String> {
            vec![
                self.name.clone(),
                self.phone.clone(),
                self.note.clone(),
                self.source.clone(),
            ]
        }
    }

    /// A narrow table leaves out the least useful column first, keeps the
    /// name and the national-format number whole, and says what it left out.
    #[test]
    fn a_narrow_table_drops_columns_and_keeps_numbers_whole() {
        let person = Person {
            name: "Zoë Adebayo-Williams".into(),
            phone: "+447700900123".into(),
            note: "Covers the Tuesday and Thursday clinics at both sites".into(),
            source: "import:practice-list-november.csv".into(),
        };
        let mut table = Table::new();
        table.load_style(TABLE_STYLE).set_header(Person::HEADERS);
        table.add_row(person.table_cells());
        let hidden = fit::<Person>(&mut table, Some(60));
        assert_eq!(hidden, ["source"]);
        let lines = table_lines(&mut table, Some(60));
        let text = lines.join("\n");
        assert!(text.contains("Zoë Adebayo-Williams"), "{text}");
        assert!(text.contains("07700 900123"), "{text}");
        assert!(!text.contains("import:"), "{text}");
        assert!(lines.iter().all(|l| l.chars().count() <= 60), "{text}");
        // CSV keeps E.164 and every column.
        let mut out = Vec::new();
        rows(&mut out, Format::Csv, &[person]).unwrap();
        let csv = String::from_utf8(out).unwrap();
        assert!(
            csv.contains("'+447700900123") && csv.contains("import:"),
            "{csv}"
        );
    }

    /// Tables show stored times in the computer's zone (British Summer
    /// Time is an hour ahead); `--utc` and other cells are left alone.
    #[test]
    fn stored_times_are_shown_in_the_local_zone() {
        let london = jiff::tz::TimeZone::get("Europe/London").unwrap();
        let local = |cell: &str| local_time_in(cell, &london);
        assert_eq!(
            local("2026-07-01T09:30:00Z").as_deref(),
            Some("2026-07-01 10:30")
        );
        assert_eq!(
            local("2026-11-30T09:00:00Z").as_deref(),
            Some("2026-11-30 09:00")
        );
        for other in [
            "2026-07-01",
            "07700 900123",
            "2026-07-01T09:30:00+01:00",
            "not a time at all!!",
        ] {
            assert_eq!(local(other), None, "{other}");
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
