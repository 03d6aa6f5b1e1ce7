//! The command line (SPEC §7, README "Commands", "Quick start", "Install"): the clap
//! definition, completions and man page, `--help` and the main error messages
//! (insta snapshots in tests/snapshots/), colour, `--quiet`/`--verbose`, `--lang`,
//! `--version`, and every README command that runs offline, as written.
//!
//! Fixtures (tests/fixtures/cli/): `unknown-key.toml` and `unknown-scale.toml` are
//! tests/fixtures/hardening/q.toml with one typo each; `no-question.csv` has headers
//! that nearly spell question ids; `bad-project.toml` has a string where a number
//! belongs; `invalid15.csv` has 15 invalid cells (column q_online, lines 2–16) and 5
//! good rows.
//!
//! Snapshots run the binary from the package root with relative paths and
//! `COLUMNS=100`, so they hold nothing machine-specific.

mod common;

use std::path::Path;

use clap::CommandFactory;
use common::*;

const Q: &str = "tests/fixtures/hardening/q.toml";
const SAMPLE: &str = "samples/musterstadt/reifegrad.toml";
const SAMPLE_2025: &str = "samples/musterstadt/2025";
const INVALID15: &str = "tests/fixtures/cli/invalid15.csv";

const SUBCOMMANDS: [&str; 8] = [
    "init",
    "validate",
    "score",
    "chart",
    "report",
    "template",
    "completions",
    "man",
];

/// Runs the binary from `dir` with a fixed help width and no colour settings.
fn run_in(dir: &Path, args: &[&str]) -> Out {
    let o = bin()
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .args(args)
        .output()
        .expect("binary runs");
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs the binary from the package root.
fn run_root(args: &[&str]) -> Out {
    run_in(&root(), args)
}

/// Exit code and stderr, for error snapshots.
fn error_text(o: &Out) -> String {
    format!("exit code: {}\n---\n{}", o.code, o.stderr)
}

/// Asserts the README shows this command (so the test follows the docs).
#[track_caller]
fn documented(readme: &str, line: &str) {
    assert!(
        readme.contains(line),
        "README.md no longer shows `{line}`; update tests/cli.rs"
    );
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// Every file below `dir` (relative `/` paths) with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut std::collections::BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"), std::fs::read(&p).unwrap());
            }
        }
    }
    let mut m = std::collections::BTreeMap::new();
    walk(dir, dir, &mut m);
    m
}

// ---------------------------------------------------------------------------------
// The clap definition, completions, man page
// ---------------------------------------------------------------------------------

#[test]
fn the_clap_definition_is_consistent() {
    reifegrad::cli::Cli::command().debug_assert();
}

#[test]
fn completions_for_every_shell_and_a_man_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run_root(&["completions", shell]);
        o.no_panic().expect_code(0);
        assert!(o.stdout.len() > 1000, "{shell}: {} bytes", o.stdout.len());
        for word in ["reifegrad", "validate", "min-group"] {
            assert!(o.stdout.contains(word), "{shell} completions lack {word}");
        }
    }
    let o = run_root(&["completions", "tcsh"]);
    o.no_panic().expect_code(2).stderr_has("possible values");

    let o = run_root(&["man"]);
    o.no_panic().expect_code(0);
    assert!(
        o.stdout.starts_with(".ie") || o.stdout.starts_with(".TH"),
        "man page is roff: {:.100}",
        o.stdout
    );
    assert!(o.stdout.contains(".TH reifegrad 1"), "{:.300}", o.stdout);
    for sub in ["validate", "score", "report"] {
        assert!(o.stdout.contains(sub), "man page names {sub}");
    }
}

#[test]
fn version() {
    let o = run_root(&["--version"]);
    o.no_panic().expect_code(0);
    assert_eq!(
        o.stdout.trim(),
        format!("reifegrad {}", env!("CARGO_PKG_VERSION"))
    );
    run_root(&["-V"])
        .no_panic()
        .expect_code(0)
        .stdout_has(env!("CARGO_PKG_VERSION"));
}

// ---------------------------------------------------------------------------------
// --help (snapshots)
// ---------------------------------------------------------------------------------

#[test]
fn help_top_level() {
    let o = run_root(&["--help"]);
    o.no_panic().expect_code(0);
    assert!(!o.stdout.contains('\x1b'), "no colour when not a terminal");
    for sub in SUBCOMMANDS {
        assert!(o.stdout.contains(sub), "--help lists {sub}");
    }
    insta::assert_snapshot!("help", o.stdout);
}

#[test]
fn help_of_every_subcommand() {
    for sub in SUBCOMMANDS {
        let o = run_root(&[sub, "--help"]);
        o.no_panic().expect_code(0);
        assert!(!o.stdout.contains('\x1b'), "{sub}: no colour");
        // README: every command has --help with examples
        assert!(o.stdout.contains("Examples:"), "{sub} --help has examples");
        insta::assert_snapshot!(format!("help-{sub}"), o.stdout);
        // `help SUB` says the same
        let h = run_root(&["help", sub]);
        h.no_panic().expect_code(0);
        assert_eq!(h.stdout, o.stdout, "`help {sub}` = `{sub} --help`");
    }
}

// ---------------------------------------------------------------------------------
// Error messages (snapshots)
// ---------------------------------------------------------------------------------

#[test]
fn error_unknown_key_in_a_questionnaire() {
    let o = run_root(&["validate", "-q", "tests/fixtures/cli/unknown-key.toml"]);
    o.no_panic()
        .expect_code(1)
        .stderr_has("unknown-key.toml:48:1")
        .stderr_has("wieght")
        .stderr_has("^")
        .stderr_has("did you mean `weight`");
    insta::assert_snapshot!("error-unknown-key", error_text(&o));
}

#[test]
fn error_unknown_scale_with_did_you_mean() {
    let o = run_root(&["validate", "-q", "tests/fixtures/cli/unknown-scale.toml"]);
    o.no_panic()
        .expect_code(1)
        .stderr_has("unknown-scale.toml:43:")
        .stderr_has("did you mean `zustimmung`");
    insta::assert_snapshot!("error-unknown-scale", error_text(&o));
}

#[test]
fn error_survey_without_a_question_column() {
    let o = run_root(&["score", "-q", Q, "tests/fixtures/cli/no-question.csv"]);
    o.no_panic()
        .expect_code(1)
        .stderr_has("no-question.csv:1")
        .stderr_has("q_akte")
        .stderr_has("q_online");
    assert!(o.stdout.is_empty());
    insta::assert_snapshot!("error-no-question-column", error_text(&o));
}

#[test]
fn error_unknown_chart_kind() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("charts");
    let o = run_root(&[
        "chart",
        "-p",
        SAMPLE,
        "-o",
        out.to_str().unwrap(),
        "--chart",
        "radr",
    ]);
    o.no_panic()
        .expect_code(2)
        .stderr_has("did you mean `radar`");
    assert!(!out.exists(), "nothing written on a usage error");
    insta::assert_snapshot!("error-unknown-chart-kind", error_text(&o));
}

#[test]
fn error_missing_input() {
    // an empty folder: no ./reifegrad.toml to fall back on
    let tmp = tempfile::tempdir().unwrap();
    let o = run_in(tmp.path(), &["score"]);
    o.no_panic().expect_code(2).stderr_has("no input");
    insta::assert_snapshot!("error-missing-input", error_text(&o));
    // -q without survey files is a usage error too (README "Decisions")
    let o = run_root(&["score", "-q", Q]);
    o.no_panic().expect_code(2);
    insta::assert_snapshot!("error-missing-surveys", error_text(&o));
    // other usage errors
    for args in [
        &["score", "-q", Q, INVALID15, "--format", "xml"][..],
        &["score", "-q", Q, INVALID15, "--min-group", "0"],
        &["score", "-q", Q, INVALID15, "--bogus"],
        &["frobnicate"],
        &[],
    ] {
        run_root(args).no_panic().expect_code(2);
    }
}

#[test]
fn error_in_a_project_file() {
    let o = run_root(&["validate", "-p", "tests/fixtures/cli/bad-project.toml"]);
    o.no_panic()
        .expect_code(1)
        .stderr_has("bad-project.toml:3:18")
        .stderr_has("min_group_size");
    insta::assert_snapshot!("error-project-file", error_text(&o));
}

// ---------------------------------------------------------------------------------
// Colour, --quiet, --verbose, --lang
// ---------------------------------------------------------------------------------

#[test]
fn no_escape_codes_with_no_color_or_without_a_terminal() {
    let args = ["validate", "-q", "tests/fixtures/cli/unknown-key.toml"];
    let o = bin().env("NO_COLOR", "1").args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error:"), "{err}");
    assert!(!err.contains('\x1b'), "NO_COLOR: escape codes in {err:?}");
    // not a terminal (the harness captures stderr), NO_COLOR unset
    let o = run_root(&args);
    o.expect_code(1);
    assert!(!o.stderr.contains('\x1b'), "escape codes: {:?}", o.stderr);
    // also for warnings and results
    let o = run_root(&["score", "-q", Q, INVALID15]);
    o.expect_code(0).stderr_has("warning");
    assert!(!o.stderr.contains('\x1b') && !o.stdout.contains('\x1b'));
}

#[test]
fn quiet_prints_errors_only() {
    let o = run_root(&["score", "-q", Q, INVALID15, "--quiet"]);
    o.no_panic().expect_code(0);
    assert!(
        o.stderr.is_empty(),
        "--quiet printed to stderr:\n{}",
        o.stderr
    );
    o.stdout_has("Digitale Akte");
    let o = run_root(&["validate", "-q", Q, INVALID15, "--quiet"]);
    o.no_panic().expect_code(0);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
    // errors are still printed
    let o = run_root(&[
        "validate",
        "-q",
        "tests/fixtures/cli/unknown-key.toml",
        "--quiet",
    ]);
    o.no_panic()
        .expect_code(1)
        .stderr_has("error:")
        .stderr_has("wieght");
    let o = run_root(&["score", "-q", Q, INVALID15, "--quiet", "--strict"]);
    o.no_panic().expect_code(1);
    assert!(!o.stderr.contains("warning"), "{}", o.stderr);
    // --quiet and --verbose contradict each other
    run_root(&["score", "-q", Q, INVALID15, "--quiet", "--verbose"])
        .no_panic()
        .expect_code(2);
}

#[test]
fn verbose_lists_every_problem() {
    let warnings = |o: &Out| {
        o.stderr
            .lines()
            .filter(|l| l.starts_with("warning:") && l.contains("invalid15.csv:"))
            .count()
    };
    let o = run_root(&["score", "-q", Q, INVALID15]);
    o.no_panic().expect_code(0).stderr_has("5 more");
    assert_eq!(warnings(&o), 10, "the first ten:\n{}", o.stderr);
    for flag in ["--verbose", "-v"] {
        let o = run_root(&["score", "-q", Q, INVALID15, flag]);
        o.no_panic().expect_code(0);
        assert_eq!(warnings(&o), 15, "{flag} lists all 15:\n{}", o.stderr);
        assert!(!o.stderr.contains("more problems"), "{}", o.stderr);
        o.stderr_has("invalid15.csv:16");
    }
}

#[test]
fn lang_en_on_a_german_questionnaire() {
    for (format, header) in [
        ("table", "Area"),
        ("markdown", "| Area |"),
        ("csv", "Area,Score"),
    ] {
        let o = run_root(&[
            "score",
            "-q",
            Q_KOMMUNE,
            SAMPLE_2025,
            "--lang",
            "en",
            "--format",
            format,
        ]);
        o.no_panic().expect_code(0).stdout_has(header);
        for de in [
            "Handlungsfeld",
            "Lücke",
            "Priorität",
            "Soll",
            "Gesamtorganisation",
        ] {
            assert!(
                !o.stdout.contains(de),
                "--lang en --format {format} has {de:?}:\n{}",
                o.stdout
            );
        }
    }
    let o = run_root(&[
        "score",
        "-q",
        Q_KOMMUNE,
        SAMPLE_2025,
        "--by",
        "department",
        "--lang",
        "en",
        "--format",
        "csv",
    ]);
    o.no_panic().expect_code(0);
    assert!(o.stdout.starts_with("Department,"), "{:.200}", o.stdout);
    // without --lang the questionnaire's language (de)
    run_root(&["score", "-q", Q_KOMMUNE, SAMPLE_2025, "--format", "csv"])
        .no_panic()
        .expect_code(0)
        .stdout_has("Handlungsfeld,");
    // an unknown language is a usage error
    run_root(&["score", "-q", Q_KOMMUNE, SAMPLE_2025, "--lang", "fr"])
        .no_panic()
        .expect_code(2);
}

// ---------------------------------------------------------------------------------
// README commands, as written
// ---------------------------------------------------------------------------------

#[test]
fn readme_quick_start_in_a_new_folder() {
    let readme = readme();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    documented(
        &readme,
        "reifegrad init meine-stadt --organisation \"Stadtverwaltung Beispielstadt\"",
    );
    let o = run_in(
        dir,
        &[
            "init",
            "meine-stadt",
            "--organisation",
            "Stadtverwaltung Beispielstadt",
        ],
    );
    o.no_panic().expect_code(0);
    for f in [
        "meine-stadt/reifegrad.toml",
        "meine-stadt/fragebogen.toml",
        "meine-stadt/daten/2025/vorlage.csv",
    ] {
        assert!(dir.join(f).is_file(), "init wrote {f}");
    }
    // init never overwrites
    run_in(dir, &["init", "meine-stadt"])
        .no_panic()
        .expect_code(1);

    documented(&readme, "reifegrad validate -q meine-stadt/fragebogen.toml");
    run_in(dir, &["validate", "-q", "meine-stadt/fragebogen.toml"])
        .no_panic()
        .expect_code(0)
        .stdout_has("ok");

    documented(
        &readme,
        "reifegrad template -q meine-stadt/fragebogen.toml --format limesurvey -o umfrage.txt",
    );
    run_in(
        dir,
        &[
            "template",
            "-q",
            "meine-stadt/fragebogen.toml",
            "--format",
            "limesurvey",
            "-o",
            "umfrage.txt",
        ],
    )
    .no_panic()
    .expect_code(0);
    let ls = std::fs::read_to_string(dir.join("umfrage.txt")).unwrap();
    assert!(ls.contains('\t') && ls.lines().count() > 46, "{:.300}", ls);

    // "… run the survey, put the exports into meine-stadt/daten/2025/ …"
    for f in ["kaemmerei.csv", "strassenverkehrsamt.csv"] {
        std::fs::copy(
            root().join(SAMPLE_2025).join(f),
            dir.join("meine-stadt/daten/2025").join(f),
        )
        .unwrap();
    }
    documented(&readme, "reifegrad validate -p meine-stadt/reifegrad.toml");
    run_in(dir, &["validate", "-p", "meine-stadt/reifegrad.toml"])
        .no_panic()
        .expect_code(0)
        .stdout_has("kaemmerei.csv");

    documented(&readme, "reifegrad report   -p meine-stadt/reifegrad.toml");
    run_in(dir, &["report", "-p", "meine-stadt/reifegrad.toml"])
        .no_panic()
        .expect_code(0);
    let out = dir.join("meine-stadt/report");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Stadtverwaltung Beispielstadt"), "{:.300}", md);
    assert!(out.join("results.json").is_file());
    assert!(out.join("tables/departments.csv").is_file());
    assert!(out.join("charts/roadmap.png").is_file());
    // … and it is up to date
    run_in(
        dir,
        &["report", "-p", "meine-stadt/reifegrad.toml", "--check"],
    )
    .no_panic()
    .expect_code(0);

    // the English variant (README: `--lang en` for the English one)
    run_in(dir, &["init", "my-city", "--lang", "en"])
        .no_panic()
        .expect_code(0);
    run_in(dir, &["validate", "-q", "my-city/questionnaire.toml"])
        .no_panic()
        .expect_code(0);
}

#[test]
fn readme_quick_looks_at_scores() {
    let readme = readme();
    let base = ["score", "-q", "questionnaires/kommune.toml", SAMPLE_2025];

    documented(
        &readme,
        "reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025\n",
    );
    let o = run_root(&base);
    o.no_panic()
        .expect_code(0)
        .stdout_has("Handlungsfeld")
        .stdout_has("Bürgerservices & Online-Zugang");
    // results to stdout, warnings and the summary to stderr
    o.stderr_has("data:");
    assert!(!o.stdout.contains("warning"), "{}", o.stdout);

    documented(&readme, "reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025 --by department --format markdown");
    let mut args = base.to_vec();
    args.extend(["--by", "department", "--format", "markdown"]);
    let o = run_root(&args);
    o.no_panic()
        .expect_code(0)
        .stdout_has("| Fachbereich |")
        .stdout_has("|:---");

    documented(&readme, "reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025 --by question --format csv --excel > fragen.csv");
    let mut args = base.to_vec();
    args.extend(["--by", "question", "--format", "csv", "--excel"]);
    let o = run_root(&args);
    o.no_panic().expect_code(0);
    assert!(o.stdout.starts_with('\u{feff}'), "--excel writes a BOM");
    let rows = parse_csv_with(o.stdout.trim_start_matches('\u{feff}'), b';');
    assert_eq!(rows.len(), 47, "header and 46 questions");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));

    documented(
        &readme,
        "reifegrad score -p samples/musterstadt/reifegrad.toml --compare 2023",
    );
    let o = run_root(&["score", "-p", SAMPLE, "--compare", "2023"]);
    o.no_panic()
        .expect_code(0)
        .stdout_has("Veränderung 2023 → 2025");
    // the rows the README shows
    for (area, cells) in [
        (
            "Bürgerservices & Online-Zugang",
            &[
                "40,9",
                "63,0",
                "+22,1",
                "<0,001",
                "ja",
                "Fortgeschritten → Etabliert",
            ][..],
        ),
        (
            "Informationssicherheit & Datenschutz",
            &["35,4", "29,8", "-5,6", "ja", "Grundlagen → Grundlagen"],
        ),
    ] {
        let line = o
            .stdout
            .lines()
            .find(|l| l.contains(area))
            .unwrap_or_else(|| panic!("--compare lists {area}"));
        let got: Vec<&str> = line
            .split(['│', '┆'])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        for c in cells {
            assert!(got.contains(c), "{area}: README shows {c}, got {got:?}");
        }
    }

    documented(
        &readme,
        "reifegrad score -p samples/musterstadt/reifegrad.toml --format json > results.json",
    );
    let o = run_root(&["score", "-p", SAMPLE, "--format", "json"]);
    o.no_panic().expect_code(0);
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("samples/musterstadt/report/results.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        o.json(),
        committed,
        "score --format json = the committed results.json"
    );
}

#[test]
fn readme_sample_report_matches_the_committed_folder() {
    let readme = readme();
    documented(
        &readme,
        "cargo run --release -- report -p samples/musterstadt/reifegrad.toml",
    );
    let tmp = tempfile::tempdir().unwrap();
    let o = run_root(&["report", "-p", SAMPLE, "-o", tmp.path().to_str().unwrap()]);
    o.no_panic().expect_code(0);
    let written = tree(tmp.path());
    let committed = tree(&root().join("samples/musterstadt/report"));
    assert_eq!(
        written.keys().collect::<Vec<_>>(),
        committed.keys().collect::<Vec<_>>(),
        "the same files as samples/musterstadt/report/"
    );
    for (name, bytes) in &written {
        assert!(
            bytes == &committed[name],
            "{name} differs from the committed sample report"
        );
    }
    // the excerpt the README quotes
    let md = String::from_utf8(written["report.md"].clone()).unwrap();
    for line in [
        "| 1 | Informationssicherheit & Datenschutz | 29,8 | 75,0 | 45,2 | 56,5 | Grundlagen → Etabliert |",
        "| 2 | Interne Prozesse & E-Akte | 50,3 | 75,0 | 24,7 | 37,1 | Fortgeschritten → Etabliert |",
        "| 3 | Strategie & Steuerung | 45,8 | 70,0 | 24,2 | 24,2 | Fortgeschritten → Etabliert |",
        "- Für den Ausfall zentraler IT-Systeme gibt es einen Notfallplan, den ich kenne. (29,8)",
    ] {
        documented(&readme, line);
        assert!(md.contains(line), "report.md lacks the README's {line:?}");
    }
    // the images the README shows exist
    for img in ["charts/bars-organisation.png", "charts/roadmap.png"] {
        documented(&readme, &format!("samples/musterstadt/report/{img}"));
        assert!(written.contains_key(img), "{img}");
    }
}

#[test]
fn readme_commands_synopsis_chart_template_completions_man() {
    let readme = readme();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // reifegrad chart [INPUT] -o DIR [--chart …] [--image png|svg] [--scale N]
    documented(&readme, "reifegrad chart [INPUT] -o DIR [--chart radar|bars|heatmap|likert|roadmap|trend|all] [--image png|svg] [--scale N]");
    let charts = dir.join("charts");
    run_root(&[
        "chart",
        "-p",
        SAMPLE,
        "-o",
        charts.to_str().unwrap(),
        "--chart",
        "heatmap",
        "--chart",
        "trend",
        "--image",
        "png",
        "--scale",
        "0.5",
    ])
    .no_panic()
    .expect_code(0);
    let files: Vec<String> = tree(&charts).into_keys().collect();
    assert_eq!(files, ["heatmap.png", "trend.png"]);
    assert!(std::fs::read(charts.join("heatmap.png"))
        .unwrap()
        .starts_with(b"\x89PNG"));
    let svg = dir.join("svg");
    run_root(&[
        "chart",
        "-q",
        "questionnaires/kommune.toml",
        SAMPLE_2025,
        "-o",
        svg.to_str().unwrap(),
        "--chart",
        "radar",
        "--image",
        "svg",
    ])
    .no_panic()
    .expect_code(0);
    let files = tree(&svg);
    assert!(
        !files.is_empty()
            && files
                .keys()
                .all(|f| f.starts_with("radar-") && f.ends_with(".svg"))
    );

    // reifegrad template [-p FILE | -q FILE] --format csv|markdown|limesurvey [--excel] [-o FILE]
    documented(&readme, "reifegrad template [-p FILE | -q FILE] --format csv|markdown|limesurvey [--excel] [-o FILE]");
    for format in ["csv", "markdown", "limesurvey"] {
        let o = run_root(&[
            "template",
            "-q",
            "questionnaires/kommune.toml",
            "--format",
            format,
        ]);
        o.no_panic().expect_code(0);
        assert!(o.stdout.len() > 500, "template {format}");
    }
    let vorlage = dir.join("vorlage.csv");
    run_root(&[
        "template",
        "-p",
        SAMPLE,
        "--format",
        "csv",
        "--excel",
        "-o",
        vorlage.to_str().unwrap(),
    ])
    .no_panic()
    .expect_code(0);
    let v = std::fs::read(&vorlage).unwrap();
    assert!(v.starts_with(b"\xef\xbb\xbf"), "BOM");
    // the sample's department column, `;` for German Excel
    assert!(
        String::from_utf8_lossy(&v).starts_with("\u{feff}id;Fachbereich;"),
        "{:.100}",
        String::from_utf8_lossy(&v)
    );

    // Install: completions and man
    documented(
        &readme,
        "reifegrad completions bash > ~/.local/share/bash-completion/completions/reifegrad",
    );
    documented(&readme, "reifegrad completions zsh  > ~/.zfunc/_reifegrad");
    documented(&readme, "reifegrad man > reifegrad.1 && man ./reifegrad.1");
    documented(&readme, "reifegrad --version");
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["man"],
        &["--version"],
    ] {
        let o = run_root(args);
        o.no_panic().expect_code(0);
        assert!(!o.stdout.is_empty(), "{args:?}");
    }
}
