//! Charts of the Ist-Analyse: radar, bars, heatmap, Likert, roadmap and trend.
//!
//! One drawing path: every chart is drawn with plotters onto its SVG backend.
//! The SVG is kept for `--image svg`; PNGs are that SVG rasterised by resvg
//! with the embedded DejaVu Sans (no system fonts), at `scale` × the nominal
//! size. The same input gives byte-identical files.
//!
//! Each chart kind has its own module: a pure function computes what is drawn
//! (labels, wrapped lines, values, colours, order), small functions generic
//! over [`plotters::prelude::DrawingBackend`] draw it.
//!
//! Decisions where the product contract is silent:
//! - Suppressed groups get no file and their names appear nowhere; the
//!   heatmap counts suppressed departments in a footnote only.
//! - A kind with nothing to show returns no file: radar needs at least three
//!   areas, roadmap at least one target, trend two waves; Likert skips
//!   questions without categorical counts or valid answers, and areas left
//!   without a question.
//! - Pages are 1600×1000 px; the bar, heatmap, roadmap and trend pages grow
//!   taller when their rows would not fit; Likert pages follow the number of
//!   questions (about 100 px per question, at least 560 px).
//! - Maturity levels are coloured along viridis by `level_colour`; series use
//!   Okabe–Ito blue (Ist), vermillion (Soll) and dark grey (organisation);
//!   Likert answers a diverging orange–purple ramp (ColorBrewer PuOr).
//! - Values print with one decimal (German decimal comma), percentages whole.
//! - PNGs: resvg renders the SVG at `scale`, composited on white, encoded
//!   as 8-bit RGB (deflate level 1); at most 100 megapixels.

mod bars;
mod draw;
mod heatmap;
mod likert;
mod radar;
mod raster;
mod roadmap;
mod scale;
mod style;
mod text;
mod trend;

#[doc(hidden)]
pub mod sample;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use crate::questionnaire::Language;

pub use style::level_colour;

/// Everything the charts show, mapped from the score results.
#[derive(Debug, Clone)]
pub struct ChartInput {
    pub language: Language,
    /// Display name of the organisation group.
    pub organisation: String,
    /// Ascending by `min`, 0..100 score scale.
    pub levels: Vec<LevelDef>,
    /// Questionnaire order.
    pub areas: Vec<AreaInfo>,
    /// `[0]` = organisation, then departments in display order.
    pub groups: Vec<GroupScores>,
    /// Organisation-level distributions, questionnaire order.
    pub questions: Vec<QuestionDist>,
    /// Only when several waves exist.
    pub trend: Option<TrendInput>,
}

#[derive(Debug, Clone)]
pub struct LevelDef {
    pub min: f64,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct AreaInfo {
    pub id: String,
    pub name: String,
    pub target: Option<f64>,
    pub weight: f64,
    /// Gap of the organisation.
    pub gap: Option<f64>,
    /// Priority of the organisation.
    pub priority: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct GroupScores {
    pub name: String,
    pub suppressed: bool,
    pub respondents: Option<u64>,
    pub overall: Option<f64>,
    /// Aligned with [`ChartInput::areas`]; `None` = no score or withheld.
    pub areas: Vec<Option<f64>>,
}

#[derive(Debug, Clone)]
pub struct QuestionDist {
    pub id: String,
    pub text: String,
    /// Index into [`ChartInput::areas`].
    pub area: usize,
    /// Answer options least → most mature (already reverse-adjusted).
    pub options: Vec<String>,
    /// Aligned with `options`; `None` = withheld or not categorical.
    pub counts: Option<Vec<u64>>,
    pub dont_know: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct TrendInput {
    /// Oldest → current.
    pub waves: Vec<String>,
    pub areas: Vec<TrendArea>,
}

#[derive(Debug, Clone)]
pub struct TrendArea {
    /// Index into [`ChartInput::areas`].
    pub area: usize,
    /// Per wave, organisation.
    pub scores: Vec<Option<f64>>,
    /// Last vs previous wave, Welch test at 5 %.
    pub significant: Option<bool>,
}

/// The kinds of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    Radar,
    Bars,
    Heatmap,
    Likert,
    Roadmap,
    Trend,
}

impl ChartKind {
    /// Every kind, in the order a report shows them.
    pub fn all() -> [ChartKind; 6] {
        [
            ChartKind::Radar,
            ChartKind::Bars,
            ChartKind::Heatmap,
            ChartKind::Likert,
            ChartKind::Roadmap,
            ChartKind::Trend,
        ]
    }

    /// The name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Radar => "radar",
            ChartKind::Bars => "bars",
            ChartKind::Heatmap => "heatmap",
            ChartKind::Likert => "likert",
            ChartKind::Roadmap => "roadmap",
            ChartKind::Trend => "trend",
        }
    }
}

impl fmt::Display for ChartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Error for an unknown chart or image format name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    what: &'static str,
    name: String,
    expected: &'static str,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown {} '{}' (expected one of: {})",
            self.what, self.name, self.expected
        )
    }
}

impl std::error::Error for UnknownName {}

impl FromStr for ChartKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        ChartKind::all()
            .into_iter()
            .find(|k| k.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| UnknownName {
                what: "chart",
                name: s.to_string(),
                expected: "radar, bars, heatmap, likert, roadmap, trend",
            })
    }
}

/// Output image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageFormat {
    Png,
    Svg,
}

impl ImageFormat {
    /// File extension without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Svg => "svg",
        }
    }
}

impl FromStr for ImageFormat {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "png" => Ok(ImageFormat::Png),
            "svg" => Ok(ImageFormat::Svg),
            _ => Err(UnknownName {
                what: "image format",
                name: s.to_string(),
                expected: "png, svg",
            }),
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    pub format: ImageFormat,
    /// PNG pixels per nominal (SVG) pixel; 2.0 gives print resolution.
    /// Must be in (0, 4]. Ignored for SVG.
    pub scale: f32,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            format: ImageFormat::Png,
            scale: 1.0,
        }
    }
}

/// One rendered file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartFile {
    /// Relative file name such as "radar-organisation.png"; the stem is a slug.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// All files of one chart kind for the input (e.g. one radar per shown group,
/// one Likert chart per area). A kind with nothing to show (no trend, no
/// targets, every group suppressed, ...) gives an empty list.
pub fn render(
    kind: ChartKind,
    input: &ChartInput,
    opts: &RenderOptions,
) -> anyhow::Result<Vec<ChartFile>> {
    if opts.format == ImageFormat::Png
        && !(opts.scale.is_finite() && opts.scale > 0.0 && opts.scale <= raster::MAX_SCALE)
    {
        anyhow::bail!(
            "image scale must be greater than 0 and at most {}, got {}",
            raster::MAX_SCALE,
            opts.scale
        );
    }
    text::ensure_fonts()?;
    let pages = match kind {
        ChartKind::Radar => radar::pages(input)?,
        ChartKind::Bars => bars::pages(input)?,
        ChartKind::Heatmap => heatmap::pages(input)?,
        ChartKind::Likert => likert::pages(input)?,
        ChartKind::Roadmap => roadmap::pages(input)?,
        ChartKind::Trend => trend::pages(input)?,
    };
    let ext = opts.format.extension();
    let mut names = Vec::with_capacity(pages.len());
    let mut used: Vec<String> = Vec::with_capacity(pages.len());
    for page in &pages {
        let stem = unique_stem(&page.stem, &used);
        used.push(stem.clone());
        names.push(format!("{stem}.{ext}"));
    }
    // rasterising is the expensive part (10–20 ms a page): pages go to every core
    let bytes = match opts.format {
        ImageFormat::Svg => pages
            .into_iter()
            .map(|p| Ok(p.svg.into_bytes()))
            .collect::<Vec<anyhow::Result<Vec<u8>>>>(),
        ImageFormat::Png => crate::par::map(&pages, |page| {
            raster::png(&page.svg, page.width, page.height, opts.scale)
        }),
    };
    names
        .into_iter()
        .zip(bytes)
        .map(|(name, bytes)| {
            Ok(ChartFile {
                name,
                bytes: bytes?,
            })
        })
        .collect()
}

/// `stem`, or `stem-2`, `stem-3`, ... when already taken.
fn unique_stem(stem: &str, used: &[String]) -> String {
    if !used.iter().any(|u| u == stem) {
        return stem.to_string();
    }
    (2usize..)
        .map(|i| format!("{stem}-{i}"))
        .find(|c| !used.iter().any(|u| u == c))
        .unwrap_or_else(|| stem.to_string())
}

/// A file-name-safe slug (see [`crate::text::slug`], the one implementation shared
/// with the report): only `[a-z0-9-]`, so it cannot leave the chart folder.
pub fn slug(name: &str) -> String {
    crate::text::slug(name)
}

/// The maturity levels, cleaned: finite minimums clamped to 0..100, sorted.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Levels {
    pub mins: Vec<f64>,
    pub names: Vec<String>,
}

impl Levels {
    pub(crate) fn new(defs: &[LevelDef]) -> Self {
        let mut v: Vec<(f64, String)> = defs
            .iter()
            .filter(|d| d.min.is_finite())
            .map(|d| (d.min.clamp(0.0, 100.0), d.name.clone()))
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        Levels {
            mins: v.iter().map(|x| x.0).collect(),
            names: v.into_iter().map(|x| x.1).collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.mins.len()
    }

    /// Index of the level of `score`: the last whose min ≤ score (+1e-9).
    pub(crate) fn index_of(&self, score: f64) -> Option<usize> {
        if !score.is_finite() {
            return None;
        }
        self.mins.iter().rposition(|&m| m <= score + 1e-9)
    }

    /// Colour of the level of `score` (neutral grey outside every level).
    pub(crate) fn colour_of(&self, score: f64) -> plotters::style::RGBColor {
        match self.index_of(score) {
            Some(i) => level_colour(i, self.len()),
            None => style::DONT_KNOW,
        }
    }

    pub(crate) fn name_of(&self, score: f64) -> Option<&str> {
        self.index_of(score).map(|i| self.names[i].as_str())
    }

    /// Bands: (from, to, index) over 0..100.
    pub(crate) fn bands(&self) -> Vec<(f64, f64, usize)> {
        let mut out = Vec::new();
        for (i, &m) in self.mins.iter().enumerate() {
            let to = self.mins.get(i + 1).copied().unwrap_or(100.0);
            if to > m {
                out.push((m, to, i));
            }
        }
        out
    }
}

/// Shown groups with their index: not suppressed.
pub(crate) fn shown_groups(input: &ChartInput) -> impl Iterator<Item = (usize, &GroupScores)> {
    input
        .groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.suppressed)
}

/// Area score of a group, finite or nothing.
pub(crate) fn area_score(g: &GroupScores, area: usize) -> Option<f64> {
    style::finite(g.areas.get(area).copied().flatten())
}

/// File stem of a group's chart: "organisation" for the first group.
pub(crate) fn group_stem(kind: ChartKind, index: usize, g: &GroupScores) -> String {
    if index == 0 {
        format!("{}-organisation", kind.name())
    } else {
        format!("{}-{}", kind.name(), slug(&g.name))
    }
}
