//! `reifegrad template`: a blank survey CSV, a printable questionnaire (Markdown) or a
//! LimeSurvey survey structure made from the questionnaire.

use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};

use super::{fail, output, print_diagnostics, print_stdout, EXIT_INVALID, EXIT_OK, EXIT_USAGE};
use crate::diag::Diagnostic;
use crate::project::{self, DEFAULT_PROJECT_FILE};
use crate::questionnaire;
use crate::template;

/// What to produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A blank survey CSV: id, department column, one column per question id
    Csv,
    /// A printable questionnaire for paper surveys (convert with pandoc)
    Markdown,
    /// A LimeSurvey survey structure (.txt, tab-separated) to import as a new survey
    Limesurvey,
}

/// Arguments of `template`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The project file [default: ./reifegrad.toml when present]
    #[arg(
        short = 'p',
        long = "project",
        value_name = "FILE",
        conflicts_with = "questionnaire"
    )]
    pub project: Option<PathBuf>,

    /// The questionnaire (TOML)
    #[arg(short = 'q', long = "questionnaire", value_name = "FILE")]
    pub questionnaire: Option<PathBuf>,

    /// What to produce
    #[arg(long, value_enum)]
    pub format: Format,

    /// CSV for German Excel: UTF-8 BOM and `;`
    #[arg(long)]
    pub excel: bool,

    /// Write to this file instead of standard output
    #[arg(short = 'o', long = "out", value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs `template`.
pub fn run(args: &Args) -> i32 {
    let path = match (&args.questionnaire, &args.project) {
        (Some(q), _) => q.clone(),
        (None, p) => {
            let Some(pp) = p.clone().or_else(|| {
                let d = PathBuf::from(DEFAULT_PROJECT_FILE);
                d.is_file().then_some(d)
            }) else {
                print_diagnostics(&[Diagnostic::error("no questionnaire given")
                    .help("pass -q QUESTIONNAIRE or -p PROJECT, e.g. `reifegrad template -q questionnaires/kommune.toml --format limesurvey`")]);
                return EXIT_USAGE;
            };
            match project::load(&pp) {
                Ok((p, _)) => p.questionnaire,
                Err(f) => return fail(&f),
            }
        }
    };
    let q = match questionnaire::load(&path) {
        Ok((q, warnings)) => {
            print_diagnostics(&warnings);
            q
        }
        Err(f) => return fail(&f),
    };
    let text = match args.format {
        Format::Csv => template::csv(&q, args.excel),
        Format::Markdown => template::markdown(&q),
        Format::Limesurvey => template::limesurvey(&q),
    };
    match &args.out {
        None => print_stdout(&text),
        Some(out) => match std::fs::write(out, text) {
            Ok(()) => {
                output::info(&format!("{}: written", out.display()));
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: {}: cannot write: {e}", out.display());
                EXIT_INVALID
            }
        },
    }
}
