//! Cell parsing: turns one survey cell into empty / don't know / a valid answer /
//! invalid (SPEC §3, §9.7, §9.8).
//!
//! Each scale gets one [`CellParser`] built once from the questionnaire; it holds a
//! lookup table of every normalised token, so a cell costs one normalisation and one
//! hash look-up, and [`ColumnCache`] skips even that for the few distinct raw values a
//! survey column usually has.

use std::collections::HashMap;

use crate::questionnaire::{Scale, ScaleKind};
use crate::text::normalize_key;

/// What a cell means.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Not answered.
    Empty,
    /// A don't-know token.
    DontKnow,
    /// A categorical answer: index of the option (ordinal / boolean `[no, yes]`).
    Category(u16),
    /// A numeric answer (percent / number), already mapped to [0, 1].
    Value(f64),
    /// Not a valid answer; the reason.
    Invalid(String),
}

/// Parses the cells of every question that uses one scale.
#[derive(Debug, Clone)]
pub struct CellParser {
    tokens: HashMap<String, Cell>,
    kind: ScaleKind,
    scale_name: String,
    /// Ordinal values for numeric matching.
    values: Vec<f64>,
}

/// Longer cells cannot be an answer; they are rejected without normalising them.
const MAX_ANSWER_BYTES: usize = 512;

const BOOLEAN_NO: [&str; 5] = ["nein", "no", "false", "n", "falsch"];
const BOOLEAN_YES: [&str; 6] = ["ja", "yes", "true", "j", "y", "wahr"];

impl CellParser {
    /// Builds the lookup for a scale.
    pub fn new(scale: &Scale) -> Self {
        let mut tokens: HashMap<String, Cell> = HashMap::new();
        // Earlier inserts win: don't know, option text, code (SPEC §9.7 order).
        let mut add = |t: &str, c: Cell| {
            let key = normalize_key(t);
            if !key.is_empty() {
                tokens.entry(key).or_insert(c);
            }
        };
        for d in &scale.dont_know {
            add(d, Cell::DontKnow);
        }
        let mut values = Vec::new();
        match &scale.kind {
            ScaleKind::Ordinal {
                options,
                values: v,
                codes,
            } => {
                for (i, o) in options.iter().enumerate() {
                    add(o, Cell::Category(i as u16));
                }
                for (i, c) in codes.iter().flatten().enumerate() {
                    add(c, Cell::Category(i as u16));
                }
                values = v.clone();
            }
            ScaleKind::Boolean { options, codes } => {
                for list in [options, codes].into_iter().flatten() {
                    add(&list[0], Cell::Category(0));
                    add(&list[1], Cell::Category(1));
                }
                for t in BOOLEAN_NO {
                    add(t, Cell::Category(0));
                }
                for t in BOOLEAN_YES {
                    add(t, Cell::Category(1));
                }
                values = vec![0.0, 1.0];
            }
            ScaleKind::Percent | ScaleKind::Number { .. } => {}
        }
        // the answer codes of a survey made by `reifegrad template --format limesurvey`
        // (the scale's own codes, values or N/Y, else A1…); earlier meanings win
        for (i, code) in crate::template::limesurvey_answer_codes(scale)
            .iter()
            .enumerate()
        {
            add(code, Cell::Category(i as u16));
        }
        if let Some(dk) = crate::template::limesurvey_dont_know_code(scale) {
            add(&dk, Cell::DontKnow);
        }
        CellParser {
            tokens,
            kind: scale.kind.clone(),
            scale_name: scale.name.clone(),
            values,
        }
    }

    /// Parses one cell (raw text as read from the file).
    pub fn parse(&self, raw: &str) -> Cell {
        let mut trimmed = raw.trim();
        // LimeSurvey and spreadsheets guard values that start like a formula with `'`.
        if let Some(rest) = trimmed.strip_prefix('\'') {
            if rest.starts_with(['=', '+', '-', '@']) {
                trimmed = rest;
            }
        }
        if trimmed.is_empty() {
            return Cell::Empty;
        }
        if trimmed.len() > MAX_ANSWER_BYTES {
            return Cell::Invalid(format!(
                "not an answer: longer than {MAX_ANSWER_BYTES} bytes"
            ));
        }
        let key = normalize_key(trimmed);
        if let Some(c) = self.tokens.get(&key) {
            return c.clone();
        }
        match &self.kind {
            ScaleKind::Ordinal { .. } | ScaleKind::Boolean { .. } => match parse_number(&key) {
                Some(v) => match self.values.iter().position(|x| *x == v) {
                    Some(i) => Cell::Category(i as u16),
                    None => Cell::Invalid(format!(
                        "not a value of scale `{}`; expected {}",
                        self.scale_name,
                        self.describe_values()
                    )),
                },
                None => Cell::Invalid(format!(
                    "not an answer of scale `{}`; expected {}",
                    self.scale_name,
                    self.describe_values()
                )),
            },
            ScaleKind::Percent => {
                let body = key.strip_suffix('%').map(str::trim_end).unwrap_or(&key);
                match parse_number(body) {
                    Some(v) if (0.0..=100.0).contains(&v) => Cell::Value(v / 100.0),
                    Some(_) => Cell::Invalid(format!(
                        "outside 0..100 (scale `{}` is a percentage)",
                        self.scale_name
                    )),
                    None => {
                        Cell::Invalid("not a percentage (write e.g. 40, 37,5 or 80 %)".to_string())
                    }
                }
            }
            ScaleKind::Number { min, max } => match parse_number(&key) {
                Some(v) if v >= *min && v <= *max => Cell::Value((v - min) / (max - min)),
                Some(_) => Cell::Invalid(format!(
                    "outside {min}..{max} (scale `{}`)",
                    self.scale_name
                )),
                None => Cell::Invalid(format!(
                    "not a number (scale `{}` expects {min}..{max})",
                    self.scale_name
                )),
            },
        }
    }

    fn describe_values(&self) -> String {
        match &self.kind {
            ScaleKind::Ordinal {
                options, values, ..
            } => {
                let shown: Vec<String> =
                    options.iter().take(6).map(|o| format!("\"{o}\"")).collect();
                let more = if options.len() > 6 { ", …" } else { "" };
                let (lo, hi) = values
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                        (a.min(*v), b.max(*v))
                    });
                format!("one of {}{more}, or a value {lo}..{hi}", shown.join(", "))
            }
            _ => "ja/nein, yes/no, true/false, j/n, y/n or 1/0".to_string(),
        }
    }
}

/// Parses `[+-]digits[(.|,)digits]` (SPEC §9.8): no exponents, no thousands
/// separators, `.` always the decimal point.
pub fn parse_number(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i = 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == int_start {
        return None;
    }
    if i < b.len() {
        if !matches!(b[i], b'.' | b',') {
            return None;
        }
        let frac_start = i + 1;
        let mut j = frac_start;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == frac_start || j != b.len() {
            return None;
        }
    }
    s.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
}

/// A parsed cell as the hot loop keeps it: `Copy`, with an invalid cell's message
/// kept by the [`ColumnCache`] that parsed it (see [`ColumnCache::message`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    /// Not answered.
    Empty,
    /// A don't-know token.
    DontKnow,
    /// A categorical answer (option index).
    Category(u16),
    /// A numeric answer in [0, 1].
    Value(f64),
    /// Not a valid answer; the number identifies the message.
    Invalid(u32),
}

/// Remembers the parse result of the raw values a column has shown, so repeated
/// answers ("trifft eher zu" a thousand times) are parsed once. A survey column has a
/// handful of distinct answers, so a short list beats hashing: one-byte values (codes
/// `1`–`5`) are looked up in a table, values of up to 7 bytes are compared as one
/// integer, longer ones byte by byte. Values beyond the first few distinct ones are
/// parsed each time.
#[derive(Debug)]
pub struct ColumnCache {
    byte_slot: [u8; 256],
    short: Vec<(u64, Parsed)>,
    long: Vec<(Box<[u8]>, Parsed)>,
    messages: Vec<String>,
    scratch: Vec<String>,
}

impl Default for ColumnCache {
    fn default() -> Self {
        ColumnCache {
            byte_slot: [0; 256],
            short: Vec::new(),
            long: Vec::new(),
            messages: Vec::new(),
            scratch: Vec::new(),
        }
    }
}

const CACHE_LIMIT: usize = 24;
/// Marks a message index as one of the uncached (per-row) messages.
const SCRATCH: u32 = 1 << 31;

/// Packs up to 7 bytes and their length into one integer (distinct for distinct inputs).
fn pack(raw: &[u8]) -> Option<u64> {
    if raw.len() > 7 {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..raw.len()].copy_from_slice(raw);
    buf[7] = raw.len() as u8;
    Some(u64::from_le_bytes(buf))
}

impl ColumnCache {
    /// Parses `raw` through the cache.
    #[inline]
    pub fn parse(&mut self, parser: &CellParser, raw: &[u8]) -> Parsed {
        match raw.len() {
            0 => return Parsed::Empty,
            1 => {
                let slot = self.byte_slot[raw[0] as usize];
                if slot > 0 {
                    return self.short[slot as usize - 1].1;
                }
            }
            _ => {}
        }
        self.parse_slow(parser, raw)
    }

    fn parse_slow(&mut self, parser: &CellParser, raw: &[u8]) -> Parsed {
        let packed = pack(raw);
        if let Some(p) = packed {
            if let Some((_, c)) = self.short.iter().find(|(k, _)| *k == p) {
                return *c;
            }
        } else if let Some((_, c)) = self.long.iter().find(|(k, _)| **k == *raw) {
            return *c;
        }
        let cacheable = match packed {
            Some(_) => self.short.len() < CACHE_LIMIT,
            None => self.long.len() < CACHE_LIMIT && raw.len() <= 64,
        };
        let parsed = match parser.parse(&String::from_utf8_lossy(raw)) {
            Cell::Empty => Parsed::Empty,
            Cell::DontKnow => Parsed::DontKnow,
            Cell::Category(i) => Parsed::Category(i),
            Cell::Value(x) => Parsed::Value(x),
            Cell::Invalid(m) if cacheable => {
                self.messages.push(m);
                Parsed::Invalid(self.messages.len() as u32 - 1)
            }
            Cell::Invalid(m) => {
                self.scratch.push(m);
                Parsed::Invalid(SCRATCH | (self.scratch.len() as u32 - 1))
            }
        };
        if cacheable {
            match packed {
                Some(p) => {
                    self.short.push((p, parsed));
                    if raw.len() == 1 {
                        self.byte_slot[raw[0] as usize] = self.short.len() as u8;
                    }
                }
                None => self.long.push((raw.into(), parsed)),
            }
        }
        parsed
    }

    /// The message of an invalid cell parsed by this cache.
    pub fn message(&self, id: u32) -> &str {
        let m = if id & SCRATCH != 0 {
            self.scratch.get((id & !SCRATCH) as usize)
        } else {
            self.messages.get(id as usize)
        };
        m.map(String::as_str).unwrap_or("not a valid answer")
    }

    /// Forgets the messages of uncached cells (call once per row, after reporting).
    pub fn end_row(&mut self) {
        self.scratch.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ordinal() -> Scale {
        Scale {
            name: "z".into(),
            kind: ScaleKind::Ordinal {
                options: vec![
                    "trifft nicht zu".into(),
                    "teils/teils".into(),
                    "trifft zu".into(),
                ],
                values: vec![1.0, 2.0, 3.0],
                codes: Some(vec!["A1".into(), "A2".into(), "A3".into()]),
            },
            dont_know: vec!["weiß nicht".into()],
        }
    }

    #[test]
    fn ordinal_cells() {
        let p = CellParser::new(&ordinal());
        assert_eq!(p.parse("  "), Cell::Empty);
        assert_eq!(p.parse("Weiß  Nicht"), Cell::DontKnow);
        assert_eq!(p.parse("TRIFFT ZU"), Cell::Category(2));
        assert_eq!(p.parse("a2"), Cell::Category(1));
        assert_eq!(p.parse("3,0"), Cell::Category(2));
        assert_eq!(p.parse("1"), Cell::Category(0));
        assert_eq!(p.parse("'+3"), Cell::Category(2));
        assert!(matches!(p.parse("6"), Cell::Invalid(_)));
        assert!(matches!(p.parse("vielleicht"), Cell::Invalid(_)));
    }

    #[test]
    fn boolean_cells() {
        let s = Scale {
            name: "b".into(),
            kind: ScaleKind::Boolean {
                options: None,
                codes: Some(["N".into(), "Y".into()]),
            },
            dont_know: vec![],
        };
        let p = CellParser::new(&s);
        for t in ["ja", "Yes", "TRUE", "j", "y", "1", "Y"] {
            assert_eq!(p.parse(t), Cell::Category(1), "{t}");
        }
        for t in ["nein", "No", "false", "n", "0", "N"] {
            assert_eq!(p.parse(t), Cell::Category(0), "{t}");
        }
        assert!(matches!(p.parse("2"), Cell::Invalid(_)));
    }

    #[test]
    fn percent_and_number_cells() {
        let s = Scale {
            name: "p".into(),
            kind: ScaleKind::Percent,
            dont_know: vec![],
        };
        let p = CellParser::new(&s);
        assert_eq!(p.parse("37,5"), Cell::Value(0.375));
        assert_eq!(p.parse("80 %"), Cell::Value(0.8));
        assert_eq!(p.parse("80%"), Cell::Value(0.8));
        assert_eq!(p.parse("100"), Cell::Value(1.0));
        assert!(matches!(p.parse("150"), Cell::Invalid(_)));
        assert!(matches!(p.parse("1e2"), Cell::Invalid(_)));
        let s = Scale {
            name: "n".into(),
            kind: ScaleKind::Number {
                min: 0.0,
                max: 10.0,
            },
            dont_know: vec![],
        };
        let p = CellParser::new(&s);
        assert_eq!(p.parse("5"), Cell::Value(0.5));
        assert_eq!(p.parse("0"), Cell::Value(0.0));
        assert_eq!(p.parse("10"), Cell::Value(1.0));
        assert!(matches!(p.parse("11"), Cell::Invalid(_)));
        assert!(matches!(p.parse("NaN"), Cell::Invalid(_)));
    }

    #[test]
    fn cache_gives_the_parser_result() {
        let p = CellParser::new(&ordinal());
        let mut c = ColumnCache::default();
        for raw in [
            "1",
            "A2",
            "trifft zu",
            "1",
            "A2",
            "trifft zu",
            "",
            "x",
            "x\0",
            "1234567",
            "12345678",
            "6",
            "6",
        ] {
            let expected = p.parse(raw);
            let got = c.parse(&p, raw.as_bytes());
            match (expected, got) {
                (Cell::Invalid(m), Parsed::Invalid(id)) => assert_eq!(c.message(id), m),
                (Cell::Empty, Parsed::Empty) | (Cell::DontKnow, Parsed::DontKnow) => {}
                (Cell::Category(a), Parsed::Category(b)) => assert_eq!(a, b),
                (e, g) => panic!("{raw:?}: {e:?} vs {g:?}"),
            }
        }
        assert_ne!(pack(b"1"), pack(b"1\0"));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1.000"), Some(1.0));
        assert_eq!(parse_number("-2,5"), Some(-2.5));
        assert_eq!(parse_number("+3"), Some(3.0));
        for bad in ["", "1.", ".5", "1e3", "inf", "1.000,5", "1 000", "--1"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
    }
}
