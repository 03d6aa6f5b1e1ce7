//! The blank survey CSV: a header row and no data rows.

use super::department_column;
use crate::questionnaire::Questionnaire;

/// The blank survey CSV for `q`: one header row, `id`, the department column
/// ([`department_column`]: "Fachbereich" / "Department") and then every question id
/// in questionnaire order; no data rows; CRLF line end.
///
/// `excel = true` writes a UTF-8 byte order mark and `;` as delimiter (what Excel
/// with German settings opens directly); otherwise `,` and no BOM. A header that
/// contains the delimiter, a double quote, CR or LF is quoted (RFC 4180). Headers
/// are written as they are, without the formula guard of SPEC §5: they must match
/// the question ids exactly when the filled file is read back, and they come from
/// the questionnaire author, not from respondents.
pub fn csv(q: &Questionnaire, excel: bool) -> String {
    let delimiter = if excel { ';' } else { ',' };
    let mut out = String::new();
    if excel {
        out.push('\u{feff}');
    }
    let headers = ["id", department_column(q.language)]
        .into_iter()
        .chain(q.questions.iter().map(|question| question.id.as_str()));
    for (i, h) in headers.enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        out.push_str(&quote(h, delimiter));
    }
    out.push_str("\r\n");
    out
}

fn quote(field: &str, delimiter: char) -> String {
    if field.contains([delimiter, '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse_str;
    use std::path::Path;

    const ODD: &str = r#"
[questionnaire]
id = "odd"
title = "Odd"
version = "1"
language = "en"

[scale.yn]
kind = "boolean"

[[area]]
id = "a"
name = "A"

[[area.question]]
id = "plain"
text = "Plain"
scale = "yn"

[[area.question]]
id = "with,comma;semi"
text = "Comma"
scale = "yn"

[[area.question]]
id = 'say"hi"'
text = "Quote"
scale = "yn"
"#;

    fn kommune() -> Questionnaire {
        parse_str(
            Path::new("kommune.toml"),
            include_str!("../../questionnaires/kommune.toml"),
        )
        .expect("kommune.toml parses")
        .0
    }

    /// Splits one CSV record (no embedded newlines) into its unquoted fields.
    fn split(line: &str, delimiter: char) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    fields.last_mut().unwrap().push('"');
                }
                '"' => quoted = !quoted,
                c if c == delimiter && !quoted => fields.push(String::new()),
                c => fields.last_mut().unwrap().push(c),
            }
        }
        fields
    }

    #[test]
    fn kommune_header_has_id_department_and_every_question() {
        let q = kommune();
        let text = csv(&q, false);
        assert!(text.ends_with("\r\n"));
        assert_eq!(text.matches("\r\n").count(), 1, "header only, no rows");
        assert!(!text.starts_with('\u{feff}'));
        let fields = split(text.trim_end_matches("\r\n"), ',');
        assert_eq!(fields[0], "id");
        assert_eq!(fields[1], "Fachbereich");
        let ids: Vec<&str> = q.questions.iter().map(|x| x.id.as_str()).collect();
        assert_eq!(fields[2..], ids[..]);
        assert_eq!(ids.len(), 46);
    }

    #[test]
    fn excel_variant_has_bom_and_semicolons() {
        let q = kommune();
        let text = csv(&q, true);
        let body = text.strip_prefix('\u{feff}').expect("BOM");
        assert!(body.starts_with("id;Fachbereich;strategie_konzept;"));
        assert!(!body.contains(','));
        assert_eq!(split(body.trim_end(), ';').len(), 2 + q.questions.len());
    }

    #[test]
    fn odd_ids_are_quoted_and_round_trip() {
        let (q, _) = parse_str(Path::new("q.toml"), ODD).expect("parses");
        for excel in [false, true] {
            let d = if excel { ';' } else { ',' };
            let text = csv(&q, excel);
            let fields = split(text.trim_start_matches('\u{feff}').trim_end(), d);
            assert_eq!(
                fields,
                ["id", "Department", "plain", "with,comma;semi", "say\"hi\""]
            );
        }
        assert_eq!(
            csv(&q, false),
            "id,Department,plain,\"with,comma;semi\",\"say\"\"hi\"\"\"\r\n"
        );
    }

    #[test]
    fn output_is_deterministic() {
        let q = kommune();
        assert_eq!(csv(&q, true), csv(&q, true));
    }
}
