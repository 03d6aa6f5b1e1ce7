//! How the command line talks to people: verbosity (`--quiet`, `--verbose`), colour
//! only on terminals and never with `NO_COLOR`, diagnostics to stderr.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU8, Ordering};

use crate::diag::{Diagnostic, Severity};

/// 0 = quiet (errors only), 1 = normal, 2 = verbose.
static VERBOSITY: AtomicU8 = AtomicU8::new(1);

/// Sets the verbosity for the rest of the run.
pub fn set_verbosity(quiet: bool, verbose: bool) {
    let v = if quiet {
        0
    } else if verbose {
        2
    } else {
        1
    };
    VERBOSITY.store(v, Ordering::Relaxed);
}

/// True with `--quiet`.
pub fn quiet() -> bool {
    VERBOSITY.load(Ordering::Relaxed) == 0
}

/// True with `--verbose`.
pub fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) == 2
}

/// True when stderr is a terminal and `NO_COLOR` is unset or empty.
pub fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Formats a diagnostic, with the `error:` / `warning:` prefix coloured when wanted.
pub fn format_diagnostic(d: &Diagnostic, color: bool) -> String {
    let text = d.to_string();
    if !color {
        return text;
    }
    let (prefix, code) = match d.severity {
        Severity::Error => ("error:", "\x1b[1;31m"),
        Severity::Warning => ("warning:", "\x1b[1;33m"),
    };
    let text = match text.strip_prefix(prefix) {
        Some(rest) => format!("{code}{prefix}\x1b[0m{rest}"),
        None => text,
    };
    text.replace("\n  help:", "\n  \x1b[1;36mhelp:\x1b[0m")
}

/// Prints diagnostics to stderr (warnings are skipped with `--quiet`).
pub fn print_diagnostics(diags: &[Diagnostic]) {
    let color = color();
    let mut err = std::io::stderr().lock();
    for d in diags {
        if quiet() && !d.is_error() {
            continue;
        }
        let _ = writeln!(err, "{}", format_diagnostic(d, color));
    }
}

/// Prints an informational line to stderr (skipped with `--quiet`).
pub fn info(msg: &str) {
    if !quiet() {
        let _ = writeln!(std::io::stderr(), "{msg}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked() {
        let d = Diagnostic::error("bad").help("fix it");
        assert!(!format_diagnostic(&d, false).contains('\x1b'));
        let c = format_diagnostic(&d, true);
        assert!(c.starts_with("\x1b[1;31merror:\x1b[0m bad"), "{c:?}");
    }
}
