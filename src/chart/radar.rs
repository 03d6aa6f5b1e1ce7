//! Radar (spider) charts: the organisation against its targets, each shown
//! department against the organisation. Scale 0–100, rings at the level
//! minimums, one axis per area.

use std::f64::consts::PI;

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::draw::{
    self, Align, Area, DrawResult, Page, Swatch, HEIGHT, LABEL, MARGIN, SMALL, SMALL_BOLD, WIDTH,
};
use super::style::{self, fmt1, words, BLUE, INK, MUTED, VERMILLION};
use super::text;
use super::{area_score, group_stem, shown_groups, ChartInput, ChartKind, Levels};

/// Gap between the outer ring and the axis labels.
const LABEL_GAP: f64 = 18.0;
/// Wrap widths of axis labels at the sides and at top/bottom.
const SIDE_WRAP: f64 = 330.0;
const CENTER_WRAP: f64 = 380.0;
const GAP_BETWEEN_VALUE: f64 = 5.0;
/// The organisation's polygon on a department's radar.
const ORG_GREY: RGBColor = RGBColor(60, 60, 60);

/// A data polygon.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    pub name: String,
    /// Per axis, 0..100 (None: no score or withheld).
    pub values: Vec<Option<f64>>,
    pub colour: RGBColor,
    /// Filled area (only drawn when every axis has a value).
    pub fill: bool,
    pub dashed: bool,
    pub width: u32,
}

/// A piece of the value line under an axis label, in its series' colour.
pub(crate) type ValuePiece = (String, RGBColor);

/// The label of one axis.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AxisLabel {
    pub lines: Vec<String>,
    /// Values at this axis, e.g. "Ist 61,0" (blue) " · " "Soll 75,0" (red).
    pub value: Vec<ValuePiece>,
    pub align: Align,
}

impl AxisLabel {
    /// The value line as one string (pieces separated by spaces).
    pub(crate) fn value_text(&self) -> String {
        self.value
            .iter()
            .map(|p| p.0.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn value_width(&self) -> f64 {
        text::width(&self.value_text(), SMALL_BOLD)
    }
    fn width(&self) -> f64 {
        text::max_width(&self.lines, LABEL).max(self.value_width())
    }
    fn height(&self) -> f64 {
        LABEL.block_height(self.lines.len()) + GAP_BETWEEN_VALUE + SMALL.size
    }
}

/// A rectangle (x0, y0, x1, y1).
pub(crate) type Rect = (f64, f64, f64, f64);

fn overlaps(a: Rect, b: Rect, pad: f64) -> bool {
    a.0 < b.2 + pad && b.0 < a.2 + pad && a.1 < b.3 + pad && b.1 < a.3 + pad
}

/// Everything a radar chart shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RadarChart {
    pub stem: String,
    pub title: String,
    pub subtitle: String,
    pub center: (f64, f64),
    pub radius: f64,
    pub labels: Vec<AxisLabel>,
    /// Top-left corners of the axis labels.
    pub label_pos: Vec<(f64, f64)>,
    /// Rings at the level minimums: (score, label such as "20 Grundlagen").
    pub rings: Vec<(f64, String)>,
    /// Level bands: (from, to, tint).
    pub bands: Vec<(f64, f64, RGBColor)>,
    pub series: Vec<Series>,
    pub legend: Vec<(Swatch, String)>,
    /// Top-left corner of the legend.
    pub legend_pos: (f64, f64),
}

/// Unit direction of axis `i` of `n` (clockwise from the top).
fn direction(i: usize, n: usize) -> (f64, f64) {
    let a = 2.0 * PI * i as f64 / n.max(1) as f64;
    (a.sin(), -a.cos())
}

impl RadarChart {
    pub(crate) fn point(&self, axis: usize, value: f64) -> (f64, f64) {
        let (dx, dy) = direction(axis, self.labels.len());
        let r = self.radius * style::clamp_score(value) / 100.0;
        (self.center.0 + dx * r, self.center.1 + dy * r)
    }

    /// Rectangles of the axis labels.
    #[cfg(test)]
    pub(crate) fn label_rects(&self) -> Vec<Rect> {
        self.labels
            .iter()
            .zip(&self.label_pos)
            .map(|(l, &(x, y))| (x, y, x + l.width(), y + l.height()))
            .collect()
    }

    pub(crate) fn legend_rect(&self) -> Rect {
        let max = f64::from(WIDTH) - 2.0 * MARGIN;
        let (pos, rows) = draw::legend_layout(&self.legend, SMALL, max);
        let w = self
            .legend
            .iter()
            .zip(&pos)
            .map(|((_, t), (x, _))| x + draw::SWATCH_W + 10.0 + text::width(t, SMALL))
            .fold(0.0, f64::max);
        let (x, y) = self.legend_pos;
        (x, y, x + w, y + draw::legend_height(rows, SMALL))
    }
}

/// Label positions (top-left corners) for radius `r` around `c`.
fn place_labels(labels: &[AxisLabel], c: (f64, f64), r: f64) -> Vec<(f64, f64)> {
    let n = labels.len();
    labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (dx, dy) = direction(i, n);
            let ax = c.0 + dx * (r + LABEL_GAP);
            let ay = c.1 + dy * (r + LABEL_GAP);
            let (w, h) = (l.width(), l.height());
            let x = match l.align {
                Align::Left => ax,
                Align::Right => ax - w,
                Align::Center => ax - w / 2.0,
            };
            let y = if dy < -0.25 {
                ay - h
            } else if dy > 0.25 {
                ay
            } else {
                ay - h / 2.0
            };
            (x, y)
        })
        .collect()
}

/// The radar chart of group `index`: None when the group is suppressed or
/// missing, or there are fewer than three areas.
pub(crate) fn compute(input: &ChartInput, index: usize) -> Option<RadarChart> {
    let g = input.groups.get(index).filter(|g| !g.suppressed)?;
    let n = input.areas.len();
    if n < 3 {
        return None;
    }
    let lang = input.language;
    let w = words(lang);
    let levels = Levels::new(&input.levels);
    let org = input.groups.first().filter(|o| index != 0 && !o.suppressed);

    let values: Vec<Option<f64>> = (0..n).map(|i| area_score(g, i)).collect();
    let targets: Vec<Option<f64>> = input
        .areas
        .iter()
        .map(|a| style::finite(a.target))
        .collect();
    let org_values: Option<Vec<Option<f64>>> =
        org.map(|o| (0..n).map(|i| area_score(o, i)).collect());

    let mut series = vec![Series {
        name: g.name.clone(),
        values: values.clone(),
        colour: BLUE,
        fill: true,
        dashed: false,
        width: 3,
    }];
    let mut legend = vec![(
        Swatch::OutlinedBox(style::tint(BLUE, 0.75), BLUE),
        if index == 0 {
            format!("{} ({})", g.name, w.current)
        } else {
            g.name.clone()
        },
    )];
    if index == 0 {
        if targets.iter().any(Option::is_some) {
            series.push(Series {
                name: w.target.to_string(),
                values: targets.clone(),
                colour: VERMILLION,
                fill: false,
                dashed: true,
                width: 3,
            });
            legend.push((Swatch::Dashed(VERMILLION, 3), w.target.to_string()));
        }
    } else if let (Some(o), Some(ov)) = (org, &org_values) {
        series.push(Series {
            name: o.name.clone(),
            values: ov.clone(),
            colour: ORG_GREY,
            fill: false,
            dashed: true,
            width: 2,
        });
        legend.push((
            Swatch::Dashed(ORG_GREY, 2),
            format!("{} ({})", o.name, w.org_short),
        ));
    }
    // shorten legend texts that could not fit a line
    for item in &mut legend {
        item.1 = text::shorten(&item.1, SMALL, 700.0);
    }

    // top and bottom labels must leave room for their neighbours
    let center_wrap = (2.0 * (2.0 * PI / n as f64).sin() * 320.0 - 24.0).clamp(200.0, CENTER_WRAP);
    let labels: Vec<AxisLabel> = input
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let (dx, _) = direction(i, n);
            let align = if dx > 0.25 {
                Align::Left
            } else if dx < -0.25 {
                Align::Right
            } else {
                Align::Center
            };
            let wrap = if align == Align::Center {
                center_wrap
            } else {
                SIDE_WRAP
            };
            let v = values[i]
                .map(|v| fmt1(v, lang))
                .unwrap_or_else(|| w.no_data_short.to_string());
            let sep = ("·".to_string(), MUTED);
            let value = if index == 0 {
                let mut p = vec![(format!("{} {}", w.current, v), BLUE)];
                if let Some(t) = targets[i] {
                    p.push(sep);
                    p.push((format!("{} {}", w.target, fmt1(t, lang)), VERMILLION));
                }
                p
            } else {
                let mut p = vec![(v, BLUE)];
                if let Some(o) = org_values.as_ref().and_then(|ov| ov[i]) {
                    p.push(sep);
                    p.push((format!("{} {}", w.org_short, fmt1(o, lang)), ORG_GREY));
                }
                p
            };
            AxisLabel {
                lines: text::wrap(&a.name, LABEL, wrap, 3),
                value,
                align,
            }
        })
        .collect();

    let title = format!("{} – {}", w.radar_title, g.name);
    let subtitle = {
        let mut s = super::bars::subtitle(input, g);
        if let Some(o) = org {
            if !s.is_empty() {
                s.push_str(" · ");
            }
            s.push_str(&format!("{} {}", w.compared_with, o.name));
        }
        s
    };

    let rings: Vec<(f64, String)> = levels
        .mins
        .iter()
        .zip(&levels.names)
        .map(|(&m, name)| (m, format!("{} {}", style::fmt_short(m, lang), name)))
        .collect();
    let bands = levels
        .bands()
        .into_iter()
        .map(|(a, b, i)| {
            (
                a,
                b,
                style::tint(super::level_colour(i, levels.len()), 0.86),
            )
        })
        .collect();

    let mut chart = RadarChart {
        stem: group_stem(ChartKind::Radar, index, g),
        title,
        subtitle,
        center: (f64::from(WIDTH) / 2.0, f64::from(HEIGHT) / 2.0),
        radius: 200.0,
        labels,
        label_pos: Vec::new(),
        rings,
        bands,
        series,
        legend,
        legend_pos: (MARGIN, 0.0),
    };
    fit(&mut chart);
    Some(chart)
}

/// Chooses the largest radius (and the centre) at which the labels stay on
/// the page, clear of the heading, of each other and of the legend.
fn fit(c: &mut RadarChart) {
    let top = draw::heading_height(&c.title, &c.subtitle, f64::from(WIDTH)) + 16.0;
    let bottom = f64::from(HEIGHT) - MARGIN * 0.6;
    let (left, right) = (MARGIN, f64::from(WIDTH) - MARGIN);
    let legend_h =
        draw::legend_height(draw::legend_layout(&c.legend, SMALL, right - left).1, SMALL);
    c.legend_pos = (MARGIN, bottom - legend_h + 10.0);
    let legend = c.legend_rect();
    // the largest radius that satisfies everything; failing that, the largest
    // that keeps the labels on the page and clear of the legend
    for strict in [true, false] {
        let mut r = 390.0;
        while r >= 160.0 {
            if let Some((center, pos)) = try_radius(c, r, top, bottom, left, right, legend, strict)
            {
                c.radius = r;
                c.center = center;
                c.label_pos = pos;
                return;
            }
            r -= 5.0;
        }
    }
    c.radius = 160.0;
    c.center = ((left + right) / 2.0, (top + bottom) / 2.0);
    c.label_pos = place_labels(&c.labels, c.center, c.radius);
}

/// Centre and label positions.
type Placement = ((f64, f64), Vec<(f64, f64)>);

#[allow(clippy::too_many_arguments)]
fn try_radius(
    c: &RadarChart,
    r: f64,
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
    legend: Rect,
    strict: bool,
) -> Option<Placement> {
    let rel = place_labels(&c.labels, (0.0, 0.0), r);
    let rects: Vec<Rect> = c
        .labels
        .iter()
        .zip(&rel)
        .map(|(l, &(x, y))| (x, y, x + l.width(), y + l.height()))
        .collect();
    let ext = rects.iter().fold((-r, -r, r, r), |e, q| {
        (e.0.min(q.0), e.1.min(q.1), e.2.max(q.2), e.3.max(q.3))
    });
    if ext.2 - ext.0 > right - left || ext.3 - ext.1 > bottom - top {
        return None;
    }
    let cx = (left + right) / 2.0 - (ext.0 + ext.2) / 2.0;
    let cy = (top + bottom) / 2.0 - (ext.1 + ext.3) / 2.0;
    let placed: Vec<Rect> = rects
        .iter()
        .map(|q| (q.0 + cx, q.1 + cy, q.2 + cx, q.3 + cy))
        .collect();
    let apart = placed
        .iter()
        .enumerate()
        .all(|(i, a)| placed[i + 1..].iter().all(|b| !overlaps(*a, *b, 6.0)));
    let clear_of_legend = placed.iter().all(|a| !overlaps(*a, legend, 8.0)) && {
        // the circle must not reach into the legend either
        let nx = cx.clamp(legend.0, legend.2);
        let ny = cy.clamp(legend.1, legend.3);
        ((nx - cx).powi(2) + (ny - cy).powi(2)).sqrt() > r + 8.0
    };
    (clear_of_legend && (apart || !strict))
        .then(|| ((cx, cy), placed.iter().map(|q| (q.0, q.1)).collect()))
}

fn draw_chart<DB: DrawingBackend>(area: &Area<DB>, c: &RadarChart) -> DrawResult<DB> {
    draw::heading(area, &c.title, &c.subtitle, f64::from(WIDTH))?;
    let n = c.labels.len();
    let (cx, cy) = c.center;
    // level bands as light annuli, outermost first
    for &(_, to, tint) in c.bands.iter().rev() {
        draw::circle(area, c.center, c.radius * to / 100.0, tint, true, 1)?;
    }
    for &(m, _) in &c.rings {
        if m > 0.0 {
            draw::circle(
                area,
                c.center,
                c.radius * m / 100.0,
                RGBColor(170, 170, 170),
                false,
                1,
            )?;
        }
    }
    draw::circle(area, c.center, c.radius, RGBColor(120, 120, 120), false, 2)?;
    for i in 0..n {
        draw::line(
            area,
            c.center,
            c.point(i, 100.0),
            RGBColor(150, 150, 150),
            1,
        )?;
    }

    // series: fills, then lines, then markers
    for s in &c.series {
        if s.fill && s.values.iter().all(Option::is_some) {
            let pts: Vec<(f64, f64)> = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| c.point(i, v.unwrap_or(0.0)))
                .collect();
            draw::polygon(area, &pts, s.colour, 0.22)?;
        }
    }
    for s in c.series.iter().rev() {
        for i in 0..n {
            let j = (i + 1) % n;
            if let (Some(a), Some(b)) = (s.values[i], s.values[j]) {
                let (p, q) = (c.point(i, a), c.point(j, b));
                if s.dashed {
                    draw::dashed(area, p, q, s.colour, s.width, 12.0, 7.0)?;
                } else {
                    draw::line(area, p, q, s.colour, s.width)?;
                }
            }
        }
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                let p = c.point(i, *v);
                if s.dashed {
                    draw::diamond(area, p, 6.0, s.colour)?;
                } else {
                    draw::circle(area, p, 6.0, s.colour, true, 1)?;
                }
            }
        }
    }

    // ring labels right of the top spoke, on a light halo
    for (m, label) in &c.rings {
        let y = cy - c.radius * m / 100.0;
        let w = text::width(label, SMALL);
        let top = y - SMALL.size - 5.0;
        draw::fill_rect_alpha(
            area,
            (cx + 5.0, top - 2.0, cx + 13.0 + w, y - 2.0),
            style::WHITE,
            0.75,
        )?;
        draw::text(area, label, cx + 9.0, top, SMALL, MUTED, Align::Left)?;
    }

    for (l, &(x, y)) in c.labels.iter().zip(&c.label_pos) {
        let (ax, vx) = match l.align {
            Align::Left => (x, x),
            Align::Right => (x + l.width(), x + l.width()),
            Align::Center => (x + l.width() / 2.0, x + l.width() / 2.0),
        };
        draw::lines(area, &l.lines, ax, y, LABEL, INK, l.align)?;
        let vy = y + LABEL.block_height(l.lines.len()) + GAP_BETWEEN_VALUE;
        let mut px = match l.align {
            Align::Left => vx,
            Align::Right => vx - l.value_width(),
            Align::Center => vx - l.value_width() / 2.0,
        };
        // pieces one by one (SVG drops spaces at the ends of a text element)
        let space = text::width(" ", SMALL_BOLD);
        for (t, colour) in &l.value {
            draw::text(area, t, px, vy, SMALL_BOLD, *colour, Align::Left)?;
            px += text::width(t, SMALL_BOLD) + space;
        }
    }

    draw::legend(
        area,
        &c.legend,
        c.legend_pos.0,
        c.legend_pos.1,
        SMALL,
        f64::from(WIDTH) - 2.0 * MARGIN,
    )
}

pub(crate) fn pages(input: &ChartInput) -> anyhow::Result<Vec<Page>> {
    let mut out = Vec::new();
    for (i, _) in shown_groups(input) {
        if let Some(c) = compute(input, i) {
            out.push(draw::svg_page(c.stem.clone(), WIDTH, HEIGHT, |a| {
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

    fn check_layout(c: &RadarChart) {
        let rects = c.label_rects();
        let heading = draw::heading_height(&c.title, &c.subtitle, f64::from(WIDTH));
        for (i, a) in rects.iter().enumerate() {
            assert!(
                a.0 >= MARGIN - 0.5 && a.2 <= f64::from(WIDTH) - MARGIN + 0.5,
                "{a:?}"
            );
            assert!(a.1 >= heading && a.3 <= f64::from(HEIGHT), "{a:?}");
            for b in &rects[i + 1..] {
                assert!(!overlaps(*a, *b, 0.0), "{a:?} {b:?}");
            }
            assert!(!overlaps(*a, c.legend_rect(), 0.0));
            // labels stay outside the circle
            let (cx, cy) = c.center;
            let nx = cx.clamp(a.0, a.2);
            let ny = cy.clamp(a.1, a.3);
            assert!(((nx - cx).powi(2) + (ny - cy).powi(2)).sqrt() > c.radius);
        }
        assert!(c.radius >= 250.0, "radius {}", c.radius);
    }

    #[test]
    fn organisation_radar_has_targets() {
        let input = sample_input(Language::De);
        let c = compute(&input, 0).unwrap();
        assert_eq!(c.labels.len(), 8);
        assert_eq!(c.series.len(), 2);
        assert!(c.series[1].dashed);
        assert_eq!(c.series[1].values[6], None, "area without target");
        assert_eq!(c.rings.len(), 5);
        assert_eq!(c.rings[1].0, 20.0);
        assert_eq!(c.rings[1].1, "20 Grundlagen");
        assert_eq!(c.labels[0].value_text(), "Ist 61,0 · Soll 75,0");
        assert_eq!(c.labels[6].value_text(), "Ist 33,1");
        check_layout(&c);
    }

    #[test]
    fn department_radar_against_organisation() {
        let input = sample_input(Language::En);
        let c = compute(&input, 1).unwrap();
        assert_eq!(c.series.len(), 2);
        assert_eq!(c.series[1].name, input.groups[0].name);
        assert_eq!(
            c.stem,
            "radar-amt-fuer-informationstechnik-und-digitalisierung"
        );
        check_layout(&c);
    }

    #[test]
    fn many_areas_still_fit() {
        let mut input = sample_input(Language::De);
        let extra = input.areas.clone();
        input.areas.extend(extra.into_iter().take(4));
        for g in &mut input.groups {
            let more: Vec<Option<f64>> = g.areas.iter().take(4).copied().collect();
            g.areas.extend(more);
        }
        let c = compute(&input, 0).unwrap();
        let rects = c.label_rects();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!overlaps(*a, *b, 0.0), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn too_few_areas_or_suppressed() {
        let mut input = sample_input(Language::De);
        let i = input.groups.iter().position(|g| g.suppressed).unwrap();
        assert!(compute(&input, i).is_none());
        input.areas.truncate(2);
        assert!(compute(&input, 0).is_none());
    }
}
