//! `reifegrad init [DIR]`: scaffolds a project — a copy of a shipped questionnaire, a
//! commented `reifegrad.toml` and a blank survey CSV to fill or replace — and refuses
//! to overwrite anything.

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, ValueEnum};

use super::{EXIT_INVALID, EXIT_OK};
use crate::questionnaire::{self, Language};

/// The shipped German questionnaire.
pub const KOMMUNE_TOML: &str = include_str!("../../questionnaires/kommune.toml");
/// The shipped English questionnaire.
pub const MUNICIPALITY_EN_TOML: &str = include_str!("../../questionnaires/municipality-en.toml");

/// Questionnaire language of the new project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// German questionnaire (kommune.toml)
    De,
    /// English questionnaire (municipality-en.toml)
    En,
}

/// Arguments of `init`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// Folder of the new project (created if missing)
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Which shipped questionnaire to copy
    #[arg(long, value_enum, default_value_t = Lang::De)]
    pub lang: Lang,

    /// Name of the organisation
    #[arg(long, value_name = "NAME")]
    pub organisation: Option<String>,
}

/// The files `init` writes, relative to the project folder.
pub fn scaffold(lang: Lang, organisation: Option<&str>) -> Vec<(String, String)> {
    let (qfile, qtext, dept_col, data, blank) = match lang {
        Lang::De => (
            "fragebogen.toml",
            KOMMUNE_TOML,
            "Fachbereich",
            "daten",
            "vorlage.csv",
        ),
        Lang::En => (
            "questionnaire.toml",
            MUNICIPALITY_EN_TOML,
            "Department",
            "data",
            "template.csv",
        ),
    };
    let org = organisation.unwrap_or(match lang {
        Lang::De => "Stadtverwaltung Musterstadt",
        Lang::En => "City of Exampleton",
    });
    let org = org.replace('\\', "\\\\").replace('"', "\\\"");
    let ids: Vec<String> = match questionnaire::parse_str(Path::new(qfile), qtext) {
        Ok((q, _)) => q.questions.iter().map(|q| q.id.clone()).collect(),
        Err(_) => Vec::new(),
    };
    let header = format!("id;{dept_col};{}\r\n", ids.join(";"));
    let (c1, c2, c3, c4, c5, c6) = match lang {
        Lang::De => (
            "Projekt der Ist-Analyse (reifegrad). Pfade sind relativ zu dieser Datei.",
            "Anonymitätsschwelle: Gruppen mit weniger Antwortenden werden nicht ausgewiesen.",
            "\"respondents\": alle Antworten gemeinsam; \"headcount\": Fachbereiche nach Beschäftigtenzahl gewichtet.",
            "Eine Befragungsrunde je [[wave]]; die letzte ist die aktuelle. Weitere Runden darunter ergänzen.",
            "Beschäftigte je Fachbereich (für Rücklaufquoten und weighting = \"headcount\").",
            "Diagramme: \"png\" oder \"svg\"; scale = 2 für Druckauflösung.",
        ),
        Lang::En => (
            "reifegrad project (current-state analysis). Paths are relative to this file.",
            "Anonymity threshold: groups with fewer respondents are withheld.",
            "\"respondents\": pool all answers; \"headcount\": weight departments by staff numbers.",
            "One [[wave]] per survey round; the last is the current one. Add later rounds below.",
            "Staff per department (for response rates and weighting = \"headcount\").",
            "Charts: \"png\" or \"svg\"; scale = 2 for print resolution.",
        ),
    };
    let project = format!(
        "# {c1}\n\norganisation = \"{org}\"\nquestionnaire = \"{qfile}\"\nout = \"report\"\n# {c2}\nmin_group_size = 5\n# {c3}\nweighting = \"respondents\"\n\n[survey]\ndepartment_column = \"{dept_col}\"\nid_column = \"id\"\n# delimiter = \";\"\n# encoding = \"windows-1252\"\n\n# {c4}\n[[wave]]\nname = \"2025\"\nsurveys = [\"{data}/2025/*.csv\"]\n\n# {c5}\n[headcount]\n# \"Bürgeramt\" = 42\n\n[report]\n# {c6}\nimage = \"png\"\nscale = 1.0\n"
    );
    vec![
        ("reifegrad.toml".to_string(), project),
        (qfile.to_string(), qtext.to_string()),
        (format!("{data}/2025/{blank}"), header),
    ]
}

/// Runs `init`.
pub fn run(args: &Args) -> i32 {
    let files = scaffold(args.lang, args.organisation.as_deref());
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| args.dir.join(p))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() {
        eprintln!(
            "error: {} already exist(s): {}",
            existing.len(),
            existing.join(", ")
        );
        eprintln!("  help: init never overwrites; choose an empty folder, e.g. `reifegrad init my-project`");
        return EXIT_INVALID;
    }
    for (rel, text) in &files {
        let path = args.dir.join(rel);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| {
                std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
            });
        if let Err(e) = written {
            eprintln!("error: {}: cannot write: {e}", path.display());
            return EXIT_INVALID;
        }
    }
    let lang = match args.lang {
        Lang::De => Language::De,
        Lang::En => Language::En,
    };
    let dir = args.dir.display();
    match lang {
        Language::De => println!(
            "Projekt angelegt in {dir}:\n  reifegrad.toml, {}, {}\nNächste Schritte:\n  1. Fragebogen anpassen und prüfen:   reifegrad validate -q {dir}/{}\n  2. Umfrage-Exporte (CSV) nach daten/2025/ legen (die Vorlage zeigt die Spalten)\n  3. Bericht erzeugen:                 reifegrad report -p {dir}/reifegrad.toml",
            files[1].0, files[2].0, files[1].0
        ),
        Language::En => println!(
            "Project created in {dir}:\n  reifegrad.toml, {}, {}\nNext steps:\n  1. Adapt and check the questionnaire: reifegrad validate -q {dir}/{}\n  2. Put the survey exports (CSV) into data/2025/ (the template shows the columns)\n  3. Write the report:                   reifegrad report -p {dir}/reifegrad.toml",
            files[1].0, files[2].0, files[1].0
        ),
    }
    EXIT_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaffold_parses() {
        for lang in [Lang::De, Lang::En] {
            let files = scaffold(lang, Some("Stadt \"X\""));
            let (_, q) = &files[1];
            assert!(questionnaire::parse_str(Path::new("q.toml"), q).is_ok());
            let dir = tempfile::tempdir().unwrap();
            for (rel, text) in &files {
                let p = dir.path().join(rel);
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(&p, text).unwrap();
            }
            let (p, _) = crate::project::load(&dir.path().join("reifegrad.toml")).unwrap();
            assert_eq!(p.organisation.as_deref(), Some("Stadt \"X\""));
            assert_eq!(p.waves[0].surveys.len(), 1);
            assert!(files[2].1.split(';').count() > 40);
        }
    }
}
