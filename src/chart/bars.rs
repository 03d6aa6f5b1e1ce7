//! Horizontal bars per group: one bar per area, target markers, maturity-level
//! bands in the background.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::draw::{
    self, Align, Area, DrawResult, Page, Swatch, HEIGHT, LABEL, LABEL_BOLD, MARGIN, SMALL, VALUE,
    VALUE_BOLD, WIDTH,
};
use super::scale::{self, Band, ScoreAxis};
use super::style::{self, fmt1, fmt_count, words, INK, MUTED};
use super::text::{self, Font};
use super::{area_score, group_stem, shown_groups, ChartInput, ChartKind, GroupScores, Levels};

const LABEL_W: f64 = 400.0;
const VALUE_ROOM: f64 = 86.0;
/// Gap between the overall row and the area rows.
const SEP: f64 = 22.0;

/// One bar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub label: Vec<String>,
    pub bold: bool,
    pub value: Option<f64>,
    pub value_text: String,
    pub colour: RGBColor,
    pub target: Option<f64>,
}

/// Everything a bar chart shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BarChart {
    pub stem: String,
    pub title: String,
    pub subtitle: String,
    /// First row: overall score; then the areas in questionnaire order.
    pub rows: Vec<Row>,
    pub axis: ScoreAxis,
    pub bands: Vec<Band>,
    pub legend: Vec<(Swatch, String)>,
    pub height: u32,
    /// Row pitch (px).
    pub pitch: f64,
    pub top: f64,
}

/// "412 Befragte · Gesamtwert 53,1 (Fortgeschritten)".
pub(crate) fn subtitle(input: &ChartInput, g: &GroupScores) -> String {
    let lang = input.language;
    let w = words(lang);
    let mut parts = Vec::new();
    if let Some(n) = g.respondents {
        parts.push(format!("{} {}", fmt_count(n, lang), w.respondents));
    }
    if let Some(v) = style::finite(g.overall) {
        let levels = Levels::new(&input.levels);
        parts.push(match levels.name_of(v) {
            Some(name) => format!("{} {} ({})", w.overall, fmt1(v, lang), name),
            None => format!("{} {}", w.overall, fmt1(v, lang)),
        });
    }
    parts.join(" · ")
}

fn label_font(bold: bool) -> Font {
    if bold {
        LABEL_BOLD
    } else {
        LABEL
    }
}

/// The bar chart of group `index` (None when it is suppressed or missing).
pub(crate) fn compute(input: &ChartInput, index: usize) -> Option<BarChart> {
    let g = input.groups.get(index).filter(|g| !g.suppressed)?;
    let lang = input.language;
    let w = words(lang);
    let levels = Levels::new(&input.levels);
    let axis = ScoreAxis {
        x0: MARGIN + LABEL_W + 28.0,
        x1: f64::from(WIDTH) - MARGIN - VALUE_ROOM,
    };
    let row = |label: &str, bold: bool, value: Option<f64>, target: Option<f64>| {
        let value = style::finite(value);
        Row {
            label: text::wrap(label, label_font(bold), LABEL_W, 3),
            bold,
            value,
            value_text: value
                .map(|v| fmt1(v, lang))
                .unwrap_or_else(|| w.no_data.to_string()),
            colour: value.map(|v| levels.colour_of(v)).unwrap_or(style::NO_DATA),
            target: style::finite(target),
        }
    };
    let mut rows = vec![row(w.overall, true, g.overall, None)];
    for (i, a) in input.areas.iter().enumerate() {
        rows.push(row(&a.name, false, area_score(g, i), a.target));
    }
    let title = format!("{} – {}", w.bars_title, g.name);
    let subtitle = subtitle(input, g);
    let bands = scale::bands(&levels, &axis);
    let mut legend = vec![(
        Swatch::OutlinedBox(
            levels.colour_of(levels.mins.get(levels.len() / 2).copied().unwrap_or(50.0)),
            RGBColor(80, 80, 80),
        ),
        format!("{} ({})", w.current, w.bar_colour_note),
    )];
    if rows.iter().any(|r| r.target.is_some()) {
        legend.push((Swatch::Tick(INK), w.target.to_string()));
    }

    // Vertical layout; the page grows when the rows need more room.
    let top = draw::heading_height(&title, &subtitle, f64::from(WIDTH)) + 24.0;
    let header = scale::header_height(&bands);
    let bottom = scale::axis_height("") + 24.0 + draw::legend_height(1, SMALL) + MARGIN * 0.6;
    let need = rows
        .iter()
        .map(|r| label_font(r.bold).block_height(r.label.len()) + 14.0)
        .fold(40.0, f64::max);
    let n = rows.len() as f64;
    let avail = f64::from(HEIGHT) - top - header - 8.0 - SEP - bottom;
    let pitch = (avail / n).clamp(need, 92.0);
    let height = (top + header + 8.0 + SEP + pitch * n + bottom)
        .max(f64::from(HEIGHT))
        .ceil() as u32;
    Some(BarChart {
        stem: group_stem(ChartKind::Bars, index, g),
        title,
        subtitle,
        rows,
        axis,
        bands,
        legend,
        height,
        pitch,
        top,
    })
}

/// Draws one horizontal score bar with its value label (also used by the roadmap).
pub(crate) fn draw_row_bar<DB: DrawingBackend>(
    area: &Area<DB>,
    axis: &ScoreAxis,
    cy: f64,
    thickness: f64,
    value: Option<f64>,
    colour: RGBColor,
) -> DrawResult<DB> {
    if let Some(v) = value {
        let (y0, y1) = (cy - thickness / 2.0, cy + thickness / 2.0);
        let x = axis.x(v);
        draw::fill_rect(area, axis.x0, y0, x, y1, colour)?;
        if x > axis.x0 {
            draw::stroke_rect(area, (axis.x0, y0, x, y1), style::shade(colour, 0.35), 1)?;
        }
    }
    Ok(())
}

/// A target marker: a dark vertical tick across the bar.
pub(crate) fn draw_target<DB: DrawingBackend>(
    area: &Area<DB>,
    x: f64,
    cy: f64,
    thickness: f64,
) -> DrawResult<DB> {
    let h = thickness / 2.0 + 8.0;
    draw::fill_rect(area, x - 2.5, cy - h, x + 2.5, cy + h, INK)
}

fn draw_chart<DB: DrawingBackend>(area: &Area<DB>, c: &BarChart) -> DrawResult<DB> {
    draw::heading(area, &c.title, &c.subtitle, f64::from(WIDTH))?;
    let header = scale::header_height(&c.bands);
    let plot_top = c.top + header;
    let n = c.rows.len() as f64;
    let plot_bottom = plot_top + 8.0 + SEP + c.pitch * n;
    scale::draw_bands(area, &c.bands, c.top, plot_bottom)?;
    scale::draw_grid(area, &c.axis, plot_top, plot_bottom)?;
    let thickness = (c.pitch * 0.56).min(40.0);
    for (i, r) in c.rows.iter().enumerate() {
        let extra = if i == 0 { 0.0 } else { SEP };
        let cy = plot_top + 4.0 + extra + c.pitch * (i as f64 + 0.5);
        let font = label_font(r.bold);
        let label_top = cy - font.block_height(r.label.len()) / 2.0;
        draw::lines(
            area,
            &r.label,
            MARGIN + LABEL_W,
            label_top,
            font,
            INK,
            Align::Right,
        )?;
        draw_row_bar(area, &c.axis, cy, thickness, r.value, r.colour)?;
        let vfont = if r.bold { VALUE_BOLD } else { VALUE };
        match r.value {
            Some(v) => {
                let mut x = c.axis.x(v) + 10.0;
                if let Some(t) = r.target {
                    let tx = c.axis.x(t);
                    // keep the value clear of the target marker
                    if tx >= x - 14.0 && tx <= x + text::width(&r.value_text, vfont) + 6.0 {
                        x = tx + 12.0;
                    }
                }
                draw::text(
                    area,
                    &r.value_text,
                    x,
                    cy - vfont.size / 2.0,
                    vfont,
                    INK,
                    Align::Left,
                )?;
            }
            None => draw::text(
                area,
                &r.value_text,
                c.axis.x0 + 10.0,
                cy - SMALL.size / 2.0,
                SMALL,
                MUTED,
                Align::Left,
            )?,
        }
        if let Some(t) = r.target {
            draw_target(area, c.axis.x(t), cy, thickness)?;
        }
        if i == 0 {
            let y = plot_top + 4.0 + c.pitch + SEP / 2.0;
            draw::line(area, (MARGIN, y), (c.axis.x1, y), style::RULE, 1)?;
        }
    }
    let axis_y = plot_bottom;
    let h = scale::draw_axis(area, &c.axis, axis_y, "")?;
    draw::legend(
        area,
        &c.legend,
        c.axis.x0,
        axis_y + h + 24.0,
        SMALL,
        f64::from(WIDTH) - MARGIN - c.axis.x0,
    )
}

pub(crate) fn pages(input: &ChartInput) -> anyhow::Result<Vec<Page>> {
    let mut out = Vec::new();
    for (i, _) in shown_groups(input) {
        if let Some(c) = compute(input, i) {
            out.push(draw::svg_page(c.stem.clone(), WIDTH, c.height, |a| {
                draw_chart(a, &c)
            })?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample::sample_input;
    use crate::questionnaire::Language;

    #[test]
    fn rows_follow_areas_and_show_targets() {
        let input = sample_input(Language::De);
        let c = compute(&input, 0).unwrap();
        assert_eq!(c.rows.len(), input.areas.len() + 1);
        assert!(c.rows[0].bold);
        assert_eq!(c.rows[0].label, vec!["Gesamtwert"]);
        assert_eq!(c.rows[1].target, input.areas[0].target);
        assert!(c.rows[1].value_text.contains(','));
        assert_eq!(c.stem, "bars-organisation");
        assert_eq!(c.bands.len(), 5);
        for r in &c.rows {
            assert!(r.label.len() <= 3);
            for l in &r.label {
                assert!(text::width(l, label_font(r.bold)) <= LABEL_W + 0.01);
            }
        }
    }

    #[test]
    fn suppressed_group_has_no_chart() {
        let input = sample_input(Language::De);
        let i = input.groups.iter().position(|g| g.suppressed).unwrap();
        assert!(compute(&input, i).is_none());
        assert!(compute(&input, 999).is_none());
    }

    #[test]
    fn missing_values_say_so() {
        let mut input = sample_input(Language::En);
        input.groups[1].areas[2] = None;
        input.groups[1].areas[3] = Some(f64::NAN);
        let c = compute(&input, 1).unwrap();
        assert_eq!(c.rows[3].value, None);
        assert_eq!(c.rows[3].value_text, "no data");
        assert_eq!(c.rows[4].value, None);
    }
}
