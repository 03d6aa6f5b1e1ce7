//! Hardening: privacy in every output, hostile input, nothing lost (SPEC §3, §5, §7,
//! §9; README "Privacy", "Survey files", "The questionnaire").
//!
//! Fixtures (tests/fixtures/hardening/, threshold 5 from `q.toml`):
//! - `q.toml`: area `digital` (q_akte percent, q_online agreement) and area `selten`
//!   (q_selten agreement, answered by few).
//! - `one-small/`: two waves, one file per department (department column
//!   `Fachbereich`). 2025: Alpha-Amt 7, Beta-Amt 6, Gamma-Amt 8, Narwal-Büro 6,
//!   Zwergstelle Quokka 3 → Quokka withheld, and, being the only one, the smallest
//!   shown department Beta-Amt (6, before Narwal-Büro 6 by name). q_selten: Gamma-Amt
//!   has 3 valid answers (withheld), Beta and Quokka none; together 3 < 5 → the
//!   smallest shown department for q_selten, Narwal-Büro (6), is withheld as well.
//!   2023: Alpha 7, Beta 6, Gamma 8, Narwal 2, Quokka 6 → Narwal and Beta withheld.
//!   Trend: only Alpha-Amt and Gamma-Amt are comparable.
//! - `two-small/`: Alpha-Amt 7, Delta-Amt 9, Gamma-Amt 8, Kiwi-Stabsstelle 2,
//!   Wombat-Kanzlei 2 → the two small ones together 4 < 5 → Alpha-Amt withheld too.
//!   The small departments' (and Alpha's) q_akte answers are distinctive numbers.
//! - `injection/`: departments and texts that spreadsheets read as formulas.
//! - `paths/`: departments named like paths (`../../etc/x`, `a/b\c`, `..`).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use common::*;
use serde_json::Value;

const Q: &str = "tests/fixtures/hardening/q.toml";
const ONE: &str = "tests/fixtures/hardening/one-small/reifegrad.toml";
const TWO: &str = "tests/fixtures/hardening/two-small/reifegrad.toml";
const INJ_Q: &str = "tests/fixtures/hardening/injection/q.toml";
const INJ_CSV: &str = "tests/fixtures/hardening/injection/umfrage.csv";
const PATHS_CSV: &str = "tests/fixtures/hardening/paths/umfrage.csv";

const BETA: &str = "Beta-Amt";
const QUOKKA: &str = "Zwergstelle Quokka";
const NARWAL: &str = "Narwal-Büro";
const GAMMA: &str = "Gamma-Amt";
const ALPHA: &str = "Alpha-Amt";
const KIWI: &str = "Kiwi-Stabsstelle";
const WOMBAT: &str = "Wombat-Kanzlei";

/// The answers only withheld departments gave (q_akte), as written in the files:
/// 2025 Beta-Amt and Quokka, then 2023 Beta-Amt and Narwal-Büro.
const ONE_ANSWERS: &[&str] = &[
    "21.2121", "23.2323", "25.2525", "27.2727", "29.2929", "31.3131", "3.14159", "2.71828",
    "1.41421", "11.1913", "13.1713", "15.1517", "17.1319", "19.1123", "23.1931", "8.31446",
    "6.62607",
];
/// The same for two-small/ (Alpha-Amt, Kiwi-Stabsstelle, Wombat-Kanzlei; `6.6743`
/// is written `6.67430`).
const TWO_ANSWERS: &[&str] = &[
    "41.4243", "44.4546", "47.4849", "50.5152", "53.5455", "56.5758", "59.6061", "9.10938",
    "6.6743", "6.02214", "1.60217",
];

/// Labels that may stand next to a withheld department in a table row: area and
/// question ids, names and texts, and the overall column's name.
const LABELS: &[&str] = &[
    "digital",
    "selten",
    "q_akte",
    "q_online",
    "q_selten",
    "Digitale Akte",
    "Selten beantwortet",
    "Anteil der Vorgänge in der E-Akte (%)",
    "Leistungen sind online beantragbar.",
    "Eine Frage, die kaum jemand beantworten kann.",
    "Gesamt",
    "Overall",
];

// ---------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------

/// Runs the binary and asserts it neither panicked nor ended with an odd code.
#[track_caller]
fn ok(args: &[&str]) -> Out {
    let o = run(args);
    o.no_panic().expect_code(0);
    o
}

/// Every file below `dir` (relative `/` paths) with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd {
            let e = e.unwrap();
            let p = e.path();
            let t = e.file_type().unwrap();
            let rel = p
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if t.is_dir() {
                walk(base, &p, out);
            } else if t.is_symlink() {
                out.insert(format!("{rel} (symlink)"), Vec::new());
            } else {
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut m = BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

/// All numbers in a JSON value, as JSON writes them.
fn numbers(v: &Value, out: &mut HashSet<String>) {
    match v {
        Value::Number(n) => {
            out.insert(n.to_string());
        }
        Value::Array(a) => a.iter().for_each(|x| numbers(x, out)),
        Value::Object(o) => o.values().for_each(|x| numbers(x, out)),
        _ => {}
    }
}

/// A number with at least four decimals, so finding it in a text is no coincidence.
fn distinctive(v: &Value) -> Option<String> {
    let s = v.as_f64().map(|_| v.to_string())?;
    let decimals = s.split_once('.').map_or(0, |(_, d)| d.len());
    (decimals >= 4 && !s.contains('e')).then_some(s)
}

/// The figures of a group that a withheld group or question would give away:
/// overall, area and question figures.
fn figures_of(g: &Value, out: &mut Vec<String>) {
    out.extend(distinctive(&g["score"]));
    for a in g["areas"].as_array().unwrap() {
        for k in ["score", "gap", "priority"] {
            out.extend(distinctive(&a[k]));
        }
    }
    for q in g["questions"].as_array().unwrap() {
        for k in ["score", "sd", "ci95"] {
            out.extend(distinctive(&q[k]));
        }
    }
}

/// Figures that must not appear anywhere: computed with `--min-group 1` (`truth`),
/// they are every figure of the `withheld` departments, the figures of questions the
/// real run (`real`) withholds and the area and overall scores those questions
/// changed. Numbers the real run shows anyway (coincidences) are left out.
fn secrets(truth: &Value, real: &Value, withheld: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for t in truth["groups"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if withheld.contains(&name) {
            figures_of(t, &mut out);
            continue;
        }
        let r = group(real, name);
        for tq in t["questions"].as_array().unwrap() {
            let rq = question(r, tq["id"].as_str().unwrap());
            if rq["score"].is_null() {
                for k in ["score", "sd", "ci95"] {
                    out.extend(distinctive(&tq[k]));
                }
            }
        }
        for ta in t["areas"].as_array().unwrap() {
            let ra = area(r, ta["id"].as_str().unwrap());
            if ra["score"] != ta["score"] {
                out.extend(distinctive(&ta["score"]));
            }
        }
        if r["score"] != t["score"] {
            out.extend(distinctive(&t["score"]));
        }
    }
    let mut public = HashSet::new();
    numbers(real, &mut public);
    out.retain(|s| !public.contains(s));
    out.sort();
    out.dedup();
    out
}

/// How a text output is laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layout {
    Csv,
    Table,
    Markdown,
    Json,
    Other,
}

/// One output to audit.
struct Output {
    label: String,
    layout: Layout,
    text: String,
}

fn output(label: impl Into<String>, layout: Layout, text: impl Into<String>) -> Output {
    Output {
        label: label.into(),
        layout,
        text: text.into(),
    }
}

/// The cells of the table rows of a text in which one cell is `name`.
fn rows_with(o: &Output, name: &str) -> Vec<Vec<String>> {
    let rows: Vec<Vec<String>> = match o.layout {
        Layout::Csv => parse_csv(o.text.trim_start_matches('\u{feff}')),
        Layout::Table => o
            .text
            .lines()
            .filter(|l| l.contains('│'))
            .map(|l| {
                l.split(['│', '┆'])
                    .map(|c| c.trim().to_string())
                    .filter(|c| !c.is_empty())
                    .collect()
            })
            .collect(),
        Layout::Markdown => o
            .text
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(|l| {
                l.trim()
                    .trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().to_string())
                    .collect()
            })
            .collect(),
        Layout::Json | Layout::Other => Vec::new(),
    };
    rows.into_iter()
        .filter(|r| r.iter().any(|c| c == name))
        .collect()
}

/// Asserts that every table row of `name` carries only the marker (or nothing)
/// besides labels. A level name would be a figure too.
#[track_caller]
fn assert_rows_withheld(o: &Output, name: &str) -> usize {
    let rows = rows_with(o, name);
    for row in &rows {
        for cell in row {
            let fine = cell == name
                || cell.is_empty()
                || cell == "–"
                || cell == "n<5"
                || cell == "n\\<5"
                || LABELS.contains(&cell.as_str());
            assert!(
                fine,
                "{}: the row of withheld {name:?} shows {cell:?}: {row:?}",
                o.label
            );
        }
    }
    if o.layout == Layout::Markdown || o.layout == Layout::Table {
        // the name appears nowhere but in table rows (no prose about it)
        for l in o.text.lines().filter(|l| l.contains(name)) {
            assert!(
                l.starts_with('|') || l.contains('│'),
                "{}: {name:?} outside a table: {l}",
                o.label
            );
        }
    }
    rows.len()
}

/// Asserts that the tables of departments list `name` (so the row checks ran).
#[track_caller]
fn assert_listed(outs: &[Output], name: &str) {
    for o in outs {
        let lists = o.label.contains("--by department --format")
            || o.label.ends_with("tables/departments.csv")
            || o.label.ends_with("tables/questions.csv")
            || o.label.ends_with("report.md");
        if lists && !o.label.ends_with("(stderr)") && o.layout != Layout::Json {
            assert!(
                !rows_with(o, name).is_empty(),
                "{} does not list {name:?}",
                o.label
            );
        }
    }
}

/// Asserts that no output contains any of `needles` (also with a decimal comma).
#[track_caller]
fn assert_absent(outputs: &[Output], needles: &[String], what: &str) {
    for o in outputs {
        for n in needles {
            for v in [n.clone(), n.replace('.', ",")] {
                assert!(!o.text.contains(&v), "{}: contains {v:?}, {what}", o.label);
            }
        }
    }
}

/// Asserts that a department is withheld in JSON: listed, every figure null.
#[track_caller]
fn assert_json_withheld(v: &Value, name: &str, what: &str) {
    let g = group(v, name);
    assert_eq!(g["suppressed"], true, "{what}: {name} suppressed");
    for k in ["respondents", "score", "level", "response_rate"] {
        null(&g[k], &format!("{what}: {name} {k}"));
    }
    let areas = g["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 2, "{what}: {name} keeps its areas listed");
    for a in areas {
        for k in ["score", "level", "n", "gap", "priority"] {
            null(&a[k], &format!("{what}: {name} area {} {k}", a["id"]));
        }
    }
    let qs = g["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 3, "{what}: {name} keeps its questions listed");
    for q in qs {
        for k in ["score", "n", "dont_know", "sd", "ci95", "counts"] {
            null(&q[k], &format!("{what}: {name} question {} {k}", q["id"]));
        }
    }
}

/// Asserts that a department has no trend figures.
#[track_caller]
fn assert_trend_withheld(v: &Value, name: &str) {
    let groups = v["trend"]["groups"].as_array().expect("trend.groups");
    let g = groups
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("trend lists {name}"));
    assert_eq!(g["comparable"], false, "trend {name} comparable");
    let mut entries = vec![&g["overall"]];
    entries.extend(g["areas"].as_array().unwrap());
    entries.extend(g["questions"].as_array().unwrap());
    for e in entries {
        for k in [
            "baseline",
            "current",
            "delta",
            "t",
            "df",
            "p",
            "significant",
            "level_baseline",
            "level_current",
        ] {
            if let Some(x) = e.get(k) {
                null(x, &format!("trend {name} {} {k}", e["id"]));
            }
        }
    }
}

/// The trend entry of a group and an area or question.
fn trend_entry<'a>(v: &'a Value, name: &str, part: &str, id: &str) -> &'a Value {
    let g = v["trend"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["name"] == name)
        .unwrap_or_else(|| panic!("trend lists {name}"));
    g[part]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("trend {name} {part} {id}"))
}

/// `score` in every shape for a project (plus `extra` arguments).
fn score_outputs(project: &str, extra: &[&str], label: &str) -> Vec<Output> {
    let mut outs = Vec::new();
    for by in ["area", "question", "department"] {
        for (format, layout) in [
            ("table", Layout::Table),
            ("markdown", Layout::Markdown),
            ("csv", Layout::Csv),
            ("json", Layout::Json),
        ] {
            let mut args = vec!["score", "-p", project, "--by", by, "--format", format];
            args.extend_from_slice(extra);
            let o = ok(&args);
            outs.push(output(
                format!("{label} --by {by} --format {format}"),
                layout,
                o.stdout,
            ));
            outs.push(output(
                format!("{label} --by {by} --format {format} (stderr)"),
                Layout::Other,
                o.stderr,
            ));
        }
    }
    outs
}

/// The text files of a report folder as outputs, plus the chart file names.
fn folder_outputs(dir: &Path, label: &str) -> Vec<Output> {
    let mut outs = Vec::new();
    let mut names = String::new();
    for (rel, bytes) in tree(dir) {
        names.push_str(&rel);
        names.push('\n');
        let layout = if rel.ends_with(".csv") {
            Layout::Csv
        } else if rel.ends_with(".md") {
            Layout::Markdown
        } else if rel.ends_with(".json") {
            Layout::Json
        } else if rel.ends_with(".svg") {
            Layout::Other
        } else {
            continue;
        };
        outs.push(output(
            format!("{label} {rel}"),
            layout,
            String::from_utf8(bytes).expect("text file is UTF-8"),
        ));
    }
    outs.push(output(format!("{label} file names"), Layout::Other, names));
    outs
}

/// The section of report.md that starts with `heading` (up to the next `## `).
fn md_section(md: &str, heading: &str) -> String {
    let Some(start) = md.find(heading) else {
        return String::new();
    };
    let rest = &md[start + heading.len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end].to_string()
}

/// A file-name slug as a reader would expect it: `Zwergstelle Quokka` →
/// `zwergstelle-quokka`, `Narwal-Büro` → `narwal-buero`.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'ä' => s.push_str("ae"),
            'ö' => s.push_str("oe"),
            'ü' => s.push_str("ue"),
            'ß' => s.push_str("ss"),
            c if c.is_ascii_alphanumeric() => s.push(c),
            _ => {
                if !s.ends_with('-') {
                    s.push('-')
                }
            }
        }
    }
    s.trim_matches('-').to_string()
}

/// Asserts that names never appear in chart file names or chart (SVG) text.
#[track_caller]
fn assert_not_in_charts(dir: &Path, names: &[&str], label: &str) {
    for (rel, bytes) in tree(dir) {
        let file = rel.rsplit('/').next().unwrap().to_lowercase();
        let is_chart = rel.starts_with("charts/") || !rel.contains('/');
        if !is_chart || !(file.ends_with(".png") || file.ends_with(".svg")) {
            continue;
        }
        for n in names {
            let slug_part = slug(n);
            assert!(
                !file.contains(&slug_part),
                "{label}: chart file {rel} is named after withheld {n:?}"
            );
            if file.ends_with(".svg") {
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.contains(n) && !text.to_lowercase().contains(&slug_part),
                    "{label}: chart {rel} labels withheld {n:?}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Privacy (SPEC §5, §9.1, §9.2)
// ---------------------------------------------------------------------------------

#[test]
fn one_small_department_leaves_no_trace_in_any_output() {
    let withheld = [BETA, QUOKKA];
    let tmp = tempfile::tempdir().unwrap();

    // what the figures would be without the threshold
    let (truth, _) = score_json(&["-p", ONE, "--min-group", "1"]);
    let (truth23, _) = score_json(&["-p", ONE, "--min-group", "1", "--wave", "2023"]);
    let (real, _) = score_json(&["-p", ONE]);
    let (real23, _) = score_json(&["-p", ONE, "--wave", "2023"]);

    // results as JSON: both withheld, every figure null; the others shown
    for name in withheld {
        assert_json_withheld(&real, name, "score --format json");
    }
    for (name, n) in [(ALPHA, 7), (GAMMA, 8), (NARWAL, 6)] {
        let g = group(&real, name);
        assert_eq!(g["suppressed"], false, "{name}");
        int(&g["respondents"], n, name);
    }
    // they still count in the organisation: 7 + 6 + 8 + 6 + 3
    int(&org(&real)["respondents"], 30, "organisation respondents");
    assert_json_withheld(&real23, NARWAL, "2023");
    assert_json_withheld(&real23, BETA, "2023");
    assert_eq!(group(&real23, QUOKKA)["suppressed"], false, "Quokka 2023");
    // their files' counts are withheld too (README: quality.files)
    for f in ["2025/b.csv", "2025/e.csv"] {
        let q = file_report(&real, f);
        assert_eq!(q["withheld"], true, "{f}");
        for k in ["rows_read", "rows_used", "rows_rejected", "invalid_cells"] {
            null(&q[k], &format!("{f} {k}"));
        }
    }
    int(&file_report(&real, "2025/a.csv")["rows_read"], 7, "a.csv");

    // trend: comparable only where shown in both waves
    for name in [BETA, QUOKKA, NARWAL] {
        assert_trend_withheld(&real, name);
    }
    for name in [ALPHA, GAMMA] {
        let g = real["trend"]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["name"] == name)
            .unwrap();
        assert_eq!(g["comparable"], true, "{name} comparable");
    }

    // every output
    let mut outs = score_outputs(ONE, &[], "score");
    outs.extend(score_outputs(
        ONE,
        &["--compare", "2023"],
        "score --compare",
    ));
    for (i, image) in ["png", "svg"].into_iter().enumerate() {
        let dir = tmp.path().join(format!("report-{image}"));
        ok(&[
            "report",
            "-p",
            ONE,
            "-o",
            dir.to_str().unwrap(),
            "--image",
            image,
        ]);
        assert_eq!(
            serde_json::from_str::<Value>(
                &std::fs::read_to_string(dir.join("results.json")).unwrap()
            )
            .unwrap(),
            real,
            "results.json is the JSON of score"
        );
        assert_not_in_charts(&dir, &withheld, &format!("report --image {image}"));
        outs.extend(folder_outputs(&dir, &format!("report{i}")));
    }
    let charts = tmp.path().join("charts");
    ok(&[
        "chart",
        "-p",
        ONE,
        "-o",
        charts.to_str().unwrap(),
        "--image",
        "svg",
    ]);
    assert_not_in_charts(&charts, &withheld, "chart --image svg");
    outs.extend(folder_outputs(&charts, "chart"));

    // no table row of a withheld department shows anything but the marker
    for name in withheld {
        assert_listed(&outs, name);
        for o in &outs {
            assert_rows_withheld(o, name);
        }
    }
    // in trend outputs, Narwal-Büro (withheld in 2023) has no figures either
    for o in &outs {
        if o.label.starts_with("score --compare --by department")
            && !o.label.ends_with("(stderr)")
            && o.layout != Layout::Json
        {
            assert_eq!(assert_rows_withheld(o, NARWAL), 1, "{}", o.label);
        } else if o.label.starts_with("score --compare") {
            assert_rows_withheld(o, NARWAL);
        } else if o.label.ends_with("tables/trend.csv") {
            assert_eq!(assert_rows_withheld(o, NARWAL), 3, "{}", o.label);
        } else if o.label.ends_with("report.md") {
            let trend = output(
                format!("{} (trend section)", o.label),
                Layout::Markdown,
                md_section(&o.text, "## Entwicklung"),
            );
            assert!(
                trend.text.contains(NARWAL),
                "the trend section lists the departments"
            );
            assert_rows_withheld(&trend, NARWAL);
        }
    }

    // neither their answers nor any figure made of them appears anywhere
    let answers: Vec<String> = ONE_ANSWERS.iter().map(|s| s.to_string()).collect();
    assert_absent(&outs, &answers, "an answer of a withheld department");
    let mut secret = secrets(&truth, &real, &withheld);
    secret.extend(secrets(&truth23, &real23, &[BETA, NARWAL]));
    // Quokka's 2023 figures are not comparable with its withheld 2025 figures
    figures_of(group(&truth23, QUOKKA), &mut secret);
    let mut public = HashSet::new();
    numbers(&real, &mut public);
    secret.retain(|s| !public.contains(s));
    // Gamma-Amt's withheld q_selten answers A1, A2, A1 (0, 25, 0): score 25/3,
    // sd 14.4337…, and with them its area `selten` 8.33… and overall 45.9166…
    // (`--min-group 1` withholds q_selten too: Beta and Quokka have no answers to it)
    secret.extend(["8.33333", "14.43375", "45.91666"].map(String::from));
    assert!(secret.len() >= 10, "the audit has figures to look for");
    assert_absent(&outs, &secret, "a figure of withheld data");
}

#[test]
fn two_small_departments_take_the_smallest_shown_one_with_them() {
    let withheld = [ALPHA, KIWI, WOMBAT];
    let tmp = tempfile::tempdir().unwrap();
    let (truth, _) = score_json(&["-p", TWO, "--min-group", "1"]);
    let (real, _) = score_json(&["-p", TWO]);
    for name in withheld {
        assert_json_withheld(&real, name, "score --format json");
    }
    for (name, n) in [("Delta-Amt", 9), (GAMMA, 8)] {
        let g = group(&real, name);
        assert_eq!(g["suppressed"], false, "{name}");
        int(&g["respondents"], n, name);
    }
    int(&org(&real)["respondents"], 28, "organisation respondents");

    let mut outs = score_outputs(TWO, &[], "score");
    let dir = tmp.path().join("report");
    ok(&[
        "report",
        "-p",
        TWO,
        "-o",
        dir.to_str().unwrap(),
        "--image",
        "svg",
    ]);
    assert_not_in_charts(&dir, &withheld, "report --image svg");
    outs.extend(folder_outputs(&dir, "report"));
    for name in withheld {
        assert_listed(&outs, name);
        for o in &outs {
            assert_rows_withheld(o, name);
        }
    }
    let answers: Vec<String> = TWO_ANSWERS.iter().map(|s| s.to_string()).collect();
    assert_absent(&outs, &answers, "an answer of a withheld department");
    let secret = secrets(&truth, &real, &withheld);
    assert!(secret.len() >= 10, "the audit has figures to look for");
    assert_absent(&outs, &secret, "a figure of withheld data");
}

#[test]
fn a_question_with_few_answers_is_withheld_and_the_secondary_rule_runs_per_question() {
    let (v, _) = score_json(&["-p", ONE]);
    // Gamma-Amt: 3 valid answers to q_selten (< 5): withheld; n and dont_know stay
    // (SPEC §9.2), and it does not count in the area or overall score
    let g = group(&v, GAMMA);
    let q = question(g, "q_selten");
    for k in ["score", "sd", "ci95", "counts"] {
        null(&q[k], &format!("Gamma q_selten {k}"));
    }
    int(&q["n"], 3, "Gamma q_selten n");
    int(&q["dont_know"], 5, "Gamma q_selten dont_know");
    null(&area(g, "selten")["score"], "Gamma area selten");
    close(
        &g["score"],
        area(g, "digital")["score"].as_f64().unwrap(),
        "Gamma overall",
    );
    // secondary: withheld for q_selten are Beta (0), Quokka (0) and Gamma (3): 3 < 5,
    // so the smallest shown department for q_selten, Narwal-Büro (6 < Alpha's 7), too
    let n = group(&v, NARWAL);
    let q = question(n, "q_selten");
    for k in ["score", "sd", "ci95", "counts"] {
        null(&q[k], &format!("Narwal q_selten {k}"));
    }
    int(&q["n"], 6, "Narwal q_selten n");
    null(&area(n, "selten")["score"], "Narwal area selten");
    // ... and no further: Alpha-Amt and the organisation keep q_selten
    close(
        &question(group(&v, ALPHA), "q_selten")["score"],
        75.0,
        "Alpha q_selten",
    );
    close(
        &question(org(&v), "q_selten")["score"],
        53.125,
        "org q_selten",
    );
    // Narwal's other questions stay shown
    close(
        &question(n, "q_online")["score"],
        75.0,
        "Narwal q_online shown",
    );

    // the report's questions table shows the marker for those figures
    let tmp = tempfile::tempdir().unwrap();
    ok(&[
        "report",
        "-p",
        ONE,
        "-o",
        tmp.path().to_str().unwrap(),
        "--image",
        "svg",
    ]);
    let t = parse_csv(&std::fs::read_to_string(tmp.path().join("tables/questions.csv")).unwrap());
    let col = |h: &str| t[0].iter().position(|c| c == h).unwrap();
    for name in [GAMMA, NARWAL] {
        let row = t
            .iter()
            .find(|r| r[0] == name && r[2] == "q_selten")
            .unwrap_or_else(|| panic!("questions.csv row {name} q_selten"));
        for h in ["Wert", "sd", "ci95"] {
            assert_eq!(
                row[col(h)],
                "n<5",
                "questions.csv {name} q_selten {h}: {row:?}"
            );
        }
    }
    let row = t
        .iter()
        .find(|r| r[0] == ALPHA && r[2] == "q_selten")
        .unwrap();
    assert_eq!(row[col("Wert")], "75", "Alpha q_selten shown");
}

#[test]
fn trend_tests_are_not_computed_from_withheld_figures() {
    // Gamma-Amt is comparable, but its q_selten (and so its area `selten`) is withheld
    // in 2025: no change and no t-test may be derived from the withheld answers.
    let (v, _) = score_json(&["-p", ONE]);
    for (name, part, id) in [(GAMMA, "areas", "selten"), (GAMMA, "questions", "q_selten")] {
        let e = trend_entry(&v, name, part, id);
        null(&e["current"], &format!("trend {name} {id} current"));
        for k in ["delta", "t", "df", "p", "significant"] {
            null(
                &e[k],
                &format!("trend {name} {id} {k} (current is withheld)"),
            );
        }
    }
    // generally: whenever a side is missing, nothing is compared
    for g in v["trend"]["groups"].as_array().unwrap() {
        let mut entries = vec![&g["overall"]];
        entries.extend(g["areas"].as_array().unwrap());
        entries.extend(g["questions"].as_array().unwrap());
        for e in entries {
            if e["baseline"].is_null() || e["current"].is_null() {
                for k in ["delta", "t", "df", "p", "significant"] {
                    null(&e[k], &format!("trend {} {} {k}", g["name"], e["id"]));
                }
            }
        }
    }
    // and so in the trend table: the row of Gamma's area `selten` has no test figures
    let tmp = tempfile::tempdir().unwrap();
    ok(&[
        "report",
        "-p",
        ONE,
        "-o",
        tmp.path().to_str().unwrap(),
        "--image",
        "svg",
    ]);
    let t = parse_csv(&std::fs::read_to_string(tmp.path().join("tables/trend.csv")).unwrap());
    let row = t
        .iter()
        .find(|r| r[0] == GAMMA && r[1] == "selten")
        .expect("trend.csv row Gamma-Amt selten");
    for (h, cell) in t[0].iter().zip(row) {
        if ["t", "df", "p", "Veränderung"].contains(&h.as_str()) {
            assert!(
                cell.is_empty() || cell == "n<5" || cell == "–",
                "trend.csv Gamma-Amt selten {h} = {cell:?}: {row:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Formula injection (SPEC §5)
// ---------------------------------------------------------------------------------

/// Asserts that no cell of a CSV text begins with a formula character (a leading
/// `-` is fine for numbers).
#[track_caller]
fn assert_no_formula(label: &str, text: &str, delimiter: u8) {
    for row in parse_csv_with(text.trim_start_matches('\u{feff}'), delimiter) {
        for cell in row {
            let number = cell.replace(',', ".").parse::<f64>().is_ok();
            let risky =
                cell.starts_with(['=', '+', '@', '\t', '\r']) || (cell.starts_with('-') && !number);
            assert!(!risky, "{label}: unguarded cell {cell:?}");
        }
    }
}

/// The cells of a CSV text.
fn cells(text: &str, delimiter: u8) -> BTreeSet<String> {
    parse_csv_with(text.trim_start_matches('\u{feff}'), delimiter)
        .into_iter()
        .flatten()
        .collect()
}

#[test]
fn text_cells_that_look_like_formulas_are_guarded_in_every_csv() {
    let departments = ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "'-2", "'@SUM(1)"];
    let texts = ["'=1+1 ergibt die Antwort", "'+49 Telefon ist erreichbar"];
    let area_name = "'@Feld(1)";
    for excel in [false, true] {
        let delimiter = if excel { b';' } else { b',' };
        let ex: &[&str] = if excel { &["--excel"] } else { &[] };
        // score --format csv
        for by in ["area", "question", "department"] {
            let mut args = vec!["score", "-q", INJ_Q, INJ_CSV, "--by", by, "--format", "csv"];
            args.extend_from_slice(ex);
            let o = ok(&args);
            let label = format!("score --by {by} --format csv {ex:?}");
            assert_no_formula(&label, &o.stdout, delimiter);
            let c = cells(&o.stdout, delimiter);
            let expected: Vec<&str> = match by {
                "department" => departments.iter().copied().chain([area_name]).collect(),
                "question" => texts.iter().copied().chain([area_name]).collect(),
                _ => vec![area_name],
            };
            for e in expected {
                assert!(c.contains(e), "{label}: no cell {e:?} in\n{}", o.stdout);
            }
        }
        // report tables
        let tmp = tempfile::tempdir().unwrap();
        let mut args = vec![
            "report",
            "-q",
            INJ_Q,
            INJ_CSV,
            "-o",
            tmp.path().to_str().unwrap(),
            "--image",
            "svg",
        ];
        args.extend_from_slice(ex);
        ok(&args);
        let files = tree(tmp.path());
        let mut all = BTreeSet::new();
        for (rel, bytes) in &files {
            if rel.ends_with(".csv") {
                let text = String::from_utf8(bytes.clone()).unwrap();
                assert_no_formula(&format!("report {ex:?} {rel}"), &text, delimiter);
                all.extend(cells(&text, delimiter));
            }
        }
        let deps = cells(
            &String::from_utf8(files["tables/departments.csv"].clone()).unwrap(),
            delimiter,
        );
        let qs = cells(
            &String::from_utf8(files["tables/questions.csv"].clone()).unwrap(),
            delimiter,
        );
        for d in departments {
            assert!(deps.contains(d), "departments.csv {ex:?} lacks {d:?}");
            assert!(qs.contains(d), "questions.csv {ex:?} lacks {d:?}");
        }
        assert!(all.contains(area_name), "report tables {ex:?}: {area_name}");
        // JSON keeps the names as they are
        let v: Value = serde_json::from_slice(&files["results.json"]).unwrap();
        for d in departments {
            let raw = &d[1..];
            assert!(
                group_names(&v).iter().any(|n| n == raw),
                "results.json names {raw:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Paths and links (SPEC §5, README "Privacy")
// ---------------------------------------------------------------------------------

fn is_slug_file(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    (ext == "png" || ext == "svg")
        && !stem.is_empty()
        && stem
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn chart_files_of_path_like_names_stay_in_the_charts_folder() {
    let tmp = tempfile::tempdir().unwrap();
    // deep enough that `../../etc/x` from the charts folder would still land inside
    let out = tmp.path().join("a/b/c/out");
    ok(&[
        "report",
        "-q",
        Q,
        PATHS_CSV,
        "-o",
        out.to_str().unwrap(),
        "--min-group",
        "1",
    ]);
    let charts_out = tmp.path().join("a/b/c/charts");
    ok(&[
        "chart",
        "-q",
        Q,
        PATHS_CSV,
        "-o",
        charts_out.to_str().unwrap(),
        "--min-group",
        "1",
        "--image",
        "svg",
    ]);
    let files: Vec<String> = tree(tmp.path()).into_keys().collect();
    let mut bars = Vec::new();
    for f in &files {
        if let Some(rest) = f.strip_prefix("a/b/c/out/") {
            let ok = ["report.md", "results.json"].contains(&rest)
                || rest
                    .strip_prefix("tables/")
                    .is_some_and(|n| !n.contains('/') && n.ends_with(".csv"))
                || rest
                    .strip_prefix("charts/")
                    .is_some_and(|n| !n.contains('/') && is_slug_file(n));
            assert!(ok, "unexpected file in the report folder: {f}");
            if rest.starts_with("charts/bars-") {
                bars.push(rest.to_string());
            }
        } else if let Some(rest) = f.strip_prefix("a/b/c/charts/") {
            assert!(is_slug_file(rest), "chart file name {rest:?}");
        } else {
            panic!("a file outside the output folders: {f} (all: {files:?})");
        }
    }
    // one bars chart per group (organisation + 4 departments): none overwrote another
    assert_eq!(bars.len(), 5, "{bars:?}");
    // report.md links only into the folder
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    for l in md.lines().filter(|l| l.contains("](")) {
        assert!(!l.contains("](..") && !l.contains("](/"), "link out: {l}");
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_charts_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("charts")).unwrap();
    let o = run([
        "report",
        "-q",
        Q,
        PATHS_CSV,
        "-o",
        out.to_str().unwrap(),
        "--min-group",
        "1",
    ]);
    o.no_panic().expect_code(1).stderr_has("symbolic link");
    assert!(
        std::fs::read_dir(&elsewhere).unwrap().next().is_none(),
        "something was written into the link target: {:?}",
        tree(&elsewhere).keys()
    );
    assert!(std::fs::symlink_metadata(out.join("charts"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[cfg(unix)]
#[test]
fn a_symlinked_file_in_the_report_folder_is_replaced_not_written_through() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("tables")).unwrap();
    let outside = tmp.path().join("outside.csv");
    std::fs::write(&outside, "bleibt so\n").unwrap();
    for link in ["tables/departments.csv", "tables/alt.csv", "results.json"] {
        std::os::unix::fs::symlink(&outside, out.join(link)).unwrap();
    }
    ok(&[
        "report",
        "-q",
        Q,
        PATHS_CSV,
        "-o",
        out.to_str().unwrap(),
        "--min-group",
        "1",
        "--image",
        "svg",
    ]);
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "bleibt so\n",
        "the link target was written through"
    );
    for f in ["tables/departments.csv", "results.json"] {
        let meta = std::fs::symlink_metadata(out.join(f)).unwrap();
        assert!(meta.file_type().is_file(), "{f} is a real file now");
    }
    let t = std::fs::read_to_string(out.join("tables/departments.csv")).unwrap();
    assert!(t.starts_with("Fachbereich,"), "{t}");
    // the stale table link is removed; its target stays
    assert!(std::fs::symlink_metadata(out.join("tables/alt.csv")).is_err());
    assert!(outside.exists());
}

// ---------------------------------------------------------------------------------
// Hostile input (SPEC §7: clear messages, exit codes, no panics)
// ---------------------------------------------------------------------------------

/// Runs `score` on one survey file (threshold 1) and checks code and message.
#[track_caller]
fn survey(path: &str, code: i32, message: &str) -> Out {
    let o = run([
        "score",
        "-q",
        Q,
        path,
        "--min-group",
        "1",
        "--format",
        "json",
    ]);
    o.no_panic().expect_code(code);
    if !message.is_empty() {
        o.stderr_has(message);
    }
    if code == 1 {
        assert!(o.stdout.is_empty(), "no results on failure: {}", o.stdout);
    }
    o
}

/// Runs `validate -q` on a questionnaire and checks code and message.
#[track_caller]
fn toml(path: &str, message: &str) -> Out {
    let o = run(["validate", "-q", path]);
    o.no_panic().expect_code(1).stderr_has(message);
    o
}

#[test]
fn empty_header_only_and_binary_survey_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let good = write(d, "good.csv", "Fachbereich,q_akte\nBauamt,50\n");
    // empty
    let f = write(d, "leer.csv", "");
    survey(&f, 1, "empty").stderr_has("leer.csv");
    // header only: a warning; alone it leaves no respondents (an error)
    let f = write(d, "kopf.csv", "Fachbereich,q_akte\n");
    survey(&f, 1, "no respondents").stderr_has("kopf.csv");
    let o = run(["score", "-q", Q, &f, &good, "--min-group", "1"]);
    o.no_panic()
        .expect_code(0)
        .stderr_has("warning")
        .stderr_has("kopf.csv");
    // binary without NUL bytes: read as Windows-1252, no question column
    let bin: Vec<u8> = (0..4096u32).map(|i| (i * 13 % 255 + 1) as u8).collect();
    let f = write(d, "rauschen.csv", &bin);
    survey(&f, 1, "rauschen.csv");
    // binary with NUL bytes (a PNG renamed to .csv; the first NUL is after the first
    // line break): SPEC §9.14 calls a file with NUL bytes "not a text file"
    let mut bin: Vec<u8> = b"\x89PNG\r\n\x1a\n".to_vec();
    bin.extend((0..4096u32).map(|i| (i * 7 % 256) as u8));
    let f = write(d, "bild.csv", &bin);
    survey(&f, 1, "not a text file");
}

#[test]
fn invalid_utf8_that_is_not_windows_1252_is_still_decoded() {
    let tmp = tempfile::tempdir().unwrap();
    // 0x81 0x8D 0x8F 0x90 0x9D are unassigned in classic Windows-1252 (WHATWG maps
    // them to C1 controls)
    let f = write(
        tmp.path(),
        "c1.csv",
        b"Fachbereich,q_akte,q_online\nBauamt,50,A3\n\x81\x8d\x8f\x90\x9d,40,A\x81\n",
    );
    let o = survey(&f, 0, "Windows-1252");
    let v = o.json();
    int(&org(&v)["respondents"], 2, "both rows used");
    assert_eq!(problems(&v).len(), 1, "one invalid cell");
    // forced UTF-8: an error naming the line, not a crash
    let o = run(["score", "-q", Q, &f, "--encoding", "utf-8"]);
    o.no_panic().expect_code(1).stderr_has("UTF-8");
}

#[test]
fn a_five_megabyte_field_and_a_hundred_thousand_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let big = "x".repeat(5 * 1024 * 1024);
    // in an ignored column
    let f = write(
        tmp.path(),
        "bemerkung.csv",
        format!("Fachbereich,Bemerkung,q_akte\nBauamt,{big},50\nBauamt,kurz,40\n"),
    );
    let o = survey(&f, 0, "Bemerkung");
    assert!(o.stderr.len() < 10_000, "stderr echoes the field");
    assert!(
        !o.stdout.contains("xxxxxxxxxx"),
        "stdout echoes a free text"
    );
    int(&org(&o.json())["respondents"], 2, "respondents");
    // as a department name (long names are cut in file names)
    let f = write(
        tmp.path(),
        "abteilung.csv",
        format!("Fachbereich,q_akte\n{big},50\n"),
    );
    let o = run(["validate", "-q", Q, &f]);
    o.no_panic().expect_code(0);
    assert!(o.stderr.len() < 10_000 && o.stdout.len() < 10_000);

    // 100 000 columns, one of them a question
    let cols: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    let f = write(
        tmp.path(),
        "breit.csv",
        format!(
            "Fachbereich,q_akte,{}\nBauamt,50,{}\n",
            cols.join(","),
            vec!["1"; 100_000].join(",")
        ),
    );
    let wide = survey(&f, 0, "ignored");
    assert!(
        wide.stderr.len() < 100_000,
        "the ignored columns are summarised"
    );
    close(
        &question(org(&wide.json()), "q_akte")["score"],
        50.0,
        "q_akte",
    );
    // none of them a question
    let f = write(
        tmp.path(),
        "breit2.csv",
        format!("{}\n{}\n", cols.join(","), vec!["1"; 100_000].join(",")),
    );
    let o = survey(&f, 1, "no column");
    assert!(o.stderr.len() < 100_000);
    // the warning counts them right
    let line = wide
        .stderr
        .lines()
        .find(|l| l.contains("ignored") && l.contains("column"))
        .unwrap();
    assert!(
        line.contains("ignored 100000 column") || line.contains("ignored 100 000 column"),
        "the warning should count the 100000 ignored columns: {line:.200}"
    );
}

#[test]
fn ragged_rows_nul_bytes_and_utf16() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let f = write(
        d,
        "ragged.csv",
        "Fachbereich,q_akte\nBauamt,50\nBauamt,40,1,2\nBauamt\nBauamt,30\n",
    );
    let o = survey(&f, 0, "fields");
    let v = o.json();
    let lines: Vec<u64> = problems(&v)
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4], "both ragged rows reported");
    let fr = file_report(&v, "ragged.csv");
    int(&fr["rows_read"], 4, "rows read");
    int(&fr["rows_used"], 2, "rows used");
    int(&fr["rows_rejected"], 2, "rows rejected");

    let f = write(d, "nul.csv", b"Fachbereich,q_akte\nBau\0amt,50\n");
    survey(&f, 1, "NUL");
    // UTF-16 little and big endian with BOM
    let f = write(
        d,
        "utf16le.csv",
        b"\xff\xfeF\0a\0c\0h\0b\0e\0r\0e\0i\0c\0h\0,\0q\0_\0a\0k\0t\0e\0\n\0",
    );
    survey(&f, 1, "UTF-16");
    let f = write(d, "utf16be.csv", b"\xfe\xff\0F\0a\0c\0h\0,\0q\0\n");
    survey(&f, 1, "UTF-16");
    // also for validate and report
    run(["validate", "-q", Q, &f])
        .no_panic()
        .expect_code(1)
        .stderr_has("UTF-16");
    let out = d.join("out");
    run(["report", "-q", Q, &f, "-o", out.to_str().unwrap()])
        .no_panic()
        .expect_code(1);
    assert!(!out.exists(), "report wrote something");
}

#[test]
fn hostile_questionnaires() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let q = std::fs::read_to_string(root().join(Q)).unwrap();
    // deeply nested arrays and inline tables: the line of the error is named
    let f = write(
        d,
        "nested.toml",
        format!("x = {}{}\n", "[".repeat(10_000), "]".repeat(10_000)),
    );
    toml(&f, "nested.toml:1:").stderr_has("64");
    let f = write(
        d,
        "nested2.toml",
        format!(
            "{q}\n[extra]\nb = {}1{}\n",
            "{c = ".repeat(500),
            "}".repeat(500)
        ),
    );
    toml(&f, "nested2.toml:").stderr_has("64");
    // 10 MB
    let mut big = q.clone();
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&format!("# {}\n", "x".repeat(1000)));
    }
    let f = write(d, "big.toml", &big);
    let o = toml(&f, "big.toml");
    o.stderr_has("8 MiB");
    assert!(o.stderr.len() < 10_000);
    // a duplicate key, with its line
    let dup = q.replace("version = \"h1\"\n", "version = \"h1\"\nversion = \"h2\"\n");
    let line = dup.lines().position(|l| l == "version = \"h2\"").unwrap() + 1;
    let f = write(d, "dup.toml", &dup);
    toml(&f, &format!("dup.toml:{line}:")).stderr_has("duplicate");
    // 200 questions in one area
    let mut many = q.split("[[area]]").next().unwrap().to_string();
    many.push_str("[[area]]\nid = \"viel\"\nname = \"Viel\"\n\n");
    for i in 0..200 {
        many.push_str(&format!(
            "[[area.question]]\nid = \"f{i}\"\ntext = \"Frage {i}\"\nscale = \"zustimmung\"\n\n"
        ));
    }
    let f = write(d, "many.toml", &many);
    toml(&f, "many.toml:").stderr_has("200");
    // the same through score and report
    let survey = write(d, "s.csv", "Fachbereich,q_akte\nBauamt,50\n");
    for f in ["nested.toml", "big.toml", "dup.toml", "many.toml"] {
        let p = d.join(f);
        let p = p.to_str().unwrap();
        run(["score", "-q", p, &survey]).no_panic().expect_code(1);
        let out = d.join(format!("out-{f}"));
        run(["report", "-q", p, &survey, "-o", out.to_str().unwrap()])
            .no_panic()
            .expect_code(1);
        assert!(!out.exists(), "report wrote something for {f}");
    }
}

#[test]
fn a_hostile_project_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let q = root().join(Q);
    let body = format!(
        "questionnaire = {:?}\nout = \"r\"\nout = \"s\"\n\n[[wave]]\nname = \"2025\"\nsurveys = [\"*.csv\"]\n",
        q.to_str().unwrap()
    );
    let f = write(d, "reifegrad.toml", &body);
    run(["validate", "-p", &f])
        .no_panic()
        .expect_code(1)
        .stderr_has("reifegrad.toml:3:");
    let f = write(
        d,
        "nested.toml",
        format!(
            "questionnaire = {}{}\n",
            "[".repeat(5_000),
            "]".repeat(5_000)
        ),
    );
    run(["score", "-p", &f])
        .no_panic()
        .expect_code(1)
        .stderr_has("nested.toml:1:");
}

// ---------------------------------------------------------------------------------
// --strict (SPEC §3, §7; README "Decisions")
// ---------------------------------------------------------------------------------

#[test]
fn strict_fails_on_every_kind_of_finding() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let cases = [
        (
            "invalid-cell",
            "id,Fachbereich,q_akte\n1,Bauamt,50\n2,Bauamt,zwanzig\n",
        ),
        (
            "field-count",
            "id,Fachbereich,q_akte\n1,Bauamt,50\n2,Bauamt,40,30\n",
        ),
        (
            "no-department",
            "id,Fachbereich,q_akte\n1,Bauamt,50\n2,,40\n",
        ),
        (
            "no-answers",
            "id,Fachbereich,q_akte\n1,Bauamt,50\n2,Bauamt,\n",
        ),
        (
            "duplicate-id",
            "id,Fachbereich,q_akte\n1,Bauamt,50\n1,Bauamt,40\n",
        ),
    ];
    for (name, text) in cases {
        let f = write(d, &format!("{name}.csv"), text);
        // without --strict: a warning, exit 0
        run(["validate", "-q", Q, &f, "--min-group", "1"])
            .no_panic()
            .expect_code(0)
            .stderr_has(":3");
        for cmd in ["validate", "score"] {
            let o = run([cmd, "-q", Q, &f, "--min-group", "1", "--strict"]);
            o.no_panic().expect_code(1).stderr_has("--strict");
            if cmd == "score" {
                assert!(o.stdout.is_empty(), "{name}: no scores: {}", o.stdout);
            }
        }
        let out = d.join(format!("out-{name}"));
        let o = run([
            "report",
            "-q",
            Q,
            &f,
            "--min-group",
            "1",
            "--strict",
            "-o",
            out.to_str().unwrap(),
        ]);
        o.no_panic().expect_code(1).stderr_has("--strict");
        assert!(
            tree(&out).is_empty(),
            "{name}: report --strict wrote {:?}",
            tree(&out).keys()
        );
    }
}

#[test]
fn strict_passes_clean_input_and_incomplete_limesurvey_responses() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let clean = write(
        d,
        "clean.csv",
        "id,Fachbereich,q_akte\n1,Bauamt,50\n2,Bauamt,40\n",
    );
    // an incomplete LimeSurvey response (empty submitdate) alone is no finding
    let incomplete = write(
        d,
        "incomplete.csv",
        "id,submitdate,Fachbereich,q_akte\n1,2025-03-01 10:00:00,Bauamt,50\n2,,Bauamt,40\n",
    );
    for (name, f) in [("clean", &clean), ("incomplete", &incomplete)] {
        for cmd in ["validate", "score"] {
            run([cmd, "-q", Q, f, "--min-group", "1", "--strict"])
                .no_panic()
                .expect_code(0);
        }
        let out = d.join(format!("out-{name}"));
        run([
            "report",
            "-q",
            Q,
            f,
            "--min-group",
            "1",
            "--strict",
            "-o",
            out.to_str().unwrap(),
            "--image",
            "svg",
        ])
        .no_panic()
        .expect_code(0);
        assert!(out.join("results.json").is_file(), "{name}: report written");
    }
    // the incomplete response is counted, reported and left out
    let (v, _) = score_json(&["-q", Q, &incomplete, "--min-group", "1", "--strict"]);
    int(&org(&v)["respondents"], 1, "respondents");
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0]["kind"], "incomplete");
    int(&p[0]["line"], 3, "line");
    let fr = file_report(&v, "incomplete.csv");
    int(&fr["rows_read"], 2, "rows read");
    int(&fr["rows_rejected"], 1, "rows rejected");
    // with another finding next to it, --strict fails again
    let both = write(
        d,
        "both.csv",
        "id,submitdate,Fachbereich,q_akte\n1,2025-03-01 10:00:00,Bauamt,50\n2,,Bauamt,40\n3,2025-03-01 11:00:00,Bauamt,viel\n",
    );
    run(["score", "-q", Q, &both, "--min-group", "1", "--strict"])
        .no_panic()
        .expect_code(1);
}
