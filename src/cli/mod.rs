//! The command line: one module per subcommand, plus the shared input options.
//!
//! This is the only place that knows about clap. Each subcommand turns its arguments
//! into the library's plain option structs, runs the library, prints, and returns an
//! exit code (SPEC §7: 0 success; 1 invalid input, `--strict` findings or a stale
//! `--check`; 2 usage errors).

mod chart;
mod completions;
mod init;
mod input;
pub mod output;
mod progress;
mod report;
mod score;
mod template;
mod validate;

use std::io::Write;

use clap::{Parser, Subcommand};

use crate::diag::Failure;

pub use input::InputArgs;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: invalid input, `--strict` findings, stale `--check`.
pub const EXIT_INVALID: i32 = 1;
/// Exit code: usage error.
pub const EXIT_USAGE: i32 = 2;

/// Ist-Analyse of a public administration's digital maturity: questionnaire in TOML,
/// survey CSVs in, scores per area and department, Soll-Ist gaps, tables and charts out.
#[derive(Debug, Parser)]
#[command(
    name = "reifegrad",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,

    /// Print errors only (no warnings, no summaries)
    #[arg(long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Print every data problem, not only the first ten
    #[arg(short = 'v', long, global = true)]
    pub verbose: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new project: questionnaire, reifegrad.toml and a blank survey CSV
    #[command(
        after_help = "Examples:\n  reifegrad init meine-stadt\n  reifegrad init my-city --lang en --organisation \"City of Exampleton\""
    )]
    Init(init::Args),
    /// Check questionnaire and surveys and list every problem
    #[command(
        after_help = "Examples:\n  reifegrad validate -q questionnaires/kommune.toml samples/musterstadt/2025\n  reifegrad validate -q fragebogen.toml umfrage.csv --strict"
    )]
    Validate(validate::Args),
    /// Score areas, questions and departments
    #[command(
        after_help = "Examples:\n  reifegrad score -p samples/musterstadt/reifegrad.toml\n  reifegrad score -p samples/musterstadt/reifegrad.toml --by department --format markdown\n  reifegrad score -p samples/musterstadt/reifegrad.toml --compare 2023\n  reifegrad score -q questionnaires/kommune.toml samples/musterstadt/2025 --format json"
    )]
    Score(score::Args),
    /// Write chart images: radar, bars, heatmap, Likert, roadmap, trend
    #[command(
        after_help = "Examples:\n  reifegrad chart -p samples/musterstadt/reifegrad.toml -o charts\n  reifegrad chart -p samples/musterstadt/reifegrad.toml -o charts --chart radar\n  reifegrad chart -p reifegrad.toml -o print --scale 3"
    )]
    Chart(chart::Args),
    /// Write the report folder: report.md, results.json, tables and charts
    #[command(
        after_help = "Examples:\n  reifegrad report -p samples/musterstadt/reifegrad.toml\n  reifegrad report -p samples/musterstadt/reifegrad.toml --check\n  reifegrad report -q questionnaires/kommune.toml samples/musterstadt/2025 -o out"
    )]
    Report(report::Args),
    /// Make a blank survey CSV, a printable questionnaire or a LimeSurvey structure
    #[command(
        after_help = "Examples:\n  reifegrad template -q questionnaires/kommune.toml --format limesurvey -o umfrage.txt\n  reifegrad template -q questionnaires/kommune.toml --format markdown -o fragebogen.md\n  reifegrad template -p reifegrad.toml --format csv --excel -o vorlage.csv"
    )]
    Template(template::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Examples:\n  reifegrad completions bash > ~/.local/share/bash-completion/completions/reifegrad\n  reifegrad completions zsh > ~/.zfunc/_reifegrad"
    )]
    Completions(completions::Args),
    /// Print the man page (roff)
    #[command(after_help = "Examples:\n  reifegrad man > reifegrad.1 && man ./reifegrad.1")]
    Man,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    output::set_verbosity(cli.quiet, cli.verbose);
    match cli.command {
        Command::Init(a) => init::run(&a),
        Command::Validate(a) => validate::run(&a),
        Command::Score(a) => score::run(&a),
        Command::Chart(a) => chart::run(&a),
        Command::Report(a) => report::run(&a),
        Command::Template(a) => template::run(&a),
        Command::Completions(a) => completions::run(&a),
        Command::Man => completions::man(),
    }
}

pub(crate) use output::print_diagnostics;

/// Prints a failure and returns exit code 1.
pub(crate) fn fail(f: &Failure) -> i32 {
    print_diagnostics(&f.0);
    let errors = f.0.iter().filter(|d| d.is_error()).count();
    let _ = writeln!(
        std::io::stderr(),
        "reifegrad: {errors} error(s); nothing was written"
    );
    EXIT_INVALID
}

/// Writes text to stdout; a closed pipe (e.g. `| head`) is not an error.
pub(crate) fn print_stdout(s: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: cannot write to standard output: {e}"
            );
            EXIT_INVALID
        }
    }
}
