//! The leitmotif binary: reads the command line and hands over to the library.

use std::process::ExitCode;

use clap::Parser;

/// Every event the bot handles is decoded into many short-lived allocations. glibc's allocator,
/// walking the free lists of the bot's larger heap, missed the cache on them about twice as often
/// as in a minimal bot; with mimalloc it does not (BENCHMARKS.md, End to end).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    leitmotif::cli::run(leitmotif::cli::Cli::parse())
}
