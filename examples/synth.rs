//! Writes a synthetic knowledge directory: the shipped knowledge plus generated films, composers
//! and terms up to a total, as YAML files the bot loads like any other (see
//! `benches/support/synth.rs` for what the entries look like).
//!
//! ```text
//! cargo run --release --example synth -- 100000 /tmp/knowledge-100k
//! cargo run --release -- check /tmp/knowledge-100k
//! LEITMOTIF_KNOWLEDGE_DIR=/tmp/knowledge-100k cargo run --release
//! ```
//!
//! Arguments: the total number of entries, the directory to write (it must not exist, or be
//! empty), and optionally a seed (the benchmarks use the default).

// Shared with the benchmarks, which use more of it than this tool does.
#[allow(dead_code)]
#[path = "../benches/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use leitmotif::knowledge;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (total, dir, seed) = match &args[..] {
        [total, dir] => (total.parse::<usize>().ok(), dir, Some(synth::SEED)),
        [total, dir, seed] => (total.parse().ok(), dir, seed.parse().ok()),
        _ => (None, &String::new(), None),
    };
    let (Some(total), Some(seed)) = (total, seed) else {
        eprintln!("usage: synth ENTRIES DIR [SEED]   e.g. synth 100000 /tmp/knowledge-100k");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    if std::fs::read_dir(&dir).is_ok_and(|mut d| d.next().is_some()) {
        eprintln!("{} exists and is not empty", dir.display());
        return ExitCode::from(2);
    }
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let start = Instant::now();
    let sources = match knowledge::read_dir(&shipped) {
        Ok(sources) => sources,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let entries = synth::generate(total, seed, &sources);
    if let Err(e) = synth::write_dir(Some(&shipped), &entries, &dir) {
        eprintln!("writing {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let shipped_count = sources.films.len() + sources.composers.len() + sources.terms.len();
    println!(
        "wrote {} entries ({shipped_count} shipped, {} generated) to {} in {:.1} s",
        shipped_count + entries.len(),
        entries.len(),
        dir.display(),
        start.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
