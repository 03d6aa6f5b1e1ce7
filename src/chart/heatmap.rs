//! Heatmap: departments (rows) × areas (columns), the organisation on top.
//! Suppressed departments are left out entirely and only counted in a footnote.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::draw::{self, Align, Area, DrawResult, Page, Swatch, HEIGHT, MARGIN, SMALL, WIDTH};
use super::style::{self, fmt1, fmt_short, words, INK, MUTED};
use super::text::{self, Font};
use super::{area_score, ChartInput, Levels};

const LABEL_W: f64 = 300.0;
const ROW_FONT: Font = Font::regular(20.0);
const ROW_FONT_BOLD: Font = Font::bold(20.0);
const CELL_FONT: Font = Font::regular(21.0);
const CELL_FONT_BOLD: Font = Font::bold(21.0);
const HEADER_FONT: Font = Font::regular(19.0);
const HEADER_FONT_BOLD: Font = Font::bold(19.0);
/// Gap between the overall column and the area columns, and between the
/// organisation row and the departments.
const SPLIT: f64 = 16.0;
const CELL_GAP: f64 = 3.0;
const TIER_GAP: f64 = 14.0;
const LEADER: RGBColor = RGBColor(140, 140, 140);

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub value: Option<f64>,
    pub text: String,
    pub fill: RGBColor,
    pub ink: RGBColor,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub label: Vec<String>,
    pub bold: bool,
    /// Overall first, then the areas.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Header {
    pub lines: Vec<String>,
    pub bold: bool,
    /// 0 = upper, 1 = lower tier (staggered headers when columns are narrow).
    pub tier: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Heatmap {
    pub title: String,
    pub subtitle: String,
    /// Overall first, then the areas.
    pub headers: Vec<Header>,
    /// The organisation (if shown) first, then the shown departments.
    pub rows: Vec<Row>,
    /// Whether rows[0] is the organisation.
    pub has_org: bool,
    pub footnote: Option<String>,
    pub legend: Vec<(Swatch, String)>,
    pub column_width: f64,
    pub row_height: f64,
    pub height: u32,
    pub top: f64,
}

fn x0() -> f64 {
    MARGIN + LABEL_W + 20.0
}

impl Heatmap {
    /// Left edge of column `j` (0 = overall).
    pub(crate) fn column_x(&self, j: usize) -> f64 {
        let split = if j == 0 { 0.0 } else { SPLIT };
        x0() + self.column_width * j as f64 + split
    }

    fn tier_height(&self, tier: usize) -> f64 {
        let lines = self
            .headers
            .iter()
            .filter(|h| h.tier == tier)
            .map(|h| h.lines.len())
            .max()
            .unwrap_or(0);
        HEADER_FONT.block_height(lines)
    }

    pub(crate) fn header_height(&self) -> f64 {
        let t1 = self.tier_height(1);
        self.tier_height(0) + if t1 > 0.0 { TIER_GAP + t1 } else { 0.0 } + 20.0
    }

    /// Top of row `i`.
    pub(crate) fn row_y(&self, i: usize) -> f64 {
        let split = if self.has_org && i > 0 { SPLIT } else { 0.0 };
        self.top + self.header_height() + self.row_height * i as f64 + split
    }
}

fn cell(levels: &Levels, v: Option<f64>, lang: crate::questionnaire::Language) -> Cell {
    match style::finite(v) {
        Some(v) => {
            let fill = levels.colour_of(v);
            Cell {
                value: Some(v),
                text: fmt1(v, lang),
                fill,
                ink: style::text_on(fill),
            }
        }
        None => Cell {
            value: None,
            text: "–".to_string(),
            fill: style::NO_DATA,
            ink: MUTED,
        },
    }
}

/// The heatmap, or None when there is no area or no shown group.
pub(crate) fn compute(input: &ChartInput) -> Option<Heatmap> {
    let lang = input.language;
    let w = words(lang);
    let n = input.areas.len();
    if n == 0 {
        return None;
    }
    let levels = Levels::new(&input.levels);
    let mut rows = Vec::new();
    let mut has_org = false;
    let mut suppressed = 0usize;
    for (i, g) in input.groups.iter().enumerate() {
        if g.suppressed {
            if i > 0 {
                suppressed += 1;
            }
            continue;
        }
        let bold = i == 0;
        has_org |= bold;
        let font = if bold { ROW_FONT_BOLD } else { ROW_FONT };
        let mut cells = vec![cell(&levels, g.overall, lang)];
        cells.extend((0..n).map(|a| cell(&levels, area_score(g, a), lang)));
        rows.push(Row {
            label: text::wrap(&g.name, font, LABEL_W, 2),
            bold,
            cells,
        });
    }
    if rows.is_empty() {
        return None;
    }

    let column_width = ((f64::from(WIDTH) - MARGIN - x0() - SPLIT) / (n + 1) as f64).min(190.0);
    let single = column_width - 10.0;
    let mut names = vec![(w.overall_short.to_string(), true)];
    names.extend(input.areas.iter().map(|a| (a.name.clone(), false)));
    let fits_single = names.iter().all(|(t, b)| {
        let f = if *b { HEADER_FONT_BOLD } else { HEADER_FONT };
        text::wrap_exact(t, f, single, 3).is_some()
    });
    let headers: Vec<Header> = names
        .iter()
        .enumerate()
        .map(|(j, (t, b))| {
            let f = if *b { HEADER_FONT_BOLD } else { HEADER_FONT };
            if fits_single {
                Header {
                    lines: text::wrap(t, f, single, 3),
                    bold: *b,
                    tier: 0,
                }
            } else {
                // staggered: area headers alternate between two tiers, so each
                // may use two column widths; the overall header stays in its
                // column on the lower tier
                let center =
                    x0() + column_width * (j as f64 + 0.5) + if j == 0 { 0.0 } else { SPLIT };
                let room = if j == 0 {
                    2.0 * column_width - 30.0
                } else {
                    (2.0 * column_width - 30.0)
                        .min(2.0 * (f64::from(WIDTH) - MARGIN * 0.5 - center))
                        .max(single)
                };
                Header {
                    lines: text::wrap(t, f, room, 3),
                    bold: *b,
                    tier: if j == 0 || j % 2 == 0 { 1 } else { 0 },
                }
            }
        })
        .collect();

    let footnote = match suppressed {
        0 => None,
        1 => Some(w.suppressed_one.to_string()),
        k => Some(format!("{k} {}", w.suppressed_many)),
    };
    let mut legend: Vec<(Swatch, String)> = levels
        .bands()
        .into_iter()
        .map(|(a, b, i)| {
            (
                Swatch::Box(super::level_colour(i, levels.len())),
                format!(
                    "{} ({}–{})",
                    levels.names[i],
                    fmt_short(a, lang),
                    fmt_short(b, lang)
                ),
            )
        })
        .collect();
    if rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.value.is_none()))
    {
        legend.push((
            Swatch::OutlinedBox(style::NO_DATA, RGBColor(190, 190, 190)),
            format!("– {}", w.no_data),
        ));
    }

    let title = w.heatmap_title.to_string();
    let subtitle = style::join_parts(&[&input.organisation, w.heatmap_note]);
    let top = draw::heading_height(&title, &subtitle, f64::from(WIDTH)) + 26.0;
    let mut map = Heatmap {
        title,
        subtitle,
        headers,
        rows,
        has_org,
        footnote,
        legend,
        column_width,
        row_height: 0.0,
        height: HEIGHT,
        top,
    };
    // rows share the room left; the page grows if they would get too small
    let (_, legend_rows) = draw::legend_layout(&map.legend, SMALL, f64::from(WIDTH) - 2.0 * MARGIN);
    let bottom = 26.0
        + draw::legend_height(legend_rows, SMALL)
        + if map.footnote.is_some() {
            SMALL.size + 14.0
        } else {
            0.0
        }
        + MARGIN * 0.6;
    let need = map
        .rows
        .iter()
        .map(|r| ROW_FONT.block_height(r.label.len()) + 12.0)
        .fold(CELL_FONT.size + 20.0, f64::max);
    let k = map.rows.len() as f64;
    let split = if has_org && map.rows.len() > 1 {
        SPLIT
    } else {
        0.0
    };
    let avail = f64::from(HEIGHT) - top - map.header_height() - split - bottom;
    map.row_height = (avail / k).clamp(need, 72.0);
    let total = top + map.header_height() + split + map.row_height * k + bottom;
    map.height = total.max(f64::from(HEIGHT)).ceil() as u32;
    Some(map)
}

fn draw_chart<DB: DrawingBackend>(area: &Area<DB>, m: &Heatmap) -> DrawResult<DB> {
    draw::heading(area, &m.title, &m.subtitle, f64::from(WIDTH))?;
    let grid_top = m.top + m.header_height();
    let t0 = m.tier_height(0);
    // headers
    for (j, h) in m.headers.iter().enumerate() {
        let cx = m.column_x(j) + m.column_width / 2.0;
        let font = if h.bold {
            HEADER_FONT_BOLD
        } else {
            HEADER_FONT
        };
        let (tier_top, tier_h) = if h.tier == 0 {
            (m.top, t0)
        } else {
            (m.top + t0 + TIER_GAP, m.tier_height(1))
        };
        // bottom-aligned within its tier
        let top = tier_top + tier_h - font.block_height(h.lines.len());
        draw::lines(area, &h.lines, cx, top, font, INK, Align::Center)?;
        // a bracket over the column, with a leader up to a header in the upper tier
        let bracket_y = grid_top - 8.0;
        let x = m.column_x(j);
        draw::line(
            area,
            (x + 8.0, bracket_y),
            (x + m.column_width - 8.0, bracket_y),
            LEADER,
            2,
        )?;
        let line_top = tier_top + tier_h + 5.0;
        if bracket_y - line_top > 4.0 {
            draw::line(area, (cx, line_top), (cx, bracket_y), LEADER, 1)?;
        }
    }
    // rows
    for (i, r) in m.rows.iter().enumerate() {
        let y = m.row_y(i);
        let font = if r.bold { ROW_FONT_BOLD } else { ROW_FONT };
        let label_top = y + (m.row_height - font.block_height(r.label.len())) / 2.0;
        draw::lines(area, &r.label, MARGIN, label_top, font, INK, Align::Left)?;
        for (j, c) in r.cells.iter().enumerate() {
            let x = m.column_x(j);
            draw::fill_rect(
                area,
                x + CELL_GAP / 2.0,
                y + CELL_GAP / 2.0,
                x + m.column_width - CELL_GAP / 2.0,
                y + m.row_height - CELL_GAP / 2.0,
                c.fill,
            )?;
            let f = if r.bold || j == 0 {
                CELL_FONT_BOLD
            } else {
                CELL_FONT
            };
            draw::text(
                area,
                &c.text,
                x + m.column_width / 2.0,
                y + (m.row_height - f.size) / 2.0,
                f,
                c.ink,
                Align::Center,
            )?;
        }
        if i == 0 && m.has_org && m.rows.len() > 1 {
            let ry = y + m.row_height + SPLIT / 2.0;
            draw::line(
                area,
                (MARGIN, ry),
                (
                    m.column_x(m.headers.len().saturating_sub(1)) + m.column_width,
                    ry,
                ),
                style::RULE,
                1,
            )?;
        }
    }
    let mut y = m.row_y(m.rows.len()) + 26.0;
    draw::legend(
        area,
        &m.legend,
        MARGIN,
        y,
        SMALL,
        f64::from(WIDTH) - 2.0 * MARGIN,
    )?;
    let (_, rows) = draw::legend_layout(&m.legend, SMALL, f64::from(WIDTH) - 2.0 * MARGIN);
    y += draw::legend_height(rows, SMALL);
    if let Some(f) = &m.footnote {
        draw::text(area, f, MARGIN, y + 4.0, SMALL, MUTED, Align::Left)?;
    }
    Ok(())
}

pub(crate) fn pages(input: &ChartInput) -> anyhow::Result<Vec<Page>> {
    Ok(match compute(input) {
        Some(m) => vec![draw::svg_page(
            "heatmap".to_string(),
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
    fn leaves_out_suppressed_departments() {
        let input = sample_input(Language::De);
        let m = compute(&input).unwrap();
        let shown = input.groups.iter().filter(|g| !g.suppressed).count();
        assert_eq!(m.rows.len(), shown);
        assert!(m.has_org);
        assert!(m.rows[0].bold);
        assert!(m
            .rows
            .iter()
            .all(|r| !r.label.join(" ").contains("Standesamt")));
        assert_eq!(
            m.footnote.as_deref(),
            Some("1 Fachbereich unter der Mindestgröße nicht dargestellt")
        );
        assert_eq!(m.rows[0].cells.len(), input.areas.len() + 1);
    }

    #[test]
    fn footnote_counts_and_english() {
        let mut input = sample_input(Language::En);
        input.groups[2].suppressed = true;
        let m = compute(&input).unwrap();
        assert_eq!(
            m.footnote.as_deref(),
            Some("2 departments below the minimum group size not shown")
        );
    }

    #[test]
    fn cells_are_coloured_by_level() {
        let input = sample_input(Language::De);
        let m = compute(&input).unwrap();
        let c = &m.rows[0].cells[1]; // services 61.0 → level 3 of 5
        assert_eq!(c.text, "61,0");
        assert_eq!(c.fill, super::super::level_colour(3, 5));
        let none = m
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .find(|c| c.value.is_none());
        assert!(none.is_some(), "the sample has one withheld area score");
    }

    #[test]
    fn headers_fit_their_room() {
        let input = sample_input(Language::De);
        let m = compute(&input).unwrap();
        for h in &m.headers {
            assert!(h.lines.len() <= 3);
            assert!(h.lines.iter().all(|l| !l.ends_with('…')), "{:?}", h.lines);
        }
    }

    #[test]
    fn nothing_to_show() {
        let mut input = sample_input(Language::De);
        for g in &mut input.groups {
            g.suppressed = true;
        }
        assert!(compute(&input).is_none());
        let mut input = sample_input(Language::De);
        input.areas.clear();
        assert!(compute(&input).is_none());
    }

    #[test]
    fn many_departments_grow_the_page() {
        let mut input = sample_input(Language::De);
        let d = input.groups[1].clone();
        for k in 0..30 {
            let mut g = d.clone();
            g.name = format!("Abteilung {k}");
            input.groups.push(g);
        }
        let m = compute(&input).unwrap();
        assert!(m.height > HEIGHT);
        assert!(m.row_height >= ROW_FONT.size + 12.0);
    }
}
