//! The report folder (SPEC §8): `report.md`, `results.json`, `tables/*.csv` and
//! `charts/*`, built in memory first so that `--check` can compare without writing,
//! then written atomically by [`files`].

pub mod charts;
pub mod files;
pub mod markdown;

pub use files::{check, write, Difference, ReportFile, WriteSummary};

use crate::analysis::Analysis;
use crate::i18n::Labels;
use crate::render::{self, Csv};

/// Builds every file of the report for an analysis. `charts` are the chart files
/// (already rendered, paths under `charts/`); `excel` writes the tables for German
/// Excel.
pub fn build(
    a: &Analysis,
    charts: Vec<ReportFile>,
    excel: bool,
) -> Result<Vec<ReportFile>, String> {
    let l = Labels::new(a.questionnaire.language);
    let mut files = Vec::new();
    let chart_paths: Vec<String> = charts.iter().map(|c| c.path.clone()).collect();
    let md = markdown::render(
        a,
        &markdown::Context {
            charts: &chart_paths,
        },
    );
    files.push(ReportFile {
        path: "report.md".into(),
        bytes: md.into_bytes(),
    });
    let json = serde_json::to_string_pretty(&a.results)
        .map_err(|e| format!("cannot serialise results: {e}"))?
        + "\n";
    files.push(ReportFile {
        path: "results.json".into(),
        bytes: json.into_bytes(),
    });
    let csv = Csv { excel };
    let mut tables = vec![
        render::areas_table(&a.results, &l),
        render::departments_table(&a.results, &l),
        render::group_questions_table(&a.results, &l),
        render::gaps_table(&a.results, &l),
        render::quality_table(&a.results, &l),
    ];
    tables.extend(render::trend_csv_table(&a.results, &l));
    for t in &tables {
        files.push(ReportFile {
            path: format!("tables/{}.csv", t.name),
            bytes: csv.table(t).into_bytes(),
        });
    }
    files.extend(charts);
    files.sort_by(|x, y| x.path.cmp(&y.path));
    Ok(files)
}
