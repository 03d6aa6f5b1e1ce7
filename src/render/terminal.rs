//! Terminal tables (comfy-table): for reading scores at a glance.

use comfy_table::{
    presets::UTF8_FULL_CONDENSED, CellAlignment, ContentArrangement, Table as Comfy,
};

use super::{human, Table, TableFormat, Value};
use crate::i18n::Labels;

/// Renders tables with box drawing, numbers right-aligned.
pub struct Terminal {
    /// Label language (decimal comma).
    pub labels: Labels,
    /// Maximum width in columns (`None`: the terminal's width; no limit when not a terminal).
    pub width: Option<u16>,
}

impl TableFormat for Terminal {
    fn render(&self, tables: &[Table]) -> String {
        let mut out = String::new();
        for t in tables {
            let mut c = Comfy::new();
            c.load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(t.columns.clone());
            if let Some(w) = self.width {
                c.set_width(w);
            }
            for row in &t.rows {
                c.add_row(row.iter().map(|v| {
                    let cell = comfy_table::Cell::new(human(v, &self.labels));
                    match v {
                        Value::Text(_) => cell,
                        _ => cell.set_alignment(CellAlignment::Right),
                    }
                }));
            }
            out.push_str(&t.title);
            out.push('\n');
            out.push_str(&c.to_string());
            out.push('\n');
            for n in &t.notes {
                out.push_str(n);
                out.push('\n');
            }
            out.push('\n');
        }
        out
    }
}
