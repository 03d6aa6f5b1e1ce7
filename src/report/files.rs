//! Writing the report folder: atomic writes (temp file + rename), removal of files
//! that are no longer produced (only inside the folders reifegrad owns), and the
//! comparison behind `report --check`.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A file of the report, with its path relative to the report folder (`/`-separated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    /// Relative path, e.g. `tables/areas.csv`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Sub-folders reifegrad owns, with the extensions it writes there: files with these
/// extensions that are not produced any more are removed; nothing else is touched.
pub const OWNED: [(&str, &[&str]); 2] = [("tables", &["csv"]), ("charts", &["png", "svg"])];

/// How a file in the folder differs from what would be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// Exists with other content.
    Stale(String),
    /// Would be written but does not exist.
    Missing(String),
    /// Exists in an owned folder but would not be written.
    Extra(String),
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Difference::Stale(p) => write!(f, "stale:   {p}"),
            Difference::Missing(p) => write!(f, "missing: {p}"),
            Difference::Extra(p) => write!(f, "extra:   {p}"),
        }
    }
}

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteSummary {
    /// Files written because they changed or were missing.
    pub written: Vec<String>,
    /// Files already up to date.
    pub unchanged: Vec<String>,
    /// Files removed because they are no longer produced.
    pub removed: Vec<String>,
}

fn reject_symlinked_dir(dir: &Path) -> io::Result<()> {
    if let Ok(meta) = fs::symlink_metadata(dir) {
        if meta.file_type().is_symlink() {
            return Err(io::Error::other(format!("{} is a symbolic link; reifegrad does not write through links out of the report folder — replace it with a real folder", dir.display())));
        }
    }
    Ok(())
}

fn target(out: &Path, rel: &str) -> io::Result<PathBuf> {
    // Paths are built by reifegrad from slugs; refuse anything that could escape anyway.
    if rel
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
        || rel.starts_with('/')
        || rel.contains('\\')
    {
        return Err(io::Error::other(format!(
            "refusing to write outside the report folder: {rel}"
        )));
    }
    Ok(out.join(rel))
}

/// Files in the owned sub-folders that would not be written.
fn extras(out: &Path, files: &[ReportFile]) -> Vec<String> {
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut extra = Vec::new();
    for (dir, exts) in OWNED {
        let Ok(rd) = fs::read_dir(out.join(dir)) else {
            continue;
        };
        let mut names: Vec<String> = rd
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_type()
                    .map(|t| t.is_file() || t.is_symlink())
                    .unwrap_or(false)
            })
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| {
                Path::new(n)
                    .extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| exts.contains(&x))
            })
            .collect();
        names.sort();
        for n in names {
            let rel = format!("{dir}/{n}");
            if !produced.contains(rel.as_str()) {
                extra.push(rel);
            }
        }
    }
    extra
}

/// Writes every file atomically and removes stale files in the owned folders.
/// Unchanged files are not rewritten (their modification time stays).
pub fn write(out: &Path, files: &[ReportFile]) -> io::Result<WriteSummary> {
    for (dir, _) in OWNED {
        reject_symlinked_dir(&out.join(dir))?;
    }
    let mut summary = write_files(out, files)?;
    for rel in extras(out, files) {
        fs::remove_file(out.join(&rel))?;
        summary.removed.push(rel);
    }
    Ok(summary)
}

/// Writes every file atomically into `out`, removing nothing.
pub fn write_files(out: &Path, files: &[ReportFile]) -> io::Result<WriteSummary> {
    fs::create_dir_all(out)?;
    let mut summary = WriteSummary::default();
    for f in files {
        let path = target(out, &f.path)?;
        if let Some(parent) = path.parent() {
            reject_symlinked_dir(parent)?;
            fs::create_dir_all(parent)?;
        }
        let is_link = fs::symlink_metadata(&path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        if !is_link && fs::read(&path).is_ok_and(|old| old == f.bytes) {
            summary.unchanged.push(f.path.clone());
            continue;
        }
        let tmp = path.with_file_name(format!(
            ".{}.tmp-{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("x"),
            std::process::id()
        ));
        {
            let mut w = fs::File::create(&tmp)?;
            w.write_all(&f.bytes)?;
            w.sync_all()?;
        }
        // rename replaces a symlink itself, never the file it points to
        if let Err(e) = fs::rename(&tmp, &path) {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        summary.written.push(f.path.clone());
    }
    Ok(summary)
}

/// Compares the folder with what would be written (for `report --check`).
pub fn check(out: &Path, files: &[ReportFile]) -> Vec<Difference> {
    let mut diffs = Vec::new();
    for f in files {
        let Ok(path) = target(out, &f.path) else {
            diffs.push(Difference::Stale(f.path.clone()));
            continue;
        };
        match fs::read(&path) {
            Ok(old) if old == f.bytes => {}
            Ok(_) => diffs.push(Difference::Stale(f.path.clone())),
            Err(_) => diffs.push(Difference::Missing(f.path.clone())),
        }
    }
    diffs.extend(extras(out, files).into_iter().map(Difference::Extra));
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_check_and_cleanup() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report");
        let files = vec![
            ReportFile {
                path: "report.md".into(),
                bytes: b"# x\n".to_vec(),
            },
            ReportFile {
                path: "tables/a.csv".into(),
                bytes: b"a\n".to_vec(),
            },
        ];
        let s = write(&out, &files).unwrap();
        assert_eq!(s.written.len(), 2);
        assert!(check(&out, &files).is_empty());
        // user file in owned folder with a foreign extension is kept; old csv removed
        fs::write(out.join("tables/old.csv"), "x").unwrap();
        fs::write(out.join("tables/notes.txt"), "keep").unwrap();
        assert_eq!(
            check(&out, &files),
            vec![Difference::Extra("tables/old.csv".into())]
        );
        fs::write(out.join("tables/a.csv"), "changed").unwrap();
        assert!(check(&out, &files).contains(&Difference::Stale("tables/a.csv".into())));
        let s = write(&out, &files).unwrap();
        assert_eq!(s.removed, vec!["tables/old.csv".to_string()]);
        assert_eq!(s.written, vec!["tables/a.csv".to_string()]);
        assert!(out.join("tables/notes.txt").exists());
        fs::remove_file(out.join("report.md")).unwrap();
        assert_eq!(
            check(&out, &files),
            vec![Difference::Missing("report.md".into())]
        );
        assert!(target(&out, "../x").is_err());
    }
}
