//! The parse cache: reading the knowledge through it gives what reading the files gives, file
//! for file, whatever changed on disk or in the cache since it was written.

mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use leitmotif::knowledge::{self, CacheReport, Sources};

/// A copy of the shipped knowledge, `kb` in a temporary directory kept alive by the first value.
fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("kb");
    support::copy_dir(&support::shipped_knowledge(), &kb);
    (dir, kb)
}

/// Everything read, values and the line and column of each, as text to compare.
fn shown(sources: &Sources) -> String {
    format!("{sources:#?}")
}

/// Reads `kb` through the cache at `cache`, checks it gives what reading the files gives, and
/// returns (from the cache, parsed).
fn read_both(kb: &Path, cache: &Path) -> (usize, usize) {
    let (cached, report) = knowledge::read_dir_cached(kb, cache).expect("reads through the cache");
    let CacheReport {
        from_cache,
        parsed,
        write_error,
    } = report;
    assert!(write_error.is_none(), "{write_error:?}");
    let plain = knowledge::read_dir(kb).expect("reads");
    assert_eq!(shown(&cached), shown(&plain));
    // And the problems found when building, with their places, are the same too.
    let problems = |sources: Sources| match knowledge::build(sources) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    };
    assert_eq!(problems(cached), problems(plain));
    (from_cache, parsed)
}

/// Files changed less than this long ago are parsed, never kept.
const SETTLED: Duration = Duration::from_millis(2_100);

#[test]
fn unchanged_files_come_from_the_cache_and_changed_ones_are_parsed_again() {
    let (dir, kb) = shipped_copy();
    let cache = dir.path().join("data/cache/knowledge.msgpack");
    let files = knowledge::read_dir(&kb).expect("reads");
    let total = files.films.len() + files.composers.len() + files.terms.len();

    // Files copied a moment ago could still change unseen within the same clock tick: parsed,
    // not kept.
    assert_eq!(read_both(&kb, &cache), (0, total));
    assert_eq!(read_both(&kb, &cache), (0, total));
    std::thread::sleep(SETTLED);
    assert_eq!(read_both(&kb, &cache), (0, total), "first written now");
    assert!(cache.exists());
    assert_eq!(read_both(&kb, &cache), (total, 0));

    // An edited entry is parsed again, with a problem that build finds at its new place.
    let psycho = kb.join("films/psycho.yaml");
    let text = std::fs::read_to_string(&psycho).expect("read");
    let edited = format!(
        "# edited\n{}",
        text.replace("bernard-herrmann", "no-such-composer")
    );
    std::fs::write(&psycho, edited).expect("write");
    assert_eq!(read_both(&kb, &cache), (total - 1, 1));
    let (_, report) = knowledge::read_dir_cached(&kb, &cache).expect("reads");
    assert_eq!((report.from_cache, report.parsed), (total - 1, 1));
    std::thread::sleep(SETTLED);
    assert_eq!(read_both(&kb, &cache), (total - 1, 1), "kept from now on");
    assert_eq!(read_both(&kb, &cache), (total, 0));

    // A deleted entry is gone, a new one is parsed, a file that does not parse is reported.
    std::fs::remove_file(kb.join("terms/drone.yaml")).expect("remove");
    std::fs::write(kb.join("terms/broken.yaml"), "name: [unclosed\n").expect("write");
    // (A file that does not parse counts as a problem, not as parsed.)
    assert_eq!(read_both(&kb, &cache), (total - 1, 0));
    let (sources, _) = knowledge::read_dir_cached(&kb, &cache).expect("reads");
    assert!(
        sources
            .problems
            .iter()
            .any(|p| p.file.ends_with("terms/broken.yaml") && p.line == 1),
        "{:?}",
        sources.problems
    );

    // A damaged cache, or one written by another build, is read as none and written anew.
    std::fs::write(&cache, b"\x92\xa3not a cache").expect("damage");
    assert_eq!(read_both(&kb, &cache), (0, total - 1));
    assert_eq!(read_both(&kb, &cache), (total - 1, 0));
    let mut truncated = std::fs::read(&cache).expect("read cache");
    truncated.truncate(truncated.len() / 2);
    std::fs::write(&cache, truncated).expect("truncate");
    assert_eq!(read_both(&kb, &cache), (0, total - 1));
}

#[test]
fn a_cache_that_cannot_be_written_is_reported_and_loading_goes_on() {
    let (dir, kb) = shipped_copy();
    std::thread::sleep(SETTLED);
    // Its folder is a file.
    std::fs::write(dir.path().join("data"), "").expect("write");
    let cache = dir.path().join("data/cache/knowledge.msgpack");
    let (sources, report) = knowledge::read_dir_cached(&kb, &cache).expect("still reads");
    assert!(report.write_error.is_some());
    assert_eq!(
        shown(&sources),
        shown(&knowledge::read_dir(&kb).expect("reads"))
    );
}
