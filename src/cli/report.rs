//! `reifegrad report`: writes the whole report folder, or with `--check` compares it
//! with what would be written and exits 1 when anything is stale (for CI).

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::{output, InputArgs, EXIT_INVALID, EXIT_OK};
use crate::chart::{ChartKind, ImageFormat, RenderOptions};
use crate::report;

/// Arguments of `report`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input.
    #[command(flatten)]
    pub input: InputArgs,

    /// The report folder [default: the project's `out`, else ./report]
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Write nothing; exit 1 when a file in the folder is stale, missing or extra
    #[arg(long)]
    pub check: bool,

    /// Compare with this wave in the trend section [default: the wave before the current one]
    #[arg(long, value_name = "WAVE")]
    pub compare: Option<String>,

    /// Write the tables as CSV for German Excel (UTF-8 BOM, `;`, decimal comma)
    #[arg(long)]
    pub excel: bool,

    /// Chart image format [default: the project's [report] image, else png]
    #[arg(long, value_enum)]
    pub image: Option<super::chart::Image>,

    /// PNG resolution factor [default: the project's [report] scale, else 1]
    #[arg(long, value_name = "N", value_parser = super::chart::parse_scale)]
    pub scale: Option<f32>,
}

/// Runs `report`.
pub fn run(args: &Args) -> i32 {
    let (a, resolved) = match super::input::analyse_cli(
        &args.input,
        args.compare.as_deref(),
        "no report written",
    ) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let out = args
        .out
        .clone()
        .or_else(|| resolved.project.as_ref().map(|p| p.out.clone()))
        .unwrap_or_else(|| PathBuf::from("report"));
    let settings = resolved
        .project
        .as_ref()
        .map(|p| p.report.clone())
        .unwrap_or_default();
    let kinds: Vec<ChartKind> = if settings.charts.is_empty() {
        ChartKind::all().to_vec()
    } else {
        let mut ks = Vec::new();
        for name in &settings.charts {
            match name.parse::<ChartKind>() {
                Ok(k) => ks.push(k),
                Err(e) => {
                    eprintln!("error: [report] charts: {e}");
                    return EXIT_INVALID;
                }
            }
        }
        ks
    };
    let opts = RenderOptions {
        format: match args
            .image
            .map(|i| i == super::chart::Image::Svg)
            .unwrap_or(settings.image == "svg")
        {
            true => ImageFormat::Svg,
            false => ImageFormat::Png,
        },
        scale: args.scale.unwrap_or(settings.scale),
    };
    let charts = match report::charts::render(&a, &kinds, &opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let files = match report::build(&a, charts, args.excel) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    if args.check {
        let diffs = report::check(&out, &files);
        if diffs.is_empty() {
            output::info(&format!(
                "{}: up to date ({} files)",
                out.display(),
                files.len()
            ));
            return EXIT_OK;
        }
        for d in &diffs {
            println!("{d}");
        }
        eprintln!(
            "{}: {} file(s) differ; run `reifegrad report` to update",
            out.display(),
            diffs.len()
        );
        return EXIT_INVALID;
    }
    match report::write(&out, &files) {
        Ok(s) => {
            output::info(&format!(
                "{}: {} file(s) written, {} unchanged, {} removed",
                out.display(),
                s.written.len(),
                s.unchanged.len(),
                s.removed.len()
            ));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: {}: cannot write the report: {e}", out.display());
            EXIT_INVALID
        }
    }
}
