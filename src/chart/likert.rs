//! Diverging stacked bars (Heiberger & Robbins) of the answer distributions,
//! one chart per area: less mature answers left of the zero line, more mature
//! ones right, a middle option split across it; "don't know" apart on the right.

use plotters::prelude::DrawingBackend;
use plotters::style::RGBColor;

use super::draw::{
    self, Align, Area, DrawResult, Page, Swatch, HEIGHT, MARGIN, SMALL, SMALL_BOLD, WIDTH,
};
use super::style::{self, fmt_count, fmt_pct, words, INK, MUTED};
use super::text::{self, Font};
use super::{slug, ChartInput, QuestionDist};
use crate::questionnaire::Language;

const LABEL_W: f64 = 540.0;
const Q_FONT: Font = Font::regular(20.0);
const SEG_FONT: Font = Font::regular(18.0);
const DK_W: f64 = 140.0;
const N_W: f64 = 96.0;
const SECTION_GAP: f64 = 26.0;
/// Smallest page height; the default 1000 px is reached with about six
/// questions, and the page grows beyond it with more.
const MIN_HEIGHT: f64 = 560.0;

/// Plot region (x).
fn plot_x0() -> f64 {
    MARGIN + LABEL_W + 30.0
}
fn plot_x1() -> f64 {
    f64::from(WIDTH) - MARGIN - N_W - DK_W - 24.0
}
fn zero_x() -> f64 {
    (plot_x0() + plot_x1()) / 2.0
}
fn dk_x() -> f64 {
    plot_x1() + 24.0
}
fn n_x() -> f64 {
    f64::from(WIDTH) - MARGIN
}

/// One stacked segment, in percent relative to the zero line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Segment {
    pub from: f64,
    pub to: f64,
    pub pct: f64,
    pub colour: RGBColor,
}

/// One question's bar.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    pub label: Vec<String>,
    pub segments: Vec<Segment>,
    /// Share of "don't know" among valid + don't know answers.
    pub dont_know: Option<f64>,
    pub valid: u128,
}

/// Questions that share one answer scale, with its legend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Section {
    pub options: Vec<String>,
    pub colours: Vec<RGBColor>,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Likert {
    pub stem: String,
    pub title: String,
    pub subtitle: String,
    pub sections: Vec<Section>,
    /// Half-range of the axis in percent (20, 30, 40, 50, 75 or 100).
    pub extent: f64,
    pub pitch: f64,
    pub height: u32,
    pub top: f64,
    pub lang: Language,
    pub dk_header: String,
    pub axis_title: String,
}

/// Percent shares of `counts` placed around zero: the first half of the
/// options left, the last half right, a middle option split across zero.
/// None when there is no valid answer.
pub(crate) fn diverging(counts: &[u64]) -> Option<Vec<(f64, f64, f64)>> {
    let total: u128 = counts.iter().map(|&c| u128::from(c)).sum();
    if total == 0 {
        return None;
    }
    let pct: Vec<f64> = counts
        .iter()
        .map(|&c| 100.0 * c as f64 / total as f64)
        .collect();
    let k = pct.len();
    let half = k / 2;
    let left: f64 =
        pct[..half].iter().sum::<f64>() + if k % 2 == 1 { pct[half] / 2.0 } else { 0.0 };
    let mut x = -left;
    Some(
        pct.iter()
            .map(|&p| {
                let seg = (x, x + p, p);
                x += p;
                seg
            })
            .collect(),
    )
}

/// Share of "don't know" among all answers (valid + don't know).
pub(crate) fn dont_know_share(valid: u128, dont_know: Option<u64>) -> Option<f64> {
    let dk = u128::from(dont_know?);
    let all = valid + dk;
    (all > 0).then(|| 100.0 * dk as f64 / all as f64)
}

/// Whether a question can be drawn: categorical counts aligned with at least
/// two options and at least one valid answer.
fn drawable(q: &QuestionDist) -> Option<&[u64]> {
    let c = q.counts.as_deref()?;
    (q.options.len() >= 2 && c.len() == q.options.len() && c.iter().any(|&x| x > 0)).then_some(c)
}

/// The Likert chart of area `area`, or None when it has no drawable question.
pub(crate) fn compute(input: &ChartInput, area: usize) -> Option<Likert> {
    let a = input.areas.get(area)?;
    let lang = input.language;
    let w = words(lang);
    let mut sections: Vec<Section> = Vec::new();
    for q in input.questions.iter().filter(|q| q.area == area) {
        let Some(counts) = drawable(q) else { continue };
        let Some(shares) = diverging(counts) else {
            continue;
        };
        let colours = style::option_colours(q.options.len());
        let valid: u128 = counts.iter().map(|&c| u128::from(c)).sum();
        let bar = Bar {
            label: text::wrap(&q.text, Q_FONT, LABEL_W, 3),
            segments: shares
                .iter()
                .zip(&colours)
                .map(|(&(from, to, pct), &colour)| Segment {
                    from,
                    to,
                    pct,
                    colour,
                })
                .collect(),
            dont_know: dont_know_share(valid, q.dont_know),
            valid,
        };
        match sections.iter_mut().find(|s| s.options == q.options) {
            Some(s) => s.bars.push(bar),
            None => sections.push(Section {
                options: q.options.clone(),
                colours,
                bars: vec![bar],
            }),
        }
    }
    if sections.is_empty() {
        return None;
    }
    let max_side = sections
        .iter()
        .flat_map(|s| &s.bars)
        .flat_map(|b| &b.segments)
        .map(|s| s.from.abs().max(s.to.abs()))
        .fold(0.0, f64::max);
    // half-range: 20, 30, 40, 50 %, then 75 or 100 %
    let extent = if max_side <= 50.0 {
        ((max_side / 10.0 - 1e-9).ceil() * 10.0).max(20.0)
    } else if max_side <= 75.0 {
        75.0
    } else {
        100.0
    };

    let title = format!("{} – {}", w.likert_title, a.name);
    let subtitle = style::join_parts(&[&input.organisation, w.likert_note]);
    let top = draw::heading_height(&title, &subtitle, f64::from(WIDTH)) + 24.0;
    let mut l = Likert {
        stem: format!("likert-{}", slug(&a.id)),
        title,
        subtitle,
        sections,
        extent,
        pitch: 0.0,
        height: HEIGHT,
        top,
        lang,
        dk_header: w.dont_know.to_string(),
        axis_title: w.likert_axis.to_string(),
    };
    let need = l
        .sections
        .iter()
        .flat_map(|s| &s.bars)
        .map(|b| Q_FONT.block_height(b.label.len()) + 20.0)
        .fold(54.0, f64::max);
    let bars = l.sections.iter().map(|s| s.bars.len()).sum::<usize>() as f64;
    let fixed = l.fixed_height();
    // the height follows the questions: a few bars do not leave half a page
    // empty, many make the page taller than the default
    l.pitch = ((MIN_HEIGHT - fixed) / bars).clamp(need.max(96.0), 140.0);
    l.height = (fixed + l.pitch * bars).max(MIN_HEIGHT).ceil() as u32;
    Some(l)
}

impl Likert {
    fn legend_items(s: &Section) -> Vec<(Swatch, String)> {
        s.options
            .iter()
            .zip(&s.colours)
            .map(|(o, &c)| {
                (
                    Swatch::OutlinedBox(c, style::shade(c, 0.2)),
                    text::shorten(o, SMALL, 420.0),
                )
            })
            .collect()
    }

    fn legend_width() -> f64 {
        plot_x1() - MARGIN
    }

    fn legend_h(s: &Section) -> f64 {
        let (_, rows) = draw::legend_layout(&Self::legend_items(s), SMALL, Self::legend_width());
        draw::legend_height(rows, SMALL)
    }

    /// Everything but the bar rows.
    fn fixed_height(&self) -> f64 {
        let legends: f64 = self.sections.iter().map(|s| Self::legend_h(s) + 8.0).sum();
        self.top
            + legends
            + SECTION_GAP * (self.sections.len() as f64 - 1.0)
            + 10.0
            + super::scale::axis_height("x")
            + MARGIN * 0.6
    }

    fn x(&self, pct: f64) -> f64 {
        let half = (plot_x1() - plot_x0()) / 2.0;
        zero_x() + pct.clamp(-self.extent, self.extent) / self.extent * half
    }

    fn dk_scale(&self) -> f64 {
        let max_dk = self
            .sections
            .iter()
            .flat_map(|s| &s.bars)
            .filter_map(|b| b.dont_know)
            .fold(0.0, f64::max);
        let main = (plot_x1() - plot_x0()) / 2.0 / self.extent;
        let room = DK_W - text::width("100 %", SMALL) - 10.0;
        if max_dk > 0.0 {
            main.min(room / max_dk)
        } else {
            main
        }
    }
}

/// Vertical positions of a Likert chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Layout {
    /// Top of each section's legend.
    pub legend_tops: Vec<f64>,
    /// Vertical centre of each bar, per section.
    pub centers: Vec<Vec<f64>>,
    /// Vertical extent of each section's bars (grid lines run there only,
    /// the legends in between stay clear).
    pub spans: Vec<(f64, f64)>,
    pub axis_y: f64,
}

impl Likert {
    pub(crate) fn layout(&self) -> Layout {
        let mut y = self.top;
        let mut legend_tops = Vec::new();
        let mut centers = Vec::new();
        let mut spans = Vec::new();
        for (si, s) in self.sections.iter().enumerate() {
            if si > 0 {
                y += SECTION_GAP;
            }
            legend_tops.push(y);
            y += Self::legend_h(s) + 8.0;
            let top = y;
            let mut c = Vec::new();
            for _ in &s.bars {
                c.push(y + self.pitch / 2.0);
                y += self.pitch;
            }
            centers.push(c);
            spans.push((top, y));
        }
        let axis_y = y + 10.0;
        if let Some(last) = spans.last_mut() {
            last.1 = axis_y;
        }
        Layout {
            legend_tops,
            centers,
            spans,
            axis_y,
        }
    }

    /// Tick values (percent, both sides).
    pub(crate) fn ticks(&self) -> Vec<f64> {
        let step = if self.extent > 50.0 { 25.0 } else { 10.0 };
        let n = (self.extent / step).round() as i32;
        (-n..=n).map(|i| f64::from(i) * step).collect()
    }
}

fn draw_chart<DB: DrawingBackend>(area: &Area<DB>, l: &Likert) -> DrawResult<DB> {
    draw::heading(area, &l.title, &l.subtitle, f64::from(WIDTH))?;
    let lay = l.layout();
    let dk_scale = l.dk_scale();
    let thickness = (l.pitch * 0.42).clamp(26.0, 44.0);

    // grid, zero line and axis first: the bars go on top
    draw::line(
        area,
        (plot_x0(), lay.axis_y),
        (plot_x1(), lay.axis_y),
        MUTED,
        2,
    )?;
    for t in l.ticks() {
        let x = l.x(t);
        for &(top, bottom) in &lay.spans {
            if t == 0.0 {
                draw::line(area, (x, top), (x, bottom), INK, 2)?;
            } else {
                draw::dashed(
                    area,
                    (x, top),
                    (x, bottom),
                    RGBColor(190, 190, 190),
                    1,
                    4.0,
                    4.0,
                )?;
            }
        }
        draw::line(area, (x, lay.axis_y), (x, lay.axis_y + 7.0), MUTED, 2)?;
        draw::text(
            area,
            &fmt_pct(t.abs(), l.lang),
            x,
            lay.axis_y + 11.0,
            SMALL,
            MUTED,
            Align::Center,
        )?;
    }
    draw::text(
        area,
        &l.axis_title,
        zero_x(),
        lay.axis_y + 11.0 + SMALL.size + 8.0,
        SMALL,
        MUTED,
        Align::Center,
    )?;

    for (si, s) in l.sections.iter().enumerate() {
        let ly = lay.legend_tops[si];
        draw::legend(
            area,
            &Likert::legend_items(s),
            MARGIN,
            ly,
            SMALL,
            Likert::legend_width(),
        )?;
        if si == 0 {
            draw::text(area, &l.dk_header, dk_x(), ly, SMALL_BOLD, INK, Align::Left)?;
            draw::text(area, "n", n_x(), ly, SMALL_BOLD, INK, Align::Right)?;
        }
        for (b, &cy) in s.bars.iter().zip(&lay.centers[si]) {
            draw::lines(
                area,
                &b.label,
                MARGIN,
                cy - Q_FONT.block_height(b.label.len()) / 2.0,
                Q_FONT,
                INK,
                Align::Left,
            )?;
            let (y0, y1) = (cy - thickness / 2.0, cy + thickness / 2.0);
            for seg in &b.segments {
                let (x0, x1) = (l.x(seg.from), l.x(seg.to));
                draw::fill_rect(area, x0, y0, x1, y1, seg.colour)?;
                let label = fmt_pct(seg.pct, l.lang);
                if x1 - x0 >= text::width(&label, SEG_FONT) + 8.0 {
                    draw::text(
                        area,
                        &label,
                        (x0 + x1) / 2.0,
                        cy - SEG_FONT.size / 2.0,
                        SEG_FONT,
                        style::text_on(seg.colour),
                        Align::Center,
                    )?;
                }
            }
            match b.dont_know {
                Some(dk) => {
                    let x1 = dk_x() + dk * dk_scale;
                    draw::fill_rect(area, dk_x(), y0 + 4.0, x1, y1 - 4.0, style::DONT_KNOW)?;
                    draw::text(
                        area,
                        &fmt_pct(dk, l.lang),
                        x1 + 6.0,
                        cy - SMALL.size / 2.0,
                        SMALL,
                        INK,
                        Align::Left,
                    )?;
                }
                None => draw::text(
                    area,
                    "–",
                    dk_x(),
                    cy - SMALL.size / 2.0,
                    SMALL,
                    MUTED,
                    Align::Left,
                )?,
            }
            draw::text(
                area,
                &fmt_count(b.valid, l.lang),
                n_x(),
                cy - SMALL.size / 2.0,
                SMALL,
                MUTED,
                Align::Right,
            )?;
        }
    }
    Ok(())
}

pub(crate) fn pages(input: &ChartInput) -> anyhow::Result<Vec<Page>> {
    let mut out = Vec::new();
    for i in 0..input.areas.len() {
        if let Some(l) = compute(input, i) {
            out.push(draw::svg_page(l.stem.clone(), WIDTH, l.height, |a| {
                draw_chart(a, &l)
            })?);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::sample::sample_input;

    #[test]
    fn diverging_shares() {
        // 5 options: two left, middle split, two right
        let s = diverging(&[10, 20, 40, 20, 10]).unwrap();
        assert_eq!(s.len(), 5);
        assert!((s[0].0 + 50.0).abs() < 1e-9);
        assert!((s[2].0 + 20.0).abs() < 1e-9 && (s[2].1 - 20.0).abs() < 1e-9);
        assert!((s[4].1 - 50.0).abs() < 1e-9);
        // 4 options: zero between the second and third
        let s = diverging(&[1, 1, 1, 1]).unwrap();
        assert!((s[2].0).abs() < 1e-9);
        // 2 options
        let s = diverging(&[3, 1]).unwrap();
        assert!((s[0].0 + 75.0).abs() < 1e-9 && (s[1].1 - 25.0).abs() < 1e-9);
        assert!(diverging(&[0, 0, 0]).is_none());
        assert!(diverging(&[]).is_none());
        // huge counts do not overflow into nonsense
        let s = diverging(&[u64::MAX, u64::MAX]).unwrap();
        assert!((s[0].2 - 50.0).abs() < 1e-6);
    }

    #[test]
    fn dont_know_share_of_all_answers() {
        assert_eq!(dont_know_share(90, Some(10)), Some(10.0));
        assert_eq!(dont_know_share(0, Some(0)), None);
        assert_eq!(dont_know_share(5, None), None);
        assert!(dont_know_share(u128::from(u64::MAX), Some(u64::MAX)).unwrap() - 50.0 < 1e-9);
    }

    #[test]
    fn sections_by_scale_and_skipped_questions() {
        let input = sample_input(Language::De);
        // services: agreement (2), OZG (1), yes/no (1); the percent question is skipped
        let l = compute(&input, 0).unwrap();
        assert_eq!(l.sections.len(), 3);
        assert_eq!(l.sections[0].bars.len(), 2);
        assert_eq!(l.sections[0].options[0], "trifft nicht zu");
        assert_eq!(l.extent, 100.0);
        for b in l.sections.iter().flat_map(|s| &s.bars) {
            let sum: f64 = b.segments.iter().map(|s| s.pct).sum();
            assert!((sum - 100.0).abs() < 1e-6);
            assert!(b.label.len() <= 3);
        }
        // steuerung: the withheld question is left out
        let l = compute(&input, 5).unwrap();
        assert_eq!(l.sections.iter().map(|s| s.bars.len()).sum::<usize>(), 2);
        assert_eq!(l.stem, "likert-steuerung");
        assert!(compute(&input, 99).is_none());
    }

    #[test]
    fn long_question_text_is_shortened_to_three_lines() {
        let input = sample_input(Language::De);
        let l = compute(&input, 1).unwrap();
        let long = &l.sections[0].bars[2].label;
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'));
        for line in long {
            assert!(text::width(line, Q_FONT) <= LABEL_W + 0.01);
        }
    }

    #[test]
    fn many_questions_grow_the_page() {
        let mut input = sample_input(Language::De);
        let q = input.questions[0].clone();
        for i in 0..20 {
            let mut q = q.clone();
            q.id = format!("extra{i}");
            input.questions.push(q);
        }
        let l = compute(&input, 0).unwrap();
        assert!(l.height > HEIGHT);
        let few = compute(&sample_input(Language::De), 6).unwrap();
        assert!(few.height >= MIN_HEIGHT as u32 && few.height < HEIGHT);
        let lay = l.layout();
        assert!(lay.axis_y < f64::from(l.height));
    }
}
