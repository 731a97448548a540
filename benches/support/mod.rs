//! What the benchmarks share: the knowledge they run on (shipped, and synthetic at larger sizes),
//! the fixed inputs in `benches/data/`, and latency percentiles, which criterion does not report.

// Each benchmark uses only part of this module.
#![allow(dead_code)]

pub mod synth;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use leitmotif::knowledge::{self, Kind, Knowledge};

/// The bot binary's allocator, so the benchmarks time what ships (and the end-to-end floors,
/// started from this binary, allocate as the bot does).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The shipped knowledge directory.
pub fn shipped_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge")
}

/// The shipped knowledge, loaded.
pub fn shipped() -> Knowledge {
    knowledge::load_dir(&shipped_dir()).unwrap_or_else(|e| panic!("the shipped knowledge: {e}"))
}

/// The shipped knowledge plus synthetic entries up to `total`, built in memory.
pub fn synthetic(total: usize) -> Knowledge {
    let sources = synth::sources(total, synth::SEED, &shipped_dir());
    knowledge::build(sources).unwrap_or_else(|problems| {
        panic!(
            "synthetic knowledge of {total} entries has {} problem(s), first: {}",
            problems.len(),
            problems[0]
        )
    })
}

/// Lines of a file in `benches/data/`, without blank lines and `#` comments.
pub fn data_lines(name: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches/data")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The mixed set of real questions (`benches/data/questions.txt`), or the questions in the file
/// `LEITMOTIF_BENCH_QUESTIONS` names (to profile a few).
pub fn questions() -> Vec<String> {
    match std::env::var_os("LEITMOTIF_BENCH_QUESTIONS") {
        Some(path) => std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("LEITMOTIF_BENCH_QUESTIONS: {e}"))
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect(),
        None => data_lines("questions.txt"),
    }
}

/// Ordinary chat, not for the bot (`benches/data/chat.txt`).
pub fn chat() -> Vec<String> {
    data_lines("chat.txt")
}

/// A name as a user typed it, and the entry they meant.
#[derive(Debug, Clone)]
pub struct NameCase {
    /// What kind of entry the command asks for.
    pub kind: Kind,
    /// What was typed.
    pub typed: String,
    /// The id of the entry meant.
    pub expected: String,
    /// Misspelt (true) or only partly typed (false).
    pub typo: bool,
}

/// The fixed list of typo'd and partial names (`benches/data/names.txt`).
pub fn names() -> Vec<NameCase> {
    data_lines("names.txt")
        .iter()
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [how, kind, typed, expected] = fields[..] else {
                panic!("names.txt: expected 4 tab-separated fields: {line:?}");
            };
            let kind = match kind {
                "film" => Kind::Film,
                "composer" => Kind::Composer,
                "term" => Kind::Term,
                other => panic!("names.txt: unknown kind {other:?}"),
            };
            let typo = match how {
                "typo" => true,
                "partial" => false,
                other => panic!("names.txt: expected typo or partial, not {other:?}"),
            };
            NameCase {
                kind,
                typed: typed.to_string(),
                expected: expected.to_string(),
                typo,
            }
        })
        .collect()
}

/// Per-call latencies, for percentiles.
#[derive(Debug, Default, Clone)]
pub struct Latencies {
    nanos: Vec<u64>,
}

impl Latencies {
    /// An empty record with room for `n` samples.
    pub fn with_capacity(n: usize) -> Latencies {
        Latencies {
            nanos: Vec::with_capacity(n),
        }
    }

    /// Adds one sample.
    pub fn push(&mut self, d: Duration) {
        self.nanos
            .push(d.as_nanos().min(u128::from(u64::MAX)) as u64);
    }

    /// Adds every sample of `other`.
    pub fn extend(&mut self, other: &Latencies) {
        self.nanos.extend_from_slice(&other.nanos);
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.nanos.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.nanos.is_empty()
    }

    /// The `p`-th percentile (0 to 100), nearest rank.
    pub fn percentile(&self, p: f64) -> Duration {
        if self.nanos.is_empty() {
            return Duration::ZERO;
        }
        let mut sorted = self.nanos.clone();
        sorted.sort_unstable();
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        Duration::from_nanos(sorted[rank.clamp(1, sorted.len()) - 1])
    }

    /// The mean.
    pub fn mean(&self) -> Duration {
        if self.nanos.is_empty() {
            return Duration::ZERO;
        }
        Duration::from_nanos(self.nanos.iter().sum::<u64>() / self.nanos.len() as u64)
    }

    /// The inputs slowest by their median, as (index into the inputs, median), for samples
    /// taken by [`time_each`] over `inputs` inputs.
    pub fn slowest(&self, inputs: usize, n: usize) -> Vec<(usize, Duration)> {
        let mut medians: Vec<(usize, Duration)> = (0..inputs)
            .map(|i| {
                let mut own: Vec<u64> =
                    self.nanos.iter().skip(i).step_by(inputs).copied().collect();
                own.sort_unstable();
                (
                    i,
                    Duration::from_nanos(own.get(own.len() / 2).copied().unwrap_or(0)),
                )
            })
            .collect();
        medians.sort_by_key(|m| std::cmp::Reverse(m.1));
        medians.truncate(n);
        medians
    }

    /// The largest sample.
    pub fn max(&self) -> Duration {
        Duration::from_nanos(self.nanos.iter().copied().max().unwrap_or(0))
    }

    /// `p50 … p99 … max` as one table row's cells.
    pub fn cells(&self) -> String {
        format!(
            "{} | {} | {} | {} | {}",
            fmt(self.percentile(50.0)),
            fmt(self.percentile(90.0)),
            fmt(self.percentile(99.0)),
            fmt(self.max()),
            fmt(self.mean()),
        )
    }
}

/// The header matching [`Latencies::cells`].
pub const CELLS_HEADER: &str = "p50 | p90 | p99 | max | mean";

/// A duration in the unit that suits it.
pub fn fmt(d: Duration) -> String {
    let ns = d.as_nanos();
    if ns < 10_000 {
        format!("{ns} ns")
    } else if ns < 10_000_000 {
        format!("{:.1} µs", ns as f64 / 1e3)
    } else {
        format!("{:.1} ms", ns as f64 / 1e6)
    }
}

/// Calls `f` on every input, `rounds` times over (after one round to warm caches), timing each
/// call on its own. An `Instant::now()` pair costs about 40 ns here, which is in every sample.
pub fn time_each<T, R>(inputs: &[T], rounds: usize, mut f: impl FnMut(&T) -> R) -> Latencies {
    for input in inputs {
        std::hint::black_box(f(input));
    }
    let mut latencies = Latencies::with_capacity(inputs.len() * rounds);
    for _ in 0..rounds {
        for input in inputs {
            let start = Instant::now();
            // Dropping the result is part of the cost: it happens inside the timing.
            std::hint::black_box(f(std::hint::black_box(input)));
            latencies.push(start.elapsed());
        }
    }
    latencies
}

/// Whether this is a quick check rather than a measurement: `cargo bench -- --test`
/// (criterion's smoke-test mode), a run not started by `cargo bench` (which passes `--bench`;
/// `cargo test --benches` does not), or `LEITMOTIF_BENCH_QUICK` set. Every measurement is then
/// cut to a few samples.
pub fn quick() -> bool {
    let args: Vec<String> = std::env::args().collect();
    args.iter().any(|a| a == "--test")
        || !args.iter().any(|a| a == "--bench")
        || std::env::var_os("LEITMOTIF_BENCH_QUICK").is_some()
}

/// The synthetic knowledge sizes to measure: 10,000 and 100,000 entries (none in a `quick` run),
/// or the comma-separated list in `LEITMOTIF_BENCH_SIZES` (empty: the shipped knowledge only).
pub fn synthetic_sizes(quick: bool) -> Vec<usize> {
    match std::env::var("LEITMOTIF_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                s.trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("LEITMOTIF_BENCH_SIZES: not a number: {s:?}"))
            })
            .collect(),
        Err(_) if quick => Vec::new(),
        Err(_) => vec![10_000, 100_000],
    }
}

/// The machine, for the record: CPU model and how many cores this process may use.
pub fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    // Other work on the machine moves every figure: the load average says how much there was.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into());
    format!("{model}, {cores} cores, load average {load} at the start")
}

/// A `/proc/self/status` field in kB (`VmRSS`, `VmHWM`).
pub fn proc_status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with(field) && l[field.len()..].starts_with(':'))
        .and_then(|l| {
            l[field.len() + 1..]
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        })
}
