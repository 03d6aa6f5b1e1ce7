//! The project file `reifegrad.toml` (SPEC §6, §7, §9.3): paths relative to the
//! project file, globs, `[survey]` options, headcounts and response rates, threshold
//! precedence, waves, `weighting = "headcount"`, and every project-file error with
//! file:line:column.
//!
//! Fixtures (tests/fixtures/project/):
//! - `q.toml`: areas `digital` (weight 2, target 80: q_online zustimmung A1..A5 →
//!   0..100, q_konto ja/nein → 100/0) and `intern` (weight 1, target 60: q_akte
//!   percent); `[reporting] min_group_size = 5`.
//! - `basic/`: organisation "Stadt Testhausen", out "bericht", min_group_size 3,
//!   `[survey]` department_column "Einheit", id_column "Nr", delimiter ";",
//!   encoding windows-1252; waves 2023 (data/2023/*.csv) and 2025 (data/2025/*.csv
//!   plus the overlapping data/2025/b*.csv); headcount Bürgeramt 8, Ordnungsamt 5.
//!   The CSV files are Windows-1252 with CRLF; their default department column
//!   `Fachbereich` holds the decoy "FALSCH"; the last header ("Anmerkung (Lob,
//!   Kritik, …)") has as many commas as the header has semicolons, so detection alone
//!   would split at `,`. data/2025/notes.txt must not be read.
//!   2025: a.csv Bürgeramt Nr 1–4 plus a repeated Nr 4 (line 6, rejected), b.csv
//!   Ordnungsamt Nr 1–3. 2023: alle.csv Bürgeramt 3, Ordnungsamt 3.
//! - `headcount/`: weighting "headcount", min_group_size 2, Bauamt 30, Jugendamt 10.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

const BASIC: &str = "tests/fixtures/project/basic/reifegrad.toml";
const HEADCOUNT: &str = "tests/fixtures/project/headcount/reifegrad.toml";

/// Runs the binary in `cwd` with `args`.
fn run_in(cwd: &Path, args: &[&str]) -> Out {
    let output = bin()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("binary runs");
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `score --format json` in `cwd`; asserts exit 0.
#[track_caller]
fn json_in(cwd: &Path, args: &[&str]) -> (Value, Out) {
    let mut all = vec!["score", "--format", "json"];
    all.extend_from_slice(args);
    let out = run_in(cwd, &all);
    out.expect_code(0);
    (out.json(), out)
}

/// Copies a folder recursively.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// The paths of `quality.files`, in output order.
fn file_paths(v: &Value) -> Vec<String> {
    v["quality"]["files"]
        .as_array()
        .expect("quality.files")
        .iter()
        .map(|f| f["path"].as_str().unwrap_or("?").to_string())
        .collect()
}

// ---------------------------------------------------------------------------------
// Paths, globs, survey options
// ---------------------------------------------------------------------------------

#[test]
fn paths_are_relative_to_the_project_file_not_the_working_directory() {
    // From tests/ with a relative -p, and from a foreign temp folder with an absolute
    // -p: both find the questionnaire (../q.toml) and the surveys (data/2025/*.csv)
    // next to the project file and give the same results.
    let (a, _) = json_in(
        &root().join("tests"),
        &["-p", "fixtures/project/basic/reifegrad.toml"],
    );
    let elsewhere = tempfile::tempdir().unwrap();
    let abs = root().join(BASIC);
    let (b, _) = json_in(elsewhere.path(), &["-p", abs.to_str().unwrap()]);
    for v in [&a, &b] {
        assert_eq!(v["questionnaire"]["id"], "projekt-test");
        assert_eq!(v["wave"], "2025");
        assert_eq!(org(v)["name"], "Stadt Testhausen");
        int(&org(v)["respondents"], 7, "respondents of 2025");
        // file paths are reported relative to the project file (SPEC §8 example)
        assert_eq!(file_paths(v), ["data/2025/a.csv", "data/2025/b.csv"]);
    }
    assert_eq!(a, b, "same project, other working directory, same results");
}

#[test]
fn globs_expand_sorted_once_per_file_and_only_matching_files() {
    // surveys = ["data/2025/*.csv", "data/2025/b*.csv"]: b.csv matches both patterns
    // and is read once; notes.txt matches neither.
    let (v, _) = score_json(&["-p", BASIC]);
    assert_eq!(file_paths(&v), ["data/2025/a.csv", "data/2025/b.csv"]);
    let o = org(&v);
    int(
        &o["respondents"],
        7,
        "4 Bürgeramt + 3 Ordnungsamt, b.csv not twice",
    );
    int(&group(&v, "Ordnungsamt")["respondents"], 3, "Ordnungsamt");
}

#[test]
fn survey_options_of_the_project_file_apply() {
    let (v, out) = score_json(&["-p", BASIC]);
    // department_column = "Einheit": not the default `Fachbereich` column (decoy)
    assert_eq!(
        group_names(&v),
        ["Stadt Testhausen", "Bürgeramt", "Ordnungsamt"]
    );
    // encoding = "windows-1252": ü decoded, no fallback warning, reported per file
    assert!(
        !out.stderr.contains("not valid UTF-8"),
        "encoding is set, no fallback warning:\n{}",
        out.stderr
    );
    for f in v["quality"]["files"].as_array().unwrap() {
        assert_eq!(f["encoding"], "Windows-1252", "{f}");
        // delimiter = ";" although `,` ties with `;` in the header
        assert_eq!(f["delimiter"], ";", "{f}");
    }
    // id_column = "Nr": the repeated Nr 4 of Bürgeramt (a.csv line 6) is rejected
    let a = file_report(&v, "data/2025/a.csv");
    int(&a["rows_read"], 5, "a.csv rows read");
    int(&a["rows_used"], 4, "a.csv rows used");
    int(&a["rows_rejected"], 1, "a.csv rows rejected");
    let rejected: Vec<Value> = problems(&v)
        .into_iter()
        .filter(|p| p["column"].is_null())
        .collect();
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert_eq!(rejected[0]["file"], "data/2025/a.csv");
    int(&rejected[0]["line"], 6, "line of the repeated id");
    // Bürgeramt: q_online A4, A5, A3, A4 → (75 + 100 + 50 + 75)/4 = 75;
    // q_akte 50, 70, 30, 50 → 50 (the rejected row's A1 / 0 do not count)
    let b = group(&v, "Bürgeramt");
    close(
        &question(b, "q_online")["score"],
        75.0,
        "Bürgeramt q_online",
    );
    close(&question(b, "q_akte")["score"], 50.0, "Bürgeramt q_akte");

    // Without the project's options the same file cannot be read: split at `,`, no
    // column is a question.
    let plain = run([
        "score",
        "-q",
        "tests/fixtures/project/q.toml",
        "tests/fixtures/project/basic/data/2025/a.csv",
    ]);
    plain.expect_code(1);
    // ... and the same options on the command line give the same department score.
    let (cli, _) = score_json(&[
        "-q",
        "tests/fixtures/project/q.toml",
        "tests/fixtures/project/basic/data/2025/a.csv",
        "--delimiter",
        ";",
        "--department-column",
        "Einheit",
        "--encoding",
        "windows-1252",
        "--min-group",
        "3",
    ]);
    let b2 = group(&cli, "Bürgeramt");
    // without id_column the repeated Nr 4 is not detected (its `id` column is absent)
    int(&b2["respondents"], 5, "no id column on the command line");
}

#[test]
fn headcounts_give_response_rates() {
    // Bürgeramt 4 of 8 = 0.5; Ordnungsamt 3 of 5 = 0.6;
    // organisation 7 of (8 + 5) = 7/13 (SPEC §4.8)
    let (v, _) = score_json(&["-p", BASIC]);
    let b = group(&v, "Bürgeramt");
    int(&b["headcount"], 8, "Bürgeramt headcount");
    close(&b["response_rate"], 0.5, "Bürgeramt response rate");
    let o = group(&v, "Ordnungsamt");
    int(&o["headcount"], 5, "Ordnungsamt headcount");
    close(&o["response_rate"], 0.6, "Ordnungsamt response rate");
    let g = org(&v);
    int(&g["headcount"], 13, "organisation headcount = sum");
    close(
        &g["response_rate"],
        7.0 / 13.0,
        "organisation response rate",
    );
    // without headcounts there is no rate
    let (w, _) = score_json(&["-p", "tests/fixtures/waves/reifegrad.toml"]);
    null(&org(&w)["response_rate"], "no [headcount]");
}

// ---------------------------------------------------------------------------------
// Threshold precedence (SPEC §9.3)
// ---------------------------------------------------------------------------------

#[test]
fn min_group_size_project_overrides_questionnaire_and_cli_overrides_project() {
    // questionnaire 5, project 3: Ordnungsamt with exactly 3 is shown
    let (v, _) = score_json(&["-p", BASIC]);
    int(&v["min_group_size"], 3, "project threshold");
    let o = group(&v, "Ordnungsamt");
    assert_eq!(o["suppressed"], false);
    int(&o["respondents"], 3, "Ordnungsamt");

    // --min-group 4 wins over the project: Ordnungsamt (3) is withheld, and Bürgeramt,
    // the only shown department left, is withheld too (secondary suppression)
    let (v, _) = score_json(&["-p", BASIC, "--min-group", "4"]);
    int(&v["min_group_size"], 4, "--min-group");
    for name in ["Ordnungsamt", "Bürgeramt"] {
        let g = group(&v, name);
        assert_eq!(g["suppressed"], true, "{name}");
        null(&g["respondents"], name);
        null(&g["score"], name);
    }
    int(&org(&v)["respondents"], 7, "the organisation stays shown");

    // --min-group 1 lowers it below the project's value
    let (v, _) = score_json(&["-p", BASIC, "--min-group", "1"]);
    int(&v["min_group_size"], 1, "--min-group 1");
}

// ---------------------------------------------------------------------------------
// Waves
// ---------------------------------------------------------------------------------

#[test]
fn the_last_wave_is_current_and_wave_selects_another() {
    let (v, _) = score_json(&["-p", BASIC]);
    assert_eq!(v["wave"], "2025");
    assert!(
        v["trend"].is_object(),
        "two waves: the current one has a trend"
    );
    assert_eq!(v["trend"]["baseline"], "2023");

    // --wave 2023: alle.csv, Bürgeramt 3 + Ordnungsamt 3; no earlier wave, no trend
    let (v, _) = score_json(&["-p", BASIC, "--wave", "2023"]);
    assert_eq!(v["wave"], "2023");
    assert_eq!(file_paths(&v), ["data/2023/alle.csv"]);
    int(&org(&v)["respondents"], 6, "2023 respondents");
    null(&v["trend"], "the first wave has nothing to compare with");
    // Bürgeramt 2023: q_online A2, A3, A2 → (25 + 50 + 25)/3
    close(
        &question(group(&v, "Bürgeramt"), "q_online")["score"],
        100.0 / 3.0,
        "Bürgeramt 2023 q_online",
    );
    // response rate with the 2023 respondents: 3 of 8
    close(
        &group(&v, "Bürgeramt")["response_rate"],
        3.0 / 8.0,
        "2023 response rate",
    );
}

#[test]
fn an_unknown_wave_is_an_error_naming_the_waves() {
    for cmd in ["score", "report", "validate"] {
        let out = run([cmd, "-p", BASIC, "--wave", "2024"]);
        out.expect_code(1).no_panic();
        out.stderr_has("2024").stderr_has("2023").stderr_has("2025");
        assert!(out.stdout.is_empty(), "{cmd}: nothing on stdout");
    }
}

#[test]
fn wave_without_a_project_is_a_usage_error() {
    let out = run([
        "score",
        "-q",
        "tests/fixtures/project/q.toml",
        "tests/fixtures/project/headcount/umfrage.csv",
        "--wave",
        "2025",
    ]);
    assert!(
        matches!(out.code, 1 | 2),
        "exit {}: {}",
        out.code,
        out.stderr
    );
    out.stderr_has("--wave");
}

// ---------------------------------------------------------------------------------
// Default project file and output folder
// ---------------------------------------------------------------------------------

#[test]
fn reifegrad_toml_in_the_working_directory_is_the_default() {
    let dir = root().join("tests/fixtures/project/basic");
    let (v, _) = json_in(&dir, &[]);
    assert_eq!(v["wave"], "2025");
    assert_eq!(org(&v)["name"], "Stadt Testhausen");
    let (w, _) = json_in(&dir, &["--wave", "2023"]);
    assert_eq!(w["wave"], "2023");
    // without a project file and without -q: a usage error
    let empty = tempfile::tempdir().unwrap();
    let out = run_in(empty.path(), &["score"]);
    out.expect_code(2).no_panic();
}

#[test]
fn the_report_folder_defaults_to_out_relative_to_the_project_file() {
    // A copy of the fixtures (the report writes next to the project file); run from
    // another folder: `out = "bericht"` lands next to reifegrad.toml, not in the
    // working directory.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/fixtures/project"), tmp.path());
    let project: PathBuf = tmp.path().join("basic/reifegrad.toml");
    let cwd = tempfile::tempdir().unwrap();
    run_in(cwd.path(), &["report", "-p", project.to_str().unwrap()]).expect_code(0);
    let out = tmp.path().join("basic/bericht");
    for f in ["report.md", "results.json", "tables/organisation.csv"] {
        assert!(out.join(f).is_file(), "{f} in {}", out.display());
    }
    assert!(
        std::fs::read_dir(cwd.path()).unwrap().next().is_none(),
        "nothing written to the working directory"
    );
    // and in the project folder without -p
    let basic = tmp.path().join("basic");
    run_in(&basic, &["report", "--check"]).expect_code(0);
}

// ---------------------------------------------------------------------------------
// weighting = "headcount" (SPEC §4.5)
// ---------------------------------------------------------------------------------

// headcount/umfrage.csv (min_group_size 2), headcounts Bauamt 30, Jugendamt 10 (3 : 1):
//             q_online     q_konto      q_akte
// Bauamt      A5 100       ja 100       20
//             A4  75       ja 100       40
//   mean      87.5         100          30
// Jugendamt   A2  25       nein 0       80
//             A3  50       ja 100       70
//             A1   0       nein 0       90
//   mean      25           33.333…      80
//
// Organisation, headcount-weighted (30·Bauamt + 10·Jugendamt)/40:
//   q_online (3·87.5 + 25)/4 = 287.5/4 = 71.875      (pooled would be 250/5 = 50)
//   q_konto  (3·100 + 100/3)/4 = 250/3 = 83.333…     (pooled 300/5 = 60)
//   q_akte   (3·30 + 80)/4 = 170/4 = 42.5            (pooled 300/5 = 60)
//   area digital (weights 1, 1): (71.875 + 83.333…)/2 = 3725/48 = 77.6041666…
//   area intern: 42.5
//   overall (area weights 2, 1): (2·3725/48 + 42.5)/3 = 4745/72 = 65.902777…
//   gap digital 80 − 3725/48 = 115/48, priority ×2 = 115/24; gap intern 17.5
// Response rates: Bauamt 2/30, Jugendamt 3/10, organisation 5/(30 + 10) = 0.125.

#[test]
fn headcount_weighting_weights_department_question_scores() {
    let (v, _) = score_json(&["-p", HEADCOUNT]);
    assert_eq!(v["weighting"], "headcount");
    let o = org(&v);
    close(&question(o, "q_online")["score"], 71.875, "org q_online");
    close(&question(o, "q_konto")["score"], 250.0 / 3.0, "org q_konto");
    close(&question(o, "q_akte")["score"], 42.5, "org q_akte");
    close(&area(o, "digital")["score"], 3725.0 / 48.0, "org digital");
    close(&area(o, "intern")["score"], 42.5, "org intern");
    close(&o["score"], 4745.0 / 72.0, "org overall");
    assert_eq!(o["level"], "Fortgeschritten");
    close(&area(o, "digital")["gap"], 115.0 / 48.0, "digital gap");
    close(
        &area(o, "digital")["priority"],
        115.0 / 24.0,
        "digital priority",
    );
    close(&area(o, "intern")["gap"], 17.5, "intern gap");
    // the departments themselves are unweighted
    let b = group(&v, "Bauamt");
    close(&question(b, "q_online")["score"], 87.5, "Bauamt q_online");
    close(&question(b, "q_akte")["score"], 30.0, "Bauamt q_akte");
    let j = group(&v, "Jugendamt");
    close(
        &question(j, "q_konto")["score"],
        100.0 / 3.0,
        "Jugendamt q_konto",
    );
    close(&question(j, "q_akte")["score"], 80.0, "Jugendamt q_akte");
    // respondents are still everyone
    int(&o["respondents"], 5, "organisation respondents");
    // response rates
    close(&b["response_rate"], 2.0 / 30.0, "Bauamt rate");
    close(&j["response_rate"], 0.3, "Jugendamt rate");
    int(&o["headcount"], 40, "organisation headcount");
    close(&o["response_rate"], 0.125, "organisation rate");

    // the default weighting pools: q_online 250/5 = 50
    let (p, _) = score_json(&[
        "-q",
        "tests/fixtures/project/q.toml",
        "tests/fixtures/project/headcount/umfrage.csv",
        "--min-group",
        "2",
    ]);
    assert_eq!(p["weighting"], "respondents");
    close(
        &question(org(&p), "q_online")["score"],
        50.0,
        "pooled q_online",
    );
}

// ---------------------------------------------------------------------------------
// Project-file errors (SPEC §6, §7: file, line and column)
// ---------------------------------------------------------------------------------

/// 1-based line and column (in characters) of the first occurrence of `needle`.
fn loc(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {text}"));
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, col)
}

/// A folder with the project questionnaire and one survey file, for project files
/// written by the tests.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("tests/fixtures/project/q.toml"),
        dir.path().join("q.toml"),
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/project/headcount/umfrage.csv"),
        dir.path().join("data/umfrage.csv"),
    )
    .unwrap();
    dir
}

const GOOD: &str = "questionnaire = \"q.toml\"\nmin_group_size = 2\n\n[[wave]]\nname = \"2025\"\nsurveys = [\"data/*.csv\"]\n";

/// Runs `score -p` on `text` and asserts exit 1 with an error at `needle`'s location
/// whose message contains `message`.
#[track_caller]
fn assert_error_at(text: &str, needle: &str, message: &str) {
    let dir = scratch();
    let path = write(dir.path(), "reifegrad.toml", text);
    let out = run(["score", "-p", &path]);
    out.expect_code(1).no_panic();
    let (line, col) = loc(text, needle);
    let at = format!("{path}:{line}:{col}");
    let hit = out
        .stderr
        .lines()
        .find(|l| l.contains(&at))
        .unwrap_or_else(|| panic!("no error at {at} for {needle:?}:\n{}", out.stderr));
    assert!(
        hit.contains(message),
        "error at {at} should say {message:?}: {hit}"
    );
    assert!(
        out.stdout.is_empty(),
        "no results on stdout: {}",
        out.stdout
    );
}

#[test]
fn the_good_base_project_of_the_error_tests_works() {
    let dir = scratch();
    let path = write(dir.path(), "reifegrad.toml", GOOD);
    let (v, _) = score_json(&["-p", &path]);
    int(&org(&v)["respondents"], 5, "respondents");
}

#[test]
fn unknown_keys_are_errors_with_location() {
    let t = GOOD.replace("min_group_size = 2", "min_grup = 2");
    assert_error_at(&t, "min_grup", "min_grup");
    let t = format!("{GOOD}\n[survey]\ndelimter = \";\"\n");
    assert_error_at(&t, "delimter", "delimter");
    let t = GOOD.replace("name = \"2025\"", "name = \"2025\"\nfiles = [\"x\"]");
    assert_error_at(&t, "files", "files");
    let t = format!("{GOOD}\n[report]\nimages = \"png\"\n");
    assert_error_at(&t, "images", "images");
}

#[test]
fn a_bad_weighting_is_an_error_with_location() {
    let t = GOOD.replace("min_group_size = 2", "weighting = \"people\"");
    assert_error_at(&t, "\"people\"", "people");
    let t = GOOD.replace("min_group_size = 2", "weighting = 3");
    assert_error_at(&t, "3\n", "weighting");
}

#[test]
fn a_glob_or_path_matching_nothing_is_an_error_with_location() {
    let t = GOOD.replace("data/*.csv", "daten/*.csv");
    assert_error_at(&t, "\"daten/*.csv\"", "daten/*.csv");
    let t = GOOD.replace("[\"data/*.csv\"]", "[\"data/*.csv\", \"data/fehlt.csv\"]");
    assert_error_at(&t, "\"data/fehlt.csv\"", "data/fehlt.csv");
    let t = GOOD.replace("data/*.csv", "data/*.xlsx");
    assert_error_at(&t, "\"data/*.xlsx\"", "data/*.xlsx");
}

#[test]
fn bad_headcounts_are_errors_with_location() {
    for value in ["-1", "0", "2.5", "\"viele\""] {
        let t = format!("{GOOD}\n[headcount]\n\"Bauamt\" = {value}\n");
        assert_error_at(&t, &format!("= {value}\n")[2..], "Bauamt");
    }
}

#[test]
fn other_bad_values_are_errors_with_location() {
    let t = GOOD.replace("min_group_size = 2", "min_group_size = 0");
    assert_error_at(&t, "0\n", "min_group_size");
    let t = format!("{GOOD}\n[survey]\ndelimiter = \"|\"\n");
    assert_error_at(&t, "\"|\"", "|");
    let t = format!("{GOOD}\n[survey]\nencoding = \"utf-16\"\n");
    assert_error_at(&t, "\"utf-16\"", "utf-16");
    // a wave defined twice: at the second name
    let t = format!("{GOOD}\n[[wave]]\nname = \"2025\"\nsurveys = [\"data/*.csv\"]\n");
    let dir = scratch();
    let path = write(dir.path(), "reifegrad.toml", &t);
    let out = run(["score", "-p", &path]);
    out.expect_code(1).no_panic();
    let at = t.rfind("\"2025\"").unwrap();
    let line = t[..at].matches('\n').count() + 1;
    let col = t[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    out.stderr_has(&format!("{path}:{line}:{col}"));
    // a TOML syntax error, too
    let t = GOOD.replace("[[wave]]", "[[wave]");
    let dir = scratch();
    let path = write(dir.path(), "reifegrad.toml", &t);
    let out = run(["score", "-p", &path]);
    out.expect_code(1).no_panic();
    out.stderr_has(&format!("{path}:4:"));
}

#[test]
fn every_problem_of_a_project_file_is_reported_at_once() {
    let t = "questionnaire = \"q.toml\"\nmin_grup = 2\nweighting = \"people\"\n\n[[wave]]\nname = \"2025\"\nsurveys = [\"nichts/*.csv\"]\n\n[headcount]\n\"Bürgeramt\" = -1\n";
    let dir = scratch();
    let path = write(dir.path(), "reifegrad.toml", t);
    let out = run(["score", "-p", &path]);
    out.expect_code(1).no_panic();
    for needle in ["min_grup", "\"people\"", "\"nichts/*.csv\"", "-1\n"] {
        let (line, col) = loc(t, needle);
        out.stderr_has(&format!("{path}:{line}:{col}"));
    }
    // the column counts characters: `"Bürgeramt" = ` is 14 characters (15 bytes)
    out.stderr_has(&format!("{path}:10:15"));
}

#[test]
fn a_missing_questionnaire_is_reported_at_its_line_in_the_project_file() {
    // The mistake is in the project file: the error should point there (SPEC §7:
    // errors name the file, line and column), not only at a path the user never typed
    // in that form.
    let t = GOOD.replace("q.toml", "fragebogen.toml");
    assert_error_at(&t, "\"fragebogen.toml\"", "fragebogen.toml");
}

#[test]
fn an_empty_survey_list_is_reported_at_its_line_in_the_project_file() {
    let t = GOOD.replace("[\"data/*.csv\"]", "[]");
    assert_error_at(&t, "[]", "surveys");
}

#[test]
fn headcount_weighting_without_a_departments_headcount_is_not_silent() {
    // weighting = "headcount" but Jugendamt has no headcount: its answers would
    // silently drop out of the organisation's scores (the organisation would be Bauamt
    // alone: q_online 87.5 instead of a figure that includes Jugendamt). A careful user
    // expects an error or at least a warning that names the department.
    let dir = scratch();
    let t = GOOD.replace(
        "min_group_size = 2",
        "min_group_size = 2\nweighting = \"headcount\"",
    ) + "\n[headcount]\n\"Bauamt\" = 30\n";
    let path = write(dir.path(), "reifegrad.toml", &t);
    let out = run(["score", "-p", &path, "--format", "json"]);
    out.no_panic();
    assert!(
        out.stderr.contains("Jugendamt"),
        "exit {}: nothing names the department without a headcount:\n{}",
        out.code,
        out.stderr
    );

    // and without any [headcount] the weighting cannot be applied at all
    let t = GOOD.replace(
        "min_group_size = 2",
        "min_group_size = 2\nweighting = \"headcount\"",
    );
    let path = write(dir.path(), "reifegrad.toml", &t);
    let out = run(["score", "-p", &path, "--format", "json"]);
    out.no_panic();
    assert!(
        out.stderr.to_lowercase().contains("headcount"),
        "exit {}: weighting = \"headcount\" without [headcount] passes silently:\n{}",
        out.code,
        out.stderr
    );
}
