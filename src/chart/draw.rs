//! Small drawing primitives, generic over any plotters backend, and the SVG
//! page every chart is drawn on.

use plotters::coord::Shift;
use plotters::prelude::{
    Circle, DrawingArea, DrawingAreaErrorKind, DrawingBackend, IntoDrawingArea, PathElement,
    Polygon, Rectangle, SVGBackend, Text,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, RGBColor, ShapeStyle, TextStyle};

use super::style::{self, INK, MUTED};
use super::text::{self, Font};

pub(crate) type Area<DB> = DrawingArea<DB, Shift>;
pub(crate) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Nominal page size of most charts.
pub(crate) const WIDTH: u32 = 1600;
pub(crate) const HEIGHT: u32 = 1000;
/// Outer margin.
pub(crate) const MARGIN: f64 = 48.0;

// Type scale (px).
pub(crate) const TITLE: Font = Font::bold(34.0);
pub(crate) const SUBTITLE: Font = Font::regular(22.0);
pub(crate) const LABEL: Font = Font::regular(22.0);
pub(crate) const LABEL_BOLD: Font = Font::bold(22.0);
pub(crate) const VALUE: Font = Font::regular(21.0);
pub(crate) const VALUE_BOLD: Font = Font::bold(21.0);
pub(crate) const SMALL: Font = Font::regular(19.0);
pub(crate) const SMALL_BOLD: Font = Font::bold(19.0);

/// A drawn page: nominal size and the SVG document.
pub(crate) struct Page {
    pub stem: String,
    pub width: u32,
    pub height: u32,
    pub svg: String,
}

/// Draws on a fresh white SVG page of the given size.
pub(crate) fn svg_page<F>(stem: String, width: u32, height: u32, f: F) -> anyhow::Result<Page>
where
    F: for<'a> FnOnce(&Area<SVGBackend<'a>>) -> DrawResult<SVGBackend<'a>>,
{
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        area.fill(&style::WHITE)
            .map_err(|e| anyhow::anyhow!("chart drawing failed: {e}"))?;
        f(&area).map_err(|e| anyhow::anyhow!("chart drawing failed: {e}"))?;
        area.present()
            .map_err(|e| anyhow::anyhow!("chart drawing failed: {e}"))?;
    }
    Ok(Page {
        stem,
        width,
        height,
        svg,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-1.0e6, 1.0e6) as i32
    } else {
        0
    }
}

fn pt(p: (f64, f64)) -> (i32, i32) {
    (px(p.0), px(p.1))
}

/// One line of text; `top` is the top of the em box.
pub(crate) fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    x: f64,
    top: f64,
    font: Font,
    colour: RGBColor,
    align: Align,
) -> DrawResult<DB> {
    if s.is_empty() {
        return Ok(());
    }
    let h = match align {
        Align::Left => HPos::Left,
        Align::Center => HPos::Center,
        Align::Right => HPos::Right,
    };
    let style = TextStyle::from(font.desc())
        .color(&colour)
        .pos(Pos::new(h, VPos::Top));
    area.draw(&Text::new(s, (px(x), px(top)), style))
}

/// Several lines of text from `top` down.
pub(crate) fn lines<DB: DrawingBackend>(
    area: &Area<DB>,
    lines: &[String],
    x: f64,
    top: f64,
    font: Font,
    colour: RGBColor,
    align: Align,
) -> DrawResult<DB> {
    for (i, l) in lines.iter().enumerate() {
        text(
            area,
            l,
            x,
            top + i as f64 * font.line_height(),
            font,
            colour,
            align,
        )?;
    }
    Ok(())
}

pub(crate) fn fill_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    colour: RGBColor,
) -> DrawResult<DB> {
    if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
        return Ok(());
    }
    area.draw(&Rectangle::new(
        [(px(x0), px(y0)), (px(x1), px(y1))],
        colour.filled(),
    ))
}

pub(crate) fn fill_rect_alpha<DB: DrawingBackend>(
    area: &Area<DB>,
    r: (f64, f64, f64, f64),
    colour: RGBColor,
    alpha: f64,
) -> DrawResult<DB> {
    let (x0, y0, x1, y1) = r;
    if x1 - x0 <= 0.0 || y1 - y0 <= 0.0 {
        return Ok(());
    }
    area.draw(&Rectangle::new(
        [(px(x0), px(y0)), (px(x1), px(y1))],
        colour.mix(alpha).filled(),
    ))
}

pub(crate) fn stroke_rect<DB: DrawingBackend>(
    area: &Area<DB>,
    r: (f64, f64, f64, f64),
    colour: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    let (x0, y0, x1, y1) = r;
    polyline(
        area,
        &[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
        colour,
        width,
    )
}

pub(crate) fn line<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (f64, f64),
    b: (f64, f64),
    colour: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    polyline(area, &[a, b], colour, width)
}

pub(crate) fn polyline<DB: DrawingBackend>(
    area: &Area<DB>,
    points: &[(f64, f64)],
    colour: RGBColor,
    width: u32,
) -> DrawResult<DB> {
    if points.len() < 2 {
        return Ok(());
    }
    let pts: Vec<(i32, i32)> = points.iter().map(|&p| pt(p)).collect();
    area.draw(&PathElement::new(
        pts,
        ShapeStyle {
            color: colour.to_rgba(),
            filled: false,
            stroke_width: width,
        },
    ))
}

/// A dashed straight line.
pub(crate) fn dashed<DB: DrawingBackend>(
    area: &Area<DB>,
    a: (f64, f64),
    b: (f64, f64),
    colour: RGBColor,
    width: u32,
    dash: f64,
    gap: f64,
) -> DrawResult<DB> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len.is_nan() || len <= 0.0 || dash <= 0.0 {
        return Ok(());
    }
    let (ux, uy) = (dx / len, dy / len);
    let mut s = 0.0;
    while s < len {
        let e = (s + dash).min(len);
        line(
            area,
            (a.0 + ux * s, a.1 + uy * s),
            (a.0 + ux * e, a.1 + uy * e),
            colour,
            width,
        )?;
        s = e + gap.max(1.0);
    }
    Ok(())
}

pub(crate) fn polygon<DB: DrawingBackend>(
    area: &Area<DB>,
    points: &[(f64, f64)],
    colour: RGBColor,
    alpha: f64,
) -> DrawResult<DB> {
    if points.len() < 3 {
        return Ok(());
    }
    let pts: Vec<(i32, i32)> = points.iter().map(|&p| pt(p)).collect();
    area.draw(&Polygon::new(pts, colour.mix(alpha).filled()))
}

pub(crate) fn circle<DB: DrawingBackend>(
    area: &Area<DB>,
    c: (f64, f64),
    r: f64,
    colour: RGBColor,
    filled: bool,
    width: u32,
) -> DrawResult<DB> {
    let r = if r.is_finite() {
        r.max(0.0).round() as i32
    } else {
        0
    };
    area.draw(&Circle::new(
        pt(c),
        r,
        ShapeStyle {
            color: colour.to_rgba(),
            filled,
            stroke_width: width,
        },
    ))
}

/// A filled circle with a ring: filled marker `fill`, ring `ring`.
pub(crate) fn marker<DB: DrawingBackend>(
    area: &Area<DB>,
    c: (f64, f64),
    r: f64,
    fill: RGBColor,
    ring: RGBColor,
) -> DrawResult<DB> {
    circle(area, c, r, fill, true, 1)?;
    circle(area, c, r, ring, false, 3)
}

/// A diamond marker.
pub(crate) fn diamond<DB: DrawingBackend>(
    area: &Area<DB>,
    c: (f64, f64),
    r: f64,
    colour: RGBColor,
) -> DrawResult<DB> {
    polygon(
        area,
        &[
            (c.0, c.1 - r),
            (c.0 + r, c.1),
            (c.0, c.1 + r),
            (c.0 - r, c.1),
        ],
        colour,
        1.0,
    )
}

/// Title (wrapped to two lines) and an optional subtitle at the top left;
/// returns the y below them.
pub(crate) fn heading<DB: DrawingBackend>(
    area: &Area<DB>,
    title: &str,
    subtitle: &str,
    width: f64,
) -> Result<f64, DrawingAreaErrorKind<DB::ErrorType>> {
    let (t, s) = heading_lines(title, subtitle, width);
    let mut y = MARGIN * 0.75;
    lines(area, &t, MARGIN, y, TITLE, INK, Align::Left)?;
    y += TITLE.block_height(t.len());
    if !s.is_empty() {
        y += 12.0;
        lines(area, &s, MARGIN, y, SUBTITLE, MUTED, Align::Left)?;
        y += SUBTITLE.block_height(s.len());
    }
    Ok(y)
}

/// The wrapped lines of a heading.
pub(crate) fn heading_lines(title: &str, subtitle: &str, width: f64) -> (Vec<String>, Vec<String>) {
    let max = width - 2.0 * MARGIN;
    (
        text::wrap(title, TITLE, max, 2),
        text::wrap(subtitle, SUBTITLE, max, 2),
    )
}

/// Height taken by `heading` (from the top of the page).
pub(crate) fn heading_height(title: &str, subtitle: &str, width: f64) -> f64 {
    let (t, s) = heading_lines(title, subtitle, width);
    let mut y = MARGIN * 0.75 + TITLE.block_height(t.len());
    if !s.is_empty() {
        y += 12.0 + SUBTITLE.block_height(s.len());
    }
    y
}

/// One legend entry: a swatch kind and a text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Swatch {
    /// A filled box.
    Box(RGBColor),
    /// A filled box with an outline.
    OutlinedBox(RGBColor, RGBColor),
    /// A dashed line.
    Dashed(RGBColor, u32),
    /// A vertical tick (target marker).
    Tick(RGBColor),
    /// A circle marker (filled?).
    Dot(RGBColor, bool),
}

pub(crate) const SWATCH_W: f64 = 36.0;
const SWATCH_GAP: f64 = 10.0;
const ITEM_GAP: f64 = 32.0;

/// Flow layout of legend items in rows no wider than `max`: returns for each
/// item its (x offset, row) and the number of rows.
pub(crate) fn legend_layout(
    items: &[(Swatch, String)],
    font: Font,
    max: f64,
) -> (Vec<(f64, usize)>, usize) {
    let mut out = Vec::with_capacity(items.len());
    let (mut x, mut row) = (0.0, 0usize);
    for (_, label) in items {
        let w = SWATCH_W + SWATCH_GAP + text::width(label, font);
        if x > 0.0 && x + w > max {
            x = 0.0;
            row += 1;
        }
        out.push((x, row));
        x += w + ITEM_GAP;
    }
    let rows = if items.is_empty() { 0 } else { row + 1 };
    (out, rows)
}

/// Height of a legend with `rows` rows.
pub(crate) fn legend_height(rows: usize, font: Font) -> f64 {
    rows as f64 * (font.size + 14.0)
}

/// Draws a legend whose items were shortened to fit `max` at (x, top).
pub(crate) fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    items: &[(Swatch, String)],
    x: f64,
    top: f64,
    font: Font,
    max: f64,
) -> DrawResult<DB> {
    let (pos, _) = legend_layout(items, font, max);
    let row_h = font.size + 14.0;
    for ((swatch, label), (dx, row)) in items.iter().zip(pos) {
        let sx = x + dx;
        let sy = top + row as f64 * row_h;
        let mid = sy + font.size * 0.55;
        match swatch {
            Swatch::Box(c) => fill_rect(area, sx, sy, sx + SWATCH_W, sy + font.size * 1.1, *c)?,
            Swatch::OutlinedBox(c, o) => {
                fill_rect(area, sx, sy, sx + SWATCH_W, sy + font.size * 1.1, *c)?;
                stroke_rect(area, (sx, sy, sx + SWATCH_W, sy + font.size * 1.1), *o, 1)?;
            }
            Swatch::Dashed(c, w) => {
                dashed(area, (sx, mid), (sx + SWATCH_W, mid), *c, *w, 8.0, 5.0)?
            }
            Swatch::Tick(c) => fill_rect(
                area,
                sx + SWATCH_W / 2.0 - 2.0,
                sy - 3.0,
                sx + SWATCH_W / 2.0 + 2.0,
                sy + font.size * 1.1 + 3.0,
                *c,
            )?,
            Swatch::Dot(c, filled) => {
                let fill = if *filled { *c } else { style::WHITE };
                marker(area, (sx + SWATCH_W / 2.0, mid), 8.0, fill, *c)?
            }
        }
        text(
            area,
            label,
            sx + SWATCH_W + SWATCH_GAP,
            sy,
            font,
            INK,
            Align::Left,
        )?;
    }
    Ok(())
}
