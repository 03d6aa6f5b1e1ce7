//! The `reifegrad` binary: everything happens in the library's `cli` module.

fn main() {
    std::process::exit(reifegrad::cli::main());
}
