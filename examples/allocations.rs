//! Counts the heap allocations of answering the benchmark questions on the shipped knowledge:
//! parsing alone, parsing and looking up, and rendering, on average a question, with the
//! questions whose replies allocate most. Allocations are most of what rendering costs, so this
//! says where a change to the hot path gains or loses before a timed run does.
//!
//! ```text
//! cargo run --release --example allocations
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use leitmotif::engine::Engine;

/// The system allocator, counting allocations and reallocations and the bytes they ask for.
struct Counting;

static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        // SAFETY: the caller's guarantees are the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new_size, Relaxed);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations and bytes asked for while `work` runs.
fn counted<T>(work: impl FnOnce() -> T) -> (T, usize, usize) {
    let (calls, bytes) = (CALLS.load(Relaxed), BYTES.load(Relaxed));
    let out = work();
    (
        out,
        CALLS.load(Relaxed) - calls,
        BYTES.load(Relaxed) - bytes,
    )
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let knowledge = leitmotif::knowledge::load_dir(Path::new("knowledge"))?;
    let engine = Engine::new("/");
    let questions: Vec<String> = std::fs::read_to_string("benches/data/questions.txt")?
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    // Warm the regular expressions' caches, as a running bot has.
    for question in &questions {
        engine.ask(&knowledge, question);
    }
    let mut totals = [(0, 0); 3];
    let mut by_reply = Vec::new();
    for question in &questions {
        let (_, calls, bytes) = counted(|| engine.parse(question));
        totals[0] = (totals[0].0 + calls, totals[0].1 + bytes);
        let ((_, answer), calls, bytes) = counted(|| engine.understand(&knowledge, question));
        totals[1] = (totals[1].0 + calls, totals[1].1 + bytes);
        let (_, calls, bytes) = counted(|| engine.render(&knowledge, &answer));
        totals[2] = (totals[2].0 + calls, totals[2].1 + bytes);
        by_reply.push((calls, question.as_str()));
    }
    let n = questions.len() as f64;
    println!("{} questions, on average a question:", questions.len());
    for (stage, (calls, bytes)) in ["parse", "parse + look up", "render"].iter().zip(totals) {
        println!(
            "  {stage:<16} {:5.1} allocations, {:6.0} bytes",
            calls as f64 / n,
            bytes as f64 / n
        );
    }
    by_reply.sort();
    println!("render, most allocations:");
    for (calls, question) in by_reply.iter().rev().take(5) {
        println!("  {calls:4}  {question}");
    }
    Ok(())
}
