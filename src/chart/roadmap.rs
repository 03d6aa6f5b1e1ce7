//! Roadmap: the areas with a target, by priority (gap × weight, descending),
//! each with the current score (Ist), the target (Soll) and the gap.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::bars::{draw_row_bar, draw_target};
use super::draw::{
    self, Align, Area, DrawResult, Page, Swatch, HEIGHT, LABEL, LABEL_BOLD, MARGIN, SMALL,
    VALUE_BOLD, WIDTH,
};
use super::scale::{self, Band, ScoreAxis};
use super::style::{self, fmt1, words, INK, MUTED, VERMILLION};
use super::text;
use super::{area_score, ChartInput, Levels};
use crate::questionnaire::Language;

const RANK_W: f64 = 40.0;
const LABEL_W: f64 = 340.0;
const RIGHT_W: f64 = 270.0;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Index into the input's areas.
    pub area: usize,
    pub rank: usize,
    pub label: Vec<String>,
    pub current: Option<f64>,
    pub target: f64,
    pub gap: Option<f64>,
    pub priority: Option<f64>,
    pub colour: RGBColor,
    /// Right column: "Lücke 14,0", "Ist 61,0 · Soll 75,0", maybe the priority.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Roadmap {
    pub title: String,
    pub subtitle: String,
    pub rows: Vec<Row>,
    pub axis: ScoreAxis,
    pub bands: Vec<Band>,
    pub legend: Vec<(Swatch, String)>,
    pub pitch: f64,
    pub height: u32,
    pub top: f64,
    pub no_data: String,
}

/// Areas with a target in roadmap order: priority descending, ties (and areas
/// without a priority, which come last) in questionnaire order.
pub(crate) fn order(input: &ChartInput) -> Vec<usize> {
    let org = input.groups.first().filter(|g| !g.suppressed);
    let mut with: Vec<(usize, f64)> = Vec::new();
    let mut without: Vec<usize> = Vec::new();
    for (i, a) in input.areas.iter().enumerate() {
        let Some(target) = style::finite(a.target) else {
            continue;
        };
        let current = org.and_then(|g| area_score(g, i));
        let gap = style::finite(a.gap).or_else(|| current.map(|c| (target - c).max(0.0)));
        let weight = if a.weight.is_finite() { a.weight } else { 1.0 };
        match style::finite(a.priority).or_else(|| gap.map(|g| g * weight)) {
            Some(p) => with.push((i, p)),
            None => without.push(i),
        }
    }
    with.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    with.into_iter().map(|x| x.0).chain(without).collect()
}

pub(crate) fn compute(input: &ChartInput) -> Option<Roadmap> {
    let lang = input.language;
    let w = words(lang);
    let levels = Levels::new(&input.levels);
    let org = input.groups.first().filter(|g| !g.suppressed);
    let ids = order(input);
    if ids.is_empty() {
        return None;
    }
    let rows: Vec<Row> = ids
        .iter()
        .enumerate()
        .map(|(rank, &i)| {
            let a = &input.areas[i];
            let target = style::finite(a.target).unwrap_or(0.0);
            let current = org.and_then(|g| area_score(g, i));
            let gap = style::finite(a.gap).or_else(|| current.map(|c| (target - c).max(0.0)));
            let weight = if a.weight.is_finite() { a.weight } else { 1.0 };
            let priority = style::finite(a.priority).or_else(|| gap.map(|g| g * weight));
            let mut notes = vec![match gap {
                Some(g) if g <= 0.0 => format!("{} {} – {}", w.gap, fmt1(0.0, lang), w.reached),
                Some(g) => format!("{} {}", w.gap, fmt1(g, lang)),
                None => format!("{} {}", w.gap, w.no_data_short),
            }];
            let (cur_w, tgt_w) = match lang {
                Language::De => (w.current.to_string(), w.target.to_string()),
                Language::En => (w.current.to_lowercase(), w.target.to_lowercase()),
            };
            notes.push(format!(
                "{} {} · {} {}",
                cur_w,
                current
                    .map(|c| fmt1(c, lang))
                    .unwrap_or_else(|| w.no_data_short.to_string()),
                tgt_w,
                fmt1(target, lang)
            ));
            // the priority differs from the gap only where the weight is not 1
            if (weight - 1.0).abs() > 1e-9 {
                if let Some(p) = priority {
                    notes.push(format!(
                        "{} {} ({} {})",
                        w.priority,
                        fmt1(p, lang),
                        w.weight,
                        style::fmt_short(weight, lang)
                    ));
                }
            }
            let notes: Vec<String> = notes
                .iter()
                .map(|n| text::shorten(n, SMALL, RIGHT_W))
                .collect();
            Row {
                area: i,
                rank: rank + 1,
                label: text::wrap(&a.name, LABEL, LABEL_W, 3),
                current,
                target,
                gap,
                priority,
                colour: current
                    .map(|c| levels.colour_of(c))
                    .unwrap_or(style::NO_DATA),
                notes,
            }
        })
        .collect();

    let axis = ScoreAxis {
        x0: MARGIN + RANK_W + LABEL_W + 28.0,
        x1: f64::from(WIDTH) - MARGIN - RIGHT_W - 24.0,
    };
    let bands = scale::bands(&levels, &axis);
    let mid_colour = levels.colour_of(levels.mins.get(levels.len() / 2).copied().unwrap_or(50.0));
    let legend = vec![
        (
            Swatch::OutlinedBox(mid_colour, RGBColor(80, 80, 80)),
            format!("{} ({})", w.current, w.bar_colour_note),
        ),
        (Swatch::Tick(INK), w.target.to_string()),
        (
            Swatch::OutlinedBox(style::tint(VERMILLION, 0.8), VERMILLION),
            capitalise(w.gap),
        ),
    ];
    let title = w.roadmap_title.to_string();
    let subtitle = style::join_parts(&[&input.organisation, w.roadmap_note]);
    let top = draw::heading_height(&title, &subtitle, f64::from(WIDTH)) + 24.0;
    let header = scale::header_height(&bands);
    let bottom = scale::axis_height("") + 24.0 + draw::legend_height(1, SMALL) + MARGIN * 0.6;
    let need = rows
        .iter()
        .map(|r| {
            LABEL
                .block_height(r.label.len())
                .max(SMALL.block_height(r.notes.len()))
                + 16.0
        })
        .fold(50.0, f64::max);
    let k = rows.len() as f64;
    let avail = f64::from(HEIGHT) - top - header - 8.0 - bottom;
    let pitch = (avail / k).clamp(need, 100.0);
    let height = (top + header + 8.0 + pitch * k + bottom)
        .max(f64::from(HEIGHT))
        .ceil() as u32;
    Some(Roadmap {
        title,
        subtitle,
        rows,
        axis,
        bands,
        legend,
        pitch,
        height,
        top,
        no_data: w.no_data.to_string(),
    })
}

fn draw_chart<DB: DrawingBackend>(area: &Area<DB>, m: &Roadmap) -> DrawResult<DB> {
    draw::heading(area, &m.title, &m.subtitle, f64::from(WIDTH))?;
    let plot_top = m.top + scale::header_height(&m.bands);
    let plot_bottom = plot_top + 8.0 + m.pitch * m.rows.len() as f64;
    scale::draw_bands(area, &m.bands, m.top, plot_bottom)?;
    scale::draw_grid(area, &m.axis, plot_top, plot_bottom)?;
    let thickness = (m.pitch * 0.5).min(40.0);
    for (i, r) in m.rows.iter().enumerate() {
        let cy = plot_top + 4.0 + m.pitch * (i as f64 + 0.5);
        draw::text(
            area,
            &format!("{}.", r.rank),
            MARGIN,
            cy - LABEL_BOLD.block_height(r.label.len()) / 2.0,
            LABEL_BOLD,
            INK,
            Align::Left,
        )?;
        draw::lines(
            area,
            &r.label,
            MARGIN + RANK_W,
            cy - LABEL.block_height(r.label.len()) / 2.0,
            LABEL,
            INK,
            Align::Left,
        )?;
        draw_row_bar(area, &m.axis, cy, thickness, r.current, r.colour)?;
        if let Some(c) = r.current {
            if r.target > c {
                let rect = (
                    m.axis.x(c),
                    cy - thickness / 2.0,
                    m.axis.x(r.target),
                    cy + thickness / 2.0,
                );
                draw::fill_rect_alpha(area, rect, VERMILLION, 0.18)?;
                draw::stroke_rect(area, rect, VERMILLION, 2)?;
            }
        } else {
            draw::text(
                area,
                &m.no_data,
                m.axis.x0 + 10.0,
                cy - SMALL.size / 2.0,
                SMALL,
                MUTED,
                Align::Left,
            )?;
        }
        draw_target(area, m.axis.x(r.target), cy, thickness)?;
        let nx = m.axis.x1 + 24.0;
        let notes_top = cy - SMALL.block_height(r.notes.len()) / 2.0;
        for (j, n) in r.notes.iter().enumerate() {
            let (font, colour) = if j == 0 {
                (VALUE_BOLD, INK)
            } else {
                (SMALL, MUTED)
            };
            let y = if j == 0 {
                notes_top - (VALUE_BOLD.size - SMALL.size)
            } else {
                notes_top + SMALL.line_height() * j as f64
            };
            draw::text(area, n, nx, y, font, colour, Align::Left)?;
        }
    }
    let h = scale::draw_axis(area, &m.axis, plot_bottom, "")?;
    draw::legend(
        area,
        &m.legend,
        m.axis.x0,
        plot_bottom + h + 24.0,
        SMALL,
        f64::from(WIDTH) - MARGIN - m.axis.x0,
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(crate) fn pages(input: &ChartInput) -> anyhow::Result<Vec<Page>> {
    Ok(match compute(input) {
        Some(m) => vec![draw::svg_page(
            "roadmap".to_string(),
            WIDTH,
            m.height,
            |a| draw_chart(a, &m),
        )?],
        None => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample::sample_input;
    use crate::questionnaire::Language;

    #[test]
    fn ordered_by_priority_then_questionnaire_order() {
        let mut input = sample_input(Language::De);
        let ids = order(&input);
        // "daten" has no target
        assert!(!ids.contains(&6));
        assert_eq!(ids.len(), 7);
        let pr: Vec<f64> = ids
            .iter()
            .map(|&i| input.areas[i].priority.unwrap())
            .collect();
        assert!(pr.windows(2).all(|w| w[0] >= w[1]), "{pr:?}");
        // ties keep questionnaire order; missing priorities go last
        for a in &mut input.areas {
            a.priority = Some(5.0);
        }
        input.areas[2].priority = None;
        input.areas[2].gap = None;
        input.groups[0].areas[2] = None;
        assert_eq!(order(&input), vec![0, 1, 3, 4, 5, 7, 2]);
    }

    #[test]
    fn gap_labels() {
        let input = sample_input(Language::De);
        let m = compute(&input).unwrap();
        let first = &m.rows[0];
        assert_eq!(first.rank, 1);
        assert_eq!(
            first.notes[0],
            format!("Lücke {}", fmt1(first.gap.unwrap(), Language::De))
        );
        let reached = m.rows.iter().find(|r| r.gap == Some(0.0)).unwrap();
        assert_eq!(reached.notes[0], "Lücke 0,0 – erreicht");
        let en = compute(&sample_input(Language::En)).unwrap();
        assert!(en.rows[0].notes[0].starts_with("gap "));
        assert!(en.rows[0].notes[1].starts_with("current "));
    }

    #[test]
    fn no_targets_no_roadmap() {
        let mut input = sample_input(Language::De);
        for a in &mut input.areas {
            a.target = None;
        }
        assert!(compute(&input).is_none());
    }
}
