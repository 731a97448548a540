//! The leitmotif binary: reads the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    leitmotif::cli::run(leitmotif::cli::Cli::parse())
}
