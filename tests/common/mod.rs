//! Shared helpers of the black-box integration tests: run the `reifegrad` binary,
//! parse its JSON and CSV output back, and look things up in the results.
//!
//! Every test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// The small questionnaire most tests use (2 areas, 5 questions, min_group_size 4).
pub const Q_SMALL: &str = "tests/fixtures/q-small.toml";
/// The shipped questionnaire of the sample.
pub const Q_KOMMUNE: &str = "questionnaires/kommune.toml";

/// What one run of the binary gave.
#[derive(Debug)]
pub struct Out {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Out {
    /// Asserts the exit code, showing both streams on failure.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Asserts that stderr contains `needle`.
    #[track_caller]
    pub fn stderr_has(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr should contain {needle:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    /// Asserts that stdout contains `needle`.
    #[track_caller]
    pub fn stdout_has(&self, needle: &str) -> &Self {
        assert!(
            self.stdout.contains(needle),
            "stdout should contain {needle:?}\n--- stdout ---\n{}",
            self.stdout
        );
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON: {e}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts that the process did not panic and ended with 0, 1 or 2.
    #[track_caller]
    pub fn no_panic(&self) -> &Self {
        assert!(
            !self.stderr.contains("panicked"),
            "the binary panicked:\n{}",
            self.stderr
        );
        assert!(
            matches!(self.code, 0..=2),
            "exit code {} is not 0/1/2\n--- stderr ---\n{}",
            self.code,
            self.stderr
        );
        self
    }
}

/// The package root (tests run the binary from here so fixture paths are relative).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, started in the package root.
pub fn bin() -> Command {
    let mut c = Command::cargo_bin("reifegrad").expect("binary `reifegrad` is built");
    c.current_dir(root());
    c.timeout(std::time::Duration::from_secs(60));
    c
}

/// Runs the binary with `args` and captures everything.
pub fn run<I, S>(args: I) -> Out
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = bin().args(args).output().expect("binary runs");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `score --format json` with the given arguments; asserts exit 0 and returns the JSON
/// and the run.
#[track_caller]
pub fn score_json(args: &[&str]) -> (Value, Out) {
    let mut all = vec!["score", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    out.expect_code(0);
    (out.json(), out)
}

/// A fixture path relative to the package root, as a string.
pub fn fx(rel: &str) -> String {
    format!("tests/fixtures/{rel}")
}

/// Writes `bytes` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write temp file");
    p.to_string_lossy().into_owned()
}

/// The group named `name` (organisation or department).
#[track_caller]
pub fn group<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["groups"]
        .as_array()
        .expect("groups is an array")
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("no group {name:?}; groups: {:?}", group_names(v)))
}

/// The names of all groups, in output order.
pub fn group_names(v: &Value) -> Vec<String> {
    v["groups"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|g| g["name"].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The organisation group (first).
pub fn org(v: &Value) -> &Value {
    &v["groups"][0]
}

/// A question of a group by id.
#[track_caller]
pub fn question<'a>(g: &'a Value, id: &str) -> &'a Value {
    g["questions"]
        .as_array()
        .expect("questions is an array")
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no question {id:?} in group {}", g["name"]))
}

/// An area of a group by id.
#[track_caller]
pub fn area<'a>(g: &'a Value, id: &str) -> &'a Value {
    g["areas"]
        .as_array()
        .expect("areas is an array")
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no area {id:?} in group {}", g["name"]))
}

/// The `quality.files` entry whose path ends with `suffix`.
#[track_caller]
pub fn file_report<'a>(v: &'a Value, suffix: &str) -> &'a Value {
    v["quality"]["files"]
        .as_array()
        .expect("quality.files is an array")
        .iter()
        .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(suffix)))
        .unwrap_or_else(|| panic!("no file report for {suffix}: {}", v["quality"]["files"]))
}

/// All `quality.problems` entries.
pub fn problems(v: &Value) -> Vec<Value> {
    v["quality"]["problems"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Asserts a JSON number equals `expected` within 1e-9 (relative to its size).
#[track_caller]
pub fn close(actual: &Value, expected: f64, what: &str) {
    let a = actual
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: expected the number {expected}, got {actual}"));
    let tol = 1e-9 * expected.abs().max(1.0);
    assert!(
        (a - expected).abs() <= tol,
        "{what}: expected {expected}, got {a}"
    );
}

/// Asserts a JSON value is `null`.
#[track_caller]
pub fn null(actual: &Value, what: &str) {
    assert!(actual.is_null(), "{what}: expected null, got {actual}");
}

/// Asserts a JSON value is the integer `expected`.
#[track_caller]
pub fn int(actual: &Value, expected: u64, what: &str) {
    assert_eq!(actual.as_u64(), Some(expected), "{what}: got {actual}");
}

/// t quantile t(0.975, df) (SPEC §4.2), for the degrees of freedom the fixtures have.
pub fn t975(df: u64) -> f64 {
    match df {
        1 => 12.706204736174694,
        2 => 4.302652729749462,
        3 => 3.1824463052837078,
        4 => 2.7764451051977934,
        5 => 2.5705818356363146,
        6 => 2.4469118511449786,
        7 => 2.364624251592784,
        8 => 2.306004135204166,
        9 => 2.262157162798205,
        10 => 2.228138851986274,
        _ => panic!("no t quantile for df {df} in the test table"),
    }
}

/// The 95 % half-width t(0.975, n−1)·sd/√n.
pub fn ci95(sd: f64, n: u64) -> f64 {
    t975(n - 1) * sd / (n as f64).sqrt()
}

/// Parses CSV text (`,`) into rows of fields; panics on malformed CSV.
#[track_caller]
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    parse_csv_with(text, b',')
}

/// Parses CSV text with the given delimiter.
#[track_caller]
pub fn parse_csv_with(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            rec.unwrap_or_else(|e| panic!("output is not CSV: {e}\n{text}"))
                .iter()
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// Lines of a file that end with the marker comment `# ERROR` (1-based).
pub fn marked_lines(path: &str) -> Vec<usize> {
    let text = std::fs::read_to_string(root().join(path)).expect("read fixture");
    text.lines()
        .enumerate()
        .filter(|(_, l)| l.trim_end().ends_with("# ERROR"))
        .map(|(i, _)| i + 1)
        .collect()
}
