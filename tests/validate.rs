//! The `validate` command, `--strict` (both commands) and exit codes (SPEC §3, §7).

mod common;

use common::*;

#[test]
fn validate_lists_every_problem_and_exits_0_without_strict() {
    // invalid/umfrage.csv has 7 invalid cells; validate lists all of them (score shows
    // at most a few) and still succeeds.
    let file = fx("invalid/umfrage.csv");
    let out = run(["validate", "-q", Q_SMALL, &file]);
    out.expect_code(0);
    for line in [2, 3, 4, 7] {
        out.stderr_has(&format!("{file}:{line}"));
    }
    assert_eq!(
        out.stderr.matches(&format!("{file}:3")).count(),
        3,
        "three problems on line 3:\n{}",
        out.stderr
    );
}

#[test]
fn validate_of_a_clean_survey_exits_0() {
    run(["validate", "-q", Q_SMALL, &fx("score-basic")]).expect_code(0);
    run(["validate", "-q", Q_SMALL, &fx("score-basic"), "--strict"]).expect_code(0);
}

#[test]
fn validate_questionnaire_only() {
    let out = run(["validate", "-q", Q_SMALL]);
    out.expect_code(0);
    let out = run(["validate", "-q", Q_KOMMUNE]);
    out.expect_code(0);
}

#[test]
fn strict_turns_invalid_cells_into_exit_1() {
    let file = fx("invalid/umfrage.csv");
    run(["validate", "-q", Q_SMALL, &file, "--strict"])
        .expect_code(1)
        .stderr_has(&format!("{file}:2"));
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &file,
        "--strict",
        "--min-group",
        "1",
    ]);
    out.expect_code(1);
    let out = run([
        "score", "-q", Q_SMALL, &file, "--strict", "--format", "json",
    ]);
    out.expect_code(1);
}

#[test]
fn strict_turns_rejected_rows_into_exit_1() {
    for fixture in ["fields", "no-answers", "ids", "dept/empty-cell.csv"] {
        let f = fx(fixture);
        run(["validate", "-q", Q_SMALL, &f, "--strict"]).expect_code(1);
        run(["score", "-q", Q_SMALL, &f, "--strict", "--min-group", "1"]).expect_code(1);
        // without --strict both succeed
        run(["validate", "-q", Q_SMALL, &f]).expect_code(0);
        run(["score", "-q", Q_SMALL, &f, "--min-group", "1"]).expect_code(0);
    }
}

#[test]
fn strict_is_exit_0_on_clean_input() {
    for fixture in ["score-basic", "privacy", "delim", "bom", "cp1252"] {
        let f = fx(fixture);
        run(["validate", "-q", Q_SMALL, &f, "--strict"]).expect_code(0);
        let out = run(["score", "-q", Q_SMALL, &f, "--strict", "--format", "json"]);
        out.expect_code(0);
        out.json();
    }
}

#[test]
fn unknown_flag_is_a_usage_error() {
    run(["score", "-q", Q_SMALL, &fx("score-basic"), "--frobnicate"]).expect_code(2);
    run(["validate", "--nope"]).expect_code(2);
    run(["no-such-command"]).expect_code(2);
}

#[test]
fn bad_option_values_are_usage_errors() {
    let basic = fx("score-basic");
    for args in [
        vec!["--delimiter", "abc"],
        vec!["--delimiter", ""],
        vec!["--min-group", "0"],
        vec!["--min-group", "-3"],
        vec!["--min-group", "viele"],
        vec!["--encoding", "ebcdic"],
        vec!["--format", "xml"],
        vec!["--by", "color"],
    ] {
        let mut all = vec!["score", "-q", Q_SMALL, basic.as_str()];
        all.extend(args.iter().copied());
        let out = run(&all);
        out.expect_code(2);
        assert!(out.stdout.is_empty(), "{args:?}: {}", out.stdout);
    }
    // --delimiter tab and the three delimiter characters are accepted
    for d in [",", ";", "tab"] {
        let out = run([
            "validate",
            "-q",
            Q_SMALL,
            &fx("delim/tab.csv"),
            "--delimiter",
            d,
        ]);
        assert_ne!(out.code, 2, "--delimiter {d}: {}", out.stderr);
    }
    run([
        "validate",
        "-q",
        Q_SMALL,
        &fx("delim/tab.csv"),
        "--delimiter",
        "tab",
    ])
    .expect_code(0);
}

#[test]
fn missing_input_is_a_usage_error() {
    // No project file in the working directory, no -q: a usage error (SPEC §7: exit 2).
    let dir = tempfile::tempdir().unwrap();
    for cmd in ["score", "validate"] {
        let out = bin()
            .current_dir(dir.path())
            .arg(cmd)
            .output()
            .expect("binary runs");
        assert_eq!(
            out.status.code(),
            Some(2),
            "`reifegrad {cmd}` without any input\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // -q without survey files for score
    run(["score", "-q", Q_SMALL]).expect_code(2);
}

#[test]
fn help_and_version_exit_0() {
    run(["--help"]).expect_code(0);
    run(["score", "--help"]).expect_code(0);
    run(["--version"]).expect_code(0);
}
