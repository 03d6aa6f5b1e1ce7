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

/// Renders the chart kinds (files under `charts/`); each kind rasterises its pages on
/// every core (see [`chart::render`]). Files are sorted by path.
pub fn render(
    a: &Analysis,
    kinds: &[ChartKind],
    opts: &RenderOptions,
) -> Result<Vec<ReportFile>, String> {
    let input = chart_input(a);
    let mut files = Vec::new();
    for k in kinds {
        let rendered =
            chart::render(*k, &input, opts).map_err(|e| format!("{} chart: {e}", k.name()))?;
        files.extend(rendered.into_iter().map(|f| ReportFile {
            path: format!("charts/{}", f.name),
            bytes: f.bytes,
        }));
    }
    files.sort_by(|x, y| x.path.cmp(&y.path));
    Ok(files)
}
