//! Diagnostics: every problem the tool reports, with the file, line and column it
//! comes from, what is wrong and how to fix it.
//!
//! Library code collects [`Diagnostic`]s instead of printing or bailing out at the
//! first problem, so that `validate` can list every problem at once; the command
//! layer decides how to print them and which exit code follows.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Input is unusable; the command exits with code 1.
    Error,
    /// Input is usable but something was skipped or guessed.
    Warning,
}

/// One reported problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in, if any.
    pub file: Option<PathBuf>,
    /// 1-based line, if known.
    pub line: Option<usize>,
    /// 1-based column (characters), if known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The offending source line, to show with a caret under `column`.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error without location.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            help: None,
            source_line: None,
        }
    }

    /// A warning without location.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Sets the file.
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }

    /// Sets line and column.
    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line);
        self.column = column;
        self
    }

    /// Sets the fix hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets location and source line from a byte offset into `source`.
    pub fn at_offset(mut self, source: &str, offset: usize) -> Self {
        let (line, column, text) = line_col(source, offset);
        self.line = Some(line);
        self.column = Some(column);
        self.source_line = Some(text.to_string());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// 1-based line and column (in characters) of a byte offset, plus the line's text.
pub fn line_col(source: &str, offset: usize) -> (usize, usize, &str) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = source[line_start..offset].chars().count() + 1;
    let line_end = source[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(source.len());
    let text = source[line_start..line_end].trim_end_matches('\r');
    (line, column, text)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: ")?;
        if let Some(file) = &self.file {
            write!(f, "{}", file.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(col) = self.column {
                    write!(f, ":{col}")?;
                }
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let (Some(src), Some(line), Some(col)) = (&self.source_line, self.line, self.column) {
            let width = line.to_string().len();
            let shown: String = src.chars().take(200).collect();
            write!(
                f,
                "\n {:width$} |\n {line} | {shown}\n {:width$} | {}^",
                "",
                "",
                " ".repeat(col.saturating_sub(1).min(200))
            )?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A failed step: one or more diagnostics, at least one of them an error.
#[derive(Debug, Clone)]
pub struct Failure(pub Vec<Diagnostic>);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure(vec![d])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_from_offset() {
        let src = "a = 1\nbä = 2\n";
        assert_eq!(line_col(src, 0), (1, 1, "a = 1"));
        // offset of '=' on line 2: "bä " is 4 bytes, 3 chars
        let off = src.find("= 2").unwrap();
        assert_eq!(line_col(src, off), (2, 4, "bä = 2"));
    }

    #[test]
    fn display_names_file_line_column_and_help() {
        let d = Diagnostic::error("unknown key `wieght`")
            .in_file(Path::new("q.toml"))
            .at_offset("[area]\nwieght = 2\n", 7)
            .help("did you mean `weight`?");
        let s = d.to_string();
        assert!(
            s.starts_with("error: q.toml:2:1: unknown key `wieght`"),
            "{s}"
        );
        assert!(s.contains("2 | wieght = 2"), "{s}");
        assert!(s.contains("help: did you mean `weight`?"), "{s}");
    }
}
