//! From scores to chart files: maps an [`Analysis`] to the chart module's
//! [`ChartInput`] and renders the chosen chart kinds, two at a time (both cores).

use crate::analysis::Analysis;
use crate::chart::{
    self, AreaInfo, ChartInput, ChartKind, GroupScores, LevelDef, QuestionDist, RenderOptions,
    TrendArea, TrendInput,
};
use crate::score::GroupKind;

use super::ReportFile;

/// What the charts show, taken from the results (withheld figures stay withheld).
pub fn chart_input(a: &Analysis) -> ChartInput {
    let q = &a.questionnaire;
    let r = &a.results;
    let org = r.organisation();
    let areas = q
        .areas
        .iter()
        .zip(&org.areas)
        .map(|(area, ar)| AreaInfo {
            id: area.id.clone(),
            name: area.name.clone(),
            target: area.target,
            weight: area.weight,
            gap: ar.gap,
            priority: ar.priority,
        })
        .collect();
    let groups = r
        .groups
        .iter()
        .map(|g| GroupScores {
            name: g.name.clone(),
            suppressed: g.suppressed,
            respondents: g.respondents,
            overall: g.score,
            areas: g.areas.iter().map(|a| a.score).collect(),
        })
        .collect();
    let questions = q
        .questions
        .iter()
        .zip(&org.questions)
        .map(|(qu, qr)| {
            let scale = q.scale_of(qu);
            let mut options: Vec<String> = scale
                .categories(q.language)
                .into_iter()
                .map(|(o, _)| o)
                .collect();
            let mut counts = if qr.withheld {
                None
            } else {
                qr.counts.as_ref().map(|c| c.values.clone())
            };
            if qu.reverse {
                options.reverse();
                if let Some(c) = counts.as_mut() {
                    c.reverse();
                }
            }
            QuestionDist {
                id: qu.id.clone(),
                text: qu.text.clone(),
                area: qu.area,
                options,
                counts,
                dont_know: if org.suppressed { None } else { qr.dont_know },
            }
        })
        .collect();
    let trend = r.trend.as_ref().map(|t| {
        let org_trend = t.groups.iter().find(|g| g.kind == GroupKind::Organisation);
        TrendInput {
            waves: t.series.iter().map(|w| w.wave.clone()).collect(),
            areas: q
                .areas
                .iter()
                .enumerate()
                .map(|(ai, area)| TrendArea {
                    area: ai,
                    scores: t
                        .series
                        .iter()
                        .map(|w| {
                            w.areas
                                .iter()
                                .find(|(id, _)| *id == area.id)
                                .and_then(|(_, s)| *s)
                        })
                        .collect(),
                    significant: org_trend
                        .and_then(|g| g.areas.iter().find(|c| c.change.id == area.id))
                        .and_then(|c| c.change.significant),
                })
                .collect(),
        }
    });
    ChartInput {
        language: q.language,
        organisation: org.name.clone(),
        levels: q
            .levels
            .iter()
            .map(|l| LevelDef {
                min: l.min,
                name: l.name.clone(),
            })
            .collect(),
        areas,
        groups,
        questions,
        trend,
    }
}

/// Renders the chart kinds (files under `charts/`), using both cores; the order of
/// the files does not depend on which thread finished first.
pub fn render(
    a: &Analysis,
    kinds: &[ChartKind],
    opts: &RenderOptions,
) -> Result<Vec<ReportFile>, String> {
    let input = chart_input(a);
    // Split the kinds over two threads by their number of files: radar and bars make
    // one file per shown group, the others a few (greedy, heaviest first).
    let groups = input.groups.iter().filter(|g| !g.suppressed).count().max(1);
    let cost = |k: &ChartKind| match k {
        ChartKind::Radar | ChartKind::Bars => groups,
        ChartKind::Likert => input.areas.len(),
        _ => 2,
    };
    let mut sorted: Vec<ChartKind> = kinds.to_vec();
    sorted.sort_by_key(|k| std::cmp::Reverse(cost(k)));
    let (mut first, mut second, mut load) = (Vec::new(), Vec::new(), (0usize, 0usize));
    for k in sorted {
        if load.0 <= load.1 {
            load.0 += cost(&k);
            first.push(k);
        } else {
            load.1 += cost(&k);
            second.push(k);
        }
    }
    let (first, second) = (first.as_slice(), second.as_slice());
    let run = |ks: &[ChartKind]| -> Result<Vec<ReportFile>, String> {
        let mut out = Vec::new();
        for k in ks {
            let files =
                chart::render(*k, &input, opts).map_err(|e| format!("{} chart: {e}", k.name()))?;
            out.extend(files.into_iter().map(|f| ReportFile {
                path: format!("charts/{}", f.name),
                bytes: f.bytes,
            }));
        }
        Ok(out)
    };
    let (a_res, b_res) = std::thread::scope(|s| {
        let h = s.spawn(|| run(second));
        let a_res = run(first);
        let b_res = h
            .join()
            .unwrap_or_else(|_| Err("chart rendering failed".to_string()));
        (a_res, b_res)
    });
    let mut files = a_res?;
    files.extend(b_res?);
    files.sort_by(|x, y| x.path.cmp(&y.path));
    Ok(files)
}
