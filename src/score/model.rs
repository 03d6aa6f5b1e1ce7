//! The computed results: what `score --format json` prints and `results.json` holds
//! (SPEC §8). Field order is the JSON key order, so the output is stable.
//!
//! A figure that does not exist (no answers) or is withheld for privacy is `None`
//! (JSON `null`); renderers show it as a marker, never as 0.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::ingest::Problem;

/// Everything computed for one wave.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    /// Which questionnaire.
    pub questionnaire: QuestionnaireRef,
    /// The wave's name, `None` without a project.
    pub wave: Option<String>,
    /// The anonymity threshold that was applied.
    pub min_group_size: u64,
    /// `respondents` or `headcount`.
    pub weighting: &'static str,
    /// The organisation first, then departments in German dictionary order.
    pub groups: Vec<GroupResult>,
    /// The organisation's areas by priority (SPEC §4.7).
    pub roadmap: Vec<RoadmapItem>,
    /// Comparison with an earlier wave, when there is one.
    pub trend: Option<crate::trend::Trend>,
    /// Files read and problems found.
    pub quality: Quality,
}

/// Identifies the questionnaire.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionnaireRef {
    /// Id.
    pub id: String,
    /// Version.
    pub version: String,
    /// Title.
    pub title: String,
    /// Label language.
    pub language: &'static str,
}

/// Whether a group is the whole organisation or one department.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// Everyone.
    Organisation,
    /// One department.
    Department,
}

/// Scores of one group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// Organisation or department.
    pub kind: GroupKind,
    /// Display name.
    pub name: String,
    /// Respondents (`None` when suppressed).
    pub respondents: Option<u64>,
    /// True when the group is below the threshold (or withheld to protect another).
    pub suppressed: bool,
    /// Overall score 0–100.
    pub score: Option<f64>,
    /// Level of the overall score.
    pub level: Option<String>,
    /// Headcount from the project file, if given.
    pub headcount: Option<u64>,
    /// respondents / headcount.
    pub response_rate: Option<f64>,
    /// Areas in questionnaire order.
    pub areas: Vec<AreaResult>,
    /// Questions in questionnaire order.
    pub questions: Vec<QuestionResult>,
}

/// Scores of one area within a group.
#[derive(Debug, Clone, Serialize)]
pub struct AreaResult {
    /// Area id.
    pub id: String,
    /// Area name.
    pub name: String,
    /// Area weight.
    pub weight: f64,
    /// Area score.
    pub score: Option<f64>,
    /// Level of the area score.
    pub level: Option<String>,
    /// Respondents with a valid answer to a question that counts for this group.
    pub n: Option<u64>,
    /// Soll score (questionnaire data, shown for every group).
    pub target: Option<f64>,
    /// max(0, target − score).
    pub gap: Option<f64>,
    /// gap × weight.
    pub priority: Option<f64>,
    /// Respondent-level area index (n, mean, sd on 0–100), for testing changes between
    /// waves; never written out.
    #[serde(skip)]
    pub index: Option<(u64, f64, Option<f64>)>,
}

/// Figures of one question within a group.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    /// Question id (shared by every group's result of the question).
    pub id: std::sync::Arc<str>,
    /// Area id (shared likewise).
    pub area: std::sync::Arc<str>,
    /// 100 × mean of x.
    pub score: Option<f64>,
    /// Valid answers.
    pub n: Option<u64>,
    /// Don't-know answers.
    pub dont_know: Option<u64>,
    /// Sample standard deviation of 100·x.
    pub sd: Option<f64>,
    /// 95 % confidence half-width.
    pub ci95: Option<f64>,
    /// Valid answers per option (categorical scales), in scale order.
    pub counts: Option<Counts>,
    /// True when the question-level figures are withheld for privacy.
    pub withheld: bool,
}

/// Answer counts per option, serialised as a JSON object in scale order. The option
/// labels are shared by every group (one allocation per question, not per group).
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// Option labels in scale order.
    pub labels: std::sync::Arc<[String]>,
    /// Count per label.
    pub values: Vec<u64>,
}

impl Counts {
    /// (label, count) pairs in scale order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.labels
            .iter()
            .map(String::as_str)
            .zip(self.values.iter().copied())
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.values.len()))?;
        for (k, v) in self.iter() {
            m.serialize_entry(k, &v)?;
        }
        m.end()
    }
}

/// One roadmap entry: an area of the organisation with a target.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapItem {
    /// Rank, 1 = highest priority.
    pub rank: usize,
    /// Area id.
    pub area: String,
    /// Area name.
    pub name: String,
    /// Ist.
    pub score: f64,
    /// Soll.
    pub target: f64,
    /// Gap.
    pub gap: f64,
    /// Gap × weight.
    pub priority: f64,
    /// Level now.
    pub level: Option<String>,
    /// Level of the target.
    pub target_level: Option<String>,
    /// The area's weakest counting questions (lowest score first), starting points.
    pub weakest: Vec<WeakQuestion>,
}

/// A starting point of the roadmap.
#[derive(Debug, Clone, Serialize)]
pub struct WeakQuestion {
    /// Question id.
    pub id: String,
    /// Question text.
    pub text: String,
    /// Score.
    pub score: f64,
}

/// Data quality (SPEC §8 `quality`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct Quality {
    /// Per-file accounting.
    pub files: Vec<FileQuality>,
    /// Per-question accounting over all used rows.
    pub questions: Vec<QuestionQuality>,
    /// Rejected rows and invalid cells.
    pub problems: Vec<Problem>,
}

/// Accounting of one file (SPEC §8 `quality.files`). The counts are `None` for a
/// file with rows of a withheld department: with them, the department's size could be
/// read off (e.g. a file per department).
#[derive(Debug, Clone, Serialize)]
pub struct FileQuality {
    /// The path as given (relative to the project file in project mode).
    pub path: String,
    /// Records after the header.
    pub rows_read: Option<u64>,
    /// Rows that became respondents.
    pub rows_used: Option<u64>,
    /// Rows rejected.
    pub rows_rejected: Option<u64>,
    /// Of the rejected rows: incomplete responses.
    pub rows_incomplete: Option<u64>,
    /// Invalid cells in used rows.
    pub invalid_cells: Option<u64>,
    /// Encoding the file was read with.
    pub encoding: &'static str,
    /// Delimiter the file was read with.
    pub delimiter: String,
    /// True when the counts are withheld.
    pub withheld: bool,
}

/// Accounting of one question over the whole wave: used rows = valid + dont_know +
/// empty + invalid.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionQuality {
    /// Question id.
    pub id: String,
    /// Valid answers (`None` when the organisation is suppressed).
    pub valid: Option<u64>,
    /// Don't know (`None` when the organisation is suppressed).
    pub dont_know: Option<u64>,
    /// Empty cells (`None` when the organisation is suppressed).
    pub empty: Option<u64>,
    /// Invalid cells.
    pub invalid: u64,
}

impl Results {
    /// The organisation group.
    pub fn organisation(&self) -> &GroupResult {
        &self.groups[0]
    }

    /// The department groups.
    pub fn departments(&self) -> &[GroupResult] {
        &self.groups[1..]
    }
}
