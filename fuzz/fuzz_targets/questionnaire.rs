//! Fuzz target `questionnaire`: questionnaire and project TOML parsing must never panic.
//!
//! The input bytes are lossily converted to UTF-8 and fed to
//! `reifegrad::questionnaire::parse_str` and `reifegrad::project::parse_str`. Every
//! diagnostic is rendered (`Display`), because rendering slices source lines at
//! line/column positions. A questionnaire that parses is pushed a little further: a
//! cell parser per scale, a department tally, levels.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reifegrad::ingest::{CellParser, DepartmentTally};

/// A folder of this process the project file "lives" in, so relative survey globs
/// only ever look into this small folder.
fn project_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("reifegrad-fuzz-project-{}", std::process::id()));
        // a questionnaire and one survey file, so a seed with
        // `questionnaire = "questionnaire.toml"` and `surveys = ["data/2025/*.csv"]`
        // gets past the existence checks and the glob to the rest of the project checks
        let data = d.join("data").join("2025");
        let _ = std::fs::create_dir_all(&data);
        let _ = std::fs::write(d.join("questionnaire.toml"), "");
        let _ = std::fs::write(data.join("amt.csv"), "id,q1\n1,ja\n");
        d
    })
}

/// True when survey patterns of the project text could leave the project folder
/// (absolute paths, `..`, escapes that could spell either). `project::parse_str`
/// expands globs on the real file system; a fuzzer-made `/**/*` would walk the whole
/// disk and show up as a timeout that is not a bug of the parser.
fn may_escape_folder(text: &str) -> bool {
    text.contains("..")
        || text.contains('\\')
        || text.contains("\"/")
        || text.contains("'/")
        || text.contains("\n/")
        || text.contains('~')
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);

    match reifegrad::questionnaire::parse_str(Path::new("q.toml"), &text) {
        Ok((q, warnings)) => {
            for w in &warnings {
                let _ = w.to_string();
            }
            for s in &q.scales {
                let p = CellParser::new(s);
                for probe in ["", "1", "0", "ja", "weiß nicht", "50 %", "-0,5", "A1"] {
                    let _ = p.parse(probe);
                }
                let _ = s.categories(q.language);
            }
            let _ = DepartmentTally::new("Amt", &q);
            for score in [-1.0, 0.0, 50.0, 100.0, f64::NAN] {
                let _ = q.level_of(score);
                let _ = q.level_index(score);
            }
        }
        Err(f) => {
            assert!(
                f.0.iter().any(|d| d.is_error()),
                "questionnaire::parse_str failed without an error diagnostic"
            );
            let _ = f.to_string();
        }
    }

    if !may_escape_folder(&text) {
        let path = project_dir().join("reifegrad.toml");
        match reifegrad::project::parse_str(&path, &text) {
            Ok((p, warnings)) => {
                for w in &warnings {
                    let _ = w.to_string();
                }
                let _ = p.input(None);
            }
            Err(f) => {
                assert!(
                    f.0.iter().any(|d| d.is_error()),
                    "project::parse_str failed without an error diagnostic"
                );
                let _ = f.to_string();
            }
        }
    }
});
