//! Waves and the trend: the current wave compared with an earlier one (question and
//! area changes, Welch's t-test), `score --compare`, suppression in either wave, a
//! questionnaire that changed between waves, and the trend in the report.
//!
//! Fixture tests/fixtures/waves/ (threshold 3, from the questionnaire):
//! - `q2023.toml`: area `services` (q1 zustimmung A1..A5 → 0, 25, 50, 75, 100;
//!   q2 ja/nein → 100/0; q3 zustimmung), area `akte` (q4 percent).
//! - `q2025.toml`: the same without q3 and with a new q5 in `services`.
//! - `reifegrad.toml`: waves 2023 and 2025, both with q2023.toml.
//! - `changed.toml`: 2023 with q2023.toml, 2025 with q2025.toml.
//! - data/2023/umfrage.csv: Bauamt 4, Bürgeramt 4, Kämmerei 2, Ordnungsamt 4,
//!   Standesamt 2 → Kämmerei and Standesamt withheld (together 4 ≥ 3: no more).
//! - data/2025/umfrage.csv: Bauamt 4, Bürgeramt 5, Kämmerei 4, Ordnungsamt 2,
//!   Standesamt 2 → Ordnungsamt and Standesamt withheld.
//!
//! q1 answers as 100·x:
//!
//! | department  | 2023               | 2025                  |
//! |-------------|--------------------|-----------------------|
//! | Bauamt      | 0, 0, 25, 25       | 25, 50, 50, 75        |
//! | Bürgeramt   | 0, 25, 50, 50      | 50, 75, 75, 100, 100  |
//! | Kämmerei    | 25, 50             | 25, 50, 75, 100       |
//! | Ordnungsamt | 25, 25, 50, 75     | 25, 50                |
//! | Standesamt  | 50, 75             | 50, 75                |
//!
//! Organisation q1, in steps k = 100·x / 25:
//!   2023: k = 0 ×3, 1 ×6, 2 ×5, 3 ×2; n1 = 16, Σk = 22, Σk² = 44
//!         mean 22/16 = 1.375 → score 34.375; s1² = (44 − 22²/16)/15 = 13.75/15 = 11/12
//!         → sd 25·√(11/12) = 23.935677693908453
//!   2025: k = 1 ×3, 2 ×6, 3 ×5, 4 ×3; n2 = 17, Σk = 42, Σk² = 120
//!         mean 42/17 → score 1050/17 = 61.76470588235294;
//!         s2² = (120 − 42²/17)/16 = 69/68 → sd 25·√(69/68) = 25.183152631681924
//!   change = 25·(42/17 − 11/8) = 25·149/136 = 3725/136 = 27.389705882352942
//!   Welch (in steps; t and df do not depend on the unit):
//!     v1 = s1²/n1 = 11/192, v2 = s2²/n2 = 69/1156
//!     t  = (149/136) / √(v1 + v2) = 3.2032518910559525
//!     df = (v1 + v2)² / (v1²/15 + v2²/16) = 30.995702949724718
//!     p  = 2·P(T_df > |t|) = I_{df/(df+t²)}(df/2, 1/2) = 0.003_138_509_415_064_292
//!   (checked with scipy.stats.ttest_ind(equal_var=False) and mpmath at 40 digits)
//!
//! Bauamt q1: 2023 mean 12.5, s² = 625/3; 2025 mean 50, s² = 1250/3 (n = 4 each)
//!   v1 = 625/12, v2 = 1250/12, v1 + v2 = 156.25 → se 12.5, t = 37.5/12.5 = 3 exactly;
//!   df = (3·v1)² / ((v1² + 4·v1²)/3) = 27/5 = 5.4; p = 0.027339309791909548.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

const WAVES: &str = "tests/fixtures/waves/reifegrad.toml";
const CHANGED: &str = "tests/fixtures/waves/changed.toml";
const SAMPLE: &str = "samples/musterstadt/reifegrad.toml";

/// The trend entry of group `name`.
#[track_caller]
fn trend_group<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["trend"]["groups"]
        .as_array()
        .expect("trend.groups")
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("no trend group {name:?}: {}", v["trend"]))
}

/// A change (question or area) of a trend group by id.
#[track_caller]
fn change<'a>(g: &'a Value, list: &str, id: &str) -> &'a Value {
    g[list]
        .as_array()
        .unwrap_or_else(|| panic!("{list} of {}", g["name"]))
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no {list} {id:?} in {}", g["name"]))
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// `report -p project -o dir`; asserts exit 0; returns results.json.
#[track_caller]
fn report(project: &str, dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", "-p", project, "-o", dir.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args).expect_code(0).no_panic();
    let text = std::fs::read_to_string(dir.join("results.json")).expect("results.json");
    serde_json::from_str(&text).expect("results.json is JSON")
}

/// The CSV table printed by `score -p WAVES --compare 2023 --format csv --by by`.
#[track_caller]
fn compare_csv(project: &str, by: &str) -> Vec<Vec<String>> {
    let out = run([
        "score",
        "-p",
        project,
        "--compare",
        "2023",
        "--format",
        "csv",
        "--by",
        by,
    ]);
    out.expect_code(0).no_panic();
    parse_csv(&out.stdout)
}

/// Parses a CSV cell as a number (full precision, decimal point: SPEC §4.9).
#[track_caller]
fn num(cell: &str, what: &str) -> f64 {
    cell.parse::<f64>()
        .unwrap_or_else(|_| panic!("{what}: {cell:?} is not a full-precision number"))
}

// ---------------------------------------------------------------------------------
// Welch's t-test by hand
// ---------------------------------------------------------------------------------

#[test]
fn question_change_and_welch_test_by_hand() {
    let tmp = tempfile::tempdir().unwrap();
    let v = report(WAVES, tmp.path(), &[]);
    let t = &v["trend"];
    assert_eq!(t["baseline"], "2023");
    assert_eq!(t["current"], "2025");
    let o = &t["groups"][0];
    assert_eq!(o["kind"], "organisation");
    assert_eq!(o["comparable"], true);
    let q1 = change(o, "questions", "q1");
    close(&q1["baseline"], 34.375, "q1 2023");
    close(&q1["current"], 1050.0 / 17.0, "q1 2025");
    close(&q1["delta"], 3725.0 / 136.0, "q1 change");
    close(&q1["t"], 3.2032518910559525, "q1 Welch t");
    close(&q1["df"], 30.995702949724718, "q1 Welch–Satterthwaite df");
    close(&q1["p"], 0.003_138_509_415_064_292, "q1 two-sided p");
    assert_eq!(q1["significant"], true);

    // the question scores of both waves are the ones the waves report themselves
    close(
        &question(org(&v), "q1")["score"],
        1050.0 / 17.0,
        "q1 in groups",
    );
    close(
        &question(org(&v), "q1")["sd"],
        25.183152631681924,
        "q1 sd 2025 = 25·√(69/68)",
    );
    let (old, _) = score_json(&["-p", WAVES, "--wave", "2023"]);
    close(&question(org(&old), "q1")["score"], 34.375, "q1 in 2023");
    close(
        &question(org(&old), "q1")["sd"],
        23.935677693908453,
        "q1 sd 2023 = 25·√(11/12)",
    );

    // a department: Bauamt, t = 3 and df = 5.4 exactly
    let b = change(trend_group(&v, "Bauamt"), "questions", "q1");
    close(&b["baseline"], 12.5, "Bauamt q1 2023");
    close(&b["current"], 50.0, "Bauamt q1 2025");
    close(&b["delta"], 37.5, "Bauamt q1 change");
    close(&b["t"], 3.0, "Bauamt q1 t");
    close(&b["df"], 5.4, "Bauamt q1 df");
    close(&b["p"], 0.027339309791909548, "Bauamt q1 p");
    assert_eq!(b["significant"], true);
}

#[test]
fn the_sign_of_t_follows_the_change() {
    // t = (current − baseline)/se: q1 rose, t > 0; the sample's `sicherheit` area
    // fell from 2023 to 2025, t < 0.
    let (v, _) = score_json(&["-p", WAVES]);
    let q1 = change(&v["trend"]["groups"][0], "questions", "q1");
    assert!(q1["t"].as_f64().unwrap() > 0.0);
    let (s, _) = score_json(&["-p", SAMPLE]);
    let a = change(&s["trend"]["groups"][0], "areas", "sicherheit");
    let d = a["delta"].as_f64().unwrap();
    let t = a["t"].as_f64().unwrap();
    assert!(d < 0.0 && t < 0.0, "delta {d}, t {t}");
}

// ---------------------------------------------------------------------------------
// score --compare
// ---------------------------------------------------------------------------------

#[test]
fn score_compare_csv_has_baseline_current_and_change() {
    // --by question: q1 with 2023, 2025 and the change in full precision
    let t = compare_csv(WAVES, "question");
    let h = &t[0];
    let col = |name: &str| {
        h.iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name:?}: {h:?}"))
    };
    let (base, cur, chg, p) = (col("2023"), col("2025"), col("Veränderung"), col("p"));
    let q1 = t.iter().find(|r| r[0] == "q1").expect("row q1");
    assert!((num(&q1[base], "2023") - 34.375).abs() < 1e-9);
    assert!((num(&q1[cur], "2025") - 1050.0 / 17.0).abs() < 1e-9);
    assert!(
        (num(&q1[chg], "change") - 3725.0 / 136.0).abs() < 1e-9,
        "change {:?}",
        q1[chg]
    );
    assert!((num(&q1[p], "p") - 0.003_138_509_415_064_292).abs() < 1e-9);

    // --by area and --by department: the same three columns
    for by in ["area", "department"] {
        let t = compare_csv(WAVES, by);
        for c in ["2023", "2025", "Veränderung"] {
            assert!(t[0].iter().any(|h| h == c), "--by {by}: no column {c}");
        }
        assert!(t.len() > 2, "--by {by}: rows");
    }
}

#[test]
fn compare_needs_a_project_and_an_earlier_wave() {
    for cmd in ["score", "report"] {
        let out = run([
            cmd,
            "-q",
            "tests/fixtures/waves/q2023.toml",
            "tests/fixtures/waves/data/2025/umfrage.csv",
            "--compare",
            "2023",
        ]);
        out.expect_code(1).no_panic();
        out.stderr_has("project");
    }
    // an unknown wave names the waves
    let out = run(["score", "-p", WAVES, "--compare", "2019"]);
    out.expect_code(1).no_panic();
    out.stderr_has("2019").stderr_has("2023").stderr_has("2025");
    // the current wave itself
    run(["score", "-p", WAVES, "--compare", "2025"])
        .expect_code(1)
        .no_panic();
}

// ---------------------------------------------------------------------------------
// Suppression in either wave
// ---------------------------------------------------------------------------------

#[test]
fn a_department_suppressed_in_either_wave_is_not_comparable() {
    let (v, _) = score_json(&["-p", WAVES]);
    for name in ["Bauamt", "Bürgeramt"] {
        assert_eq!(trend_group(&v, name)["comparable"], true, "{name}");
    }
    // Kämmerei withheld in 2023 only, Ordnungsamt in 2025 only, Standesamt in both
    for name in ["Kämmerei", "Ordnungsamt", "Standesamt"] {
        let g = trend_group(&v, name);
        assert_eq!(g["comparable"], false, "{name}");
        let keys = [
            "baseline",
            "current",
            "delta",
            "t",
            "df",
            "p",
            "significant",
        ];
        for k in keys {
            null(&g["overall"][k], &format!("{name} overall {k}"));
        }
        for a in g["areas"].as_array().unwrap() {
            for k in keys.iter().chain(&["level_baseline", "level_current"]) {
                null(&a[*k], &format!("{name} area {} {k}", a["id"]));
            }
        }
        for q in g["questions"].as_array().unwrap() {
            for k in keys {
                null(&q[k], &format!("{name} question {} {k}", q["id"]));
            }
        }
    }
    // Kämmerei is shown in 2025 itself (4 respondents) — only the comparison is not
    assert_eq!(group(&v, "Kämmerei")["suppressed"], false);
    assert_eq!(group(&v, "Ordnungsamt")["suppressed"], true);

    // the department trend table shows markers, no figures
    let t = compare_csv(WAVES, "department");
    for name in ["Kämmerei", "Ordnungsamt", "Standesamt"] {
        let r = t.iter().find(|r| r[0] == name).expect(name);
        for c in &r[1..] {
            assert!(
                !c.chars().any(|ch| ch.is_ascii_digit()) || c == "n<3",
                "{name}: figure {c:?} in {r:?}"
            );
        }
    }
    // Bauamt 2023: services (q1 12.5, q2 2 of 4 ja = 50, q3 50, 50, 75, 75 → 62.5)
    // = 125/3, akte q4 (20 + 30 + 40 + 50)/4 = 35 → overall (125/3 + 35)/2 = 115/3
    let r = t.iter().find(|r| r[0] == "Bauamt").expect("Bauamt");
    assert!(
        (num(&r[1], "Bauamt 2023") - 115.0 / 3.0).abs() < 1e-9,
        "{r:?}"
    );
}

#[test]
fn the_trend_table_of_the_report_withholds_incomparable_departments() {
    let tmp = tempfile::tempdir().unwrap();
    report(WAVES, tmp.path(), &[]);
    let t = parse_csv(&std::fs::read_to_string(tmp.path().join("tables/trend.csv")).unwrap());
    let h = &t[0];
    for c in ["2023", "2025", "t", "df", "p"] {
        assert!(h.iter().any(|x| x == c), "trend.csv lacks {c}: {h:?}");
    }
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    for r in &t[1..] {
        if ["Kämmerei", "Ordnungsamt", "Standesamt"].contains(&r[0].as_str()) {
            for c in &r[col("2023")..] {
                assert!(c.is_empty() || c == "n<3", "{r:?}");
            }
        }
    }
    // the organisation's `akte` area (same questions in both waves) is tested
    let akte = t
        .iter()
        .find(|r| r[0] == "Gesamtorganisation" && r[1] == "akte")
        .expect("organisation akte row");
    num(&akte[col("t")], "akte t");
    num(&akte[col("df")], "akte df");
    let p = num(&akte[col("p")], "akte p");
    assert!((0.0..=1.0).contains(&p));
    // report.md: their trend rows carry no number other than the marker's 3
    let md = std::fs::read_to_string(tmp.path().join("report.md")).unwrap();
    let section = &md[md
        .find("## Entwicklung 2023 → 2025")
        .expect("trend section")..];
    for name in ["Kämmerei", "Ordnungsamt", "Standesamt"] {
        let prefix = format!("| {name} |");
        for l in section.lines().filter(|l| l.starts_with(&prefix)) {
            let rest = l[prefix.len()..].replace("n\\<3", "").replace("n<3", "");
            assert!(
                !rest.chars().any(|c| c.is_ascii_digit()),
                "trend row with a figure: {l}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// A questionnaire that changed between waves
// ---------------------------------------------------------------------------------

#[test]
fn a_changed_questionnaire_lists_added_and_removed_questions() {
    let (v, _) = score_json(&["-p", CHANGED]);
    let t = &v["trend"];
    assert_eq!(ids(&t["only_current"]), ["q5"]);
    assert_eq!(ids(&t["only_baseline"]), ["q3"]);
    let o = &t["groups"][0];
    // questions compared: those of both waves
    let qs: Vec<&str> = o["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(qs, ["q1", "q2", "q4"]);
    // q1 is compared as before
    close(
        &change(o, "questions", "q1")["t"],
        3.2032518910559525,
        "q1 t",
    );
    // `services` lost q3 and gained q5: partial, over the shared q1 and q2
    //   2023: q1 34.375, q2 10 of 16 ja = 62.5 → (34.375 + 62.5)/2 = 48.4375
    //   2025: q1 1050/17, q2 12 of 17 ja = 1200/17 → 2250/34 = 66.17647…
    let s = change(o, "areas", "services");
    assert_eq!(s["partial"], true);
    int(&s["shared_questions"], 2, "services shared questions");
    close(&s["baseline"], 48.4375, "services 2023 over q1, q2");
    close(&s["current"], 2250.0 / 34.0, "services 2025 over q1, q2");
    close(
        &s["delta"],
        2250.0 / 34.0 - 48.4375,
        "services change over q1, q2",
    );
    // `akte` is unchanged
    let a = change(o, "areas", "akte");
    assert_eq!(a["partial"], false);
    int(&a["shared_questions"], 1, "akte shared questions");
    // the current wave is scored with its own questionnaire
    assert_eq!(v["questionnaire"]["version"], "2025");
    let cur: Vec<&str> = org(&v)["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(cur, ["q1", "q2", "q5", "q4"]);

    // with the same questionnaire in both waves nothing is partial
    let (same, _) = score_json(&["-p", WAVES]);
    assert!(ids(&same["trend"]["only_current"]).is_empty());
    assert!(ids(&same["trend"]["only_baseline"]).is_empty());
    for a in same["trend"]["groups"][0]["areas"].as_array().unwrap() {
        assert_eq!(a["partial"], false, "{a}");
    }
    int(
        &change(&same["trend"]["groups"][0], "areas", "services")["shared_questions"],
        3,
        "services shared",
    );
}

#[test]
fn the_report_of_a_changed_questionnaire_names_the_changed_questions() {
    let tmp = tempfile::tempdir().unwrap();
    report(CHANGED, tmp.path(), &[]);
    let md = std::fs::read_to_string(tmp.path().join("report.md")).unwrap();
    let section = &md[md.find("## Entwicklung").expect("trend section")..];
    assert!(section.contains("q5"), "q5 (new) in the trend section");
    assert!(section.contains("q3"), "q3 (dropped) in the trend section");
}

// ---------------------------------------------------------------------------------
// The trend in the report folder
// ---------------------------------------------------------------------------------

#[test]
fn the_sample_report_has_a_trend_section_and_table() {
    let tmp = tempfile::tempdir().unwrap();
    let v = report(SAMPLE, tmp.path(), &[]);
    assert_eq!(v["wave"], "2025");
    assert_eq!(v["trend"]["baseline"], "2023");
    assert_eq!(v["trend"]["current"], "2025");
    let md = std::fs::read_to_string(tmp.path().join("report.md")).unwrap();
    assert!(
        md.contains("## Entwicklung 2023 → 2025"),
        "report.md has a trend section"
    );
    let t = parse_csv(&std::fs::read_to_string(tmp.path().join("tables/trend.csv")).unwrap());
    assert!(t[0].iter().any(|c| c == "2023") && t[0].iter().any(|c| c == "2025"));
    // one row per area of the organisation (plus its overall row), with numbers
    let org_name = org(&v)["name"].as_str().unwrap().to_string();
    let areas = org(&v)["areas"].as_array().unwrap().len();
    let org_rows: Vec<&Vec<String>> = t.iter().filter(|r| r[0] == org_name).collect();
    assert_eq!(org_rows.len(), areas + 1, "{org_rows:?}");
    for r in &org_rows {
        num(&r[3], "baseline");
        num(&r[4], "current");
        num(&r[5], "change");
    }
}

#[test]
fn a_report_of_the_first_wave_has_no_trend_and_drops_the_old_trend_table() {
    let tmp = tempfile::tempdir().unwrap();
    report(WAVES, tmp.path(), &[]);
    assert!(tmp.path().join("tables/trend.csv").is_file());
    let v = report(WAVES, tmp.path(), &["--wave", "2023"]);
    null(&v["trend"], "no trend for the first wave");
    assert!(
        !tmp.path().join("tables/trend.csv").exists(),
        "the stale trend table is removed"
    );
    let md = std::fs::read_to_string(tmp.path().join("report.md")).unwrap();
    assert!(!md.contains("## Entwicklung"), "no trend section");
    run([
        "report",
        "-p",
        WAVES,
        "-o",
        tmp.path().to_str().unwrap(),
        "--wave",
        "2023",
        "--check",
    ])
    .expect_code(0);
}
