//! CSV tables for spreadsheets and scripts: full precision, formula-injection guard
//! on every text cell (SPEC §5), and an Excel mode (BOM, `;`, decimal comma).

use super::{withheld_marker, Table, TableFormat, Value};
use crate::text::csv_guard;

/// Renders each table as CSV; several tables are separated by a blank line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Csv {
    /// German Excel: UTF-8 BOM, `;` delimiter, decimal comma.
    pub excel: bool,
}

impl Csv {
    /// One table as CSV text.
    pub fn table(&self, t: &Table) -> String {
        let mut w = csv::WriterBuilder::new()
            .delimiter(if self.excel { b';' } else { b',' })
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let cell = |v: &Value| -> String {
            let s = match v {
                Value::Text(s) => return csv_guard(s).into_owned(),
                Value::Number(Some(x)) => x.to_string(),
                Value::Rate(Some(x)) => x.to_string(),
                Value::Count(Some(n)) => n.to_string(),
                Value::Number(None) | Value::Rate(None) | Value::Count(None) => String::new(),
                Value::Withheld(m) => withheld_marker(*m),
            };
            if self.excel {
                s.replace('.', ",")
            } else {
                s
            }
        };
        // Writing into a Vec cannot fail; errors would only come from the sink.
        let _ = w.write_record(t.columns.iter().map(|c| csv_guard(c).into_owned()));
        for row in &t.rows {
            let _ = w.write_record(row.iter().map(cell));
        }
        let bytes = w.into_inner().unwrap_or_default();
        let body = String::from_utf8(bytes).unwrap_or_default();
        if self.excel {
            format!("\u{feff}{body}")
        } else {
            body
        }
    }
}

impl TableFormat for Csv {
    fn render(&self, tables: &[Table]) -> String {
        tables
            .iter()
            .map(|t| self.table(t))
            .collect::<Vec<_>>()
            .join("\r\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_and_precision() {
        let t = Table {
            name: "x".into(),
            title: "x".into(),
            columns: vec!["name".into(), "score".into()],
            rows: vec![
                vec![
                    Value::Text("=HYPERLINK(1)".into()),
                    Value::Number(Some(57.25)),
                ],
                vec![Value::Text("Amt".into()), Value::Withheld(5)],
            ],
            notes: vec![],
        };
        let s = Csv { excel: false }.table(&t);
        assert_eq!(s, "name,score\r\n'=HYPERLINK(1),57.25\r\nAmt,n<5\r\n");
        let e = Csv { excel: true }.table(&t);
        assert!(e.starts_with('\u{feff}'));
        assert!(e.contains("'=HYPERLINK(1);57,25"));
    }
}
