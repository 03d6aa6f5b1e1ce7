//! The questionnaire model (SPEC §2): scales, maturity levels, areas and questions,
//! already validated and resolved (scale references are indices, defaults applied).
//!
//! Everything downstream (ingest, scoring, rendering) works on this model only; the
//! TOML reading and all validation rules live in [`load`].

mod load;

pub use load::{load, parse_str};

use std::ops::Range;
use std::path::PathBuf;

/// Most questions one area may have (answer patterns are kept as 64-bit masks).
pub const MAX_AREA_QUESTIONS: usize = 64;

/// Language of the labels the tool itself writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// German.
    De,
    /// English.
    En,
}

impl Language {
    /// Parses `de` / `en`.
    pub fn parse(s: &str) -> Option<Language> {
        match s.trim().to_ascii_lowercase().as_str() {
            "de" => Some(Language::De),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The ISO code.
    pub fn code(self) -> &'static str {
        match self {
            Language::De => "de",
            Language::En => "en",
        }
    }
}

/// A validated questionnaire.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    /// The file it was read from.
    pub path: PathBuf,
    /// `[a-z0-9_-]+`.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Version string.
    pub version: String,
    /// Output label language.
    pub language: Language,
    /// `[reporting] min_group_size`, if set.
    pub min_group_size: Option<u64>,
    /// Maturity levels, ascending by `min`.
    pub levels: Vec<Level>,
    /// Scales, sorted by name.
    pub scales: Vec<Scale>,
    /// Areas in questionnaire order.
    pub areas: Vec<Area>,
    /// All questions in questionnaire order (area by area).
    pub questions: Vec<Question>,
}

/// A maturity level: applies to scores ≥ `min`.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// Lower bound on the 0–100 scale.
    pub min: f64,
    /// Display name.
    pub name: String,
}

/// A named answer scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    /// The name used in `scale = "..."`.
    pub name: String,
    /// Kind and kind-specific settings.
    pub kind: ScaleKind,
    /// Answers that mean "no opinion".
    pub dont_know: Vec<String>,
}

/// The kinds of scale and how their answers map to [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub enum ScaleKind {
    /// Ordered options with numeric values.
    Ordinal {
        /// Option texts.
        options: Vec<String>,
        /// Values, same length (default 1..k).
        values: Vec<f64>,
        /// Extra spellings (survey answer codes), same length, if given.
        codes: Option<Vec<String>>,
    },
    /// Yes/no; options and codes are ordered `[no, yes]`.
    Boolean {
        /// Extra option texts `[no, yes]`.
        options: Option<[String; 2]>,
        /// Extra codes `[no, yes]`.
        codes: Option<[String; 2]>,
    },
    /// 0..100.
    Percent,
    /// A number in `[min, max]`.
    Number {
        /// Lower bound (maps to 0).
        min: f64,
        /// Upper bound (maps to 1).
        max: f64,
    },
}

impl ScaleKind {
    /// The kind's name as written in TOML.
    pub fn name(&self) -> &'static str {
        match self {
            ScaleKind::Ordinal { .. } => "ordinal",
            ScaleKind::Boolean { .. } => "boolean",
            ScaleKind::Percent => "percent",
            ScaleKind::Number { .. } => "number",
        }
    }
}

impl Scale {
    /// The categories answers are counted in, in scale order, with the x in [0, 1]
    /// (before reverse coding) of each; empty for percent and number scales.
    pub fn categories(&self, language: Language) -> Vec<(String, f64)> {
        match &self.kind {
            ScaleKind::Ordinal {
                options, values, ..
            } => {
                let (lo, hi) = min_max(values);
                options
                    .iter()
                    .zip(values)
                    .map(|(o, v)| (o.clone(), if hi > lo { (v - lo) / (hi - lo) } else { 0.0 }))
                    .collect()
            }
            ScaleKind::Boolean { options, .. } => {
                let [no, yes] = match options {
                    Some(o) => o.clone(),
                    None => match language {
                        Language::De => ["nein".to_string(), "ja".to_string()],
                        Language::En => ["no".to_string(), "yes".to_string()],
                    },
                };
                vec![(no, 0.0), (yes, 1.0)]
            }
            ScaleKind::Percent | ScaleKind::Number { .. } => Vec::new(),
        }
    }

    /// True for ordinal and boolean scales (answers are counted per option).
    pub fn is_categorical(&self) -> bool {
        matches!(
            self.kind,
            ScaleKind::Ordinal { .. } | ScaleKind::Boolean { .. }
        )
    }
}

fn min_max(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(*v), hi.max(*v))
        })
}

/// How an area's score is built from its question scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// Weighted mean (question weights).
    Mean,
    /// The lowest question score (the weakest question sets the area).
    Min,
}

/// A process area (Handlungsfeld).
#[derive(Debug, Clone)]
pub struct Area {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// Weight in the overall score (> 0).
    pub weight: f64,
    /// Soll score 0..100.
    pub target: Option<f64>,
    /// Mean or min.
    pub aggregate: Aggregate,
    /// Indices into [`Questionnaire::questions`].
    pub questions: Range<usize>,
}

/// A question.
#[derive(Debug, Clone)]
pub struct Question {
    /// Unique id.
    pub id: String,
    /// The statement or question text.
    pub text: String,
    /// Index into [`Questionnaire::areas`].
    pub area: usize,
    /// Index into [`Questionnaire::scales`].
    pub scale: usize,
    /// Weight within the area (> 0).
    pub weight: f64,
    /// Agreement means less maturity.
    pub reverse: bool,
    /// Other column headers that mean this question.
    pub aliases: Vec<String>,
}

impl Questionnaire {
    /// The scale of a question.
    pub fn scale_of(&self, q: &Question) -> &Scale {
        &self.scales[q.scale]
    }

    /// The level reached by a score (SPEC §4.6, §9.9: `min ≤ score + 1e-9`).
    pub fn level_of(&self, score: f64) -> Option<&Level> {
        self.levels.iter().rev().find(|l| l.min <= score + 1e-9)
    }

    /// Index of the level reached by a score.
    pub fn level_index(&self, score: f64) -> Option<usize> {
        self.levels.iter().rposition(|l| l.min <= score + 1e-9)
    }
}
