//! The horizontal 0–100 score axis with maturity-level bands, shared by the
//! bar, roadmap and trend charts.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::draw::{self, Align, Area, DrawResult, SMALL};
use super::style::{self, level_colour, INK, MUTED};
use super::text::{self, Font};
use super::Levels;

/// Maps scores 0..100 to x between `x0` and `x1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ScoreAxis {
    pub x0: f64,
    pub x1: f64,
}

impl ScoreAxis {
    pub(crate) fn x(&self, v: f64) -> f64 {
        self.x0 + (self.x1 - self.x0) * style::clamp_score(v) / 100.0
    }
}

/// A background column of one maturity level.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Band {
    pub x0: f64,
    pub x1: f64,
    pub colour: RGBColor,
    pub tint: RGBColor,
    /// Level name wrapped to the band width.
    pub name: Vec<String>,
    /// Font of the name (the same for all bands of a chart).
    pub font: Font,
}

/// Height of the strip in the level colour under the band names.
const STRIP: f64 = 7.0;

/// The level bands; names in the largest font (19 → 15 px) at which every
/// name fits its band in two lines, shortened with "…" only below that.
pub(crate) fn bands(levels: &Levels, axis: &ScoreAxis) -> Vec<Band> {
    let spans: Vec<(f64, f64, usize)> = levels
        .bands()
        .into_iter()
        .map(|(from, to, i)| (axis.x(from), axis.x(to), i))
        .collect();
    let room = |x0: f64, x1: f64| (x1 - x0 - 8.0).max(1.0);
    let font = [19.0, 18.0, 17.0, 16.0, 15.0]
        .into_iter()
        .map(Font::bold)
        .find(|&f| {
            spans.iter().all(|&(x0, x1, i)| {
                text::wrap_exact(&levels.names[i], f, room(x0, x1), 2).is_some()
            })
        })
        .unwrap_or(Font::bold(15.0));
    spans
        .into_iter()
        .map(|(x0, x1, i)| {
            let colour = level_colour(i, levels.len());
            Band {
                x0,
                x1,
                colour,
                tint: style::tint(colour, 0.86),
                name: text::wrap(&levels.names[i], font, room(x0, x1), 2),
                font,
            }
        })
        .collect()
}

/// Height of the band header (names and colour strip).
pub(crate) fn header_height(bands: &[Band]) -> f64 {
    bands
        .iter()
        .map(|b| b.font.block_height(b.name.len()) + 8.0 + STRIP)
        .fold(0.0, f64::max)
}

/// Draws the band header from `top` and the band columns from the header's
/// bottom to `bottom`.
pub(crate) fn draw_bands<DB: DrawingBackend>(
    area: &Area<DB>,
    bands: &[Band],
    top: f64,
    bottom: f64,
) -> DrawResult<DB> {
    let h = header_height(bands);
    for b in bands {
        // names bottom-aligned above the strip
        let name_top = top + h - 8.0 - STRIP - b.font.block_height(b.name.len());
        draw::lines(
            area,
            &b.name,
            (b.x0 + b.x1) / 2.0,
            name_top,
            b.font,
            INK,
            Align::Center,
        )?;
        let strip_top = top + h - STRIP;
        draw::fill_rect(area, b.x0, strip_top, b.x1, top + h, b.colour)?;
        draw::fill_rect(area, b.x0, top + h, b.x1, bottom, b.tint)?;
    }
    Ok(())
}

/// Tick values of the axis.
pub(crate) fn ticks() -> Vec<f64> {
    (0..=10).map(|i| f64::from(i) * 10.0).collect()
}

/// Vertical grid lines at the ticks between `top` and `bottom`.
pub(crate) fn draw_grid<DB: DrawingBackend>(
    area: &Area<DB>,
    axis: &ScoreAxis,
    top: f64,
    bottom: f64,
) -> DrawResult<DB> {
    for t in ticks() {
        let x = axis.x(t);
        draw::line(area, (x, top), (x, bottom), RGBColor(255, 255, 255), 1)?;
    }
    Ok(())
}

/// Axis line at `y`, tick labels below, axis title below those; returns the
/// height used.
pub(crate) fn draw_axis<DB: DrawingBackend>(
    area: &Area<DB>,
    axis: &ScoreAxis,
    y: f64,
    title: &str,
) -> Result<f64, plotters::prelude::DrawingAreaErrorKind<DB::ErrorType>> {
    draw::line(area, (axis.x0, y), (axis.x1, y), MUTED, 2)?;
    for t in ticks() {
        let x = axis.x(t);
        draw::line(area, (x, y), (x, y + 7.0), MUTED, 2)?;
        draw::text(
            area,
            &format!("{t:.0}"),
            x,
            y + 11.0,
            SMALL,
            MUTED,
            Align::Center,
        )?;
    }
    let mut h = 11.0 + SMALL.size;
    if !title.is_empty() {
        draw::text(
            area,
            title,
            (axis.x0 + axis.x1) / 2.0,
            y + h + 8.0,
            SMALL,
            MUTED,
            Align::Center,
        )?;
        h += 8.0 + SMALL.size;
    }
    Ok(h)
}

/// Height `draw_axis` uses.
pub(crate) fn axis_height(title: &str) -> f64 {
    let h = 11.0 + SMALL.size;
    if title.is_empty() {
        h
    } else {
        h + 8.0 + SMALL.size
    }
}
