//! `reifegrad completions SHELL` and `reifegrad man`: shell completions and the man
//! page, generated from the same clap definition as `--help`, so they never drift.

use clap::{Args as ClapArgs, CommandFactory};
use clap_complete::Shell;

use super::{print_stdout, Cli, EXIT_INVALID};

/// Arguments of `completions`.
#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script for a shell.
pub fn run(args: &Args) -> i32 {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "reifegrad", &mut buf);
    print_stdout(&String::from_utf8_lossy(&buf))
}

/// Prints the man page (roff).
pub fn man() -> i32 {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
        eprintln!("error: cannot render the man page: {e}");
        return EXIT_INVALID;
    }
    print_stdout(&String::from_utf8_lossy(&buf))
}
