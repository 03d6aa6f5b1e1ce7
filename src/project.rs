//! The project file `reifegrad.toml` (SPEC §6): ties a questionnaire, survey waves,
//! headcounts and report options together. Paths are relative to the project file.
//!
//! Read with the same span-keeping walker as the questionnaire, so every problem is
//! reported at once with line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::analysis::Input;
use crate::diag::{Diagnostic, Failure};
use crate::ingest::{Encoding, IngestOptions, SurveyFile};
use crate::score::{ScoreOptions, Weighting};
use crate::text::normalize_display;
use crate::tomlread::{Table, TomlDoc};

/// Default project file name looked up in the working directory.
pub const DEFAULT_PROJECT_FILE: &str = "reifegrad.toml";

/// A validated project.
#[derive(Debug, Clone)]
pub struct Project {
    /// The project file.
    pub path: PathBuf,
    /// Display name of the organisation.
    pub organisation: Option<String>,
    /// The questionnaire (resolved path).
    pub questionnaire: PathBuf,
    /// The report folder (resolved path).
    pub out: PathBuf,
    /// Threshold override.
    pub min_group_size: Option<u64>,
    /// Organisation weighting.
    pub weighting: Weighting,
    /// Ingest options from `[survey]`.
    pub survey: IngestOptions,
    /// Waves, oldest first; the last is the current one.
    pub waves: Vec<Wave>,
    /// Headcount per department (normalised names).
    pub headcount: BTreeMap<String, u64>,
    /// Report options.
    pub report: ReportOptions,
}

/// One survey round.
#[derive(Debug, Clone)]
pub struct Wave {
    /// Name, e.g. "2025".
    pub name: String,
    /// The wave's own questionnaire, when it differs from the project's.
    pub questionnaire: Option<PathBuf>,
    /// Survey files (globs expanded, sorted).
    pub surveys: Vec<SurveyFile>,
}

/// `[report]`: what the report folder contains.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportOptions {
    /// Chart kinds (names as on the command line); empty = all.
    pub charts: Vec<String>,
    /// `png` or `svg`.
    pub image: String,
    /// PNG scale factor (1.0 = nominal size).
    pub scale: f32,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            charts: Vec::new(),
            image: "png".into(),
            scale: 1.0,
        }
    }
}

impl Project {
    /// The wave named `name`, or the last one.
    pub fn wave(&self, name: Option<&str>) -> Result<&Wave, Failure> {
        match name {
            None => self.waves.last().ok_or_else(|| {
                Diagnostic::error("the project has no [[wave]]")
                    .in_file(&self.path)
                    .into()
            }),
            Some(n) => self.waves.iter().find(|w| w.name == n).ok_or_else(|| {
                let names: Vec<&str> = self.waves.iter().map(|w| w.name.as_str()).collect();
                Diagnostic::error(format!("the project has no wave `{n}`"))
                    .in_file(&self.path)
                    .help(format!("waves in this project: {}", names.join(", ")))
                    .into()
            }),
        }
    }

    /// The analysis input for a wave (`None` = the current, last wave).
    pub fn input(&self, wave: Option<&str>) -> Result<Input, Failure> {
        let w = self.wave(wave)?;
        Ok(Input {
            questionnaire: w
                .questionnaire
                .clone()
                .unwrap_or_else(|| self.questionnaire.clone()),
            surveys: w.surveys.clone(),
            ingest: self.survey.clone(),
            min_group_override: None,
            min_group_project: self.min_group_size,
            language: None,
            score: ScoreOptions {
                min_group_size: 0,
                weighting: self.weighting,
                headcount: self.headcount.clone(),
                organisation: self.organisation.clone(),
                wave: Some(w.name.clone()),
            },
        })
    }
}

/// Reads and validates a project file; survey globs are expanded.
pub fn load(path: &Path) -> Result<(Project, Vec<Diagnostic>), Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error(format!("cannot read the project file: {e}"))
            .in_file(path)
            .help("pass the project with -p FILE, or run `reifegrad init` to create one")
    })?;
    parse_str(path, &text)
}

/// Validates project TOML text read from `path` (used to resolve relative paths).
pub fn parse_str(path: &Path, text: &str) -> Result<(Project, Vec<Diagnostic>), Failure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut doc = TomlDoc::new(path, text);
    let Some(root) = doc.parse() else {
        return Err(Failure(doc.diags));
    };
    let span = root.span();
    let mut top = Table::new(root.get_ref(), span.start..span.start, "the project file");
    let resolve = |p: &str| -> PathBuf { base.join(p) };

    let organisation = top
        .str(&mut doc, "organisation")
        .map(|s| normalize_display(&s.value));
    let questionnaire = top.req_str(&mut doc, "questionnaire").map(|s| {
        let path = resolve(&s.value);
        if !path.is_file() {
            doc.error(
                s.span.clone(),
                &format!("the questionnaire `{}` does not exist (looked for {})", s.value, path.display()),
                "the path is relative to the project file; run `reifegrad init` for a shipped questionnaire",
            );
        }
        path
    });
    let out = top
        .str(&mut doc, "out")
        .map(|s| resolve(&s.value))
        .unwrap_or_else(|| resolve("report"));
    let min_group_size = top.uint(&mut doc, "min_group_size").and_then(|v| {
        if v.value == 0 {
            doc.error(
                v.span,
                "min_group_size must be at least 1",
                "use 5 (the usual anonymity threshold) or more",
            );
            None
        } else {
            Some(v.value)
        }
    });
    let weighting = match top.str(&mut doc, "weighting") {
        None => Weighting::Respondents,
        Some(w) => match w.value.as_str() {
            "respondents" => Weighting::Respondents,
            "headcount" => Weighting::Headcount,
            other => {
                doc.error(w.span, &format!("unknown weighting `{other}`"), "use \"respondents\" (pool everyone) or \"headcount\" (weight departments by headcount)");
                Weighting::Respondents
            }
        },
    };

    let mut survey = IngestOptions::default();
    if let Some(mut t) = top.table(&mut doc, "survey") {
        survey.department_column = t.str(&mut doc, "department_column").map(|s| s.value);
        survey.id_column = t.str(&mut doc, "id_column").map(|s| s.value);
        if let Some(d) = t.str(&mut doc, "delimiter") {
            match d.value.as_str() {
                "," => survey.delimiter = Some(b','),
                ";" => survey.delimiter = Some(b';'),
                "\t" | "tab" | "TAB" => survey.delimiter = Some(b'\t'),
                other => doc.error(
                    d.span,
                    &format!("unsupported delimiter `{other}`"),
                    "use \",\", \";\" or \"tab\"",
                ),
            }
        }
        if let Some(e) = t.str(&mut doc, "encoding") {
            match Encoding::parse(&e.value) {
                Some(enc) => survey.encoding = Some(enc),
                None => doc.error(
                    e.span,
                    &format!("unknown encoding `{}`", e.value),
                    "use \"utf-8\" or \"windows-1252\"",
                ),
            }
        }
        t.finish(&mut doc);
    }

    let mut headcount = BTreeMap::new();
    if let Some(t) = top.table(&mut doc, "headcount") {
        for (k, v) in t.entries() {
            match crate::tomlread::number(v.get_ref()) {
                Some(n) if (1.0..=1e9).contains(&n) && n.fract() == 0.0 => {
                    if headcount
                        .insert(normalize_display(k.get_ref()), n as u64)
                        .is_some()
                    {
                        doc.error(
                            k.span(),
                            &format!("the department `{}` has two headcounts", normalize_display(k.get_ref())),
                            "names are compared after trimming and collapsing white space; keep one entry",
                        );
                    }
                }
                _ => doc.error(
                    v.span(),
                    &format!("headcount of `{}` must be a whole number ≥ 1", k.get_ref()),
                    "write e.g. \"Bürgeramt\" = 42 (at most 1 000 000 000)",
                ),
            }
        }
    }

    let mut report = ReportOptions::default();
    if let Some(mut t) = top.table(&mut doc, "report") {
        if let Some(c) = t.str_list(&mut doc, "charts") {
            report.charts = c.value.into_iter().map(|s| s.value).collect();
        }
        if let Some(i) = t.str(&mut doc, "image") {
            if i.value == "png" || i.value == "svg" {
                report.image = i.value;
            } else {
                doc.error(
                    i.span,
                    &format!("unknown image format `{}`", i.value),
                    "use \"png\" or \"svg\"",
                );
            }
        }
        if let Some(s) = t.num(&mut doc, "scale") {
            if (0.25..=4.0).contains(&s.value) {
                report.scale = s.value as f32;
            } else {
                doc.error(
                    s.span,
                    &format!("scale {} is outside 0.25..4", s.value),
                    "use 1 for screen, 2 or 3 for print",
                );
            }
        }
        t.finish(&mut doc);
    }

    let mut waves: Vec<Wave> = Vec::new();
    let wave_tables = top.tables(&mut doc, "wave", "wave");
    if wave_tables.is_empty() && !doc.has_errors() {
        doc.error(
            0..0,
            "the project has no [[wave]]",
            "add a [[wave]] with `name` and `surveys = [\"data/2025/*.csv\"]`",
        );
    }
    for mut t in wave_tables {
        let name = t.req_str(&mut doc, "name");
        let wq = t.str(&mut doc, "questionnaire").map(|s| {
            let path = resolve(&s.value);
            if !path.is_file() {
                doc.error(
                    s.span.clone(),
                    &format!(
                        "the questionnaire `{}` does not exist (looked for {})",
                        s.value,
                        path.display()
                    ),
                    "the path is relative to the project file",
                );
            }
            path
        });
        let mut surveys: Vec<SurveyFile> = Vec::new();
        let department = t.str(&mut doc, "department").map(|s| s.value);
        match t.str_list(&mut doc, "surveys") {
            None => doc.error(
                t.span(),
                &format!("{} has no `surveys`", t.name),
                "add `surveys = [\"data/2025/*.csv\"]`",
            ),
            Some(list) if list.value.is_empty() => doc.error(
                list.span,
                &format!("`surveys` of {} is empty", t.name),
                "list the survey files, folders or patterns, e.g. surveys = [\"data/2025/*.csv\"]",
            ),
            Some(list) => {
                for pat in list.value {
                    let full = resolve(&pat.value);
                    let found = expand(&full);
                    match found {
                        Ok(files) if files.is_empty() => doc.error(
                            pat.span,
                            &format!(
                                "`{}` matches no file (looked for {})",
                                pat.value,
                                full.display()
                            ),
                            "check the path; it is relative to the project file",
                        ),
                        Ok(files) => {
                            for path in files {
                                if !surveys.iter().any(|s| s.path == path) {
                                    let label = path
                                        .strip_prefix(&base)
                                        .ok()
                                        .map(|p| p.to_string_lossy().replace('\\', "/"));
                                    surveys.push(SurveyFile {
                                        path,
                                        department: department.clone(),
                                        label,
                                    });
                                }
                            }
                        }
                        Err(e) => doc.error(
                            pat.span,
                            &format!("`{}` is not a valid pattern: {e}", pat.value),
                            "use * and ? wildcards, like \"data/2025/*.csv\"",
                        ),
                    }
                }
            }
        }
        t.finish(&mut doc);
        if let Some(name) = name {
            if waves.iter().any(|w| w.name == name.value) {
                doc.error(
                    name.span,
                    &format!("wave `{}` is defined twice", name.value),
                    "give every wave its own name",
                );
                continue;
            }
            waves.push(Wave {
                name: name.value,
                questionnaire: wq,
                surveys,
            });
        }
    }
    top.finish(&mut doc);
    let diags = doc.diags;
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Failure(diags));
    }
    Ok((
        Project {
            path: path.to_path_buf(),
            organisation,
            questionnaire: questionnaire.unwrap_or_default(),
            out,
            min_group_size,
            weighting,
            survey,
            waves,
            headcount,
            report,
        },
        diags,
    ))
}

/// Expands a path that may hold glob wildcards; a folder means its `*.csv` files.
fn expand(path: &Path) -> Result<Vec<PathBuf>, String> {
    let s = path.to_string_lossy();
    if path.is_dir() {
        return crate::ingest::collect_files(&[path.to_path_buf()]).map_err(|f| f.to_string());
    }
    if !s.contains(['*', '?', '[']) {
        return Ok(if path.is_file() {
            vec![path.to_path_buf()]
        } else {
            Vec::new()
        });
    }
    let mut out: Vec<PathBuf> = glob::glob(&s)
        .map_err(|e| e.to_string())?
        .filter_map(Result::ok)
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_project_and_reports_every_problem() {
        let dir =
            std::env::temp_dir().join(format!("reifegrad-project-test-{}", std::process::id()));
        let data = dir.join("data/2025");
        std::fs::create_dir_all(&data).unwrap();
        std::fs::write(data.join("a.csv"), "id,q\n").unwrap();
        std::fs::write(data.join("b.csv"), "id,q\n").unwrap();
        std::fs::write(dir.join("q.toml"), "").unwrap();
        let path = dir.join("reifegrad.toml");
        let good = "organisation = \"Stadt X\"\nquestionnaire = \"q.toml\"\nweighting = \"headcount\"\n[survey]\ndelimiter = \";\"\n[[wave]]\nname = \"2025\"\nsurveys = [\"data/2025/*.csv\"]\n[headcount]\n\"Bürgeramt\" = 42\n";
        let (p, _) = parse_str(&path, good).unwrap();
        assert_eq!(p.organisation.as_deref(), Some("Stadt X"));
        assert_eq!(p.questionnaire, dir.join("q.toml"));
        assert_eq!(p.out, dir.join("report"));
        assert_eq!(p.weighting, Weighting::Headcount);
        assert_eq!(p.survey.delimiter, Some(b';'));
        assert_eq!(p.waves[0].surveys.len(), 2);
        assert_eq!(p.headcount.get("Bürgeramt"), Some(&42));
        let input = p.input(None).unwrap();
        assert_eq!(input.score.wave.as_deref(), Some("2025"));
        assert!(p.input(Some("2023")).is_err());

        let bad = good
            .replace(
                "weighting = \"headcount\"",
                "weighting = \"people\"\nmin_grup = 3",
            )
            .replace("*.csv", "*.xlsx")
            .replace("= 42", "= -1");
        let errs = parse_str(&path, &bad).unwrap_err().0;
        let msgs: Vec<String> = errs
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.line.unwrap_or(0),
                    d.column.unwrap_or(0),
                    d.message
                )
            })
            .collect();
        assert!(
            msgs.iter()
                .any(|m| m.contains("unknown weighting `people`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("4:") && m.contains("unknown key `min_grup`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("matches no file")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("headcount of `Bürgeramt`")),
            "{msgs:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
