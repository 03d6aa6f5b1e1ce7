//! Text helpers shared by every stage: the one normalisation used to match headers,
//! answers and department names (SPEC §9.7), the German dictionary order used to sort
//! departments (SPEC §9.16), slugs for file names and the spreadsheet formula guard.
//!
//! They live in one place so that "matches" means the same thing in the questionnaire
//! validator, the CSV ingest and the template generator.

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// Normalises a display text: Unicode NFC, trimmed, inner white space collapsed to
/// one space. Case is kept (department names compare with case, SPEC §9.7).
pub fn normalize_display(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Normalises a text for case-insensitive matching (headers, option texts, codes,
/// don't-know tokens): [`normalize_display`] plus Unicode lower-casing (`ß` stays `ß`).
pub fn normalize_key(s: &str) -> String {
    let display = normalize_display(s);
    if display.is_ascii() {
        display.to_ascii_lowercase()
    } else {
        display.to_lowercase()
    }
}

/// Normalises a question text for matching a survey column headed by the full text
/// (MS Forms, Google Forms, LimeSurvey "full question text"): [`normalize_key`], quotes
/// of every kind removed, trailing punctuation dropped.
pub fn normalize_text_key(s: &str) -> String {
    let without_quotes: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '"' | '\''
                    | '„'
                    | '“'
                    | '”'
                    | '‚'
                    | '‘'
                    | '’'
                    | '«'
                    | '»'
                    | '‹'
                    | '›'
                    | '`'
                    | '´'
            )
        })
        .collect();
    let key = normalize_key(&without_quotes);
    key.trim_end_matches(|c: char| {
        matches!(c, '.' | ':' | '?' | '!' | '…' | ';' | ',') || c.is_whitespace()
    })
    .to_string()
}

/// The primary sort key of DIN 5007-1 ("dictionary order"): umlauts sort as their base
/// letter (ä = a), ß as "ss", other accents are ignored, case is ignored.
pub fn din5007_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Compares two names in German dictionary order (DIN 5007-1), ties broken by code
/// point so that the order is total and stable.
pub fn din5007_cmp(a: &str, b: &str) -> Ordering {
    din5007_key(a).cmp(&din5007_key(b)).then_with(|| a.cmp(b))
}

/// Makes a file-name slug from a display name: German umlauts transliterated
/// (ä → ae, ß → ss), other accents dropped, lower case, every other character a
/// hyphen, runs collapsed, at most 60 characters. The result only contains
/// `[a-z0-9-]`, so it can never leave the folder it is joined to (`../x` → `x`).
/// An empty result becomes `x`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let push = |s: &str, out: &mut String| {
        for ch in s.chars() {
            if ch.is_ascii_alphanumeric() {
                out.push(ch.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
    };
    for c in name.nfc() {
        let mapped: String = match c {
            'ä' | 'Ä' => "ae".into(),
            'ö' | 'Ö' => "oe".into(),
            'ü' | 'Ü' => "ue".into(),
            'ß' | 'ẞ' => "ss".into(),
            _ => c.nfd().filter(|d| !is_combining_mark(*d)).collect(),
        };
        push(&mapped, &mut out);
    }
    let mut s: String = out.trim_matches('-').chars().take(60).collect();
    while s.ends_with('-') {
        s.pop();
    }
    if s.is_empty() {
        "x".to_string()
    } else {
        s
    }
}

/// Guards a text cell written to a CSV file against spreadsheet formula injection
/// (SPEC §5): a cell that begins with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'`.
pub fn csv_guard(s: &str) -> std::borrow::Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{s}").into(),
        _ => s.into(),
    }
}

/// Cuts a text for a message to at most `max` characters, marking the cut with `…`.
pub fn shorten(s: &str, max: usize) -> String {
    let s = s.trim();
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Levenshtein distance over characters, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidates closest to `word` (case-insensitive edit distance), best first, at
/// most `max`; only candidates within a distance that still makes sense are offered.
pub fn closest<'a, I>(word: &str, candidates: I, max: usize) -> Vec<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    // a suggestion for a very long word is no help, and the distance costs O(n·m)
    if word.len() > 200 {
        return Vec::new();
    }
    let w = normalize_key(word);
    let mut scored: Vec<(usize, &'a str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(&w, &normalize_key(c)), c))
        .filter(|(d, c)| *d <= (w.chars().count().max(c.chars().count()) / 2).max(2))
        .collect();
    scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(max).map(|(_, c)| c).collect()
}

/// Formats a score with one decimal, with a decimal comma for German output.
pub fn fmt_decimal(v: f64, decimals: usize, comma: bool) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s == "-0.0" || s == "-0" {
        s[1..].to_string()
    } else {
        s
    };
    if comma {
        s.replace('.', ",")
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_normalises_case_space_and_nfc() {
        assert_eq!(normalize_key("  Trifft   eher\tZU "), "trifft eher zu");
        // "ä" as a + combining diaeresis equals precomposed ä
        assert_eq!(normalize_key("Gea\u{0308}ndert"), normalize_key("Geändert"));
        assert_eq!(normalize_key("STRAßE"), "straße");
        assert_eq!(normalize_display(" Bürger  Amt "), "Bürger Amt");
    }

    #[test]
    fn text_keys_ignore_quotes_and_trailing_punctuation() {
        assert_eq!(
            normalize_text_key("Die „E-Akte“ wird genutzt."),
            normalize_text_key("die \"E-Akte\" wird genutzt")
        );
        assert_eq!(
            normalize_text_key("Gibt es ein Konzept?  "),
            "gibt es ein konzept"
        );
    }

    #[test]
    fn din5007_orders_umlauts_as_base_letters() {
        let mut v = vec![
            "Zentrale",
            "Ämter",
            "Amt",
            "Bürgeramt",
            "Buergeramt",
            "ordnung",
            "Öffentlichkeit",
        ];
        v.sort_by(|a, b| din5007_cmp(a, b));
        assert_eq!(
            v,
            vec![
                "Amt",
                "Ämter",
                "Buergeramt",
                "Bürgeramt",
                "Öffentlichkeit",
                "ordnung",
                "Zentrale"
            ]
        );
        assert_eq!(din5007_key("Straße"), "strasse");
    }

    #[test]
    fn slugs_are_confined() {
        assert_eq!(slug("Bürgeramt"), "buergeramt");
        assert_eq!(slug("../../etc/x"), "etc-x");
        assert_eq!(slug("=HYPERLINK(\"x\")"), "hyperlink-x");
        assert_eq!(slug("..."), "x");
        assert_eq!(slug("Straßenverkehrsamt & IT"), "strassenverkehrsamt-it");
        assert!(slug(&"a".repeat(200)).len() <= 60);
    }

    #[test]
    fn guard_prefixes_formula_starts() {
        assert_eq!(csv_guard("=1+1"), "'=1+1");
        assert_eq!(csv_guard("-5"), "'-5");
        assert_eq!(csv_guard("@x"), "'@x");
        assert_eq!(csv_guard("\tx"), "'\tx");
        assert_eq!(csv_guard("Amt"), "Amt");
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            closest("zustimung", ["zustimmung", "ozg", "anteil"], 3),
            vec!["zustimmung"]
        );
        assert!(closest("xyz", ["zustimmung"], 3).is_empty());
    }

    #[test]
    fn decimals() {
        assert_eq!(fmt_decimal(57.25, 1, true), "57,2");
        assert_eq!(fmt_decimal(-0.01, 1, false), "0.0");
        assert_eq!(fmt_decimal(14.0, 1, false), "14.0");
    }
}
