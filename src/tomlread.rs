//! Reading TOML with spans and collecting every problem.
//!
//! The questionnaire and the project file are read through this walker instead of a
//! `#[derive(Deserialize)]` with `deny_unknown_fields`, because serde stops at the first
//! problem while users want the whole list at once, each with line and column. The
//! walker keeps the source text, marks which keys were used and reports the rest as
//! unknown keys (with a "did you mean" suggestion).

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diag::Diagnostic;
use crate::text::closest;

/// Largest magnitude accepted for a number in a questionnaire or project file: keeps
/// differences such as `max − min` finite.
pub const MAX_NUMBER: f64 = 1e12;

/// Limits that keep hostile TOML (huge or deeply nested) from exhausting memory.
pub const MAX_TOML_BYTES: usize = 8 * 1024 * 1024;

/// The parsed document plus where diagnostics go.
pub struct TomlDoc<'s> {
    /// The file the text came from (for diagnostics).
    pub path: PathBuf,
    /// The source text.
    pub source: &'s str,
    /// Collected problems.
    pub diags: Vec<Diagnostic>,
}

/// A table being read: its entries, its span, and the keys read so far.
pub struct Table<'a, 'i> {
    table: &'a DeTable<'i>,
    span: Range<usize>,
    /// Human name, e.g. `[[area]] #2`, used in messages.
    pub name: String,
    used: Vec<&'static str>,
}

/// A value with the span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Byte range in the source.
    pub span: Range<usize>,
}

impl<'s> TomlDoc<'s> {
    /// Creates a reader for `source` read from `path`.
    pub fn new(path: &Path, source: &'s str) -> Self {
        TomlDoc {
            path: path.to_path_buf(),
            source,
            diags: Vec::new(),
        }
    }

    /// Parses the document; syntax errors are recorded and `None` returned.
    pub fn parse(&mut self) -> Option<Spanned<DeTable<'s>>> {
        if self.source.len() > MAX_TOML_BYTES {
            self.diags.push(
                Diagnostic::error(format!("file is larger than {} MiB", MAX_TOML_BYTES >> 20))
                    .in_file(&self.path)
                    .help("a questionnaire or project file is a few kilobytes; check that the right file was named"),
            );
            return None;
        }
        if let Some(depth_at) = excessive_nesting(self.source, 64) {
            self.error(
                depth_at..depth_at,
                "nesting is deeper than 64 levels",
                "flatten the arrays or inline tables",
            );
            return None;
        }
        let (doc, errors) = DeTable::parse_recoverable(self.source);
        if errors.is_empty() {
            return Some(doc);
        }
        for e in errors {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim().to_string();
            self.error(span, &format!("TOML syntax: {msg}"), "fix the TOML syntax at this place (strings need quotes, keys may appear once per table)");
        }
        None
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Range<usize>, message: &str, help: &str) {
        let mut d = Diagnostic::error(message)
            .in_file(&self.path)
            .at_offset(self.source, span.start);
        if !help.is_empty() {
            d = d.help(help);
        }
        self.diags.push(d);
    }

    /// Records a warning at `span`.
    pub fn warning(&mut self, span: Range<usize>, message: &str, help: &str) {
        let mut d = Diagnostic::warning(message)
            .in_file(&self.path)
            .at_offset(self.source, span.start);
        if !help.is_empty() {
            d = d.help(help);
        }
        self.diags.push(d);
    }

    /// True when an error was recorded.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

/// Finds the offset where bracket nesting first exceeds `max` (outside strings and
/// comments), a cheap guard before handing the text to the recursive parser.
fn excessive_nesting(src: &str, max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut in_str: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match in_str {
            Some(q) => {
                if b == b'\\' && q == b'"' {
                    i += 1;
                } else if b == q || b == b'\n' {
                    in_str = None;
                }
            }
            None => match b {
                b'"' | b'\'' => in_str = Some(b),
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                b'[' | b'{' => {
                    depth += 1;
                    if depth > max {
                        return Some(i);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                b'\n' => {}
                _ => {}
            },
        }
        i += 1;
    }
    None
}

impl<'a, 'i> Table<'a, 'i> {
    /// Wraps a parsed table.
    pub fn new(table: &'a DeTable<'i>, span: Range<usize>, name: impl Into<String>) -> Self {
        Table {
            table,
            span,
            name: name.into(),
            used: Vec::new(),
        }
    }

    /// Span of the table itself.
    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    fn get(&mut self, key: &'static str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.used.push(key);
        self.table.get(key)
    }

    /// True when the key is present (and marks it used).
    pub fn has(&mut self, key: &'static str) -> bool {
        self.get(key).is_some()
    }

    fn wrong_type(&self, doc: &mut TomlDoc, key: &str, v: &Spanned<DeValue>, expected: &str) {
        doc.error(
            v.span(),
            &format!(
                "`{key}` in {} must be {expected}, found {}",
                self.name,
                v.get_ref().type_str()
            ),
            &format!("write `{key}` as {expected}"),
        );
    }

    /// An optional string.
    pub fn str(&mut self, doc: &mut TomlDoc, key: &'static str) -> Option<Located<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Located {
                value: s.to_string(),
                span: v.span(),
            }),
            _ => {
                self.wrong_type(doc, key, v, "a string in quotes");
                None
            }
        }
    }

    /// A required string.
    pub fn req_str(&mut self, doc: &mut TomlDoc, key: &'static str) -> Option<Located<String>> {
        let present = self.table.contains_key(key);
        let r = self.str(doc, key);
        if !present {
            doc.error(
                self.span(),
                &format!("{} has no `{key}`", self.name),
                &format!("add `{key} = \"...\"`"),
            );
        }
        r
    }

    /// An optional number (integer or float).
    pub fn num(&mut self, doc: &mut TomlDoc, key: &'static str) -> Option<Located<f64>> {
        let v = self.get(key)?;
        match number(v.get_ref()) {
            Some(n) if n.abs() > MAX_NUMBER => {
                doc.error(
                    v.span(),
                    &format!("`{key}` in {} is {n:e}, beyond ±{MAX_NUMBER:e}", self.name),
                    "use numbers of a sensible size",
                );
                None
            }
            Some(n) => Some(Located {
                value: n,
                span: v.span(),
            }),
            None => {
                self.wrong_type(doc, key, v, "a number");
                None
            }
        }
    }

    /// An optional non-negative integer.
    pub fn uint(&mut self, doc: &mut TomlDoc, key: &'static str) -> Option<Located<u64>> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
                .ok()
                .and_then(|n| u64::try_from(n).ok()),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(doc, key, v, "a whole number");
        }
        parsed.map(|n| Located {
            value: n,
            span: v.span(),
        })
    }

    /// An optional boolean.
    pub fn bool(&mut self, doc: &mut TomlDoc, key: &'static str) -> Option<Located<bool>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Located {
                value: *b,
                span: v.span(),
            }),
            _ => {
                self.wrong_type(doc, key, v, "true or false");
                None
            }
        }
    }

    /// An optional array of strings.
    pub fn str_list(
        &mut self,
        doc: &mut TomlDoc,
        key: &'static str,
    ) -> Option<Located<Vec<Located<String>>>> {
        let v = self.get(key)?;
        let DeValue::Array(arr) = v.get_ref() else {
            self.wrong_type(doc, key, v, "an array of strings, like [\"a\", \"b\"]");
            return None;
        };
        let mut out = Vec::new();
        for item in arr.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Located {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => doc.error(
                    item.span(),
                    &format!(
                        "`{key}` in {} must only hold strings, found {}",
                        self.name,
                        other.type_str()
                    ),
                    "put every entry in double quotes",
                ),
            }
        }
        Some(Located {
            value: out,
            span: v.span(),
        })
    }

    /// An optional array of numbers.
    pub fn num_list(
        &mut self,
        doc: &mut TomlDoc,
        key: &'static str,
    ) -> Option<Located<Vec<Located<f64>>>> {
        let v = self.get(key)?;
        let DeValue::Array(arr) = v.get_ref() else {
            self.wrong_type(doc, key, v, "an array of numbers, like [1, 2, 3]");
            return None;
        };
        let mut out = Vec::new();
        for item in arr.iter() {
            match number(item.get_ref()) {
                Some(n) if n.abs() > MAX_NUMBER => doc.error(
                    item.span(),
                    &format!(
                        "`{key}` in {} holds {n:e}, beyond ±{MAX_NUMBER:e}",
                        self.name
                    ),
                    "use numbers of a sensible size",
                ),
                Some(n) => out.push(Located {
                    value: n,
                    span: item.span(),
                }),
                None => doc.error(
                    item.span(),
                    &format!(
                        "`{key}` in {} must only hold numbers, found {}",
                        self.name,
                        item.get_ref().type_str()
                    ),
                    "write plain numbers without quotes",
                ),
            }
        }
        Some(Located {
            value: out,
            span: v.span(),
        })
    }

    /// An optional sub-table.
    pub fn table(&mut self, doc: &mut TomlDoc, key: &'static str) -> Option<Table<'a, 'i>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, v.span(), format!("[{key}]"))),
            _ => {
                self.wrong_type(doc, key, v, "a table");
                None
            }
        }
    }

    /// An optional array of tables (`[[key]]`).
    pub fn tables(
        &mut self,
        doc: &mut TomlDoc,
        key: &'static str,
        label: &str,
    ) -> Vec<Table<'a, 'i>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(arr) = v.get_ref() else {
            self.wrong_type(
                doc,
                key,
                v,
                &format!("an array of tables, written as [[{label}]]"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in arr.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Table::new(
                    t,
                    item.span(),
                    format!("[[{label}]] #{}", i + 1),
                )),
                other => doc.error(
                    item.span(),
                    &format!(
                        "entry {} of `{key}` must be a table, found {}",
                        i + 1,
                        other.type_str()
                    ),
                    &format!("write each entry as a [[{label}]] section"),
                ),
            }
        }
        out
    }

    /// Entries of this table as (key, value table) pairs, for maps like `[scale.NAME]`.
    pub fn entries(
        &self,
    ) -> impl Iterator<
        Item = (
            &'a Spanned<std::borrow::Cow<'i, str>>,
            &'a Spanned<DeValue<'i>>,
        ),
    > {
        self.table.iter()
    }

    /// Reports every key that was not read as unknown, suggesting the closest known one.
    pub fn finish(self, doc: &mut TomlDoc) {
        for (key, _) in self.table.iter() {
            if self.used.iter().any(|u| *u == key.get_ref().as_ref()) {
                continue;
            }
            let suggestions = closest(key.get_ref(), self.used.iter().copied(), 1);
            let help = match suggestions.first() {
                Some(s) => format!(
                    "did you mean `{s}`? Known keys here: {}",
                    self.used.join(", ")
                ),
                None => format!("remove it; known keys here: {}", self.used.join(", ")),
            };
            doc.error(
                key.span(),
                &format!("unknown key `{}` in {}", key.get_ref(), self.name),
                &help,
            );
        }
    }
}

/// A TOML integer or float as f64.
pub fn number(v: &DeValue) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite()),
        _ => None,
    }
}
