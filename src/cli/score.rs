//! `reifegrad score`: scores areas, questions and departments and prints them as a
//! terminal table, Markdown, CSV or the full JSON results (SPEC §7, §8).

use clap::{Args as ClapArgs, ValueEnum};

use super::{print_stdout, InputArgs};
use crate::analysis::Analysis;
use crate::i18n::Labels;
use crate::render::{self, Csv, Markdown, TableFormat, Terminal};

/// What the rows of the table are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// The organisation's areas with targets, gaps and priorities
    Area,
    /// The organisation's questions with n, don't know, sd and ci95
    Question,
    /// Every department's overall and area scores
    Department,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table for the terminal
    Table,
    /// Markdown pipe tables
    Markdown,
    /// CSV (full precision)
    Csv,
    /// The full results as JSON (same as results.json; --by is ignored)
    Json,
}

/// Arguments of `score`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input.
    #[command(flatten)]
    pub input: InputArgs,

    /// Rows of the table
    #[arg(long, value_enum, default_value_t = By::Area)]
    pub by: By,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// CSV for German Excel: UTF-8 BOM, `;` and decimal comma
    #[arg(long)]
    pub excel: bool,

    /// Show the change since this wave (project files with several waves)
    #[arg(long, value_name = "WAVE")]
    pub compare: Option<String>,
}

/// Runs `score`.
pub fn run(args: &Args) -> i32 {
    let (a, _) = match super::input::analyse_cli(
        &args.input,
        args.compare.as_deref(),
        "no scores printed",
    ) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let code = print_stdout(&render(
        &a,
        args.by,
        args.format,
        args.excel,
        args.compare.is_some(),
    ));
    // The process ends next: freeing hundreds of thousands of small allocations one
    // by one would cost more than the scoring itself on large surveys.
    std::mem::forget(a);
    code
}

/// Renders the scores in the chosen shape.
pub fn render(a: &Analysis, by: By, format: Format, excel: bool, trend: bool) -> String {
    let labels = Labels::new(a.questionnaire.language);
    if format == Format::Json {
        return match serde_json::to_string_pretty(&a.results) {
            Ok(s) => s + "\n",
            Err(e) => format!("{{\"error\": \"{e}\"}}\n"),
        };
    }
    let trend_rows = match by {
        By::Area => render::TrendRows::Area,
        By::Question => render::TrendRows::Question,
        By::Department => render::TrendRows::Department,
    };
    let table = match by {
        _ if trend => {
            match render::trend_table(&a.results, trend_rows, &labels, format == Format::Csv) {
                Some(t) => t,
                None => return String::new(),
            }
        }
        By::Area => render::areas_table(&a.results, &labels),
        By::Question => {
            let texts: Vec<String> = a
                .questionnaire
                .questions
                .iter()
                .map(|q| q.text.clone())
                .collect();
            render::questions_table(&a.results, &texts, &labels)
        }
        By::Department => render::departments_table(&a.results, &labels),
    };
    let tables = [table];
    match format {
        Format::Table => Terminal {
            labels,
            width: None,
        }
        .render(&tables),
        Format::Markdown => Markdown {
            labels,
            heading_level: 0,
        }
        .render(&tables),
        Format::Csv => Csv { excel }.render(&tables),
        Format::Json => String::new(),
    }
}
