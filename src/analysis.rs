//! One analysis run from inputs to results: load the questionnaire, ingest the
//! surveys, score. Commands call this instead of wiring the stages themselves, so
//! every command reads input the same way and applies the same thresholds.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Failure};
use crate::ingest::{self, IngestOptions, Ingested, SurveyFile};
use crate::questionnaire::{self, Questionnaire};
use crate::score::{self, Results, ScoreOptions};

/// Everything needed to analyse one wave.
#[derive(Debug, Clone, Default)]
pub struct Input {
    /// The questionnaire file.
    pub questionnaire: PathBuf,
    /// The survey files of the wave.
    pub surveys: Vec<SurveyFile>,
    /// How files are read.
    pub ingest: IngestOptions,
    /// `--min-group` (wins over everything).
    pub min_group_override: Option<u64>,
    /// The project file's `min_group_size` (wins over the questionnaire).
    pub min_group_project: Option<u64>,
    /// Weighting, headcounts, names.
    pub score: ScoreOptions,
    /// Overrides the questionnaire's language for the tool's own labels (`--lang`).
    pub language: Option<crate::questionnaire::Language>,
}

/// The outcome of a run.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The questionnaire.
    pub questionnaire: Questionnaire,
    /// What ingest read.
    pub ingested: Ingested,
    /// The scores.
    pub results: Results,
    /// Warnings of every stage (questionnaire, files); row and cell problems are in
    /// `ingested.problems`.
    pub warnings: Vec<Diagnostic>,
}

/// The threshold by precedence (SPEC §9.3): `--min-group` > project > questionnaire > 5.
pub fn min_group_size(input: &Input, q: &Questionnaire) -> u64 {
    input
        .min_group_override
        .or(input.min_group_project)
        .or(q.min_group_size)
        .unwrap_or(5)
        .max(1)
}

/// Loads the questionnaire only.
pub fn load_questionnaire(input: &Input) -> Result<(Questionnaire, Vec<Diagnostic>), Failure> {
    questionnaire::load(&input.questionnaire)
}

/// Runs the whole analysis. Errors of any stage come back together.
pub fn run(input: &Input) -> Result<Analysis, Failure> {
    let (mut q, mut warnings) = load_questionnaire(input)?;
    if let Some(l) = input.language {
        q.language = l;
    }
    let ingested = ingest::ingest(&q, &input.surveys, &input.ingest);
    if ingested.has_errors() {
        let mut all = warnings;
        all.extend(ingested.diagnostics);
        return Err(Failure(all));
    }
    warnings.extend(ingested.diagnostics.iter().cloned());
    let mut opts = input.score.clone();
    opts.min_group_size = min_group_size(input, &q);
    warnings.extend(headcount_warnings(&ingested, &opts));
    let results = score::score(&q, &ingested, &opts);
    Ok(Analysis {
        questionnaire: q,
        ingested,
        results,
        warnings,
    })
}

/// Runs the analysis of a project wave (`None` = the last) and, when an earlier wave
/// exists, compares it with `baseline` (`None` = the wave just before). `adjust`
/// applies command-line overrides to every wave's input.
pub fn run_project(
    project: &crate::project::Project,
    wave: Option<&str>,
    baseline: Option<&str>,
    adjust: &dyn Fn(&mut Input),
) -> Result<Analysis, Failure> {
    let current_wave = project.wave(wave)?;
    let cur = project
        .waves
        .iter()
        .position(|w| w.name == current_wave.name)
        .unwrap_or(0);
    let base_index = match baseline {
        Some(b) => {
            let bw = project.wave(Some(b))?;
            let i = project
                .waves
                .iter()
                .position(|w| w.name == bw.name)
                .unwrap_or(0);
            if i == cur {
                return Err(
                    Diagnostic::error(format!("--compare names the current wave `{b}`"))
                        .help("compare with an earlier wave")
                        .into(),
                );
            }
            Some(i)
        }
        None => cur.checked_sub(1),
    };
    let run_wave = |name: &str| -> Result<Analysis, Failure> {
        let mut input = project.input(Some(name))?;
        adjust(&mut input);
        run(&input)
    };
    let mut current = run_wave(&current_wave.name)?;
    let Some(bi) = base_index else {
        return Ok(current);
    };
    // every wave up to the current one (and the baseline, if later) feeds the series
    let mut history: Vec<(usize, Analysis)> = Vec::new();
    for (i, w) in project.waves.iter().enumerate() {
        if i == cur || (i > cur && i != bi) {
            continue;
        }
        let mut a = run_wave(&w.name)?;
        a.warnings.clear();
        history.push((i, a));
    }
    let baseline_analysis = history
        .iter()
        .find(|(i, _)| *i == bi)
        .map(|(_, a)| a.clone());
    if let Some(b) = baseline_analysis {
        let series: Vec<&Analysis> = history
            .iter()
            .filter(|(i, _)| *i < cur)
            .map(|(_, a)| a)
            .chain(std::iter::once(&current))
            .collect();
        let trend = crate::trend::compare(&current, &b, &series);
        current.results.trend = Some(trend);
    }
    Ok(current)
}

/// Headcounts that name no department (typos) and, with headcount weighting,
/// departments without a headcount (they drop out of the organisation's scores).
fn headcount_warnings(ingested: &Ingested, opts: &ScoreOptions) -> Vec<Diagnostic> {
    let names: Vec<&str> = ingested
        .tally
        .departments
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    let mut out = Vec::new();
    for key in opts.headcount.keys() {
        if !names.contains(&key.as_str()) {
            let help = match crate::text::closest(key, names.iter().copied(), 1).first() {
                Some(c) => format!(
                    "did you mean `{c}`? Headcount names must match the department names exactly"
                ),
                None => {
                    "headcount names must match the department names in the survey files exactly"
                        .to_string()
                }
            };
            out.push(
                Diagnostic::warning(format!(
                    "[headcount] names `{key}`, which has no respondents in this wave"
                ))
                .help(help),
            );
        }
    }
    if opts.weighting == score::Weighting::Headcount {
        if opts.headcount.is_empty() {
            out.push(
                Diagnostic::warning("weighting = \"headcount\" but the project has no [headcount]: the organisation pools all respondents")
                    .help("add the staff numbers per department under [headcount]"),
            );
        } else {
            let missing: Vec<&str> = names
                .iter()
                .copied()
                .filter(|n| !opts.headcount.contains_key(*n))
                .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::warning(format!("no headcount for {}: with weighting = \"headcount\" they do not count in the organisation's scores", missing.join(", ")))
                        .help("add them under [headcount]"),
                );
            }
        }
    }
    out
}
