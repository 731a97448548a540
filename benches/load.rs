//! Loading and indexing the knowledge, from the YAML files on disk to a [`Knowledge`] ready to
//! answer: the shipped knowledge, and synthetic knowledge of 10,000 and 100,000 entries written
//! to a temporary directory first (so the files are in the page cache, as they are when the bot
//! reloads after an edit). Each is loaded as the files are read (`load_dir`) and through the
//! parse cache the bot keeps (`read_dir_cached`, the files unchanged since it was written, as at
//! a restart; and with one file changed, as at a reload). Resident memory is measured in a fresh
//! process per size and way of loading, so nothing else this benchmark allocated is counted; the
//! last way is the bot's start: through the parse cache, then opened for the servers' own entries.
//!
//! `cargo bench --bench load`; `LEITMOTIF_BENCH_SIZES=100000 cargo bench --bench load` for one
//! size.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::Criterion;
use leitmotif::knowledge::{self, Index, Knowledge};

use support::{CELLS_HEADER, Latencies, fmt, synth};

/// Set in the child process that measures memory: the directory to load.
const RSS_CHILD: &str = "LEITMOTIF_BENCH_RSS_DIR";
/// And, when set, the parse cache to load it through.
const RSS_CACHE: &str = "LEITMOTIF_BENCH_RSS_CACHE";
/// Or, when set, the data directory to open it in as the bot starts: read through the parse
/// cache there, then opened for the servers' own entries.
const RSS_BOT_DATA: &str = "LEITMOTIF_BENCH_RSS_BOT_DATA";

fn main() {
    if let Some(dir) = std::env::var_os(RSS_CHILD) {
        let way = match (std::env::var_os(RSS_CACHE), std::env::var_os(RSS_BOT_DATA)) {
            (_, Some(data)) => Loading::AsTheBot(data.into()),
            (Some(cache), None) => Loading::Cached(cache.into()),
            (None, None) => Loading::Parsed,
        };
        rss_child(Path::new(&dir), &way);
        return;
    }
    let quick = support::quick();
    println!("machine: {}", support::machine());
    let shipped = support::shipped_dir();
    let sizes = support::synthetic_sizes(quick);

    println!("\n## Loading and indexing (read + parse + check + index)\n");
    println!(
        "| knowledge | runs | {CELLS_HEADER} | of which read and parse (p50) | check and build (p50) | index alone (p50) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let runs = if quick { 1 } else { 50 };
    report(&shipped, "shipped", runs);
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let mut dirs = Vec::new();
    for &total in &sizes {
        let dir = tempfile::Builder::new()
            .prefix(&format!("knowledge-{total}-"))
            .tempdir_in(tmp)
            .expect("a temporary directory");
        let start = Instant::now();
        let sources = knowledge::read_dir(&shipped).expect("the shipped knowledge reads");
        let entries = synth::generate(total, synth::SEED, &sources);
        synth::write_dir(Some(&shipped), &entries, dir.path()).expect("synthetic files written");
        eprintln!(
            "wrote {total} entries to {} in {}",
            dir.path().display(),
            fmt(start.elapsed())
        );
        let runs = if total >= 50_000 { 3 } else { 10 };
        report(dir.path(), &format!("{total} entries"), runs);
        dirs.push((total, dir));
    }

    println!(
        "\n## Loading through the parse cache (read + check + index; the files unchanged since \
         the cache was written, as at a restart)\n"
    );
    println!(
        "| knowledge | runs | {CELLS_HEADER} | of which reading files and cache (p50) | first load, parsing all and writing the cache | one file changed: parsed, cache written again | cache size |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    // A copy, as a file of it is rewritten.
    let shipped_copy = tempfile::tempdir_in(tmp).expect("a temporary directory");
    synth::write_dir(Some(&shipped), &[], shipped_copy.path()).expect("the shipped copy written");
    report_cached(shipped_copy.path(), "shipped", runs);
    for (total, dir) in &dirs {
        let runs = if *total >= 50_000 { 3 } else { 10 };
        report_cached(dir.path(), &format!("{total} entries"), runs);
    }

    println!("\n## Resident memory after loading (a fresh process per row)\n");
    println!(
        "| knowledge | RSS before loading | RSS after | added by loading | added, after `mi_collect` | peak RSS while loading |"
    );
    println!("|---|---|---|---|---|---|");
    let cache_dir = tempfile::tempdir_in(tmp).expect("a cache directory");
    for (label, dir) in std::iter::once(("shipped".to_string(), shipped.as_path())).chain(
        dirs.iter()
            .map(|(total, dir)| (format!("{total} entries"), dir.path())),
    ) {
        rss(dir, &label, &Loading::Parsed);
        let cache = cache_dir.path().join(format!("{label}.msgpack"));
        let (_, report) = knowledge::read_dir_cached(dir, &cache).expect("reads");
        assert!(report.write_error.is_none(), "{:?}", report.write_error);
        rss(
            dir,
            &format!("{label}, through the parse cache"),
            &Loading::Cached(cache),
        );
        let data = tempfile::tempdir_in(tmp).expect("a data directory");
        leitmotif::discord::read_knowledge(dir, data.path()).expect("reads");
        rss(
            dir,
            &format!("{label}, as the bot starts"),
            &Loading::AsTheBot(data.path().to_path_buf()),
        );
    }

    let mut c = Criterion::default().configure_from_args();
    c.bench_function("load/shipped", |b| {
        b.iter(|| knowledge::load_dir(&shipped).expect("loads"))
    });
    c.final_summary();
}

/// Times `runs` loads of `dir`, with the time split into its stages.
fn report(dir: &Path, label: &str, runs: usize) {
    let mut whole = Latencies::with_capacity(runs);
    let mut read = Latencies::with_capacity(runs);
    let mut build = Latencies::with_capacity(runs);
    let mut index = Latencies::with_capacity(runs);
    let mut entries = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = load(dir);
        whole.push(start.elapsed());
        entries = loaded.len();
        drop(loaded);

        let start = Instant::now();
        let sources = knowledge::read_dir(dir).expect("reads");
        read.push(start.elapsed());
        let start = Instant::now();
        let loaded = knowledge::build(sources).unwrap_or_else(|p| panic!("{}", p[0]));
        build.push(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(Index::build(
            loaded.films(),
            loaded.composers(),
            loaded.terms(),
        ));
        index.push(start.elapsed());
    }
    println!(
        "| {label} ({entries} entries) | {runs} | {} | {} | {} | {} |",
        whole.cells(),
        fmt(read.percentile(50.0)),
        fmt(build.percentile(50.0)),
        fmt(index.percentile(50.0)),
    );
}

/// Times `runs` loads of `dir` through a parse cache written by a first load.
fn report_cached(dir: &Path, label: &str, runs: usize) {
    let cache_dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a cache directory");
    let cache = cache_dir.path().join("knowledge.msgpack");
    // Files written moments ago are not kept; these were written before the uncached runs.
    std::thread::sleep(Duration::from_millis(2_100));
    let start = Instant::now();
    let (_, report) = knowledge::read_dir_cached(dir, &cache).expect("reads");
    let first = start.elapsed();
    assert!(report.write_error.is_none(), "{:?}", report.write_error);
    let mut whole = Latencies::with_capacity(runs);
    let mut read = Latencies::with_capacity(runs);
    let mut entries = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let (sources, report) = knowledge::read_dir_cached(dir, &cache).expect("reads");
        read.push(start.elapsed());
        assert_eq!(report.parsed, 0, "every file from the cache");
        let loaded = knowledge::build(sources).unwrap_or_else(|p| panic!("{}", p[0]));
        whole.push(start.elapsed());
        entries = loaded.len();
    }
    let size = std::fs::metadata(&cache).map_or(0, |m| m.len());
    // A reload after a moderator's edit: one file parsed, the cache written anew.
    let film = std::fs::read_dir(dir.join("films"))
        .expect("the films folder")
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == "yaml"))
        .expect("a film");
    let text = std::fs::read(&film).expect("a film file");
    std::fs::write(&film, text).expect("the film rewritten");
    let start = Instant::now();
    let (sources, report) = knowledge::read_dir_cached(dir, &cache).expect("reads");
    std::hint::black_box(knowledge::build(sources).unwrap_or_else(|p| panic!("{}", p[0])));
    let one_changed = start.elapsed();
    assert_eq!(report.parsed, 1, "the changed file parsed");
    println!(
        "| {label} ({entries} entries) | {runs} | {} | {} | {} | {} | {:.1} MB |",
        whole.cells(),
        fmt(read.percentile(50.0)),
        fmt(first),
        fmt(one_changed),
        size as f64 / 1e6,
    );
}

fn load(dir: &Path) -> Knowledge {
    knowledge::load_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// How the memory child loads the knowledge.
enum Loading {
    /// Parsing every file.
    Parsed,
    /// Through the parse cache at this path.
    Cached(PathBuf),
    /// As the bot starts with this data directory (its parse cache written before): through
    /// the cache, then opened for the servers' own entries, keeping what that keeps.
    AsTheBot(PathBuf),
}

/// Runs this benchmark again as a child that only loads `dir`, and prints what it measured.
fn rss(dir: &Path, label: &str, way: &Loading) {
    let mut child = Command::new(std::env::current_exe().expect("own path"));
    match way {
        Loading::Parsed => {}
        Loading::Cached(cache) => {
            child.env(RSS_CACHE, cache);
        }
        Loading::AsTheBot(data) => {
            child.env(RSS_BOT_DATA, data);
        }
    }
    let output = child.env(RSS_CHILD, dir).output().expect("the child runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let numbers: Vec<u64> = text
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    let [before, after, trimmed, peak] = numbers[..] else {
        panic!(
            "the memory child printed {text:?}, stderr {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    let mb = |kb: u64| format!("{:.1} MB", kb as f64 / 1024.0);
    println!(
        "| {label} | {} | {} | {} | {} | {} |",
        mb(before),
        mb(after),
        mb(after.saturating_sub(before)),
        mb(trimmed.saturating_sub(before)),
        mb(peak)
    );
}

/// In the child: load `dir` as `way` says, keep it, and print RSS before, after, after the
/// allocator handed back what it no longer uses, and the peak, in kB.
fn rss_child(dir: &Path, way: &Loading) {
    let before = support::proc_status_kb("VmRSS").unwrap_or(0);
    let kept: Box<dyn std::any::Any> = match way {
        Loading::Parsed => Box::new(load(dir)),
        Loading::Cached(cache) => {
            let (sources, _) = knowledge::read_dir_cached(dir, cache).expect("reads");
            Box::new(knowledge::build(sources).unwrap_or_else(|p| panic!("{}", p[0])))
        }
        Loading::AsTheBot(data) => {
            let sources = leitmotif::discord::read_knowledge(dir, data).expect("reads");
            let (curator, problems) = leitmotif::curation::Curator::open(data, sources)
                .unwrap_or_else(|p| panic!("{}", p[0]));
            assert!(problems.is_empty(), "{problems:?}");
            Box::new(curator)
        }
    };
    // Let the allocator settle as it would in a bot that has been running for a moment.
    std::thread::sleep(Duration::from_millis(100));
    let after = support::proc_status_kb("VmRSS").unwrap_or(0);
    let peak = support::proc_status_kb("VmHWM").unwrap_or(0);
    // Only to show how much of what loading added the allocator could still give back (free
    // pages, not free bytes among live ones).
    // SAFETY: mi_collect only frees memory the allocator no longer uses; it has no preconditions.
    unsafe { libmimalloc_sys::mi_collect(true) };
    let trimmed = support::proc_status_kb("VmRSS").unwrap_or(0);
    std::hint::black_box(&kept);
    println!("{before} {after} {trimmed} {peak}");
}
