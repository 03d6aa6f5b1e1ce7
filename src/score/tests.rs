//! Scoring checked against hand-computed values.

use std::path::Path;

use super::*;
use crate::ingest::{DepartmentTally, Ingested, Tally};
use crate::questionnaire::parse_str;

const Q: &str = r#"
[questionnaire]
id = "t"
title = "T"
language = "de"

[[level]]
min = 0
name = "L0"
[[level]]
min = 50
name = "L1"
[[level]]
min = 80
name = "L2"

[scale.five]
kind = "ordinal"
options = ["1", "2", "3", "4", "5"]
dont_know = ["wn"]

[scale.yn]
kind = "boolean"

[scale.pct]
kind = "percent"

[scale.num]
kind = "number"
min = 0
max = 10

[[area]]
id = "a"
name = "A"
weight = 1.5
target = 70

[[area.question]]
id = "q1"
text = "Q1"
scale = "five"
weight = 2

[[area.question]]
id = "q2"
text = "Q2"
scale = "yn"

[[area]]
id = "b"
name = "B"
aggregate = "min"
target = 40

[[area.question]]
id = "q3"
text = "Q3"
scale = "five"
reverse = true

[[area.question]]
id = "q4"
text = "Q4"
scale = "pct"

[[area.question]]
id = "q5"
text = "Q5"
scale = "num"
"#;

fn questionnaire() -> Questionnaire {
    parse_str(Path::new("t.toml"), Q)
        .expect("valid test questionnaire")
        .0
}

/// A department where q1 = q3 counts [1,0,2,1,1] (x: 0, .5, .5, .75, 1), q2 = [2 no, 3 yes],
/// q4 percent 50 and 70, q5 number 2 and 4; 5 respondents answering everything
/// (q4/q5 only the first two).
fn dept(q: &Questionnaire, name: &str) -> DepartmentTally {
    let mut d = DepartmentTally::new(name, q);
    d.respondents = 5;
    for i in [0, 2] {
        d.questions[i].counts = vec![1, 0, 2, 1, 1];
        d.questions[i].valid = 5;
    }
    d.questions[0].dont_know = 1;
    d.questions[1].counts = vec![2, 3];
    d.questions[1].valid = 5;
    for (i, xs) in [(3, [0.5, 0.7]), (4, [0.2, 0.4])] {
        for x in xs {
            d.questions[i].values.push(x);
        }
        d.questions[i].valid = 2;
        d.questions[i].empty = 3;
    }
    d.area_patterns[0].add(0b11, 5);
    d.area_patterns[1].add(0b111, 2);
    d.area_patterns[1].add(0b001, 3);
    d
}

fn ingested(depts: Vec<DepartmentTally>) -> Ingested {
    Ingested {
        tally: Tally { departments: depts },
        ..Ingested::default()
    }
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

#[test]
fn question_scores_for_every_scale_kind() {
    let q = questionnaire();
    let r = score(
        &q,
        &ingested(vec![dept(&q, "X")]),
        &ScoreOptions {
            min_group_size: 2,
            ..Default::default()
        },
    );
    let g = &r.groups[1];
    // q1: x = 0, .5, .5, .75, 1 → mean .55 → 55; sd of (0,50,50,75,100) = sqrt(5500/4)
    close(g.questions[0].score, 55.0);
    close(g.questions[0].sd, 37.080992435478315);
    // ci95 = t(.975, 4) · sd / √5 = 2.7764451052 · 37.0810 / 2.2361
    assert!((g.questions[0].ci95.unwrap() - 46.04213332479963).abs() < 1e-6);
    assert_eq!(g.questions[0].n, Some(5));
    assert_eq!(g.questions[0].dont_know, Some(1));
    let counts = g.questions[0].counts.as_ref().unwrap();
    assert_eq!(counts.iter().nth(2), Some(("3", 2)));
    // q2 boolean: 3 of 5 yes → 60; sd of (0,0,100,100,100) = 54.7722557505
    close(g.questions[1].score, 60.0);
    close(g.questions[1].sd, 54.772255750516614);
    assert_eq!(
        g.questions[1]
            .counts
            .as_ref()
            .unwrap()
            .iter()
            .collect::<Vec<_>>(),
        vec![("nein", 2), ("ja", 3)]
    );
    // q3 = q1 reversed: 100 − 55
    close(g.questions[2].score, 45.0);
    close(g.questions[2].sd, 37.080992435478315);
    // q4 percent 50, 70 → 60; sd = sqrt(((−10)²+10²)/1) = 14.142…
    close(g.questions[3].score, 60.0);
    close(g.questions[3].sd, 200f64.sqrt());
    assert!(g.questions[3].counts.is_none());
    // q5 number 2, 4 on 0..10 → 30
    close(g.questions[4].score, 30.0);
}

#[test]
fn areas_overall_levels_gaps() {
    let q = questionnaire();
    let r = score(
        &q,
        &ingested(vec![dept(&q, "X")]),
        &ScoreOptions {
            min_group_size: 2,
            ..Default::default()
        },
    );
    let g = &r.groups[1];
    // area a: weighted mean (55·2 + 60·1) / 3 = 56.666…
    close(g.areas[0].score, 170.0 / 3.0);
    assert_eq!(g.areas[0].level.as_deref(), Some("L1"));
    // gap = 70 − 56.67 = 13.33; priority = gap × 1.5 = 20
    close(g.areas[0].gap, 70.0 - 170.0 / 3.0);
    close(g.areas[0].priority, 20.0);
    assert_eq!(g.areas[0].n, Some(5));
    // area b: min(45, 60, 30) = 30 → level L0; gap 10, priority 10
    close(g.areas[1].score, 30.0);
    assert_eq!(g.areas[1].level.as_deref(), Some("L0"));
    close(g.areas[1].gap, 10.0);
    close(g.areas[1].priority, 10.0);
    assert_eq!(g.areas[1].n, Some(5));
    // overall: (56.67·1.5 + 30·1) / 2.5 = 46
    close(g.score, (170.0 / 3.0 * 1.5 + 30.0) / 2.5);
    assert_eq!(g.level.as_deref(), Some("L0"));
    // organisation = the single department
    close(r.groups[0].score, (170.0 / 3.0 * 1.5 + 30.0) / 2.5);
    // roadmap: a (priority 20) before b (10); weakest question of a is q1 (55 < 60)
    assert_eq!(
        r.roadmap
            .iter()
            .map(|i| i.area.as_str())
            .collect::<Vec<_>>(),
        vec!["a", "b"]
    );
    assert_eq!(r.roadmap[0].weakest[0].id, "q1");
    assert_eq!(r.roadmap[0].target_level.as_deref(), Some("L1"));
}

#[test]
fn gap_is_zero_above_target_and_level_boundary_is_inclusive() {
    let mut q = questionnaire();
    q.areas[0].target = Some(50.0);
    assert_eq!(q.level_of(50.0).unwrap().name, "L1");
    assert_eq!(q.level_of(49.999_999_999_9).unwrap().name, "L1");
    assert_eq!(q.level_of(49.99).unwrap().name, "L0");
    let r = score(
        &q,
        &ingested(vec![dept(&q, "X")]),
        &ScoreOptions {
            min_group_size: 2,
            ..Default::default()
        },
    );
    close(r.groups[1].areas[0].gap, 0.0);
}

#[test]
fn questions_below_threshold_do_not_count() {
    let q = questionnaire();
    // threshold 3: q4 and q5 (2 valid each) withheld in the department
    let r = score(
        &q,
        &ingested(vec![dept(&q, "X"), dept(&q, "Y")]),
        &ScoreOptions {
            min_group_size: 3,
            ..Default::default()
        },
    );
    let x = &r.groups[1];
    assert!(
        x.questions[3].withheld && x.questions[3].score.is_none() && x.questions[3].sd.is_none()
    );
    assert_eq!(x.questions[3].n, Some(2), "n stays shown");
    // area b = min(45) only: the withheld percent/number questions do not count
    close(x.areas[1].score, 45.0);
    // all 5 respondents answered q3, so n stays 5
    assert_eq!(x.areas[1].n, Some(5));
    // organisation pools 4 answers → shown; min(45, 60, 30)
    close(r.groups[0].areas[1].score, 30.0);
}

#[test]
fn small_department_is_suppressed_everywhere_with_secondary_suppression() {
    let q = questionnaire();
    let mut small = dept(&q, "Small");
    small.respondents = 3;
    let big = |n: &str, r: u64| {
        let mut d = dept(&q, n);
        d.respondents = r;
        d
    };
    let r = score(
        &q,
        &ingested(vec![big("Alpha", 10), small, big("Zeta", 8)]),
        &ScoreOptions {
            min_group_size: 5,
            ..Default::default()
        },
    );
    let names: Vec<(&str, bool)> = r
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.suppressed))
        .collect();
    // Small withheld; exactly one withheld → the smallest shown (Zeta, 8) too
    assert_eq!(
        names,
        vec![
            ("Gesamtorganisation", false),
            ("Alpha", false),
            ("Small", true),
            ("Zeta", true)
        ]
    );
    let s = &r.groups[2];
    assert!(s.respondents.is_none() && s.score.is_none() && s.level.is_none());
    assert!(s
        .areas
        .iter()
        .all(|a| a.score.is_none() && a.n.is_none() && a.gap.is_none()));
    assert!(
        s.areas.iter().all(|a| a.target.is_some()),
        "targets are questionnaire data"
    );
    assert!(s
        .questions
        .iter()
        .all(|qr| qr.score.is_none() && qr.n.is_none() && qr.counts.is_none()));
    // still counted in the organisation
    assert_eq!(r.groups[0].respondents, Some(21));
}

#[test]
fn organisation_below_threshold_is_suppressed() {
    let q = questionnaire();
    let r = score(
        &q,
        &ingested(vec![dept(&q, "X")]),
        &ScoreOptions {
            min_group_size: 6,
            ..Default::default()
        },
    );
    assert!(r.groups[0].suppressed && r.groups[0].score.is_none());
    assert!(r.roadmap.is_empty());
    assert!(r.quality.questions.iter().all(|qq| qq.valid.is_none()));
}

#[test]
fn headcount_weighting_and_response_rates() {
    let q = questionnaire();
    // department X: q2 = 60; department Y: q2 all yes = 100
    let mut y = dept(&q, "Y");
    y.questions[1].counts = vec![0, 5];
    let mut opts = ScoreOptions {
        min_group_size: 2,
        weighting: Weighting::Headcount,
        ..Default::default()
    };
    opts.headcount.insert("X".into(), 30);
    opts.headcount.insert("Y".into(), 10);
    let r = score(&q, &ingested(vec![dept(&q, "X"), y]), &opts);
    // (60·30 + 100·10) / 40 = 70 (pooled would be 80)
    close(r.groups[0].questions[1].score, 70.0);
    close(r.groups[0].response_rate, 10.0 / 40.0);
    close(r.groups[1].response_rate, 5.0 / 30.0);
    assert_eq!(r.groups[0].headcount, Some(40));
}

#[test]
fn weighted_mean_basics() {
    assert_eq!(weighted_mean([]), None);
    close(weighted_mean([(10.0, 1.0), (20.0, 3.0)]), 17.5);
}
