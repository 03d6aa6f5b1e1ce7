//! Colours, number formatting and the words the charts write.

use plotters::style::RGBColor;

use crate::questionnaire::Language;

// Okabe–Ito colours (colour-blind safe).
pub(crate) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(crate) const VERMILLION: RGBColor = RGBColor(213, 94, 0);

pub(crate) const INK: RGBColor = RGBColor(34, 34, 34);
pub(crate) const MUTED: RGBColor = RGBColor(90, 90, 90);
pub(crate) const RULE: RGBColor = RGBColor(120, 120, 120);
pub(crate) const NO_DATA: RGBColor = RGBColor(236, 236, 236);
pub(crate) const WHITE: RGBColor = RGBColor(255, 255, 255);
pub(crate) const DONT_KNOW: RGBColor = RGBColor(150, 150, 150);

/// Viridis, sampled at nine stops.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 45, 123),
    (59, 82, 139),
    (44, 114, 142),
    (33, 145, 140),
    (40, 174, 128),
    (94, 201, 98),
    (173, 220, 48),
    (253, 231, 37),
];

fn ramp(stops: &[(u8, u8, u8)], t: f64) -> RGBColor {
    let Some(&last) = stops.last() else {
        return RGBColor(128, 128, 128);
    };
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let pos = t * (stops.len() - 1) as f64;
    let i = (pos.floor() as usize).min(stops.len() - 1);
    let a = stops[i];
    let b = stops.get(i + 1).copied().unwrap_or(last);
    let f = pos - i as f64;
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Colour of maturity level `level_index` (0-based, ascending) out of
/// `level_count` levels: evenly spaced along the viridis ramp (dark violet →
/// yellow), which is colour-blind safe and stays ordered in grey-scale print.
/// Used by every chart so a level always has the same colour.
pub fn level_colour(level_index: usize, level_count: usize) -> RGBColor {
    if level_count <= 1 {
        return ramp(&VIRIDIS, 0.5);
    }
    let i = level_index.min(level_count - 1);
    ramp(&VIRIDIS, i as f64 / (level_count - 1) as f64)
}

/// `c` mixed with white; `amount` = share of white (0..1).
pub(crate) fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let a = amount.clamp(0.0, 1.0);
    let m = |x: u8| (f64::from(x) + (255.0 - f64::from(x)) * a).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// `c` mixed with black; `amount` = share of black (0..1).
pub(crate) fn shade(c: RGBColor, amount: f64) -> RGBColor {
    let a = amount.clamp(0.0, 1.0);
    let m = |x: u8| (f64::from(x) * (1.0 - a)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

fn luminance(c: RGBColor) -> f64 {
    let lin = |x: u8| {
        let v = f64::from(x) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Text colour (white or ink) with the better contrast on `background`.
pub(crate) fn text_on(background: RGBColor) -> RGBColor {
    let l = luminance(background);
    let on_white = 1.05 / (l + 0.05);
    let on_black = (l + 0.05) / 0.05;
    if on_white > on_black {
        WHITE
    } else {
        INK
    }
}

const NEGATIVE: [(u8, u8, u8); 5] = [
    (127, 59, 8),
    (179, 88, 6),
    (224, 130, 20),
    (253, 184, 99),
    (254, 224, 182),
];
const POSITIVE: [(u8, u8, u8); 5] = [
    (216, 218, 235),
    (178, 171, 210),
    (128, 115, 172),
    (84, 39, 136),
    (45, 0, 75),
];
const NEUTRAL: RGBColor = RGBColor(217, 217, 217);

/// Colours of `count` answer options, least → most mature, on a diverging
/// orange–purple ramp (ColorBrewer PuOr, colour-blind safe); the middle option
/// of an odd count is neutral grey.
pub(crate) fn option_colours(count: usize) -> Vec<RGBColor> {
    let half = count / 2;
    let (lo, hi) = if half >= 4 { (0.0, 1.0) } else { (0.25, 0.75) };
    let pick = |stops: &[(u8, u8, u8)], i: usize| {
        if half <= 1 {
            ramp(stops, 0.5)
        } else {
            ramp(stops, lo + (hi - lo) * i as f64 / (half - 1) as f64)
        }
    };
    let mut out: Vec<RGBColor> = (0..half).map(|i| pick(&NEGATIVE, i)).collect();
    if count % 2 == 1 {
        out.push(NEUTRAL);
    }
    out.extend((0..half).map(|i| pick(&POSITIVE, i)));
    out
}

/// Colours of the waves of a trend chart, oldest → current: greys getting
/// darker, the current wave blue.
pub(crate) fn wave_colours(count: usize) -> Vec<RGBColor> {
    (0..count)
        .map(|i| {
            if i + 1 == count {
                BLUE
            } else {
                let older = count - 1 - i; // 1 = previous wave
                let g = (150 + 30 * (older as u32 - 1).min(3)) as u8;
                RGBColor(g, g, g)
            }
        })
        .collect()
}

/// A finite value or nothing.
pub(crate) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A score clamped to the 0–100 scale (for positions, never for printed values).
pub(crate) fn clamp_score(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// One decimal; German decimal comma; typographic minus.
pub(crate) fn fmt1(v: f64, lang: Language) -> String {
    let mut s = format!("{:.1}", v);
    if s == "-0.0" {
        s = "0.0".to_string();
    }
    if lang == Language::De {
        s = s.replace('.', ",");
    }
    s.replace('-', "\u{2212}")
}

/// Whole numbers without decimals ("20"), others with one ("12,5").
pub(crate) fn fmt_short(v: f64, lang: Language) -> String {
    if v.is_finite() && (v - v.round()).abs() < 1e-9 {
        fmt1(v, lang)
            .split([',', '.'])
            .next()
            .unwrap_or_default()
            .to_string()
    } else {
        fmt1(v, lang)
    }
}

/// Signed, one decimal ("+4,2", "−1,3", "±0,0").
pub(crate) fn fmt_signed1(v: f64, lang: Language) -> String {
    let s = fmt1(v, lang);
    if s.starts_with('\u{2212}') {
        s
    } else if s == "0,0" || s == "0.0" {
        format!("±{s}")
    } else {
        format!("+{s}")
    }
}

/// Whole percent ("12 %" in German with a no-break space, "12%" in English).
pub(crate) fn fmt_pct(v: f64, lang: Language) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let mut n = format!("{:.0}", v);
    if n == "-0" {
        n = "0".to_string();
    }
    match lang {
        Language::De => format!("{n}\u{a0}%"),
        Language::En => format!("{n}%"),
    }
}

/// Integer with thousands grouping in German ("1.234"), plain in English ("1,234").
pub(crate) fn fmt_count(n: impl Into<u128>, lang: Language) -> String {
    let n: u128 = n.into();
    let digits = n.to_string();
    let sep = match lang {
        Language::De => '.',
        Language::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The non-empty parts joined with " · ".
pub(crate) fn join_parts(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The words the charts write, per language.
pub(crate) struct Words {
    pub radar_title: &'static str,
    pub bars_title: &'static str,
    pub heatmap_title: &'static str,
    pub likert_title: &'static str,
    pub roadmap_title: &'static str,
    pub trend_title: &'static str,
    pub respondents: &'static str,
    pub overall: &'static str,
    pub overall_short: &'static str,
    pub org_short: &'static str,
    pub current: &'static str,
    pub target: &'static str,
    pub gap: &'static str,
    pub priority: &'static str,
    pub weight: &'static str,
    pub no_data: &'static str,
    pub no_data_short: &'static str,
    pub dont_know: &'static str,
    pub bar_colour_note: &'static str,
    pub compared_with: &'static str,
    pub heatmap_note: &'static str,
    pub likert_note: &'static str,
    pub likert_axis: &'static str,
    pub roadmap_note: &'static str,
    pub reached: &'static str,
    pub significant_note: &'static str,
    pub significant: &'static str,
    pub not_significant: &'static str,
    pub change_note: &'static str,
    pub suppressed_one: &'static str,
    pub suppressed_many: &'static str,
}

const DE: Words = Words {
    radar_title: "Reifegradprofil",
    bars_title: "Reifegrad je Handlungsfeld",
    heatmap_title: "Reifegrad nach Fachbereich und Handlungsfeld",
    likert_title: "Antwortverteilung",
    roadmap_title: "Soll-Ist-Abgleich: Handlungsfelder nach Priorität",
    trend_title: "Entwicklung je Handlungsfeld",
    respondents: "Befragte",
    overall: "Gesamtwert",
    overall_short: "Gesamt",
    org_short: "Org.",
    current: "Ist",
    target: "Soll",
    gap: "Lücke",
    priority: "Priorität",
    weight: "Gewicht",
    no_data: "keine Angabe",
    no_data_short: "k. A.",
    dont_know: "weiß nicht",
    bar_colour_note: "Balkenfarbe = erreichte Reifegradstufe",
    compared_with: "im Vergleich zu",
    heatmap_note: "Reifegrad 0–100 je Fachbereich; Zellenfarbe = Reifegradstufe",
    likert_note:
        "Anteile der gültigen Antworten; „weiß nicht“ gesondert als Anteil aller Antworten",
    likert_axis: "Anteil der gültigen Antworten",
    roadmap_note: "Lücke = Soll − Ist; Reihenfolge nach Priorität (Lücke × Gewicht)",
    reached: "erreicht",
    significant_note: "* Veränderung zur Vorwelle statistisch signifikant (Welch-Test, 5 %-Niveau)",
    significant: "Veränderung signifikant",
    not_significant: "nicht signifikant",
    change_note: "Veränderung zur Vorwelle",
    suppressed_one: "1 Fachbereich unter der Mindestgröße nicht dargestellt",
    suppressed_many: "Fachbereiche unter der Mindestgröße nicht dargestellt",
};

const EN: Words = Words {
    radar_title: "Maturity profile",
    bars_title: "Maturity by area",
    heatmap_title: "Maturity by department and area",
    likert_title: "Response distribution",
    roadmap_title: "Target vs. current state: areas by priority",
    trend_title: "Trend by area",
    respondents: "respondents",
    overall: "Overall",
    overall_short: "Overall",
    org_short: "Org.",
    current: "Current",
    target: "Target",
    gap: "gap",
    priority: "priority",
    weight: "weight",
    no_data: "no data",
    no_data_short: "n/a",
    dont_know: "don't know",
    bar_colour_note: "bar colour = maturity level reached",
    compared_with: "compared with",
    heatmap_note: "Maturity score 0–100 per department; cell colour = maturity level",
    likert_note: "Shares of valid answers; \"don't know\" shown apart as a share of all answers",
    likert_axis: "Share of valid answers",
    roadmap_note: "Gap = target − current; ordered by priority (gap × weight)",
    reached: "reached",
    significant_note:
        "* Change from the previous wave statistically significant (Welch test, 5 % level)",
    significant: "significant change",
    not_significant: "not significant",
    change_note: "change from previous wave",
    suppressed_one: "1 department below the minimum group size not shown",
    suppressed_many: "departments below the minimum group size not shown",
};

pub(crate) fn words(lang: Language) -> &'static Words {
    match lang {
        Language::De => &DE,
        Language::En => &EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_colours_are_ordered_and_distinct() {
        let cs: Vec<RGBColor> = (0..5).map(|i| level_colour(i, 5)).collect();
        assert_eq!(cs[0], RGBColor(68, 1, 84));
        assert_eq!(cs[4], RGBColor(253, 231, 37));
        for w in cs.windows(2) {
            assert_ne!(w[0], w[1]);
            assert!(
                luminance(w[1]) > luminance(w[0]),
                "lightness rises with the level"
            );
        }
        // out of range and degenerate counts do not panic
        assert_eq!(level_colour(9, 5), cs[4]);
        let _ = level_colour(0, 0);
        let _ = level_colour(3, 1);
    }

    #[test]
    fn text_contrast() {
        assert_eq!(text_on(RGBColor(68, 1, 84)), WHITE);
        assert_eq!(text_on(RGBColor(253, 231, 37)), INK);
        assert_eq!(text_on(WHITE), INK);
    }

    #[test]
    fn option_colours_diverge() {
        let c5 = option_colours(5);
        assert_eq!(c5.len(), 5);
        assert_eq!(c5[2], NEUTRAL);
        assert_eq!(option_colours(2).len(), 2);
        assert_eq!(option_colours(0).len(), 0);
        let c7 = option_colours(7);
        assert_eq!(c7.len(), 7);
        assert_ne!(c7[0], c7[1]);
        assert_eq!(option_colours(1), vec![NEUTRAL]);
    }

    #[test]
    fn number_formats() {
        assert_eq!(fmt1(57.25, Language::En), "57.2");
        assert_eq!(fmt1(14.0, Language::De), "14,0");
        assert_eq!(fmt1(-0.04, Language::De), "0,0");
        assert_eq!(fmt1(-1.26, Language::De), "\u{2212}1,3");
        assert_eq!(fmt_signed1(4.2, Language::De), "+4,2");
        assert_eq!(fmt_signed1(0.0, Language::En), "±0.0");
        assert_eq!(fmt_pct(12.4, Language::De), "12\u{a0}%");
        assert_eq!(fmt_pct(f64::NAN, Language::En), "0%");
        assert_eq!(fmt_count(1234567u64, Language::De), "1.234.567");
        assert_eq!(fmt_count(412u64, Language::En), "412");
    }
}
