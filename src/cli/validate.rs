//! `reifegrad validate`: checks the questionnaire and the surveys and lists every
//! problem (SPEC §7). With only `-q`, the questionnaire alone is checked.

use clap::Args as ClapArgs;

use super::{fail, print_diagnostics, print_stdout, InputArgs, EXIT_INVALID, EXIT_OK};
use crate::analysis;
use crate::ingest::Problem;

/// Arguments of `validate`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Runs `validate`.
pub fn run(args: &Args) -> i32 {
    if args.input.surveys.is_empty()
        && args.input.questionnaire.is_some()
        && args.input.project.is_none()
    {
        let input = analysis::Input {
            questionnaire: args.input.questionnaire.clone().unwrap_or_default(),
            ..Default::default()
        };
        return match analysis::load_questionnaire(&input) {
            Ok((q, warnings)) => {
                print_diagnostics(&warnings);
                print_stdout(&format!(
                    "ok: questionnaire `{}` ({}): {} areas, {} questions, {} scales, {} levels\n",
                    q.id,
                    input.questionnaire.display(),
                    q.areas.len(),
                    q.questions.len(),
                    q.scales.len(),
                    q.levels.len()
                ))
            }
            Err(f) => fail(&f),
        };
    }
    let resolved = match args.input.resolve_cli() {
        Ok(r) => r,
        Err(code) => return code,
    };
    let a = match analysis::run(&resolved.input) {
        Ok(a) => a,
        Err(f) => return fail(&f),
    };
    print_diagnostics(&a.warnings);
    print_diagnostics(
        &a.ingested
            .problems
            .iter()
            .map(Problem::to_diagnostic)
            .collect::<Vec<_>>(),
    );
    let q = &a.questionnaire;
    let files = &a.ingested.files;
    let used: u64 = files.iter().map(|f| f.rows_used).sum();
    let rejected: u64 = files.iter().map(|f| f.rows_rejected).sum();
    let invalid: u64 = files.iter().map(|f| f.invalid_cells).sum();
    let mut out = format!(
        "questionnaire `{}`: {} areas, {} questions\n",
        q.id,
        q.areas.len(),
        q.questions.len()
    );
    for f in files {
        out.push_str(&format!(
            "{}: {} rows read, {} used, {} rejected, {} invalid cells ({}, delimiter {})\n",
            f.path,
            f.rows_read,
            f.rows_used,
            f.rows_rejected,
            f.invalid_cells,
            f.encoding,
            f.delimiter
        ));
    }
    out.push_str(&format!(
        "{} respondents in {} departments; {} rows rejected, {} invalid cells\n",
        used,
        a.ingested.tally.departments.len(),
        rejected,
        invalid
    ));
    let code = print_stdout(&out);
    let findings = a
        .ingested
        .problems
        .iter()
        .filter(|p| p.is_strict_finding())
        .count();
    if args.input.strict && findings > 0 {
        eprintln!("reifegrad: --strict: {findings} finding(s): rejected rows and invalid cells");
        return EXIT_INVALID;
    }
    if code != EXIT_OK {
        return code;
    }
    EXIT_OK
}
