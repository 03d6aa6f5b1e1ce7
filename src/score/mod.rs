//! Scoring (SPEC §4, §5, §9): pure aggregation from tallies to [`Results`].
//!
//! No I/O happens here. The steps are: per-question statistics per department and for
//! the pooled organisation; suppression (which groups and questions are withheld);
//! area and overall scores from the questions that count; levels, gaps, priorities and
//! the roadmap.

pub mod model;
pub mod suppress;

pub use model::*;

use std::collections::BTreeMap;

use crate::ingest::{DepartmentTally, Ingested, QuestionTally};
use crate::questionnaire::{Aggregate, Language, Questionnaire};
use crate::stats;

/// How the organisation's question scores are built (SPEC §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Weighting {
    /// Pool all respondents.
    #[default]
    Respondents,
    /// Headcount-weighted mean of the department question scores.
    Headcount,
}

impl Weighting {
    /// Name as written in the project file.
    pub fn name(self) -> &'static str {
        match self {
            Weighting::Respondents => "respondents",
            Weighting::Headcount => "headcount",
        }
    }
}

/// Settings of a scoring run.
#[derive(Debug, Clone, Default)]
pub struct ScoreOptions {
    /// Anonymity threshold (SPEC §9.3 decides where it comes from).
    pub min_group_size: u64,
    /// Organisation weighting.
    pub weighting: Weighting,
    /// Headcount per department name.
    pub headcount: BTreeMap<String, u64>,
    /// Display name of the organisation group (default by language).
    pub organisation: Option<String>,
    /// The wave's name.
    pub wave: Option<String>,
}

/// Statistics of one question in one group, before suppression.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionStats {
    /// Valid answers.
    pub n: u64,
    /// Don't know.
    pub dont_know: u64,
    /// Score 0–100.
    pub score: Option<f64>,
    /// Sample sd of 100·x.
    pub sd: Option<f64>,
    /// 95 % half-width.
    pub ci95: Option<f64>,
    /// Counts per category (categorical scales).
    pub counts: Option<Vec<u64>>,
}

/// Computes the statistics of one question from its tally (SPEC §4.1–4.2).
/// `xs` are the x in [0, 1] of the scale's categories (empty for numeric scales).
pub fn question_stats(t: &QuestionTally, xs: &[f64], reverse: bool) -> QuestionStats {
    let (mean, sd) = if xs.is_empty() {
        (t.values.mean(), t.values.sample_sd())
    } else {
        let n = t.counts.iter().sum::<u64>();
        if n == 0 {
            (None, None)
        } else {
            let mean = t
                .counts
                .iter()
                .zip(xs)
                .map(|(c, x)| *c as f64 * x)
                .sum::<f64>()
                / n as f64;
            let sd = (n >= 2).then(|| {
                let ss: f64 = t
                    .counts
                    .iter()
                    .zip(xs)
                    .map(|(c, x)| *c as f64 * (x - mean).powi(2))
                    .sum();
                (ss / (n - 1) as f64).max(0.0).sqrt()
            });
            (Some(mean), sd)
        }
    };
    let mean = mean.map(|m| if reverse { 1.0 - m } else { m });
    let sd = sd.map(|s| 100.0 * s);
    let n = t.valid;
    QuestionStats {
        n,
        dont_know: t.dont_know,
        score: mean.map(|m| 100.0 * m),
        sd,
        ci95: sd.and_then(|s| stats::ci95_half_width(n, s)),
        counts: (!xs.is_empty()).then(|| {
            let mut c = t.counts.clone();
            c.resize(xs.len(), 0);
            c
        }),
    }
}

/// Weighted mean of `(value, weight)` pairs; `None` for an empty list.
pub fn weighted_mean(items: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut s, mut w) = (0.0, 0.0);
    for (v, wt) in items {
        s += v * wt;
        w += wt;
    }
    (w > 0.0).then(|| s / w)
}

/// Scores one wave.
pub fn score(q: &Questionnaire, ingested: &Ingested, opts: &ScoreOptions) -> Results {
    let m = opts.min_group_size.max(1);
    let depts = &ingested.tally.departments;
    let nq = q.questions.len();
    let xs: Vec<Vec<f64>> = q
        .questions
        .iter()
        .map(|qu| {
            q.scale_of(qu)
                .categories(q.language)
                .into_iter()
                .map(|(_, x)| x)
                .collect()
        })
        .collect();
    let ids: Vec<(std::sync::Arc<str>, std::sync::Arc<str>)> = q
        .questions
        .iter()
        .map(|qu| (qu.id.as_str().into(), q.areas[qu.area].id.as_str().into()))
        .collect();
    let labels: Vec<std::sync::Arc<[String]>> = q
        .questions
        .iter()
        .map(|qu| {
            q.scale_of(qu)
                .categories(q.language)
                .into_iter()
                .map(|(l, _)| l)
                .collect::<Vec<String>>()
                .into()
        })
        .collect();

    // pooled organisation tally
    let mut org = DepartmentTally::new("", q);
    for d in depts {
        org.merge(d);
    }

    let stats_of = |t: &DepartmentTally| -> Vec<QuestionStats> {
        (0..nq)
            .map(|i| question_stats(&t.questions[i], &xs[i], q.questions[i].reverse))
            .collect()
    };
    let mut org_stats = stats_of(&org);

    let headcount_of = |name: &str| opts.headcount.get(name).copied();
    if opts.weighting == Weighting::Headcount {
        // only the scores are kept per department, not their full statistics (those
        // are computed again, one group at a time, below)
        let dept_scores: Vec<(Option<u64>, Vec<Option<f64>>)> = depts
            .iter()
            .map(|d| {
                let scores = stats_of(d).into_iter().map(|s| s.score).collect();
                (headcount_of(&d.name), scores)
            })
            .collect();
        for (i, s) in org_stats.iter_mut().enumerate() {
            let weighted = weighted_mean(
                dept_scores
                    .iter()
                    .filter_map(|(h, scores)| Some((scores[i]?, (*h)? as f64))),
            );
            if let Some(w) = weighted {
                s.score = Some(w);
            }
        }
    }

    // suppression
    let org_suppressed = org.respondents < m;
    let respondents: Vec<u64> = depts.iter().map(|d| d.respondents).collect();
    let dept_withheld = suppress::departments(&respondents, m);
    // per question: which departments withhold it
    let question_withheld: Vec<Vec<bool>> = (0..nq)
        .map(|i| {
            let valid: Vec<u64> = depts.iter().map(|d| d.questions[i].valid).collect();
            suppress::question(&valid, &dept_withheld, m)
        })
        .collect();
    let org_withheld: Vec<bool> = org.questions.iter().map(|t| t.valid < m).collect();

    let organisation_name = opts
        .organisation
        .clone()
        .unwrap_or_else(|| match q.language {
            Language::De => "Gesamtorganisation".to_string(),
            Language::En => "Organisation".to_string(),
        });
    let total_headcount: Option<u64> = (!opts.headcount.is_empty()).then(|| {
        opts.headcount
            .values()
            .fold(0u64, |a, b| a.saturating_add(*b))
    });

    let mut groups = Vec::with_capacity(depts.len() + 1);
    groups.push(group_result(
        q,
        GroupKind::Organisation,
        &organisation_name,
        &org,
        &org_stats,
        org_suppressed,
        &org_withheld,
        &labels,
        &ids,
        total_headcount,
    ));
    for (di, d) in depts.iter().enumerate() {
        groups.push(group_result(
            q,
            GroupKind::Department,
            &d.name,
            d,
            &stats_of(d),
            dept_withheld[di] || org_suppressed,
            &question_withheld
                .iter()
                .map(|w| w[di])
                .collect::<Vec<bool>>(),
            &labels,
            &ids,
            headcount_of(&d.name),
        ));
    }

    let roadmap = roadmap(q, &groups[0]);
    let quality = Quality {
        files: ingested
            .files
            .iter()
            .map(|f| {
                let withheld = org_suppressed
                    || f.departments.iter().any(|name| {
                        depts
                            .iter()
                            .zip(&dept_withheld)
                            .any(|(d, w)| *w && d.name == *name)
                    });
                let shown = |v: u64| (!withheld).then_some(v);
                FileQuality {
                    path: f.path.clone(),
                    rows_read: shown(f.rows_read),
                    rows_used: shown(f.rows_used),
                    rows_rejected: shown(f.rows_rejected),
                    rows_incomplete: shown(f.rows_incomplete),
                    invalid_cells: shown(f.invalid_cells),
                    encoding: f.encoding,
                    delimiter: f.delimiter.clone(),
                    withheld,
                }
            })
            .collect(),
        questions: q
            .questions
            .iter()
            .zip(&org.questions)
            .map(|(qu, t)| QuestionQuality {
                id: qu.id.clone(),
                valid: (!org_suppressed).then_some(t.valid),
                dont_know: (!org_suppressed).then_some(t.dont_know),
                empty: (!org_suppressed).then_some(t.empty),
                invalid: t.invalid,
            })
            .collect(),
        problems: ingested.problems.clone(),
    };
    Results {
        questionnaire: QuestionnaireRef {
            id: q.id.clone(),
            version: q.version.clone(),
            title: q.title.clone(),
            language: q.language.code(),
        },
        wave: opts.wave.clone(),
        min_group_size: m,
        weighting: opts.weighting.name(),
        groups,
        roadmap,
        trend: None,
        quality,
    }
}

#[allow(clippy::too_many_arguments)]
fn group_result(
    q: &Questionnaire,
    kind: GroupKind,
    name: &str,
    tally: &DepartmentTally,
    stats: &[QuestionStats],
    suppressed: bool,
    withheld: &[bool],
    labels: &[std::sync::Arc<[String]>],
    ids: &[(std::sync::Arc<str>, std::sync::Arc<str>)],
    headcount: Option<u64>,
) -> GroupResult {
    let counts_of = |i: usize, s: &QuestionStats| {
        s.counts.as_ref().map(|c| Counts {
            labels: labels[i].clone(),
            values: c.clone(),
        })
    };
    let questions: Vec<QuestionResult> = (0..q.questions.len())
        .map(|i| {
            let s = &stats[i];
            let (id, area) = (ids[i].0.clone(), ids[i].1.clone());
            if suppressed {
                QuestionResult {
                    id: id.clone(),
                    area,
                    score: None,
                    n: None,
                    dont_know: None,
                    sd: None,
                    ci95: None,
                    counts: None,
                    withheld: true,
                }
            } else if withheld[i] {
                QuestionResult {
                    id: id.clone(),
                    area,
                    score: None,
                    n: Some(s.n),
                    dont_know: Some(s.dont_know),
                    sd: None,
                    ci95: None,
                    counts: None,
                    withheld: true,
                }
            } else {
                QuestionResult {
                    id: id.clone(),
                    area,
                    score: s.score,
                    n: Some(s.n),
                    dont_know: Some(s.dont_know),
                    sd: s.sd,
                    ci95: s.ci95,
                    counts: counts_of(i, s),
                    withheld: false,
                }
            }
        })
        .collect();

    let areas: Vec<AreaResult> = q
        .areas
        .iter()
        .enumerate()
        .map(|(ai, a)| {
            let counting: Vec<usize> = a
                .questions
                .clone()
                .filter(|&i| !suppressed && !withheld[i] && stats[i].score.is_some())
                .collect();
            let score = if suppressed {
                None
            } else {
                match a.aggregate {
                    Aggregate::Mean => weighted_mean(
                        counting
                            .iter()
                            .filter_map(|&i| Some((stats[i].score?, q.questions[i].weight))),
                    ),
                    Aggregate::Min => counting
                        .iter()
                        .filter_map(|&i| stats[i].score)
                        .min_by(f64::total_cmp),
                }
            };
            let n = (!suppressed).then(|| {
                let mask: u64 = counting
                    .iter()
                    .map(|&i| 1u64 << (i - a.questions.start))
                    .fold(0, |m, b| m | b);
                tally.area_patterns[ai].respondents_with_any(mask)
            });
            let gap = match (a.target, score) {
                (Some(t), Some(s)) => Some((t - s).max(0.0)),
                _ => None,
            };
            AreaResult {
                id: a.id.clone(),
                name: a.name.clone(),
                weight: a.weight,
                score,
                level: score.and_then(|s| q.level_of(s)).map(|l| l.name.clone()),
                n,
                target: a.target,
                gap,
                priority: gap.map(|g| g * a.weight),
                index: (!suppressed)
                    .then(|| {
                        let w = &tally.area_index[ai];
                        w.mean()
                            .map(|m| (w.n(), 100.0 * m, w.sample_sd().map(|s| 100.0 * s)))
                    })
                    .flatten(),
            }
        })
        .collect();
    let score = weighted_mean(areas.iter().filter_map(|a| Some((a.score?, a.weight))));
    let respondents = (!suppressed).then_some(tally.respondents);
    GroupResult {
        kind,
        name: name.to_string(),
        respondents,
        suppressed,
        score,
        level: score.and_then(|s| q.level_of(s)).map(|l| l.name.clone()),
        headcount,
        response_rate: match (respondents, headcount) {
            (Some(r), Some(h)) if h > 0 => Some(r as f64 / h as f64),
            _ => None,
        },
        areas,
        questions,
    }
}

/// The roadmap (SPEC §4.7): the organisation's areas with a target and a score, by
/// priority (descending; ties by questionnaire order), each with its three weakest
/// counting questions.
pub fn roadmap(q: &Questionnaire, org: &GroupResult) -> Vec<RoadmapItem> {
    let mut items: Vec<(usize, RoadmapItem)> = org
        .areas
        .iter()
        .enumerate()
        .filter_map(|(ai, a)| {
            let (score, target, gap, priority) = (a.score?, a.target?, a.gap?, a.priority?);
            let mut weakest: Vec<WeakQuestion> = q.areas[ai]
                .questions
                .clone()
                .filter_map(|i| {
                    let r = &org.questions[i];
                    Some(WeakQuestion {
                        id: r.id.to_string(),
                        text: q.questions[i].text.clone(),
                        score: r.score?,
                    })
                })
                .collect();
            weakest.sort_by(|x, y| x.score.total_cmp(&y.score));
            weakest.truncate(3);
            Some((
                ai,
                RoadmapItem {
                    rank: 0,
                    area: a.id.clone(),
                    name: a.name.clone(),
                    score,
                    target,
                    gap,
                    priority,
                    level: a.level.clone(),
                    target_level: q.level_of(target).map(|l| l.name.clone()),
                    weakest,
                },
            ))
        })
        .collect();
    items.sort_by(|(ia, a), (ib, b)| b.priority.total_cmp(&a.priority).then(ia.cmp(ib)));
    items
        .into_iter()
        .enumerate()
        .map(|(rank, (_, mut item))| {
            item.rank = rank + 1;
            item
        })
        .collect()
}

#[cfg(test)]
mod tests;
