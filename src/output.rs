//! Rendering command results on stdout as a table, CSV or JSON.

use std::fmt::Display;
use std::io::{self, Write};

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
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(T::HEADERS)?;
            for item in items {
                w.write_record(item.cells())?;
            }
            w.flush()
        }
        Format::Table => {
            let mut table = Table::new();
            table
                .load_style(TABLE_STYLE)
                .set_content_arrangement(ContentArrangement::Disabled)
                .set_header(T::HEADERS);
            for item in items {
                table.add_row(item.cells());
            }
            writeln!(out, "{table}")
        }
    }
}

/// Writes one item: a JSON object, one CSV row, or `field: value` lines.
pub fn one<T: Row>(out: &mut dyn Write, format: Format, item: &T) -> io::Result<()> {
    match format {
        Format::Json => json(out, item),
        Format::Csv => rows(out, format, std::slice::from_ref(item)),
        Format::Table => {
            let width = T::HEADERS.iter().map(|h| h.len()).max().unwrap_or(0);
            for (h, v) in T::HEADERS.iter().zip(item.cells()) {
                writeln!(out, "{h:>width$}: {v}")?;
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
        Format::Table | Format::Csv => write!(out, "{item}"),
    }
}

fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}
