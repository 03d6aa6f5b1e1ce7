//! The INPUT options every analysing command shares (SPEC §7) and their conversion
//! into the library's [`Input`].

use std::path::PathBuf;

use clap::Args;

use super::output::{self, print_diagnostics};
use crate::analysis::{self, Analysis, Input};
use crate::diag::{Diagnostic, Failure};
use crate::ingest::{collect_files, Encoding, IngestOptions, Problem, SurveyFile};
use crate::project::{self, Project, DEFAULT_PROJECT_FILE};
use crate::questionnaire::Language;

/// `-p FILE` or `-q FILE SURVEY...`, plus the ingest options.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The project file [default: ./reifegrad.toml when present]
    #[arg(
        short = 'p',
        long = "project",
        value_name = "FILE",
        conflicts_with = "questionnaire"
    )]
    pub project: Option<PathBuf>,

    /// The questionnaire (TOML), followed by survey files or folders
    #[arg(short = 'q', long = "questionnaire", value_name = "FILE")]
    pub questionnaire: Option<PathBuf>,

    /// Survey CSV files or folders of CSV files
    #[arg(value_name = "SURVEY")]
    pub surveys: Vec<PathBuf>,

    /// Put every row into this department (instead of the department column or file name)
    #[arg(long, value_name = "NAME")]
    pub department: Option<String>,

    /// Name of the department column [default: department, abteilung, fachbereich, amt,
    /// organisationseinheit — the first present]
    #[arg(long, value_name = "NAME")]
    pub department_column: Option<String>,

    /// Field delimiter: , ; or tab [default: detected from the header]
    #[arg(long, value_name = "C", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,

    /// Encoding: utf-8 or windows-1252 [default: UTF-8, falling back to Windows-1252]
    #[arg(long, value_name = "E", value_parser = parse_encoding)]
    pub encoding: Option<Encoding>,

    /// Anonymity threshold: groups and questions with fewer respondents are withheld
    #[arg(long = "min-group", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub min_group: Option<u64>,

    /// Exit with code 1 when any cell is invalid or any row is rejected
    #[arg(long)]
    pub strict: bool,

    /// Keep survey responses whose `submitdate` is empty (LimeSurvey: not completed)
    #[arg(long)]
    pub include_incomplete: bool,

    /// Language of the tool's own labels (tables, charts, report) [default: the
    /// questionnaire's `language`]
    #[arg(long, value_name = "LANG", value_parser = ["de", "en"])]
    pub lang: Option<String>,

    /// The wave to analyse (project files) [default: the last wave]
    #[arg(long, value_name = "NAME")]
    pub wave: Option<String>,
}

/// The resolved input: what to analyse and, in project mode, the project.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The analysis input.
    pub input: Input,
    /// The project, when one was used.
    pub project: Option<Project>,
    /// Warnings from reading the project file.
    pub warnings: Vec<Diagnostic>,
}

fn parse_delimiter(s: &str) -> Result<u8, String> {
    match s {
        "tab" | "TAB" | "\\t" | "\t" => Ok(b'\t'),
        _ if s.len() == 1
            && s.is_ascii()
            && !s.as_bytes()[0].is_ascii_alphanumeric()
            && s != "\"" =>
        {
            Ok(s.as_bytes()[0])
        }
        _ => Err(format!("`{s}` is not a delimiter; use , or ; or tab")),
    }
}

fn parse_encoding(s: &str) -> Result<Encoding, String> {
    Encoding::parse(s).ok_or_else(|| {
        format!("unknown encoding `{s}`; use utf-8 or windows-1252 (also: cp1252, latin-1)")
    })
}

/// Resolves the input, runs the analysis, prints warnings and the data-quality
/// summary, and applies `--strict`: what every analysing command does first.
/// On failure the problems are printed and the exit code is returned.
pub fn analyse_cli(
    args: &InputArgs,
    compare: Option<&str>,
    what: &str,
) -> Result<(Analysis, Resolved), i32> {
    let resolved = args.resolve_cli()?;
    let a = resolved
        .analyse(args, compare)
        .map_err(|f| super::fail(&f))?;
    report_quality(&a);
    let findings = a
        .ingested
        .problems
        .iter()
        .filter(|p| p.is_strict_finding())
        .count();
    if args.strict && findings > 0 {
        eprintln!("reifegrad: --strict: {findings} problem(s) in the survey files; {what}");
        return Err(super::EXIT_INVALID);
    }
    Ok((a, resolved))
}

impl Resolved {
    /// Runs the analysis: in project mode with the trend against `compare` (or the
    /// wave before the current one), else the plain run of `-q` input.
    pub fn analyse(&self, args: &InputArgs, compare: Option<&str>) -> Result<Analysis, Failure> {
        let bars = std::sync::Mutex::new(Vec::new());
        let result = self.analyse_inner(args, compare, &bars);
        for bar in bars.into_inner().unwrap_or_default() {
            bar.finish_and_clear();
        }
        result
    }

    fn analyse_inner(
        &self,
        args: &InputArgs,
        compare: Option<&str>,
        bars: &std::sync::Mutex<Vec<indicatif::ProgressBar>>,
    ) -> Result<Analysis, Failure> {
        let with_bar = |i: &mut Input| {
            if let Some(bar) = super::progress::attach(i) {
                if let Ok(mut b) = bars.lock() {
                    b.push(bar);
                }
            }
        };
        match &self.project {
            Some(p) => analysis::run_project(p, args.wave.as_deref(), compare, &|i: &mut Input| {
                args.apply_overrides(&mut i.ingest);
                i.min_group_override = args.min_group;
                i.language = args.language();
                with_bar(i);
            }),
            None if compare.is_some() => Err(Diagnostic::error("--compare needs a project file with several waves")
                .help("define the survey rounds as [[wave]] entries in reifegrad.toml and pass -p PROJECT")
                .into()),
            None => {
                let mut input = self.input.clone();
                with_bar(&mut input);
                analysis::run(&input)
            }
        }
    }
}

impl InputArgs {
    /// The project file to use: `-p`, else `./reifegrad.toml` when present and no `-q`.
    pub fn project_path(&self) -> Option<PathBuf> {
        if self.questionnaire.is_some() {
            return None;
        }
        self.project.clone().or_else(|| {
            let p = PathBuf::from(DEFAULT_PROJECT_FILE);
            p.is_file().then_some(p)
        })
    }

    /// A usage error (exit 2): no input named at all, or `-q` without survey files.
    pub fn usage_error(&self) -> Option<Diagnostic> {
        if self.project_path().is_some() {
            return None;
        }
        if self.questionnaire.is_none() {
            return Some(Diagnostic::error("no input: no project file and no questionnaire given")
                .help("run in a folder with a reifegrad.toml, pass -p PROJECT, or pass -q QUESTIONNAIRE followed by survey files, e.g. `reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025`"));
        }
        if self.surveys.is_empty() {
            return Some(Diagnostic::error("no survey files given")
                .help("name survey CSV files or folders after the questionnaire, e.g. `-q questionnaires/kommune.toml samples/musterstadt/2025`"));
        }
        if self.wave.is_some() {
            return Some(
                Diagnostic::error("--wave needs a project file")
                    .help("waves are defined in reifegrad.toml; pass -p PROJECT"),
            );
        }
        None
    }

    /// Resolves for a command: prints problems and returns the exit code on failure
    /// (2 for usage errors, 1 for invalid input).
    pub fn resolve_cli(&self) -> Result<Resolved, i32> {
        if let Some(d) = self.usage_error() {
            super::print_diagnostics(&[d]);
            return Err(super::EXIT_USAGE);
        }
        match self.resolve() {
            Ok(r) => {
                super::print_diagnostics(&r.warnings);
                Ok(r)
            }
            Err(f) => Err(super::fail(&f)),
        }
    }

    /// Resolves the arguments into an analysis input.
    pub fn resolve(&self) -> Result<Resolved, Failure> {
        if let Some(path) = self.project_path() {
            if !self.surveys.is_empty() {
                return Err(Diagnostic::error("survey files were named together with a project file")
                    .help("survey files of a project are listed in its [[wave]] entries; to score files directly, use -q QUESTIONNAIRE SURVEY...")
                    .into());
            }
            let (project, warnings) = project::load(&path)?;
            let mut input = project.input(self.wave.as_deref())?;
            self.apply_overrides(&mut input.ingest);
            input.min_group_override = self.min_group;
            input.language = self.language();
            return Ok(Resolved {
                input,
                project: Some(project),
                warnings,
            });
        }
        let Some(questionnaire) = self.questionnaire.clone() else {
            return Err(Diagnostic::error("no input: no project file and no questionnaire given")
                .help("run in a folder with a reifegrad.toml, pass -p PROJECT, or pass -q QUESTIONNAIRE followed by survey files, e.g. `reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025`")
                .into());
        };
        if self.wave.is_some() {
            return Err(Diagnostic::error("--wave needs a project file")
                .help("waves are defined in reifegrad.toml; pass -p PROJECT")
                .into());
        }
        if self.surveys.is_empty() {
            return Err(Diagnostic::error("no survey files given")
                .help("name survey CSV files or folders after the questionnaire, e.g. `-q questionnaires/kommune.toml samples/musterstadt/2025`")
                .into());
        }
        let files = collect_files(&self.surveys)?;
        let mut ingest = IngestOptions::default();
        self.apply_overrides(&mut ingest);
        Ok(Resolved {
            input: Input {
                questionnaire,
                surveys: files.into_iter().map(SurveyFile::new).collect(),
                ingest,
                min_group_override: self.min_group,
                language: self.language(),
                ..Input::default()
            },
            project: None,
            warnings: Vec::new(),
        })
    }

    fn language(&self) -> Option<Language> {
        self.lang.as_deref().and_then(Language::parse)
    }

    fn apply_overrides(&self, o: &mut IngestOptions) {
        if self.department.is_some() {
            o.department = self.department.clone();
        }
        if self.department_column.is_some() {
            o.department_column = self.department_column.clone();
        }
        if self.delimiter.is_some() {
            o.delimiter = self.delimiter;
        }
        if self.encoding.is_some() {
            o.encoding = self.encoding;
        }
        if self.include_incomplete {
            o.include_incomplete = true;
        }
    }
}

/// Warnings, the first data problems (all with `--verbose`) and the data-quality
/// summary go to stderr.
fn report_quality(a: &Analysis) {
    print_diagnostics(&a.warnings);
    let problems = &a.ingested.problems;
    let limit = if output::verbose() { usize::MAX } else { 10 };
    let shown: Vec<_> = problems
        .iter()
        .take(limit)
        .map(Problem::to_diagnostic)
        .collect();
    print_diagnostics(&shown);
    if problems.len() > limit {
        output::info(&format!(
            "… and {} more problems (--verbose lists all; results.json has them in quality.problems)",
            problems.len() - limit
        ));
    }
    let files = &a.ingested.files;
    let used: u64 = files.iter().map(|f| f.rows_used).sum();
    let rejected: u64 = files.iter().map(|f| f.rows_rejected).sum();
    let invalid: u64 = files.iter().map(|f| f.invalid_cells).sum();
    output::info(&format!(
        "data: {} file(s), {used} respondents, {rejected} rows rejected, {invalid} invalid cells",
        files.len()
    ));
}
