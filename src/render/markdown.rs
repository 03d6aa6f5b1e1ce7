//! Markdown pipe tables, as pandoc converts them to DOCX and PDF.

use super::{human, Table, TableFormat, Value};
use crate::i18n::Labels;

/// Renders pipe tables with a `###` heading per table.
pub struct Markdown {
    /// Label language (decimal comma).
    pub labels: Labels,
    /// Heading level of table titles (0 = no heading).
    pub heading_level: usize,
}

/// Escapes text for Markdown prose: characters that would start emphasis, links or
/// HTML are backslash-escaped.
pub fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// Escapes a cell for a pipe table.
pub fn escape_cell(s: &str) -> String {
    escape_md(s)
}

impl Markdown {
    /// Renders one table without heading and notes.
    pub fn table_body(&self, t: &Table) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "| {} |\n",
            t.columns
                .iter()
                .map(|c| escape_cell(c))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
        let aligns: Vec<&str> = (0..t.columns.len())
            .map(|i| match t.rows.first().and_then(|r| r.get(i)) {
                Some(Value::Text(_)) | None => ":---",
                _ => "---:",
            })
            .collect();
        out.push_str(&format!("|{}|\n", aligns.join("|")));
        for row in &t.rows {
            out.push_str(&format!(
                "| {} |\n",
                row.iter()
                    .map(|v| escape_cell(&human(v, &self.labels)))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ));
        }
        out
    }
}

impl TableFormat for Markdown {
    fn render(&self, tables: &[Table]) -> String {
        let mut out = String::new();
        for t in tables {
            if self.heading_level > 0 {
                out.push_str(&format!(
                    "{} {}\n\n",
                    "#".repeat(self.heading_level),
                    escape_cell(&t.title)
                ));
            }
            out.push_str(&self.table_body(t));
            out.push('\n');
            for n in &t.notes {
                out.push_str(&format!("*{}*\n\n", escape_cell(n)));
            }
        }
        out
    }
}
