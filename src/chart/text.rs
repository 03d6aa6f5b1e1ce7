//! Embedded font, text measurement and label wrapping.
//!
//! Text is measured with plotters' ab_glyph font registry (the same DejaVu Sans
//! that resvg later uses to render the SVG), so layout decisions made here
//! hold in the PNG. No system font is ever consulted.

use std::sync::OnceLock;

use plotters::style::{register_font, FontDesc, FontFamily, FontStyle};

/// Font family written into the SVG: the embedded face first, a generic
/// fallback for SVG viewers without DejaVu Sans.
pub(crate) const FAMILY: &str = "DejaVu Sans, sans-serif";

pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// plotters' SVG backend writes `font-size = size / 1.24`; everything in this
/// module speaks in real em sizes (CSS px) and converts with this factor.
pub(crate) const PLOTTERS_SIZE_FACTOR: f64 = 1.24;

/// ab_glyph scales a font so that ascent − descent equals the requested size;
/// DejaVu Sans has (1901 + 483) / 2048 em between them, so widths reported by
/// plotters at `em × 1.24` are this factor too wide.
const AB_GLYPH_CORRECTION: f64 = 2384.0 / (2048.0 * PLOTTERS_SIZE_FACTOR);

/// Size (em px) at which strings are measured, large enough that plotters'
/// integer truncation does not matter.
const MEASURE_EM: f64 = 1000.0;

static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the embedded fonts with plotters (once per process).
pub(crate) fn ensure_fonts() -> anyhow::Result<()> {
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FAMILY, FontStyle::Normal, REGULAR_TTF).is_ok()
            && register_font(FAMILY, FontStyle::Bold, BOLD_TTF).is_ok()
    });
    if ok {
        Ok(())
    } else {
        anyhow::bail!("the embedded chart font could not be loaded")
    }
}

/// A font: size in px (em) and weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub size: f64,
    pub bold: bool,
}

impl Font {
    pub(crate) const fn regular(size: f64) -> Self {
        Font { size, bold: false }
    }
    pub(crate) const fn bold(size: f64) -> Self {
        Font { size, bold: true }
    }
    fn style(self) -> FontStyle {
        if self.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        }
    }
    /// The plotters font description that produces this font in the SVG.
    pub(crate) fn desc(self) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(FAMILY),
            self.size * PLOTTERS_SIZE_FACTOR,
            self.style(),
        )
    }
    /// Distance between two baselines of wrapped text.
    pub(crate) fn line_height(self) -> f64 {
        (self.size * 1.22).round()
    }
    /// Height of a block of `lines` lines.
    pub(crate) fn block_height(self, lines: usize) -> f64 {
        if lines == 0 {
            0.0
        } else {
            self.line_height() * (lines as f64 - 1.0) + self.size
        }
    }
}

/// Advance width of `text` in px.
pub(crate) fn width(text: &str, font: Font) -> f64 {
    if text.is_empty() {
        return 0.0;
    }
    let measured = if ensure_fonts().is_ok() {
        FontDesc::new(
            FontFamily::Name(FAMILY),
            MEASURE_EM * PLOTTERS_SIZE_FACTOR,
            font.style(),
        )
        .box_size(text)
        .ok()
        .map(|(w, _)| f64::from(w) * AB_GLYPH_CORRECTION / MEASURE_EM)
    } else {
        None
    };
    // Fallback (font unavailable): a generous average advance.
    let em = measured.unwrap_or_else(|| text.chars().count() as f64 * 0.65);
    em * font.size
}

/// Widest of several lines.
pub(crate) fn max_width(lines: &[String], font: Font) -> f64 {
    lines.iter().map(|l| width(l, font)).fold(0.0, f64::max)
}

pub(crate) const ELLIPSIS: char = '…';

/// `text` cut at the end with "…" so that it fits into `max`.
/// Cuts at a word boundary when that keeps at least half of the room used.
pub(crate) fn shorten(text: &str, font: Font, max: f64) -> String {
    let clipped = clip(text);
    let text = clipped.trim();
    if width(text, font) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Largest prefix length n such that prefix + "…" fits (binary search).
    let fits = |n: usize| {
        let mut s: String = chars[..n].iter().collect();
        s = s.trim_end().to_string();
        s.push(ELLIPSIS);
        width(&s, font) <= max
    };
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let mut n = lo;
    // Prefer a word boundary if it is not too far back.
    if let Some(space) = chars[..n].iter().rposition(|c| c.is_whitespace()) {
        if space * 2 >= n && space > 0 {
            n = space;
        }
    }
    let mut s: String = chars[..n].iter().collect();
    while s.ends_with(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '&' | '-' | '/' | '–')
    }) {
        s.pop();
    }
    s.push(ELLIPSIS);
    s
}

/// Longest text (in characters) that wrapping looks at: more never fits a
/// label of a few lines, and line breaking is quadratic in the length.
const MAX_CHARS: usize = 600;

/// `text`, cut to [`MAX_CHARS`] characters (with "…").
fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_CHARS) {
        Some((i, _)) => {
            let mut s = text[..i].to_string();
            s.push(ELLIPSIS);
            s
        }
        None => text.to_string(),
    }
}

/// A piece of text between break opportunities.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    space_before: bool,
}

/// Splits text into pieces: words, and inside words after '-' or '/' when
/// both sides keep at least two letters ("Online-|Zugang", "teils/|teils",
/// but not "E-Akte"). With `glue`, a lone "&", "–", "+", "/" or "-" stays
/// with the word before it ("Bürgerservices &" / "Online-Zugang").
fn pieces(text: &str, glue: bool) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    for word in text.split_whitespace() {
        if glue && matches!(word, "&" | "–" | "+" | "/" | "-") {
            if let Some(last) = out.last_mut() {
                last.text.push(' ');
                last.text.push_str(word);
                continue;
            }
        }
        let chars: Vec<char> = word.chars().collect();
        let mut start = 0;
        for i in 0..chars.len() {
            if (chars[i] == '-' || chars[i] == '/')
                && i >= start + 2
                && i + 3 <= chars.len()
                && chars[i + 1].is_alphanumeric()
                && chars[i + 2].is_alphanumeric()
            {
                out.push(Piece {
                    text: chars[start..=i].iter().collect(),
                    space_before: start == 0,
                });
                start = i + 1;
            }
        }
        out.push(Piece {
            text: chars[start..].iter().collect(),
            space_before: start == 0,
        });
    }
    out
}

fn join(pieces: &[Piece]) -> String {
    let mut s = String::new();
    for (i, p) in pieces.iter().enumerate() {
        if i > 0 && p.space_before {
            s.push(' ');
        }
        s.push_str(&p.text);
    }
    s
}

/// Greedy line breaking; returns the piece ranges of each line.
fn greedy(pieces: &[Piece], font: Font, max: f64) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    for i in 0..pieces.len() {
        if i > start && width(&join(&pieces[start..=i]), font) > max {
            lines.push((start, i));
            start = i;
        }
    }
    if start < pieces.len() {
        lines.push((start, pieces.len()));
    }
    lines
}

/// Wraps `text` into at most `max_lines` lines no wider than `max` (px):
/// breaks between words, then after hyphens and slashes; a single word that
/// is too long, or text beyond the last line, is shortened with "…".
/// Lines are balanced (the same number of lines, as even as possible).
pub(crate) fn wrap(text: &str, font: Font, max: f64, max_lines: usize) -> Vec<String> {
    let text = &clip(text);
    if let Some(lines) = wrap_exact(text, font, max, max_lines) {
        return lines;
    }
    let max_lines = max_lines.max(1);
    let pcs = pieces(text, false);
    let lines = greedy(&pcs, font, max);
    let mut out: Vec<String> = lines
        .iter()
        .take(max_lines)
        .map(|&(a, b)| shorten(&join(&pcs[a..b]), font, max))
        .collect();
    if lines.len() > max_lines {
        let (a, _) = lines[max_lines - 1];
        let rest = join(&pcs[a..]);
        let mut last = shorten(&rest, font, max);
        if !last.ends_with(ELLIPSIS) {
            last.push(ELLIPSIS);
            last = shorten(&last, font, max);
        }
        out[max_lines - 1] = last;
    }
    out
}

/// Like [`wrap`], but None when the text would have to be shortened.
pub(crate) fn wrap_exact(
    text: &str,
    font: Font,
    max: f64,
    max_lines: usize,
) -> Option<Vec<String>> {
    let text = &clip(text);
    let max_lines = max_lines.max(1);
    for glue in [true, false] {
        let pcs = pieces(text, glue);
        if pcs.is_empty() {
            return Some(Vec::new());
        }
        let lines = greedy(&pcs, font, max);
        let fits = lines.len() <= max_lines
            && lines
                .iter()
                .all(|&(a, b)| width(&join(&pcs[a..b]), font) <= max);
        if fits {
            return Some(balance(&pcs, font, max, lines));
        }
    }
    None
}

/// The narrowest width that still gives the same number of lines.
fn balance(pcs: &[Piece], font: Font, max: f64, lines: Vec<(usize, usize)>) -> Vec<String> {
    let n = lines.len();
    let mut best = lines;
    if n > 1 {
        let (mut lo, mut hi) = (0.0, max);
        for _ in 0..12 {
            let mid = (lo + hi) / 2.0;
            let candidate = greedy(pcs, font, mid);
            let ok = candidate.len() == n
                && candidate
                    .iter()
                    .all(|&(a, b)| width(&join(&pcs[a..b]), font) <= mid);
            if ok {
                hi = mid;
                best = candidate;
            } else {
                lo = mid;
            }
        }
    }
    best.iter().map(|&(a, b)| join(&pcs[a..b])).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const F: Font = Font::regular(20.0);

    #[test]
    fn width_is_positive_and_monotonic() {
        ensure_fonts().unwrap();
        let a = width("Straßenverkehr", F);
        let b = width("Straßenverkehrsamt", F);
        assert!(a > 100.0 && a < 200.0, "{a}");
        assert!(b > a);
        assert!(width("M", Font::bold(20.0)) > width("M", F));
        assert_eq!(width("", F), 0.0);
    }

    #[test]
    fn wraps_on_words_and_balances() {
        let lines = wrap("Bürgerservices & Online-Zugang", F, 200.0, 3);
        assert_eq!(lines, vec!["Bürgerservices &", "Online-Zugang"]);
        for l in &lines {
            assert!(width(l, F) <= 200.0);
        }
    }

    #[test]
    fn wraps_after_hyphen_and_slash() {
        let lines = wrap("Personal- und Organisationsamt", F, 130.0, 3);
        assert_eq!(lines[..2], ["Personal-", "und"]);
        assert!(lines[2].starts_with("Organisati") && lines[2].ends_with('…'));
        assert!(width(&lines[2], F) <= 130.0);
        let lines = wrap("Personal- und Organisationsamt", F, 200.0, 3);
        assert_eq!(lines, vec!["Personal- und", "Organisationsamt"]);
        let lines = wrap("IT-Infrastruktur", F, width("Infrastruktur", F) + 1.0, 3);
        assert_eq!(lines, vec!["IT-", "Infrastruktur"]);
        let lines = wrap("teils/teils", F, 60.0, 3);
        assert_eq!(lines, vec!["teils/", "teils"]);
        // no break after a single letter
        assert_eq!(pieces("E-Akte", true).len(), 1);
        // "&" stays with the word before it unless that cannot fit
        let w = width("Informationssicherheit", F) + 2.0;
        assert_eq!(
            wrap("Informationssicherheit & Datenschutz", F, w, 3),
            vec!["Informationssicherheit", "& Datenschutz"]
        );
    }

    #[test]
    fn shortens_beyond_max_lines() {
        let text = "Die wichtigsten Verwaltungsleistungen sind vollständig online beantragbar und werden medienbruchfrei bearbeitet.";
        let lines = wrap(text, F, 300.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        for l in &lines {
            assert!(width(l, F) <= 300.0, "{l}");
        }
    }

    #[test]
    fn too_long_word_is_shortened() {
        let lines = wrap("Informationssicherheit", F, 100.0, 2);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].ends_with('…'));
        assert!(width(&lines[0], F) <= 100.0);
        // nothing fits: just the ellipsis
        let s = shorten("Informationssicherheit", F, 1.0);
        assert_eq!(s, "…");
    }

    #[test]
    fn huge_text_is_fast_and_bounded() {
        let text = "Wort ".repeat(200_000);
        let start = std::time::Instant::now();
        let lines = wrap(&text, F, 300.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
        let s = shorten(&"x".repeat(1_000_000), F, 200.0);
        assert!(width(&s, F) <= 200.0);
        assert!(start.elapsed().as_secs() < 5);
    }

    #[test]
    fn empty_and_whitespace() {
        assert!(wrap("", F, 100.0, 2).is_empty());
        assert!(wrap("   ", F, 100.0, 2).is_empty());
        assert_eq!(wrap("a", F, 100.0, 0), vec!["a"]);
    }
}
