//! The INPUT options every analysing command shares (SPEC §7) and their conversion
//! into the library's [`Input`].

use std::path::PathBuf;

use clap::Args;

use crate::analysis::Input;
use crate::diag::{Diagnostic, Failure};
use crate::ingest::{collect_files, Encoding, IngestOptions, SurveyFile};

/// `-q FILE SURVEY...` plus the ingest options.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// The questionnaire (TOML)
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

impl InputArgs {
    /// Resolves the arguments into an analysis input.
    pub fn resolve(&self) -> Result<Input, Failure> {
        let Some(questionnaire) = self.questionnaire.clone() else {
            return Err(Diagnostic::error("no questionnaire given")
                .help("name it with -q FILE followed by the survey CSV files or folders, e.g. `reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025`")
                .into());
        };
        if self.surveys.is_empty() {
            return Err(Diagnostic::error("no survey files given")
                .help("name survey CSV files or folders after the questionnaire, e.g. `-q questionnaires/kommune.toml samples/musterstadt/2025`")
                .into());
        }
        let files = collect_files(&self.surveys)?;
        Ok(Input {
            questionnaire,
            surveys: files
                .into_iter()
                .map(|path| SurveyFile {
                    path,
                    department: None,
                })
                .collect(),
            ingest: IngestOptions {
                department: self.department.clone(),
                department_column: self.department_column.clone(),
                id_column: None,
                delimiter: self.delimiter,
                encoding: self.encoding,
            },
            min_group_override: self.min_group,
            ..Input::default()
        })
    }
}
