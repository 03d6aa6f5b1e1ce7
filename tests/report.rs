//! `reifegrad report` (SPEC §8): the files of the report folder, the shape of
//! results.json, byte-identical reruns, `--check`, what is never deleted, the roadmap
//! order, formula injection in the CSV tables, the Markdown chapter (relative links,
//! pipe tables, language) and privacy across every file (SPEC §5, §9.1).
//!
//! Fixtures (tests/fixtures/report/):
//! - `q-de.toml` / `q-en.toml`: the same questionnaire in German and English: one
//!   percent question per area (a1 → alpha, b1 → beta, …), so an area's score is the
//!   mean of its answers. Areas: alpha (weight 1, target 60), beta (weight 3, target
//!   50), gamma (weight 2, target 90), delta (weight 1, no target), epsilon (weight 1,
//!   target 20).
//! - `de/` (min_group_size 2) and `en/`: data/umfrage.csv with Bauamt, `=HYPERLINK("x")`
//!   and Kämmerei, two respondents each, plus line 8 (Bauamt: a1 "zwanzig" invalid,
//!   b1 don't know) and line 9 (Kämmerei, no answers: rejected).
//! - `privacy/` (min_group_size 5): one file per department: Bauamt 8, Jugendamt 6,
//!   Ordnungsamt 7 and "Zentrale Vergabestelle Xylophon" 3, whose answers are the
//!   distinctive 7.654321, 1.234567, 98.7654, 3.14159 and 2.71828.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serde_json::Value;

const DE: &str = "tests/fixtures/report/de/reifegrad.toml";
const EN: &str = "tests/fixtures/report/en/reifegrad.toml";
const PRIVACY: &str = "tests/fixtures/report/privacy/reifegrad.toml";
const SAMPLE: &str = "samples/musterstadt/reifegrad.toml";

const XYLO: &str = "Zentrale Vergabestelle Xylophon";

/// Runs `report -p project -o out` plus `extra`; asserts exit 0.
#[track_caller]
fn report(project: &str, out: &Path, extra: &[&str]) -> Out {
    let mut args = vec!["report", "-p", project, "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    o.expect_code(0).no_panic();
    o
}

/// `report --check`.
fn check(project: &str, out: &Path) -> Out {
    let o = run([
        "report",
        "-p",
        project,
        "-o",
        out.to_str().unwrap(),
        "--check",
    ]);
    o.no_panic();
    o
}

/// Every file below `dir` (relative `/` paths) with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn results(dir: &Path) -> Value {
    serde_json::from_str(&read(dir, "results.json")).expect("results.json is JSON")
}

fn csv_file(dir: &Path, rel: &str) -> Vec<Vec<String>> {
    parse_csv(&read(dir, rel))
}

/// The rows of a CSV table whose first cell is `name`.
fn rows_named<'a>(t: &'a [Vec<String>], name: &str) -> Vec<&'a Vec<String>> {
    t.iter().filter(|r| r[0] == name).collect()
}

/// Keys of a JSON object.
#[track_caller]
fn has_keys(v: &Value, keys: &[&str], what: &str) {
    let o = v
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object: {v}"));
    for k in keys {
        assert!(o.contains_key(*k), "{what} lacks key {k:?}: {v}");
    }
}

/// The table lines of report.md whose first cell is `name`.
fn md_rows<'a>(md: &'a str, name: &str) -> Vec<&'a str> {
    let prefix = format!("| {name} |");
    md.lines().filter(|l| l.starts_with(&prefix)).collect()
}

// ---------------------------------------------------------------------------------
// The folder and results.json
// ---------------------------------------------------------------------------------

#[test]
fn report_writes_the_documented_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    report(DE, &out, &[]);
    let files: Vec<String> = tree(&out).into_keys().collect();
    for f in [
        "report.md",
        "results.json",
        "tables/organisation.csv",
        "tables/departments.csv",
        "tables/questions.csv",
        "tables/gaps.csv",
        "tables/quality.csv",
    ] {
        assert!(files.contains(&f.to_string()), "{f} missing: {files:?}");
    }
    // one wave: no trend table
    assert!(
        !files.contains(&"tables/trend.csv".to_string()),
        "{files:?}"
    );
    // no temp files are left behind (atomic writes)
    assert!(
        files.iter().all(|f| !f.contains(".tmp")),
        "leftover temp files: {files:?}"
    );
    // every table is CSV with a header and rows of the header's width
    for f in files.iter().filter(|f| f.ends_with(".csv")) {
        let t = csv_file(&out, f);
        assert!(t.len() >= 2, "{f}: header and rows");
        assert!(t.iter().all(|r| r.len() == t[0].len()), "{f}: ragged");
    }
}

#[test]
fn results_json_follows_the_documented_shape() {
    let tmp = tempfile::tempdir().unwrap();
    report(DE, tmp.path(), &[]);
    let v = results(tmp.path());
    has_keys(
        &v,
        &["questionnaire", "wave", "groups", "quality", "roadmap"],
        "results",
    );
    assert_eq!(v["questionnaire"]["id"], "bericht-test");
    assert_eq!(v["questionnaire"]["version"], "r1");
    assert_eq!(v["wave"], "2025");
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4);
    assert_eq!(groups[0]["kind"], "organisation");
    assert_eq!(groups[0]["name"], "Gesamtorganisation");
    for g in &groups[1..] {
        assert_eq!(g["kind"], "department");
    }
    for g in groups {
        let name = g["name"].as_str().unwrap();
        has_keys(
            g,
            &[
                "kind",
                "name",
                "respondents",
                "suppressed",
                "score",
                "level",
                "areas",
                "questions",
            ],
            name,
        );
        let areas: Vec<&str> = g["areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(areas, ["alpha", "beta", "gamma", "delta", "epsilon"]);
        for a in g["areas"].as_array().unwrap() {
            has_keys(
                a,
                &["id", "score", "level", "n", "target", "gap", "priority"],
                name,
            );
        }
        for q in g["questions"].as_array().unwrap() {
            has_keys(
                q,
                &["id", "score", "n", "dont_know", "sd", "ci95", "counts"],
                name,
            );
        }
    }
    // figures: respondents 7 (line 8 counts: b1 is a don't-know), Bauamt a1 = 30
    let o = org(&v);
    int(&o["respondents"], 7, "organisation respondents");
    int(&group(&v, "Bauamt")["respondents"], 3, "Bauamt respondents");
    close(
        &question(group(&v, "Bauamt"), "a1")["score"],
        30.0,
        "Bauamt a1",
    );
    int(
        &question(group(&v, "Bauamt"), "b1")["dont_know"],
        1,
        "Bauamt b1 don't know",
    );
    // area without target: gap and priority null
    null(&area(o, "delta")["target"], "delta target");
    null(&area(o, "delta")["gap"], "delta gap");
    null(&area(o, "delta")["priority"], "delta priority");

    // quality.files and quality.problems
    let files = v["quality"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    has_keys(
        &files[0],
        &[
            "path",
            "rows_read",
            "rows_used",
            "rows_rejected",
            "invalid_cells",
        ],
        "quality.files[0]",
    );
    assert_eq!(files[0]["path"], "data/umfrage.csv");
    int(&files[0]["rows_read"], 8, "rows read");
    int(&files[0]["rows_used"], 7, "rows used");
    int(&files[0]["rows_rejected"], 1, "rows rejected");
    int(&files[0]["invalid_cells"], 1, "invalid cells");
    let ps = problems(&v);
    assert_eq!(ps.len(), 2, "{ps:?}");
    for p in &ps {
        has_keys(
            p,
            &["file", "line", "column", "question", "value", "message"],
            "problem",
        );
        assert_eq!(p["file"], "data/umfrage.csv");
        assert!(p["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let cell = ps
        .iter()
        .find(|p| p["line"] == 8)
        .expect("problem at line 8");
    assert_eq!(cell["column"], "a1");
    assert_eq!(cell["question"], "a1");
    assert_eq!(cell["value"], "zwanzig");
    let row = ps
        .iter()
        .find(|p| p["line"] == 9)
        .expect("problem at line 9");
    null(&row["column"], "row problem column");
    null(&row["question"], "row problem question");

    // stable key order: the documented keys in the documented order
    let raw = read(tmp.path(), "results.json");
    let at = |key: &str| {
        raw.find(&format!("\n  \"{key}\":"))
            .unwrap_or_else(|| panic!("no top-level key {key}"))
    };
    let order = ["questionnaire", "wave", "groups", "quality"].map(at);
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let first_group = &raw[raw.find("\"kind\"").unwrap()..];
    let order = [
        "\"kind\"",
        "\"name\"",
        "\"respondents\"",
        "\"suppressed\"",
        "\"score\"",
        "\"level\"",
        "\"areas\"",
        "\"questions\"",
    ]
    .map(|k| first_group.find(k).unwrap());
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "group keys {order:?}"
    );

    // results.json is what `score --format json` prints
    let (score, _) = score_json(&["-p", DE]);
    assert_eq!(score, v);
}

#[test]
fn the_roadmap_is_ordered_by_priority() {
    // Organisation (6 valid answers per question; line 8 adds nothing valid):
    //   alpha   a1 20, 40, 20, 40, 20, 40 → 30; gap 60 − 30 = 30; × weight 1 = 30
    //   beta    b1 30, 40, … → 35;              gap 50 − 35 = 15; × 3       = 45
    //   gamma   g1 60, 80, … → 70;              gap 90 − 70 = 20; × 2       = 40
    //   delta   no target → not in the roadmap
    //   epsilon e1 50 → gap max(0, 20 − 50) = 0; priority 0
    // By priority: beta 45, gamma 40, alpha 30, epsilon 0 — neither questionnaire
    // order (alpha, beta, gamma) nor gap order (alpha 30, gamma 20, beta 15).
    let tmp = tempfile::tempdir().unwrap();
    report(DE, tmp.path(), &[]);
    let v = results(tmp.path());
    let roadmap = v["roadmap"].as_array().expect("roadmap");
    let ids: Vec<&str> = roadmap
        .iter()
        .map(|r| r["area"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["beta", "gamma", "alpha", "epsilon"]);
    for (r, (gap, prio)) in
        roadmap
            .iter()
            .zip([(15.0, 45.0), (20.0, 40.0), (30.0, 30.0), (0.0, 0.0)])
    {
        close(&r["gap"], gap, &format!("{} gap", r["area"]));
        close(&r["priority"], prio, &format!("{} priority", r["area"]));
    }
    let ranks: Vec<u64> = roadmap
        .iter()
        .map(|r| r["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3, 4]);

    // tables/gaps.csv: the same order, priorities descending, full precision
    let t = csv_file(tmp.path(), "tables/gaps.csv");
    let h = &t[0];
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (id, prio, gap) = (col("id"), col("Priorität"), col("Lücke"));
    let ids: Vec<&str> = t[1..].iter().map(|r| r[id].as_str()).collect();
    assert_eq!(ids, ["beta", "gamma", "alpha", "epsilon"]);
    let prios: Vec<f64> = t[1..].iter().map(|r| r[prio].parse().unwrap()).collect();
    assert!(prios.windows(2).all(|w| w[0] >= w[1]), "{prios:?}");
    for (p, want) in prios.iter().zip([45.0, 40.0, 30.0, 0.0]) {
        assert!((p - want).abs() < 1e-9, "{p} vs {want}");
    }
    let g: f64 = t[1][gap].parse().unwrap();
    assert!((g - 15.0).abs() < 1e-9, "beta gap {g}");
}

// ---------------------------------------------------------------------------------
// Reruns and --check
// ---------------------------------------------------------------------------------

#[test]
fn same_input_gives_byte_identical_files_and_a_rerun_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    report(DE, &a, &[]);
    // another folder, started from another working directory with an absolute -p
    let abs = root().join(DE);
    let o = bin()
        .current_dir(tmp.path())
        .args(["report", "-p", abs.to_str().unwrap(), "-o", "b"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "same files"
    );
    for (name, bytes) in &ta {
        assert!(bytes == &tb[name], "{name} differs between two runs");
    }
    // nothing in the output depends on where it was written
    let tmp_name = tmp.path().to_string_lossy().into_owned();
    for (name, bytes) in &ta {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&tmp_name),
            "{name} contains the output path"
        );
    }

    // a second run into the same folder: identical bytes, reported as unchanged, and
    // the files are not rewritten
    let mtime = std::fs::metadata(a.join("results.json"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let o = report(DE, &a, &[]);
    assert!(
        o.stderr.contains("0 file(s) written") && o.stderr.contains("unchanged"),
        "the rerun reports the files unchanged:\n{}",
        o.stderr
    );
    assert_eq!(tree(&a), ta, "rerun changed bytes");
    assert_eq!(
        std::fs::metadata(a.join("results.json"))
            .unwrap()
            .modified()
            .unwrap(),
        mtime,
        "an unchanged file is not rewritten"
    );
}

#[test]
fn the_sample_report_is_byte_identical_on_a_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    report(SAMPLE, &a, &[]);
    report(SAMPLE, &b, &[]);
    let (ta, tb) = (tree(&a), tree(&b));
    assert_eq!(ta.len(), tb.len());
    for (name, bytes) in &ta {
        assert!(bytes == &tb[name], "{name} differs between two runs");
    }
    check(SAMPLE, &a).expect_code(0);
}

#[test]
fn check_passes_after_a_report_and_fails_on_any_difference() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    // nothing written yet: stale
    let c = check(DE, &out);
    c.expect_code(1);
    assert!(!out.join("report.md").exists(), "--check writes nothing");

    report(DE, &out, &[]);
    let c = check(DE, &out);
    c.expect_code(0);

    // a changed table
    let before = tree(&out);
    let dep = out.join("tables/departments.csv");
    let mut text = read(&out, "tables/departments.csv");
    text.push_str("Extra,1,2,3\r\n");
    std::fs::write(&dep, text).unwrap();
    let c = check(DE, &out);
    c.expect_code(1).stdout_has("tables/departments.csv");
    assert!(
        !c.stdout.contains("tables/gaps.csv"),
        "only the changed file is named:\n{}",
        c.stdout
    );
    // --check did not repair it
    assert_ne!(
        std::fs::read(&dep).unwrap(),
        before["tables/departments.csv"]
    );
    report(DE, &out, &[]);
    check(DE, &out).expect_code(0);

    // a deleted file
    std::fs::remove_file(out.join("results.json")).unwrap();
    check(DE, &out).expect_code(1).stdout_has("results.json");
    report(DE, &out, &[]);
    check(DE, &out).expect_code(0);

    // an extra CSV in tables/
    std::fs::write(out.join("tables/alt.csv"), "a,b\r\n1,2\r\n").unwrap();
    check(DE, &out).expect_code(1).stdout_has("tables/alt.csv");
    // a report removes it (tables/ is reifegrad's), then the folder is up to date
    report(DE, &out, &[]);
    assert!(!out.join("tables/alt.csv").exists());
    check(DE, &out).expect_code(0);
    assert_eq!(tree(&out), before, "back to the original bytes");
}

#[test]
fn files_reifegrad_does_not_write_are_kept_outside_its_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    std::fs::create_dir_all(out.join("anhang")).unwrap();
    let keep = [
        "notizen.md",
        "eigene.csv",
        "anhang/daten.csv",
        "anhang/bild.png",
        "tables/liesmich.txt",
    ];
    std::fs::create_dir_all(out.join("tables")).unwrap();
    for k in keep {
        std::fs::write(out.join(k), format!("von Hand: {k}")).unwrap();
    }
    report(DE, &out, &[]);
    report(DE, &out, &[]);
    for k in keep {
        assert_eq!(
            read(&out, k),
            format!("von Hand: {k}"),
            "{k} must be kept untouched"
        );
    }
    // they do not make the folder stale either
    check(DE, &out).expect_code(0);
}

// ---------------------------------------------------------------------------------
// CSV tables
// ---------------------------------------------------------------------------------

#[test]
fn csv_tables_guard_against_formula_injection() {
    let tmp = tempfile::tempdir().unwrap();
    report(DE, tmp.path(), &[]);
    let t = csv_file(tmp.path(), "tables/departments.csv");
    let names: Vec<&str> = t[1..].iter().map(|r| r[0].as_str()).collect();
    assert!(
        names.contains(&"'=HYPERLINK(\"x\")"),
        "guarded name in departments.csv: {names:?}"
    );
    // no cell of any table starts with a formula character
    for (name, bytes) in tree(tmp.path()) {
        if !name.ends_with(".csv") {
            continue;
        }
        for row in parse_csv(&String::from_utf8(bytes).unwrap()) {
            for cell in row {
                let risky = cell.starts_with(['=', '+', '@', '\t', '\r'])
                    || (cell.starts_with('-') && cell.parse::<f64>().is_err());
                assert!(!risky, "{name}: unguarded cell {cell:?}");
            }
        }
    }
    // results.json keeps the name as it is
    let v = results(tmp.path());
    assert!(group_names(&v).contains(&"=HYPERLINK(\"x\")".to_string()));
}

#[test]
fn csv_tables_keep_full_precision() {
    // SPEC §4.9: machine outputs keep full precision. Bauamt a1 = (20 + 40)/2 = 30
    // after line 8's invalid cell; the organisation's overall score is
    // (1·30 + 3·35 + 2·70 + 1·10 + 1·50)/8 = 335/8 = 41.875 → "41.875", not "41,9".
    let tmp = tempfile::tempdir().unwrap();
    report(DE, tmp.path(), &[]);
    let t = csv_file(tmp.path(), "tables/departments.csv");
    let h = &t[0];
    let overall = h.iter().position(|c| c == "Gesamt").unwrap();
    let org_row = rows_named(&t, "Gesamtorganisation")[0];
    assert_eq!(org_row[overall], "41.875");
    let v = results(tmp.path());
    close(&org(&v)["score"], 41.875, "overall");
}

// ---------------------------------------------------------------------------------
// report.md
// ---------------------------------------------------------------------------------

/// Link targets of Markdown links and images: `](target)`.
fn link_targets(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = md;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find(')').unwrap_or(after.len());
        out.push(after[..end].to_string());
        rest = &after[end..];
    }
    out
}

#[track_caller]
fn assert_relative_links_and_pipe_tables(md: &str, out: &Path) {
    for target in link_targets(md) {
        let t = target.split_whitespace().next().unwrap_or("");
        let outside = t.starts_with('/')
            || t.contains("://")
            || t.starts_with("file:")
            || t.contains("..")
            || t.contains('\\')
            || (t.len() > 1 && t.as_bytes()[1] == b':');
        assert!(!outside, "not a relative link into the folder: {target}");
        assert!(out.join(t).is_file(), "link to a missing file: {t}");
    }
    let lower = md.to_lowercase();
    for html in ["<img", "<a href", "<table", "<br"] {
        assert!(!lower.contains(html), "HTML {html} in report.md");
    }
    assert!(
        !out.to_string_lossy().is_empty() && !md.contains(&*out.to_string_lossy()),
        "no absolute paths"
    );
    // pipe tables: a header line, a delimiter line of dashes, rows of the same width
    let lines: Vec<&str> = md.lines().collect();
    let mut tables = 0;
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].starts_with('|') {
                i += 1;
            }
            let block = &lines[start..i];
            assert!(
                block.len() >= 3,
                "a table with header, rule and rows: {block:?}"
            );
            let rule = block[1];
            assert!(
                rule.trim_matches('|')
                    .split('|')
                    .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':'))),
                "second line is the delimiter row: {rule}"
            );
            let width = |l: &str| l.matches('|').count() - l.matches("\\|").count();
            for l in block {
                assert!(l.ends_with('|'), "row ends with a pipe: {l}");
                assert_eq!(width(l), width(block[0]), "ragged row: {l}");
            }
            tables += 1;
        } else {
            assert!(
                !lines[i].starts_with("+-") && !lines[i].starts_with("+="),
                "grid tables are not pipe tables: {}",
                lines[i]
            );
            i += 1;
        }
    }
    assert!(tables >= 4, "report.md has its tables ({tables})");
}

#[test]
fn report_md_is_german_for_a_german_questionnaire() {
    let tmp = tempfile::tempdir().unwrap();
    report(DE, tmp.path(), &[]);
    let md = read(tmp.path(), "report.md");
    assert_relative_links_and_pipe_tables(&md, tmp.path());
    for de in ["## Methode", "Handlungsfeld", "Gesamtorganisation", "Soll"] {
        assert!(md.contains(de), "German report.md lacks {de:?}");
    }
    for en in ["## Method\n", "Target", "Department", "Respondents"] {
        assert!(!md.contains(en), "German report.md contains {en:?}");
    }
    // German decimals in prose and tables: the overall score 41.875 → 41,9
    assert!(md.contains("41,9"), "decimal comma");
    // CSV headers are German too
    let t = csv_file(tmp.path(), "tables/organisation.csv");
    assert_eq!(t[0][0], "Handlungsfeld");
}

#[test]
fn report_md_is_english_for_an_english_questionnaire() {
    let tmp = tempfile::tempdir().unwrap();
    report(EN, tmp.path(), &[]);
    let md = read(tmp.path(), "report.md");
    assert_relative_links_and_pipe_tables(&md, tmp.path());
    for en in ["## Method", "Area", "Target", "Organisation"] {
        assert!(md.contains(en), "English report.md lacks {en:?}");
    }
    for de in [
        "Methode",
        "Handlungsfeld",
        "Gesamtorganisation",
        "Fachbereich",
        "Befragte",
        "Lücke",
    ] {
        assert!(!md.contains(de), "English report.md contains {de:?}");
    }
    assert!(md.contains("41.9"), "decimal point");
    let v = results(tmp.path());
    assert_eq!(org(&v)["name"], "Organisation");
    let t = csv_file(tmp.path(), "tables/organisation.csv");
    assert_eq!(t[0][0], "Area");
}

#[test]
fn the_report_folder_has_charts_linked_from_report_md() {
    // SPEC §8: OUT/charts/*.png (radar and bars per group, heatmap, Likert bars,
    // roadmap), linked from report.md with relative links (all of them checked by
    // assert_relative_links_and_pipe_tables to exist in the folder).
    let tmp = tempfile::tempdir().unwrap();
    report(DE, tmp.path(), &[]);
    let files = tree(tmp.path());
    let charts: Vec<&String> = files
        .keys()
        .filter(|f| f.starts_with("charts/") && f.ends_with(".png"))
        .collect();
    assert!(!charts.is_empty(), "no charts/*.png: {:?}", files.keys());
    for c in &charts {
        assert!(
            files[*c].starts_with(b"\x89PNG\r\n\x1a\n"),
            "{c} is not a PNG"
        );
    }
    // report.md shows charts with relative links to files that exist
    let md = read(tmp.path(), "report.md");
    let links = link_targets(&md);
    assert!(
        links.iter().any(|l| l.starts_with("charts/")),
        "report.md links no chart: {links:?}"
    );
    assert_relative_links_and_pipe_tables(&md, tmp.path());
}

// ---------------------------------------------------------------------------------
// Privacy across the whole folder (SPEC §5, §9.1)
// ---------------------------------------------------------------------------------

#[track_caller]
fn assert_all_null(g: &Value) {
    let name = g["name"].as_str().unwrap();
    assert_eq!(g["suppressed"], true, "{name} suppressed");
    for k in ["respondents", "score", "level", "response_rate"] {
        null(&g[k], &format!("{name} {k}"));
    }
    for a in g["areas"].as_array().unwrap() {
        for k in ["score", "level", "n", "gap", "priority"] {
            null(&a[k], &format!("{name} area {} {k}", a["id"]));
        }
    }
    assert_eq!(g["questions"].as_array().unwrap().len(), 5, "{name}");
    for q in g["questions"].as_array().unwrap() {
        for k in ["score", "n", "dont_know", "sd", "ci95", "counts"] {
            null(&q[k], &format!("{name} question {} {k}", q["id"]));
        }
    }
}

#[test]
fn a_small_department_has_no_figures_anywhere_in_the_report() {
    let tmp = tempfile::tempdir().unwrap();
    report(PRIVACY, tmp.path(), &[]);
    let files = tree(tmp.path());
    let v = results(tmp.path());
    int(&v["min_group_size"], 5, "threshold");

    // results.json: Xylophon (3 < 5) and, by secondary suppression, Jugendamt (6, the
    // smallest shown department) have all figures null; Bauamt and Ordnungamt stay.
    assert_all_null(group(&v, XYLO));
    assert_all_null(group(&v, "Jugendamt"));
    for (name, n) in [("Bauamt", 8), ("Ordnungsamt", 7)] {
        let g = group(&v, name);
        assert_eq!(g["suppressed"], false, "{name}");
        int(&g["respondents"], n, name);
    }
    // ... and they still count in the organisation: 8 + 6 + 7 + 3
    int(&org(&v)["respondents"], 24, "organisation");

    // quality.files: the counts of their own files are withheld
    for f in ["data/xylophon.csv", "data/jugendamt.csv"] {
        let q = file_report(&v, f);
        assert_eq!(q["withheld"], true, "{f}");
        for k in ["rows_read", "rows_used", "rows_rejected", "invalid_cells"] {
            null(&q[k], &format!("{f} {k}"));
        }
    }
    let b = file_report(&v, "data/bauamt.csv");
    assert_eq!(b["withheld"], false);
    int(&b["rows_read"], 8, "bauamt.csv rows");

    // No file contains its distinctive answers or a score made of them (in
    // report.md also not rounded to one decimal).
    for (name, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let rounded: &[&str] = if name == "report.md" {
            &["7,7", "98,8"]
        } else {
            &[]
        };
        for needle in [
            "7.654321", "7,654321", "1.234567", "1,234567", "98.7654", "98,7654", "3.14159",
            "3,14159", "2.71828", "2,71828",
        ]
        .iter()
        .chain(rounded)
        {
            assert!(
                !text.contains(needle),
                "{name} contains {needle:?}, a figure of the withheld department"
            );
        }
    }

    // Tables: `n<5` instead of every figure of both withheld departments.
    // departments.csv: name, then respondents, overall, level and one column per
    // area; questions.csv: department, area, question, then the figures.
    for (table, first_figure) in [("departments", 1), ("questions", 3)] {
        let t = csv_file(tmp.path(), &format!("tables/{table}.csv"));
        for name in [XYLO, "Jugendamt"] {
            let rows = rows_named(&t, name);
            assert!(!rows.is_empty(), "{table}.csv lists {name}");
            for r in rows {
                assert!(
                    r[first_figure..].iter().all(|c| c == "n<5"),
                    "{table}.csv {name}: {r:?}"
                );
            }
        }
    }
    let t = csv_file(tmp.path(), "tables/quality.csv");
    for f in ["data/xylophon.csv", "data/jugendamt.csv"] {
        let r = rows_named(&t, f);
        assert_eq!(r.len(), 1, "quality.csv lists {f}");
        assert_eq!(&r[0][1..5], ["n<5", "n<5", "n<5", "n<5"], "{f}");
    }

    // report.md: its rows carry no number other than the marker's 5
    let md = read(tmp.path(), "report.md");
    for name in [XYLO, "Jugendamt"] {
        let rows = md_rows(&md, name);
        assert!(!rows.is_empty(), "report.md lists {name}");
        for r in rows {
            let cells = r.trim_matches('|').split('|').skip(1);
            for c in cells {
                let c = c.trim().replace("n\\<5", "").replace("n<5", "");
                assert!(
                    !c.chars().any(|ch| ch.is_ascii_digit()),
                    "report.md row of {name} shows a number: {r}"
                );
            }
        }
    }
}
