//! Rendering command results on stdout as a table, CSV or JSON, and making
//! every human-readable byte safe to show: text from outside (a WhatsApp
//! profile name, a message, an error Meta relays) passes through [`escape`]
//! before it reaches a terminal or a spreadsheet; JSON keeps it exact.

use std::fmt::{self, Display};
use std::io::{self, Write};

use clap::ValueEnum;
use comfy_table::{ContentArrangement, LineStyle, Table, TableStyle};
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
    fn cells(&self) -> Vec<String>;
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
