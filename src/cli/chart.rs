//! `reifegrad chart`: writes chart images (PNG or SVG) into a folder.

use std::path::PathBuf;

use clap::{Args as ClapArgs, ValueEnum};

use super::{output, InputArgs, EXIT_INVALID, EXIT_OK};
use crate::chart::{ChartKind, ImageFormat, RenderOptions};
use crate::report;

/// Image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Image {
    /// PNG (rasterised from the SVG with the embedded font)
    Png,
    /// SVG
    Svg,
}

/// Arguments of `chart`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Input.
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder for the chart files (created if missing)
    #[arg(short = 'o', long = "out", value_name = "DIR")]
    pub out: PathBuf,

    /// Which charts: radar, bars, heatmap, likert, roadmap, trend or all
    #[arg(long = "chart", value_name = "KIND", default_value = "all", value_parser = parse_kind)]
    pub chart: Vec<KindArg>,

    /// Image format
    #[arg(long, value_enum, default_value_t = Image::Png)]
    pub image: Image,

    /// PNG resolution factor: 1 = 1600×1000 px, 2 or 3 for print
    #[arg(long, value_name = "N", default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f32,
}

/// A `--chart` value: one kind or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindArg {
    /// Every kind.
    All,
    /// One kind.
    One(ChartKind),
}

fn parse_kind(s: &str) -> Result<KindArg, String> {
    if s == "all" {
        return Ok(KindArg::All);
    }
    s.parse::<ChartKind>().map(KindArg::One).map_err(|_| {
        let names: Vec<&str> = ChartKind::all().iter().map(|k| k.name()).collect();
        match crate::text::closest(s, names.iter().copied(), 1).first() {
            Some(c) => format!(
                "unknown chart kind `{s}`; did you mean `{c}`? (kinds: {}, all)",
                names.join(", ")
            ),
            None => format!(
                "unknown chart kind `{s}` (kinds: {}, all)",
                names.join(", ")
            ),
        }
    })
}

pub(crate) fn parse_scale(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(v) if (0.25..=4.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a scale between 0.25 and 4")),
    }
}

/// The chart kinds chosen (all when `all` is among them), in a fixed order.
pub fn kinds(args: &[KindArg]) -> Vec<ChartKind> {
    if args.is_empty() || args.contains(&KindArg::All) {
        return ChartKind::all().to_vec();
    }
    ChartKind::all()
        .iter()
        .copied()
        .filter(|k| args.contains(&KindArg::One(*k)))
        .collect()
}

/// Runs `chart`.
pub fn run(args: &Args) -> i32 {
    let (a, _) = match super::input::analyse_cli(&args.input, None, "no charts written") {
        Ok(r) => r,
        Err(code) => return code,
    };
    let opts = RenderOptions {
        format: match args.image {
            Image::Png => ImageFormat::Png,
            Image::Svg => ImageFormat::Svg,
        },
        scale: args.scale,
    };
    let files = match report::charts::render(&a, &kinds(&args.chart), &opts) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    // the chart command writes into DIR itself, without the report's `charts/` folder
    let files: Vec<report::ReportFile> = files
        .into_iter()
        .map(|f| report::ReportFile {
            path: f.path.trim_start_matches("charts/").to_string(),
            bytes: f.bytes,
        })
        .collect();
    match report::files::write_files(&args.out, &files) {
        Ok(written) => {
            output::info(&format!(
                "{}: {} chart file(s) written, {} unchanged",
                args.out.display(),
                written.written.len(),
                written.unchanged.len()
            ));
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "error: {}: cannot write the charts: {e}",
                args.out.display()
            );
            EXIT_INVALID
        }
    }
}
