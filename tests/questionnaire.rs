//! Questionnaire validation (SPEC §2, §9.6, §9.12) via `validate -q FILE`.
//!
//! Each fixture in `tests/fixtures/questionnaire/` breaks one rule; the offending line
//! ends with the comment `# ERROR`. A test asserts exit code 1 and that stderr names
//! `file:line:column` for one of the marked lines.

mod common;

use common::*;

/// Runs `validate -q` on the fixture and checks exit 1, the location and (lower-cased)
/// words of the message.
#[track_caller]
fn rejects(name: &str, words: &[&str]) {
    let path = fx(&format!("questionnaire/{name}.toml"));
    let marked = marked_lines(&path);
    assert!(!marked.is_empty(), "fixture {path} has no # ERROR marker");
    let out = run(["validate", "-q", &path]);
    out.expect_code(1);
    let located: Vec<&str> =
        out.stderr
            .lines()
            .filter(|l| {
                marked.iter().any(|m| {
                    let prefix = format!("{path}:{m}:");
                    l.find(&prefix).is_some_and(|i| {
                        l[i + prefix.len()..].split(':').next().is_some_and(|c| {
                            !c.is_empty() && c.chars().all(|ch| ch.is_ascii_digit())
                        })
                    })
                })
            })
            .collect();
    assert!(
        !located.is_empty(),
        "stderr should name {path}:LINE:COLUMN with LINE in {marked:?}\n--- stderr ---\n{}",
        out.stderr
    );
    let text = located.join("\n").to_lowercase();
    for w in words {
        assert!(
            text.contains(&w.to_lowercase()),
            "the message at the marked line should mention {w:?}:\n{}",
            out.stderr
        );
    }
    assert!(out.stdout.is_empty() || !out.stdout.starts_with("ok"));
}

#[test]
fn the_base_fixture_is_valid() {
    run(["validate", "-q", &fx("questionnaire/valid.toml")])
        .expect_code(0)
        .stdout_has("regeln");
}

#[test]
fn unknown_key() {
    rejects("unknown-key", &["wieght"]);
}

#[test]
fn unknown_key_suggests_the_closest_known_one() {
    run(["validate", "-q", &fx("questionnaire/unknown-key.toml")])
        .expect_code(1)
        .stderr_has("weight");
}

#[test]
fn unknown_scale_reference() {
    rejects("unknown-scale", &["anteill"]);
}

#[test]
fn duplicate_question_id() {
    rejects("duplicate-question-id", &["q2"]);
}

#[test]
fn duplicate_area_id() {
    rejects("duplicate-area-id", &["`a`"]);
}

#[test]
fn alias_colliding_with_another_questions_id() {
    rejects("alias-collides-id", &["q1"]);
}

#[test]
fn alias_colliding_with_another_questions_alias() {
    // aliases ["G01"] on q1 and ["  g01 "] on q4: equal after normalisation (SPEC §9.7)
    rejects("alias-collides-alias", &["q1"]);
}

#[test]
fn question_weight_zero() {
    rejects("weight-zero", &["weight"]);
}

#[test]
fn area_weight_negative() {
    rejects("weight-negative-area", &["weight"]);
}

#[test]
fn target_outside_0_to_100() {
    rejects("target-outside", &["target"]);
}

#[test]
fn levels_not_sorted() {
    rejects("levels-unsorted", &[]);
}

#[test]
fn levels_with_the_same_min() {
    rejects("levels-duplicate-min", &["50"]);
}

#[test]
fn values_of_the_wrong_length() {
    rejects("values-length", &["values"]);
}

#[test]
fn codes_of_the_wrong_length() {
    rejects("codes-length", &["codes"]);
}

#[test]
fn duplicate_values() {
    rejects("values-duplicate", &["1"]);
}

#[test]
fn ordinal_scale_with_one_option() {
    rejects("ordinal-one-option", &["option"]);
}

#[test]
fn number_scale_with_min_not_below_max() {
    rejects("number-min-max", &["min"]);
}

#[test]
fn key_not_allowed_for_percent() {
    rejects("percent-with-options", &["options"]);
}

#[test]
fn key_not_allowed_for_boolean() {
    rejects("boolean-with-values", &["values"]);
}

#[test]
fn key_not_allowed_for_number() {
    rejects("number-with-codes", &["codes"]);
}

#[test]
fn toml_syntax_error() {
    rejects("toml-syntax", &[]);
}

#[test]
fn several_problems_are_all_reported() {
    // values of wrong length (line 21), target -5 (40), unknown key `wieght` (52),
    // unknown scale `prozent` (61), duplicate question id q1 (64).
    let path = fx("questionnaire/several-problems.toml");
    let marked = marked_lines(&path);
    assert_eq!(marked.len(), 5, "{marked:?}");
    let out = run(["validate", "-q", &path]);
    out.expect_code(1);
    for m in &marked {
        out.stderr_has(&format!("{path}:{m}:"));
    }
    let errors = out
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:") && l.contains(&path))
        .count();
    assert!(errors >= 5, "{}", out.stderr);
}

#[test]
fn an_invalid_questionnaire_stops_score_too() {
    let out = run([
        "score",
        "-q",
        &fx("questionnaire/unknown-key.toml"),
        &fx("files/good.csv"),
    ]);
    out.expect_code(1).stderr_has("unknown-key.toml:");
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

#[test]
fn the_shipped_questionnaires_are_valid() {
    run(["validate", "-q", Q_KOMMUNE]).expect_code(0);
    run(["validate", "-q", "questionnaires/municipality-en.toml"]).expect_code(0);
}
