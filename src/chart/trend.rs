//! Trend across waves: per area a dot plot of the organisation's score in each
//! wave (oldest grey → current blue); significant changes filled and starred.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::draw::{
    self, Align, Area, DrawResult, Page, Swatch, HEIGHT, LABEL, MARGIN, SMALL, SMALL_BOLD,
    VALUE_BOLD, WIDTH,
};
use super::scale::{self, Band, ScoreAxis};
use super::style::{self, fmt1, fmt_signed1, words, INK, MUTED};
use super::text;
use super::{ChartInput, Levels};

const LABEL_W: f64 = 400.0;
const RIGHT_W: f64 = 220.0;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub area: usize,
    pub label: Vec<String>,
    /// Per wave, aligned with `Trend::waves`.
    pub scores: Vec<Option<f64>>,
    /// Current minus previous wave.
    pub change: Option<f64>,
    pub significant: bool,
    /// e.g. "61,0 (+4,2*)".
    pub value: String,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Trend {
    pub title: String,
    pub subtitle: String,
    pub waves: Vec<String>,
    pub colours: Vec<RGBColor>,
    pub rows: Vec<Row>,
    pub axis: ScoreAxis,
    pub bands: Vec<Band>,
    pub legend: Vec<(Swatch, String)>,
    pub column_header: Vec<String>,
    pub footnote: Option<String>,
    pub pitch: f64,
    pub height: u32,
    pub top: f64,
}

pub(crate) fn compute(input: &ChartInput) -> Option<Trend> {
    let t = input.trend.as_ref()?;
    let k = t.waves.len();
    if k < 2 {
        return None;
    }
    let lang = input.language;
    let w = words(lang);
    let levels = Levels::new(&input.levels);
    let rows: Vec<Row> = t
        .areas
        .iter()
        .filter_map(|ta| {
            let a = input.areas.get(ta.area)?;
            let scores: Vec<Option<f64>> = (0..k)
                .map(|i| style::finite(ta.scores.get(i).copied().flatten()))
                .collect();
            if scores.iter().all(Option::is_none) {
                return None;
            }
            let change = match (scores[k - 2], scores[k - 1]) {
                (Some(p), Some(c)) => Some(c - p),
                _ => None,
            };
            let significant = ta.significant == Some(true) && change.is_some();
            let value = match (scores[k - 1], change) {
                (Some(c), Some(d)) => format!(
                    "{} ({}{})",
                    fmt1(c, lang),
                    fmt_signed1(d, lang),
                    if significant { "*" } else { "" }
                ),
                (Some(c), None) => fmt1(c, lang),
                (None, _) => w.no_data.to_string(),
            };
            Some(Row {
                area: ta.area,
                label: text::wrap(&a.name, LABEL, LABEL_W, 3),
                scores,
                change,
                significant,
                value,
            })
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let colours = style::wave_colours(k);
    let axis = ScoreAxis {
        x0: MARGIN + LABEL_W + 28.0,
        x1: f64::from(WIDTH) - MARGIN - RIGHT_W - 24.0,
    };
    let bands = scale::bands(&levels, &axis);
    let mut legend: Vec<(Swatch, String)> = Vec::new();
    for (i, (name, &c)) in t.waves.iter().zip(&colours).enumerate() {
        let label = text::shorten(name, SMALL, 300.0);
        if i + 1 == k {
            legend.push((Swatch::Dot(c, true), format!("{label}: {}", w.significant)));
            legend.push((
                Swatch::Dot(c, false),
                format!("{label}: {}", w.not_significant),
            ));
        } else {
            legend.push((Swatch::Dot(c, true), label));
        }
    }
    let any_significant = rows.iter().any(|r| r.significant);
    let footnote = any_significant.then(|| w.significant_note.to_string());
    let last = t.waves.last().map(String::as_str).unwrap_or_default();
    let first = t.waves.first().map(String::as_str).unwrap_or_default();
    let title = format!("{} {}–{}", w.trend_title, first, last);
    let subtitle = input.organisation.clone();
    let column_header = text::wrap(
        &format!("{last} ({})", w.change_note),
        SMALL_BOLD,
        RIGHT_W,
        2,
    );

    let top = draw::heading_height(&title, &subtitle, f64::from(WIDTH)) + 24.0;
    let header =
        scale::header_height(&bands).max(SMALL_BOLD.block_height(column_header.len()) + 8.0);
    let bottom = scale::axis_height("")
        + 24.0
        + draw::legend_height(1, SMALL)
        + if footnote.is_some() {
            SMALL.size + 10.0
        } else {
            0.0
        }
        + MARGIN * 0.6;
    let need = rows
        .iter()
        .map(|r| LABEL.block_height(r.label.len()) + 14.0)
        .fold(44.0, f64::max);
    let n = rows.len() as f64;
    let avail = f64::from(HEIGHT) - top - header - 8.0 - bottom;
    let pitch = (avail / n).clamp(need, 92.0);
    let height = (top + header + 8.0 + pitch * n + bottom)
        .max(f64::from(HEIGHT))
        .ceil() as u32;
    Some(Trend {
        title,
        subtitle,
        waves: t.waves.clone(),
        colours,
        rows,
        axis,
        bands,
        legend,
        column_header,
        footnote,
        pitch,
        height,
        top,
    })
}

fn draw_chart<DB: DrawingBackend>(area: &Area<DB>, t: &Trend) -> DrawResult<DB> {
    draw::heading(area, &t.title, &t.subtitle, f64::from(WIDTH))?;
    let header =
        scale::header_height(&t.bands).max(SMALL_BOLD.block_height(t.column_header.len()) + 8.0);
    let bands_top = t.top + header - scale::header_height(&t.bands);
    let plot_top = t.top + header;
    let plot_bottom = plot_top + 8.0 + t.pitch * t.rows.len() as f64;
    scale::draw_bands(area, &t.bands, bands_top, plot_bottom)?;
    scale::draw_grid(area, &t.axis, plot_top, plot_bottom)?;
    let rx = t.axis.x1 + 24.0;
    draw::lines(
        area,
        &t.column_header,
        rx,
        plot_top - 8.0 - SMALL_BOLD.block_height(t.column_header.len()),
        SMALL_BOLD,
        INK,
        Align::Left,
    )?;
    let k = t.waves.len();
    for (i, r) in t.rows.iter().enumerate() {
        let cy = plot_top + 4.0 + t.pitch * (i as f64 + 0.5);
        draw::lines(
            area,
            &r.label,
            MARGIN + LABEL_W,
            cy - LABEL.block_height(r.label.len()) / 2.0,
            LABEL,
            INK,
            Align::Right,
        )?;
        // connecting lines: older waves grey, the last step in the current colour
        let pts: Vec<(usize, f64)> = r
            .scores
            .iter()
            .enumerate()
            .filter_map(|(j, s)| s.map(|v| (j, t.axis.x(v))))
            .collect();
        for pair in pts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let last_step = b.0 == k - 1 && a.0 == k - 2;
            let (colour, width) = if last_step {
                (t.colours[k - 1], 4)
            } else {
                (RGBColor(170, 170, 170), 3)
            };
            draw::line(area, (a.1, cy), (b.1, cy), colour, width)?;
        }
        for &(j, x) in &pts {
            let c = t.colours[j];
            if j + 1 == k {
                let fill = if r.significant { c } else { style::WHITE };
                draw::marker(area, (x, cy), 11.0, fill, c)?;
            } else {
                draw::circle(area, (x, cy), 8.0, c, true, 1)?;
            }
        }
        draw::text(
            area,
            &r.value,
            rx,
            cy - VALUE_BOLD.size / 2.0,
            VALUE_BOLD,
            if r.scores[k - 1].is_some() {
                INK
            } else {
                MUTED
            },
            Align::Left,
        )?;
    }
    let h = scale::draw_axis(area, &t.axis, plot_bottom, "")?;
    let ly = plot_bottom + h + 24.0;
    draw::legend(
        area,
        &t.legend,
        t.axis.x0,
        ly,
        SMALL,
        f64::from(WIDTH) - MARGIN - t.axis.x0,
    )?;
    if let Some(f) = &t.footnote {
        let (_, rows) =
            draw::legend_layout(&t.legend, SMALL, f64::from(WIDTH) - MARGIN - t.axis.x0);
        draw::text(
            area,
            f,
            t.axis.x0,
            ly + draw::legend_height(rows, SMALL) + 4.0,
            SMALL,
            MUTED,
            Align::Left,
        )?;
    }
    Ok(())
}

pub(crate) fn pages(input: &ChartInput) -> anyhow::Result<Vec<Page>> {
    Ok(match compute(input) {
        Some(t) => vec![draw::svg_page("trend".to_string(), WIDTH, t.height, |a| {
            draw_chart(a, &t)
        })?],
        None => Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample::sample_input;
    use crate::questionnaire::Language;

    #[test]
    fn changes_and_significance() {
        let input = sample_input(Language::De);
        let t = compute(&input).unwrap();
        assert_eq!(t.rows.len(), 8);
        assert_eq!(t.waves.len(), 3);
        let r = &t.rows[0];
        assert!(r.significant);
        assert_eq!(r.value, "61,0 (+4,2*)");
        let r = &t.rows[3];
        assert!(!r.significant);
        assert_eq!(r.value, "59,4 (\u{2212}2,3)");
        assert!(t.footnote.as_deref().unwrap().contains("Welch"));
        assert_eq!(t.rows[5].scores[0], None);
        assert_eq!(t.title, "Entwicklung je Handlungsfeld 2021–2025");
    }

    #[test]
    fn needs_two_waves() {
        let mut input = sample_input(Language::En);
        input.trend = None;
        assert!(compute(&input).is_none());
        let mut input = sample_input(Language::En);
        if let Some(t) = &mut input.trend {
            t.waves.truncate(1);
        }
        assert!(compute(&input).is_none());
    }

    #[test]
    fn short_score_lists_and_bad_indices() {
        let mut input = sample_input(Language::En);
        if let Some(t) = &mut input.trend {
            t.areas[0].scores.truncate(1);
            t.areas[1].area = 99;
            t.areas[2].scores = vec![Some(f64::NAN), None, Some(f64::INFINITY)];
        }
        let t = compute(&input).unwrap();
        assert_eq!(t.rows.len(), 6);
        assert_eq!(t.rows[0].change, None);
        assert!(!t.rows[0].significant);
    }
}
