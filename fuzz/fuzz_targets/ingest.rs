//! Fuzz target `ingest`: survey CSV ingest, scoring and JSON output must never panic,
//! and ingest must not lose rows or cells (SPEC §3 "Nothing is lost silently").
//!
//! The input bytes are written as a CSV file into a per-process temp folder and read
//! with a small fixed questionnaire (ordinal with codes and don't-know tokens, boolean,
//! percent and number scales, alias headers, a reverse question, a `min` area), once
//! with the default options (UTF-8, Windows-1252 fallback, delimiter sniffing) and once
//! with the encoding forced to Windows-1252. Each result is checked, scored with
//! `min_group_size = 2` and serialised to JSON.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reifegrad::ingest::{self, Encoding, IngestOptions, Ingested, ProblemKind, SurveyFile};
use reifegrad::questionnaire::Questionnaire;
use reifegrad::score::{self, ScoreOptions};

const QUESTIONNAIRE: &str = r#"
[questionnaire]
id = "fuzz"
title = "Fuzz"
version = "1"
language = "de"

[reporting]
min_group_size = 2

[[level]]
min = 0
name = "Einstieg"
[[level]]
min = 50
name = "Etabliert"

[scale.zustimmung]
kind = "ordinal"
options = ["trifft nicht zu", "teils/teils", "trifft voll zu"]
values = [1, 2, 3]
codes = ["A1", "A2", "A3"]
dont_know = ["weiß nicht", "k.A."]

[scale.ozg]
kind = "ordinal"
options = ["Offline", "Information", "Online"]
values = [0, 1, 4]

[scale.janein]
kind = "boolean"
dont_know = ["unklar"]

[scale.anteil]
kind = "percent"

[scale.anzahl]
kind = "number"
min = 0
max = 10

[[area]]
id = "strategie"
name = "Strategie"
target = 75

[[area.question]]
id = "q1"
text = "Es gibt eine Digitalstrategie."
scale = "zustimmung"
aliases = ["G01Q01[SQ001]", "Strategie vorhanden"]

[[area.question]]
id = "q2"
text = "Medienbrüche sind häufig."
scale = "zustimmung"
reverse = true
weight = 2

[[area.question]]
id = "q3"
text = "Wohnsitz ummelden"
scale = "ozg"
aliases = ["G01Q02"]

[[area]]
id = "technik"
name = "Technik"
weight = 0.5
aggregate = "min"

[[area.question]]
id = "t1"
text = "Die Akte ist elektronisch."
scale = "janein"
aliases = ["E-Akte"]

[[area.question]]
id = "t2"
text = "Anteil digitaler Vorgänge"
scale = "anteil"

[[area.question]]
id = "t3"
text = "Anzahl Fachverfahren"
scale = "anzahl"
aliases = ["Fachverfahren (Anzahl)"]
"#;

fn questionnaire() -> &'static Questionnaire {
    static Q: OnceLock<Questionnaire> = OnceLock::new();
    Q.get_or_init(|| {
        match reifegrad::questionnaire::parse_str(Path::new("fuzz.toml"), QUESTIONNAIRE) {
            Ok((q, _)) => q,
            Err(f) => panic!("the fixed fuzz questionnaire does not parse:\n{f}"),
        }
    })
}

/// The survey file of this process. Its stem (`Amt`) is the department when the CSV
/// has no department column.
fn csv_path() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("reifegrad-fuzz-ingest-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("create the fuzz temp folder");
        d.join("Amt.csv")
    })
}

fn check(q: &Questionnaire, ing: &Ingested, what: &str) {
    for f in &ing.files {
        assert_eq!(
            f.rows_read,
            f.rows_used + f.rows_rejected,
            "{what}: rows_read != rows_used + rows_rejected in {f:?}"
        );
        assert!(
            f.rows_incomplete <= f.rows_rejected,
            "{what}: rows_incomplete > rows_rejected in {f:?}"
        );
    }
    for d in &ing.tally.departments {
        assert_eq!(d.questions.len(), q.questions.len(), "{what}: tally shape");
        for (qu, t) in q.questions.iter().zip(&d.questions) {
            assert_eq!(
                t.valid + t.dont_know + t.empty + t.invalid,
                d.respondents,
                "{what}: department `{}`, question `{}`: valid {} + dont_know {} + empty {} + invalid {} != respondents {}",
                d.name,
                qu.id,
                t.valid,
                t.dont_know,
                t.empty,
                t.invalid,
                d.respondents
            );
            let counted: u64 = t.counts.iter().sum();
            if q.scale_of(qu).is_categorical() {
                assert_eq!(
                    counted, t.valid,
                    "{what}: department `{}`, question `{}`: option counts {counted} != valid {}",
                    d.name, qu.id, t.valid
                );
            }
        }
    }
    // cross-checks between the file reports, the problems and the tallies
    let used: u64 = ing.files.iter().map(|f| f.rows_used).sum();
    let respondents: u64 = ing.tally.departments.iter().map(|d| d.respondents).sum();
    assert_eq!(
        used, respondents,
        "{what}: sum of rows_used != sum of respondents"
    );
    let rejected: u64 = ing.files.iter().map(|f| f.rows_rejected).sum();
    let row_problems = ing
        .problems
        .iter()
        .filter(|p| p.kind != ProblemKind::Cell)
        .count() as u64;
    assert_eq!(
        rejected, row_problems,
        "{what}: rows_rejected != row problems listed"
    );
    let invalid_cells: u64 = ing.files.iter().map(|f| f.invalid_cells).sum();
    let cell_problems = ing
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::Cell)
        .count() as u64;
    assert_eq!(
        invalid_cells, cell_problems,
        "{what}: invalid_cells != cell problems listed"
    );
    let tallied_invalid: u64 = ing
        .tally
        .departments
        .iter()
        .flat_map(|d| d.questions.iter().map(|t| t.invalid))
        .sum();
    assert_eq!(
        invalid_cells, tallied_invalid,
        "{what}: invalid_cells != tallied invalid"
    );
}

fn run(q: &Questionnaire, path: &Path, opts: &IngestOptions, what: &str) {
    let ing = ingest::ingest(q, &[SurveyFile::new(path.to_path_buf())], opts);
    check(q, &ing, what);
    for d in &ing.diagnostics {
        let _ = d.to_string();
    }
    for p in &ing.problems {
        let _ = p.to_diagnostic().to_string();
    }
    // like analysis::run: scoring only happens when ingest found no file-level error
    if !ing.has_errors() {
        let results = score::score(
            q,
            &ing,
            &ScoreOptions {
                min_group_size: 2,
                ..Default::default()
            },
        );
        serde_json::to_string(&results).expect("results serialise to JSON");
    }
}

/// The integer results of an ingest, which must not depend on reading in halves.
fn counts(ing: &Ingested) -> String {
    let mut s = format!("{:?}\n", ing.problems);
    for f in &ing.files {
        s.push_str(&format!(
            "{} {} {} {} {} {} {} {:?}\n",
            f.path,
            f.rows_read,
            f.rows_used,
            f.rows_rejected,
            f.rows_incomplete,
            f.invalid_cells,
            f.encoding,
            f.departments
        ));
    }
    for d in &ing.diagnostics {
        s.push_str(&format!("{:?} {:?} {:?}\n", d.severity, d.line, d.message));
    }
    for d in &ing.tally.departments {
        s.push_str(&format!("{} {}\n", d.name, d.respondents));
        for t in &d.questions {
            s.push_str(&format!(
                "{} {} {} {} {:?} {}\n",
                t.valid,
                t.dont_know,
                t.empty,
                t.invalid,
                t.counts,
                t.values.n()
            ));
        }
        for p in &d.area_patterns {
            s.push_str(&format!("{:?}\n", p.iter().collect::<Vec<_>>()));
        }
    }
    s
}

fuzz_target!(|data: &[u8]| {
    let q = questionnaire();
    let path = csv_path();
    std::fs::write(path, data).expect("write the fuzz CSV");
    run(q, path, &IngestOptions::default(), "default options");
    // reading the file in two halves (forced for any size) changes nothing
    let one = ingest::ingest(
        q,
        &[SurveyFile::new(path.to_path_buf())],
        &IngestOptions {
            split_min_bytes: Some(u64::MAX),
            ..Default::default()
        },
    );
    let two = ingest::ingest(
        q,
        &[SurveyFile::new(path.to_path_buf())],
        &IngestOptions {
            split_min_bytes: Some(1),
            ..Default::default()
        },
    );
    check(q, &two, "read in halves");
    assert_eq!(counts(&one), counts(&two), "reading in halves changed the result");
    run(
        q,
        path,
        &IngestOptions {
            encoding: Some(Encoding::Windows1252),
            ..Default::default()
        },
        "encoding windows-1252",
    );
});
