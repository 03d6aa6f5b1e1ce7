//! Waves: comparing the current survey round with an earlier one (the trend).
//!
//! Per group, area and question: the score in both waves, the difference, the level
//! change, and whether the change is statistically significant — Welch's two-sample
//! t-test at 5 %, computed from n, mean and sd of each wave (the respondents of two
//! rounds are treated as independent samples). Questions are matched by id; an area
//! whose question set changed is compared over the questions both waves share. A
//! group suppressed in either wave, and a question withheld in either, get no trend.

use std::collections::HashSet;

use serde::Serialize;

use crate::analysis::Analysis;
use crate::questionnaire::{Aggregate, Questionnaire};
use crate::score::{weighted_mean, GroupKind, GroupResult};
use crate::stats::welch_t_test;

/// Significance level of the Welch test.
pub const ALPHA: f64 = 0.05;

/// The comparison of the current wave with a baseline wave.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    /// The earlier wave.
    pub baseline: String,
    /// The current wave.
    pub current: String,
    /// Question ids asked only in the current wave.
    pub only_current: Vec<String>,
    /// Question ids asked only in the baseline wave.
    pub only_baseline: Vec<String>,
    /// Per group present in both waves: organisation first, then departments.
    pub groups: Vec<GroupTrend>,
    /// Organisation area scores in every wave up to the current one (for the chart).
    pub series: Vec<WaveScores>,
}

/// Organisation area scores of one wave.
#[derive(Debug, Clone, Serialize)]
pub struct WaveScores {
    /// Wave name.
    pub wave: String,
    /// Overall score.
    pub score: Option<f64>,
    /// Area id → score, in the current questionnaire's area order.
    pub areas: Vec<(String, Option<f64>)>,
}

/// One group's changes.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTrend {
    /// Organisation or department.
    pub kind: GroupKind,
    /// Name.
    pub name: String,
    /// False when the group is suppressed in either wave: no figures then.
    pub comparable: bool,
    /// Overall score change.
    pub overall: Change,
    /// Areas of the current questionnaire that exist in both waves.
    pub areas: Vec<AreaChange>,
    /// Questions asked in both waves.
    pub questions: Vec<Change>,
}

/// A change of one score between two waves.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Change {
    /// Area or question id (empty for the overall score).
    pub id: String,
    /// Score in the baseline wave.
    pub baseline: Option<f64>,
    /// Score in the current wave.
    pub current: Option<f64>,
    /// current − baseline.
    pub delta: Option<f64>,
    /// Welch t statistic.
    pub t: Option<f64>,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: Option<f64>,
    /// Two-sided p-value.
    pub p: Option<f64>,
    /// p < 0.05.
    pub significant: Option<bool>,
}

/// An area's change, with levels and the questions it was compared over.
#[derive(Debug, Clone, Serialize)]
pub struct AreaChange {
    /// The score change.
    #[serde(flatten)]
    pub change: Change,
    /// Area name.
    pub name: String,
    /// Level in the baseline wave.
    pub level_baseline: Option<String>,
    /// Level in the current wave.
    pub level_current: Option<String>,
    /// How many questions both waves share in this area.
    pub shared_questions: usize,
    /// True when the area's questions differ between the waves (compared over the
    /// shared questions only; no significance test then).
    pub partial: bool,
}

fn change(
    id: &str,
    b: Option<f64>,
    c: Option<f64>,
    test: Option<(u64, f64, f64, u64, f64, f64)>,
) -> Change {
    let mut ch = Change {
        id: id.to_string(),
        baseline: b,
        current: c,
        delta: match (b, c) {
            (Some(b), Some(c)) => Some(c - b),
            _ => None,
        },
        ..Change::default()
    };
    if let Some((n1, m1, s1, n2, m2, s2)) = test {
        if let Some(w) = welch_t_test(n2, m2, s2, n1, m1, s1) {
            ch.t = Some(w.t);
            ch.df = Some(w.df);
            ch.p = Some(w.p);
            ch.significant = Some(w.p < ALPHA);
        }
    }
    ch
}

/// Area score of a group over a subset of questions (by index), applying the
/// area's aggregate and the group's withholding.
fn area_score_over(
    q: &Questionnaire,
    g: &GroupResult,
    area: usize,
    keep: &HashSet<&str>,
) -> Option<f64> {
    let scores = q.areas[area]
        .questions
        .clone()
        .filter(|&i| keep.contains(q.questions[i].id.as_str()))
        .filter_map(|i| {
            let r = &g.questions[i];
            if r.withheld {
                None
            } else {
                Some((r.score?, q.questions[i].weight))
            }
        });
    match q.areas[area].aggregate {
        Aggregate::Mean => weighted_mean(scores),
        Aggregate::Min => scores.map(|(s, _)| s).min_by(f64::total_cmp),
    }
}

/// Compares `current` with `baseline`; `history` are the analyses of all waves up to
/// and including the current one, oldest first (for the chart series).
pub fn compare(current: &Analysis, baseline: &Analysis, history: &[&Analysis]) -> Trend {
    let (qc, qb) = (&current.questionnaire, &baseline.questionnaire);
    let ids_c: HashSet<&str> = qc.questions.iter().map(|q| q.id.as_str()).collect();
    let ids_b: HashSet<&str> = qb.questions.iter().map(|q| q.id.as_str()).collect();
    let only_current = qc
        .questions
        .iter()
        .filter(|q| !ids_b.contains(q.id.as_str()))
        .map(|q| q.id.clone())
        .collect();
    let only_baseline = qb
        .questions
        .iter()
        .filter(|q| !ids_c.contains(q.id.as_str()))
        .map(|q| q.id.clone())
        .collect();

    let mut groups = Vec::new();
    for gc in &current.results.groups {
        let Some(gb) = baseline.results.groups.iter().find(|g| {
            g.kind == gc.kind && (g.kind == GroupKind::Organisation || g.name == gc.name)
        }) else {
            continue;
        };
        let comparable = !gc.suppressed && !gb.suppressed;
        let mut areas = Vec::new();
        for (ai, area) in qc.areas.iter().enumerate() {
            let Some(bi) = qb.areas.iter().position(|a| a.id == area.id) else {
                continue;
            };
            let ids_area_c: HashSet<&str> = area
                .questions
                .clone()
                .map(|i| qc.questions[i].id.as_str())
                .collect();
            let ids_area_b: HashSet<&str> = qb.areas[bi]
                .questions
                .clone()
                .map(|i| qb.questions[i].id.as_str())
                .collect();
            let common: HashSet<&str> = ids_area_c.intersection(&ids_area_b).copied().collect();
            let partial = ids_area_c != ids_area_b;
            let (ac, ab) = (&gc.areas[ai], &gb.areas[bi]);
            let ch = if !comparable {
                Change {
                    id: area.id.clone(),
                    ..Change::default()
                }
            } else if partial {
                change(
                    &area.id,
                    area_score_over(qb, gb, bi, &common),
                    area_score_over(qc, gc, ai, &common),
                    None,
                )
            } else {
                // The respondent-level index covers every answer of the area, so it is
                // only tested when both scores are shown and no question of the area is
                // withheld for this group in either wave (it would reveal them).
                let nothing_withheld = area.questions.clone().all(|i| !gc.questions[i].withheld)
                    && qb.areas[bi]
                        .questions
                        .clone()
                        .all(|i| !gb.questions[i].withheld);
                let test = match (ab.index, ac.index, ab.score, ac.score) {
                    (Some((n1, m1, Some(s1))), Some((n2, m2, Some(s2))), Some(_), Some(_))
                        if nothing_withheld =>
                    {
                        Some((n1, m1, s1, n2, m2, s2))
                    }
                    _ => None,
                };
                change(&area.id, ab.score, ac.score, test)
            };
            let level = |s: Option<f64>, q: &Questionnaire| {
                s.and_then(|s| q.level_of(s)).map(|l| l.name.clone())
            };
            areas.push(AreaChange {
                level_baseline: if comparable {
                    level(ch.baseline, qb)
                } else {
                    None
                },
                level_current: if comparable {
                    level(ch.current, qc)
                } else {
                    None
                },
                change: ch,
                name: area.name.clone(),
                shared_questions: common.len(),
                partial,
            });
        }
        let mut questions = Vec::new();
        for (i, qu) in qc.questions.iter().enumerate() {
            let Some(j) = qb.questions.iter().position(|x| x.id == qu.id) else {
                continue;
            };
            let (rc, rb) = (&gc.questions[i], &gb.questions[j]);
            if !comparable || rc.withheld || rb.withheld {
                questions.push(Change {
                    id: qu.id.clone(),
                    ..Change::default()
                });
                continue;
            }
            let test = match (rb.n, rb.score, rb.sd, rc.n, rc.score, rc.sd) {
                (Some(n1), Some(m1), Some(s1), Some(n2), Some(m2), Some(s2)) => {
                    Some((n1, m1, s1, n2, m2, s2))
                }
                _ => None,
            };
            questions.push(change(&qu.id, rb.score, rc.score, test));
        }
        let overall = if comparable {
            change("", gb.score, gc.score, None)
        } else {
            Change::default()
        };
        groups.push(GroupTrend {
            kind: gc.kind,
            name: gc.name.clone(),
            comparable,
            overall,
            areas,
            questions,
        });
    }

    let series = history
        .iter()
        .map(|a| {
            let org = a.results.organisation();
            WaveScores {
                wave: a.results.wave.clone().unwrap_or_default(),
                score: org.score,
                areas: qc
                    .areas
                    .iter()
                    .map(|area| {
                        let s = a
                            .questionnaire
                            .areas
                            .iter()
                            .position(|x| x.id == area.id)
                            .and_then(|k| org.areas[k].score);
                        (area.id.clone(), s)
                    })
                    .collect(),
            }
        })
        .collect();

    Trend {
        baseline: baseline.results.wave.clone().unwrap_or_default(),
        current: current.results.wave.clone().unwrap_or_default(),
        only_current,
        only_baseline,
        groups,
        series,
    }
}

#[cfg(test)]
mod tests;
