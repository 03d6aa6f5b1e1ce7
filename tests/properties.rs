//! Property tests: on random surveys (valid, invalid, empty and don't-know cells,
//! ragged rows, blank lines, several files and departments) nothing is lost:
//! rows read = used + rejected per file, valid + don't know + empty + invalid = used
//! rows per question, and the organisation's counts are the sum of the departments'.

use std::path::Path;

use proptest::prelude::*;
use reifegrad::ingest::{ingest, IngestOptions, SurveyFile};
use reifegrad::questionnaire::parse_str;
use reifegrad::score::{score, ScoreOptions};

const Q: &str = r#"
[questionnaire]
id = "p"
title = "P"
[scale.z]
kind = "ordinal"
options = ["nein", "eher nein", "eher ja", "ja"]
codes = ["A1", "A2", "A3", "A4"]
dont_know = ["wn"]
[scale.b]
kind = "boolean"
[scale.p]
kind = "percent"
[[area]]
id = "a"
name = "A"
[[area.question]]
id = "q1"
text = "Q1"
scale = "z"
[[area.question]]
id = "q2"
text = "Q2"
scale = "b"
reverse = true
[[area]]
id = "b"
name = "B"
[[area.question]]
id = "q3"
text = "Q3"
scale = "p"
"#;

/// A cell: valid, don't know, empty or invalid, in several spellings.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("wn".to_string()),
        Just("A3".to_string()),
        Just("eher ja".to_string()),
        Just("ja".to_string()),
        Just("2".to_string()),
        Just("37,5".to_string()),
        Just("80 %".to_string()),
        Just("150".to_string()),
        Just("vielleicht".to_string()),
        Just("\"quoted, with comma\"".to_string()),
        "[a-z0-9 ]{0,6}",
    ]
}

/// A row: department, id, three answers; sometimes a field too few or too many,
/// sometimes a blank line.
fn row() -> impl Strategy<Value = String> {
    (0usize..4, 0u32..30, cell(), cell(), cell(), 0u8..20).prop_map(|(d, id, a, b, c, shape)| {
        let dept = ["Bauamt", "Bürgeramt", "Kämmerei", ""][d];
        match shape {
            0 => String::new(),
            1 => format!("{id},{dept},{a},{b}"),
            2 => format!("{id},{dept},{a},{b},{c},extra"),
            _ => format!("{id},{dept},{a},{b},{c}"),
        }
    })
}

fn file() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(row(), 0..40)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn nothing_is_lost(files in prop::collection::vec(file(), 1..4), crlf in any::<bool>()) {
        let (q, _) = parse_str(Path::new("q.toml"), Q).expect("questionnaire");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut surveys = Vec::new();
        for (i, rows) in files.iter().enumerate() {
            let nl = if crlf { "\r\n" } else { "\n" };
            let mut text = format!("id,Fachbereich,q1,q2,q3{nl}");
            for r in rows {
                text.push_str(r);
                text.push_str(nl);
            }
            let path = dir.path().join(format!("f{i}.csv"));
            std::fs::write(&path, text).expect("write");
            surveys.push(SurveyFile::new(path));
        }
        let ing = ingest(&q, &surveys, &IngestOptions::default());
        for f in &ing.files {
            prop_assert_eq!(f.rows_read, f.rows_used + f.rows_rejected, "file {}", f.path);
        }
        let mut total_used = 0;
        for d in &ing.tally.departments {
            total_used += d.respondents;
            for t in &d.questions {
                prop_assert_eq!(t.valid + t.dont_know + t.empty + t.invalid, d.respondents);
                prop_assert_eq!(t.counts.iter().sum::<u64>() + t.values.n(), t.valid);
            }
        }
        let used: u64 = ing.files.iter().map(|f| f.rows_used).sum();
        prop_assert_eq!(used, total_used);
        let problems_rows = ing.problems.iter().filter(|p| p.is_row()).count() as u64;
        let rejected: u64 = ing.files.iter().map(|f| f.rows_rejected).sum();
        prop_assert_eq!(problems_rows, rejected);
        let invalid: u64 = ing.files.iter().map(|f| f.invalid_cells).sum();
        prop_assert_eq!(ing.problems.iter().filter(|p| !p.is_row()).count() as u64, invalid);

        if used > 0 {
            let r = score(&q, &ing, &ScoreOptions { min_group_size: 1, ..ScoreOptions::default() });
            let org = &r.groups[0];
            prop_assert_eq!(org.respondents, Some(used));
            for (i, qr) in org.questions.iter().enumerate() {
                let sum: u64 = r.groups[1..].iter().map(|g| g.questions[i].n.unwrap_or(0)).sum();
                prop_assert_eq!(qr.n, Some(sum));
                if let Some(s) = qr.score {
                    prop_assert!((0.0..=100.0).contains(&s));
                }
            }
            let json = serde_json::to_string(&r).expect("json");
            prop_assert!(!json.contains("NaN"));
        }
    }
}
