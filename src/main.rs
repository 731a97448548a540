//! The leitmotif binary: reads the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// Every event the bot handles is decoded into many short-lived allocations; mimalloc serves them
/// from per-thread pages rather than shared free lists (BENCHMARKS.md, End to end).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    leitmotif::cli::run(leitmotif::cli::Cli::parse())
}
